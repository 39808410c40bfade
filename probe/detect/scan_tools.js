// The scanner's tools: the vocabulary compiled, text and tree helpers, what hides an element, how it looks.
// A piece of the scanner's body (probe/detect/scan.py joins the pieces inside one function of `vocab`).
const rx = (p) => new RegExp(p, "i");
const W = {
  credit: vocab.credit.map(rx),
  decoy: vocab.decoy.map(rx),
  reason: rx(vocab.reason),
  applied: rx(vocab.applied),
  noMethods: rx(vocab.noMethods),
  // The sign before an amount says the amount is deducted: group 1 is the sign, group 2 the amount.
  money: new RegExp(`([-\\u2212]\\s?|\\u2013(?=\\S))?(${vocab.money})`, "i"),
  remove: rx(vocab.remove),
  removeMarks: new RegExp(vocab.removeMarks, "g"),
  apply: rx(vocab.apply),
  tipOnly: rx(vocab.tipOnly),
  otherMethod: rx(vocab.otherMethod),
  creditWord: rx(vocab.creditWord),
  accountHead: rx(vocab.accountHead),
  codeBox: rx(vocab.codeBox),
  disabledClass: rx(vocab.disabledClass),
  secret: new RegExp(vocab.secret),
};

function norm(s) { return (s || "").replace(/\s+/g, " ").trim(); }
function isCredit(t) { return W.credit.some((r) => r.test(t)); }
function isDecoy(t) { return W.decoy.some((r) => r.test(t)); }
// Text with decoy phrases removed: "Store credit can't pay; use a credit or debit card" still names store credit.
function stripDecoys(t) { return W.decoy.reduce((s, r) => s.replace(new RegExp(r.source, "gi"), " "), t); }
function up(el) { return el.parentElement || (el.parentNode && el.parentNode.host) || null; }
function contains(a, b) {
  for (let x = b; x; x = up(x)) if (x === a) return true;
  return false;
}
function ancestorWith(el, test) {
  for (let a = el; a; a = up(a)) if (test(a)) return a;
  return null;
}
function desc(el) {
  let s = el.tagName.toLowerCase();
  if (el.id) s += "#" + el.id;
  const cls = typeof el.className === "string" ? el.className.trim().split(/\s+/).slice(0, 2) : [];
  if (cls.length && cls[0]) s += "." + cls.join(".");
  return s;
}
function rootOf(el) { return el.getRootNode(); }
function byId(el, id) {
  const root = rootOf(el);
  return (root.getElementById ? root.getElementById(id) : null) || document.getElementById(id);
}
function textOf(el) {
  return norm(el.innerText !== undefined && el.isConnected ? el.innerText || el.textContent : el.textContent);
}
function linesOf(el) { return (el.innerText || el.textContent || "").split("\n").map(norm).filter(Boolean); }
// Every element of the document, open shadow roots included.
function allElements() {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      out.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return out;
}
// The first amount of money in a text (a number in a money format beside a currency), never a count or points.
function moneyIn(t) {
  const m = (t || "").match(W.money);
  return m ? norm(m[2]) : null;
}
function rectOf(els) {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const e of els) {
    const r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    x1 = Math.min(x1, r.left); y1 = Math.min(y1, r.top); x2 = Math.max(x2, r.right); y2 = Math.max(y2, r.bottom);
  }
  return x1 === Infinity ? null : [x1, y1, x2 - x1, y2 - y1];
}
function submitsForm(el) {
  return (el.tagName === "BUTTON" && (el.getAttribute("type") || "submit").toLowerCase() === "submit" &&
    !!(el.form || el.closest("form"))) || (el.tagName === "INPUT" && el.type === "submit");
}

// What hides an element from above, remembered per element so that each ancestor is looked at once per scan.
const hiddenMemo = new Map();
function hiddenAbove(el) {
  const chain = [];
  let a = el, known = null;
  for (; a; a = up(a)) {
    if (hiddenMemo.has(a)) { known = hiddenMemo.get(a); break; }
    chain.push(a);
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const x = chain[i];
    const none = !!x.tagName && getComputedStyle(x).display === "none";
    const own = {
      template: x.tagName === "TEMPLATE",
      attr: none && x.hasAttribute && x.hasAttribute("hidden") ? x : null,
      none: none ? x : null,
    };
    // The nearest cause wins, as a walk up from the element would find it.
    known = known ? { template: own.template || known.template, attr: own.attr || known.attr, none: own.none || known.none } : own;
    hiddenMemo.set(x, known);
  }
  return known || { template: false, attr: null, none: null };
}
// Why a shopper cannot see the element, or null when it is shown.
function visibleWhy(el) {
  if (!el.isConnected) return "removed from the page";
  const h = hiddenAbove(el);
  if (h.template) return "inside a <template>";
  if (h.attr) return `hidden attribute on ${desc(h.attr)}`;
  if (h.none) return `display:none on ${desc(h.none)}`;
  const cs = getComputedStyle(el);
  if (cs.visibility === "hidden" || cs.visibility === "collapse") return "visibility:hidden";
  if (cs.contentVisibility === "hidden" || !el.checkVisibility({ visibilityProperty: true })) return "not rendered";
  const r = el.getBoundingClientRect();
  if (r.width < 2 || r.height < 2) return `zero size (${Math.round(r.width)}x${Math.round(r.height)})`;
  return null;
}
// A control drawn invisible on purpose (a styled radio whose label or tile is what the shopper sees).
function visuallyHidden(el) {
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return (
    parseFloat(cs.opacity) < 0.05 ||
    r.width <= 2 || r.height <= 2 ||
    /rect\(\s*0/.test(cs.clip) || /inset\(\s*50%/.test(cs.clipPath) || cs.display === "none"
  );
}
function effectiveOpacity(el) {
  let o = 1;
  for (let a = el; a; a = up(a)) o *= parseFloat(getComputedStyle(a).opacity || "1");
  return o;
}
function filterGrey(el) {
  for (let a = el; a; a = up(a)) {
    const f = getComputedStyle(a).filter || "";
    const m = f.match(/grayscale\(([\d.]+)\)/) || f.match(/saturate\((0(?:\.[0-3]\d*)?)\)/);
    if (m && (f.includes("grayscale") ? parseFloat(m[1]) >= 0.5 : true)) return `${f} on ${desc(a)}`;
  }
  return null;
}
