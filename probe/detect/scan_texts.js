// The scanner's texts: words of credit outside any control (store-applied totals lines, header balances, notices).
// A piece of the scanner's body (probe/detect/scan.py joins the pieces inside one function of `vocab`).
const LEAF_RAW_MAX = 2000;

// Credit in use, from the rows that hold a shown "Remove" button: the row names the credit and usually its amount.
function appliedRows() {
  const out = [];
  for (const [el, words] of removers) {
    if (visibleWhy(el) !== null) continue;
    let row = el.parentElement;
    for (let n = 0; row && n < 3 && !W.money.test(textOf(row)); n++) row = row.parentElement;
    const rowText = row ? textOf(row).replace(W.removeMarks, " ") : "";
    const m = rowText.length < 160 ? rowText.match(W.money) : null;
    out.push({ kind: "applied", text: m ? rowText : words, balance: m ? norm(m[2]) : null,
               box: rectOf([m && row ? row : el]), remover: words });
  }
  return out;
}
// Cheap first: a box whose raw text is long is no leaf, and only texts of credit or of missing payment methods are
// kept (innerText lays the page out; textContent only reads it). An element whose only node is an element has that
// element's text: a chain of wrappers is read and matched once.
const quietOf = new Map();
function quietText(el) {
  const chain = [];
  let at = el;
  for (; at && !quietOf.has(at); at = at.firstChild && at.firstChild === at.lastChild && at.firstChild.nodeType === 1 ? at.firstChild : null) chain.push(at);
  let quiet = at ? quietOf.get(at) : false;
  if (!at) {
    const raw = chain[chain.length - 1].textContent || "";
    quiet = raw.length > LEAF_RAW_MAX || !(W.creditWord.test(raw) || isCredit(raw) || W.noMethods.test(norm(raw)));
  }
  for (const x of chain) quietOf.set(x, quiet);
  return quiet;
}
// Shown leaves of text that name credit or say no payment method is offered, outside every choice.
function leafTexts() {
  const out = [];
  for (const el of all) {
    if (/^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT|OPTION|SELECT)$/.test(el.tagName)) continue;
    if (quietText(el)) continue;
    if (holdsChoice(el) || insideChoice(el)) continue;
    const t = textOf(el);
    if (!t || t.length > 160) continue;
    if (el.children.length && [...el.children].some((c) => textOf(c) === t)) continue;
    if (visibleWhy(el) !== null) continue;
    out.push([el, t]);
  }
  return out;
}
// What a text of credit is: applied (a deduction), a notice (a reason), a balance in the header or the page, a mention.
function kindOfText(el, t) {
  const inHeader = !!ancestorWith(el, (a) => a.tagName === "HEADER" || a.tagName === "NAV" || (a.getAttribute && a.getAttribute("role") === "banner"));
  const m = t.match(W.money);
  const negative = !!(m && m[1]);
  if (W.noMethods.test(t)) return "no_methods";
  if (isDecoy(t) && !isCredit(stripDecoys(t))) return null;
  if ((negative && !inHeader) || W.applied.test(t)) return "applied";
  if (W.reason.test(t)) return "notice";
  if (m) return inHeader ? "header_balance" : "balance_mention";
  return "mention";
}
function creditTexts() {
  const kinded = [];
  for (const [el, t] of leafTexts()) {
    if (!isCredit(t) && !W.noMethods.test(t)) continue;
    const kind = kindOfText(el, t);
    if (!kind) continue;
    const m = t.match(W.money);
    kinded.push({ el, kind, text: t, balance: m ? norm(m[2]) : null });
  }
  // A text that holds another text of its kind gives way to it: mark each text's ancestors once.
  const holdsKind = new Map();
  for (const k of kinded) for (let x = up(k.el); x; x = up(x)) {
    const kinds = holdsKind.get(x) || new Set();
    if (kinds.has(k.kind)) break;
    kinds.add(k.kind); holdsKind.set(x, kinds);
  }
  return kinded.filter((k) => !(holdsKind.get(k.el) || new Set()).has(k.kind))
    .map((k) => ({ kind: k.kind, text: k.text, balance: k.balance, box: k.kind === "applied" ? rectOf([k.el]) : null }));
}
// Shown boxes to type a gift-card, coupon or voucher code into: a way to add credit, not credit on offer.
function codeBoxes() {
  return all.filter((el) => el.tagName === "INPUT" && /^(text|search|)$/.test(el.type || "") && visibleWhy(el) === null)
    .map((el) => norm([el.placeholder, el.getAttribute("aria-label"), ...(el.labels ? [...el.labels].map((l) => l.textContent) : []), el.name].join(" ")))
    .filter((t) => W.codeBox.test(t));
}
// The whole scan: what ScannedPage (probe/detect/scanned.py) reads, and the options' elements by name.
function scanPage() {
  const options = scanOptions();
  const h1 = document.querySelector("h1");
  return {
    data: {
      items: options.items,
      texts: [...appliedRows(), ...creditTexts()].slice(0, 20),
      decoys: options.decoys.slice(0, 10),
      code_boxes: codeBoxes().slice(0, 5),
      secrets: [...secrets].slice(0, 200),
      title: norm(document.title),
      heading: h1 ? textOf(h1).slice(0, 120) : "",
      url: location.href,
      scroll: [window.scrollX, window.scrollY],
    },
    elements: options.elements,
  };
}
