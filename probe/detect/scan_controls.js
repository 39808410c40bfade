// The scanner's controls: every choice on the page, the remove and apply buttons beside credit, labels, names, tiles.
// A piece of the scanner's body (probe/detect/scan.py joins the pieces inside one function of `vocab`).
const TIP_ATTRS = ["data-tooltip", "data-tip", "data-bs-original-title", "data-original-title", "data-bs-title", "data-tooltip-content"];

// What kind of choice an element is, or null when a shopper cannot choose it.
function kindOf(el) {
  const tag = el.tagName;
  const role = (el.getAttribute("role") || "").toLowerCase();
  if (tag === "INPUT") {
    const t = (el.type || "").toLowerCase();
    if (t === "radio" || t === "checkbox") return role === "switch" ? "switch" : t;
    if (t === "submit" || t === "button") return "button";
    return null;
  }
  if (tag === "OPTION") return "option";
  if (role === "switch") return "switch";
  if (role === "radio" || role === "menuitemradio") return "aria-radio";
  if (role === "checkbox" || role === "menuitemcheckbox") return "aria-checkbox";
  if (role === "option" || role === "tab") return "aria-option";
  if (el.hasAttribute("aria-pressed")) return "toggle";
  if (tag === "BUTTON" || role === "button") return "button";
  if (tag === "A" && el.hasAttribute("href")) return "link";
  return null;
}
function wordsOf(el) {
  return norm(el.getAttribute("aria-label") || el.textContent || (el.tagName === "INPUT" ? el.value : "") || "");
}
// Controls, and the "Remove store credit" / "×" buttons that take credit already in use back off.
function sortControls(all) {
  const controls = [];
  const removers = [];
  for (const el of all) {
    const k = kindOf(el);
    if (!k) continue;
    const words = norm(el.getAttribute("aria-label") || el.textContent || el.value || el.title || "");
    // A bare "Remove" link counts when the row it sits in names the credit ("Store credit applied: $25.00 Remove").
    const bare = words.length <= 20 && !isCredit(words);
    let row = bare ? el.parentElement : null;
    for (let n = 0; row && n < 2 && norm(row.textContent).length <= words.length; n++) row = row.parentElement;
    const rowWords = row ? norm(row.textContent) : "";
    const rowNamesCredit = !!row && rowWords.length < 160 && isCredit(rowWords) && !isDecoy(rowWords);
    if ((k === "button" || k === "link") && W.remove.test(words) && (isCredit(words) || rowNamesCredit)) removers.push([el, words]);
    else controls.push([el, k]);
  }
  return { controls, removers };
}
// A "Learn why" / "?" button that only shows a tooltip is part of its option's tile, not another choice.
function tipOnly(el) {
  return TIP_ATTRS.some((a) => el.hasAttribute(a)) && W.tipOnly.test(norm(el.getAttribute("aria-label") || el.textContent));
}
// A credit's own apply / use / select button belongs to the one choice in its own row (the parent of the button holds
// exactly that choice, and no box to type a code into); elsewhere it is a choice of its own ("Store credit [Use]").
function applyButtons(controls) {
  const applyLike = controls.filter(([el, k]) => (k === "button" || k === "link") && W.apply.test(wordsOf(el)) &&
    !isCredit(wordsOf(el))).map(([el]) => el);
  const applyFor = new Map();
  const preSet = new Set(controls.filter(([el]) => !tipOnly(el)).map(([el]) => el));
  for (const b of applyLike) {
    const row = b.parentElement;
    if (!row || norm(row.textContent).length > 300) continue;
    if (row.querySelector("input[type=text], input:not([type]), input[type=search], input[type=number]")) continue;
    const inRow = [...row.querySelectorAll("input, select, button, a[href], [role]")].filter((x) => x !== b && preSet.has(x));
    if (inRow.length === 1 && !applyLike.includes(inRow[0])) applyFor.set(b, inRow[0]);
  }
  return { applyFor, applyOf: new Map([...applyFor].map(([b, c]) => [c, b])), companion: new Set(applyLike) };
}
// How many choices each element holds (itself included): one walk up from each choice, so "does this box hold
// another choice" is a lookup, not a search of the page.
function choiceIndex(controls, applyFor) {
  const choiceEls = [...new Set(controls.filter(([el]) => !tipOnly(el) && !applyFor.has(el))
    .map(([el]) => (el.tagName === "OPTION" ? el.closest("select") : el)).filter(Boolean))];
  const count = new Map();
  for (const c of choiceEls) for (let x = c; x; x = up(x)) count.set(x, (count.get(x) || 0) + 1);
  return { count, set: new Set(choiceEls) };
}
function holdsChoice(el) { return choices.count.has(el); }
function insideChoice(el) { for (let x = up(el); x; x = up(x)) if (choices.set.has(x)) return true; return false; }

// <label for=ID> from one index of the page's labels (el.labels searches the whole document each time).
function labelIndex(all) {
  const out = new Map();
  for (const el of all) if (el.tagName === "LABEL" && el.htmlFor) {
    const list = out.get(el.htmlFor) || [];
    list.push(el); out.set(el.htmlFor, list);
  }
  return out;
}
function labelsOf(el) {
  const out = [];
  const lb = el.getAttribute("aria-labelledby");
  if (lb) for (const id of lb.split(/\s+/)) { const t = byId(el, id); if (t) out.push(t); }
  const labelable = /^(INPUT|BUTTON|SELECT|TEXTAREA|METER|OUTPUT|PROGRESS)$/.test(el.tagName) && el.type !== "hidden";
  if (labelable && el.id)
    for (const l of labelsFor.get(el.id) || []) if (!out.includes(l) && rootOf(l) === rootOf(el)) out.push(l);
  const wrap = el.closest("label");
  if (wrap && !out.includes(wrap)) out.push(wrap);
  return out;
}
// The accessible name, as a shopper reads it.
function nameOf(el, kind, labels) {
  const lb = el.getAttribute("aria-labelledby");
  if (lb) {
    const parts = lb.split(/\s+/).map((id) => byId(el, id)).filter(Boolean).map((t) => norm(t.textContent));
    if (parts.join("")) return parts.join(" ");
  }
  if (el.getAttribute("aria-label")) return norm(el.getAttribute("aria-label"));
  if (labels.length) return norm(labels.map((l) => textOf(l)).join(" "));
  if (kind === "option") return norm(el.label || el.textContent);
  if (el.tagName !== "INPUT") return norm(el.textContent);
  // A button input shows its value; a radio's or checkbox's value is never shown (it may be a redeem code).
  if (kind === "button") return norm(el.value || el.title || "");
  return norm(el.title || "");
}
// The box around a choice that holds no other choice: its tile, where its description and balance are written.
// A table row is a whole item: the tile of a choice in a row is that row at most, never the table of totals around it.
function tileOf(el) {
  let tile = null;
  const mine = choices.count.get(el) || 0;
  for (let a = up(el), depth = 0; a && a !== document.body && a !== document.documentElement && depth < 6; a = up(a), depth++) {
    if ((choices.count.get(a) || 0) > mine) break;
    if (norm(a.textContent).length > 400) break;
    tile = a;
    if (a.tagName === "TR") break;
  }
  return tile;
}
function checkedOf(el, kind) {
  if (kind === "radio" || kind === "checkbox" || (kind === "switch" && el.tagName === "INPUT")) return el.checked;
  if (kind === "option") return el.selected;
  return ["aria-checked", "aria-selected", "aria-pressed"].some((a) => el.getAttribute(a) === "true");
}

const all = allElements();
const { controls, removers } = sortControls(all);
const { applyFor, applyOf, companion } = applyButtons(controls);
const choices = choiceIndex(controls, applyFor);
const labelsFor = labelIndex(all);
