// The scanner's options: each control named like credit, described as ScannedOption (probe/detect/scanned.py) reads it.
// A piece of the scanner's body (probe/detect/scan.py joins the pieces inside one function of `vocab`).

// Values of the inputs behind credit options that read like codes: masked wherever report text could show them.
const secrets = new Set();
function noteSecrets(el) {
  const v = el.tagName === "INPUT" && !/^(submit|button|reset)$/i.test(el.type) ? norm(el.value) : "";
  if (v && v.length <= 200 && W.secret.test(v)) secrets.add(v);
}
// How the control's credit words were found: in its own name, or in the tile around a generic name; null: no credit.
function matchedBy(el, kind, name, tileText) {
  if (isCredit(name)) return "name";
  const generic = name.length < 30 && !W.otherMethod.test(name);
  // An <option> speaks for itself: its list's other options are not its words.
  const tileKind = kind !== "option" && (kind !== "link" || companion.has(el));
  if (generic && tileText.length < 250 && isCredit(tileText) && tileKind) return "tile";
  return generic && tileKind && accountRow(el) ? "table" : null;
}
// The row of a table of accounts a choice sits in: the table's column headings name a balance and the row shows
// money ("Account | Balance" and a Select button per account), or null.
function accountRow(el) {
  const tr = el.closest("tr");
  const table = tr && tr.closest("table");
  if (!table || !W.money.test(textOf(tr))) return null;
  const heads = [...table.querySelectorAll("th")].filter((th) => !contains(tr, th)).map((th) => textOf(th)).join(" | ");
  return W.accountHead.test(heads) ? tr : null;
}
// The account's name in its row: the first cell that is neither the control's own nor only an amount of money.
function accountName(el, row) {
  const own = el.closest("td, th");
  const cell = [...row.cells].find((c) => c !== own && !contains(c, el) && textOf(c) && textOf(c).replace(W.money, "").trim());
  return cell ? textOf(cell) : "";
}
// The name a shopper reads when the control has none of its own, or is a bare "Use" / "Select" in a credit's row.
function nameFromTile(el, name, by, tile) {
  if (!name && tile) {
    const lines = linesOf(tile);
    name = lines.find((l) => isCredit(l) && l.length <= 80) || lines[0] || "";
  }
  if (by === "table") return accountName(el, accountRow(el)) || name;
  if (by === "tile" && companion.has(el) && tile) {
    const line = linesOf(tile).find((l) => isCredit(l) && l.length <= 120);
    const own = wordsOf(el);
    if (line) name = norm(line.endsWith(own) ? line.slice(0, line.length - own.length) : line) || line;
  }
  return name;
}
// Why the option is not shown (null when shown), judged on what the shopper sees: the control, or its label or tile.
function hiddenWhy(el, kind, visual, hidden) {
  let why = visibleWhy(visual);
  if (!why && kind === "option" && (el.hidden || getComputedStyle(el).display === "none")) why = "option hidden in its list";
  if (!why && hidden && visual === el) why = "the control is visually hidden and has no visible label or tile";
  return why;
}
// What the page says beside the option: aria-describedby, a title or tooltip, helper lines in its tile and after it.
function sayings(el, labels, tile, visual, name) {
  const describedIds = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  const described = norm(describedIds.map((id) => byId(el, id)).filter(Boolean).map((d) => d.textContent).join(" "));
  const titled = ancestorWith(el, (a) => a === tile ? false : !!(a.getAttribute && (a.getAttribute("title") || a.getAttribute("data-tooltip") || a.getAttribute("data-tip") || a.getAttribute("data-bs-original-title"))));
  // A "Learn why" / "?" button beside the option that carries the tooltip text in a data attribute.
  const tipHolder = tile && [...tile.querySelectorAll(TIP_ATTRS.map((a) => `[${a}]`).join(", "))]
    .find((x) => x !== el && !contains(x, el) && visibleWhy(x) === null);
  let title = "";
  for (const t of [el, ...labels, ...(tile ? [tile] : []), ...(titled ? [titled] : []), ...(tipHolder ? [tipHolder] : [])]) {
    const v = t.getAttribute && (t.getAttribute("title") || TIP_ATTRS.map((a) => t.getAttribute(a)).find(Boolean));
    if (v) { title = norm(v); break; }
  }
  const tipEl = tile && tile.querySelector('[role="tooltip"], .tooltip, .tooltiptext, .tooltip-text');
  const helpers = [];
  const nameNorm = norm(labels.map((l) => l.textContent).join(" ")) || name;
  if (tile) {
    for (const leaf of tile.querySelectorAll("small, p, span, div, em, i, .description, .note, .help, .hint")) {
      if (leaf.children.length > 2 || labels.some((l) => contains(l, leaf) || contains(leaf, l)) || contains(leaf, el) || leaf === tipEl || (tipEl && contains(tipEl, leaf))) continue;
      const t = textOf(leaf);
      if (t && t.length < 220 && !helpers.includes(t) && t !== nameNorm && !nameNorm.includes(t) && visibleWhy(leaf) === null) helpers.push(t);
    }
  }
  const after = [];
  // The rows after a table row are other items (the totals, the next account), not this option's words.
  const rowTile = !!tile && tile.tagName === "TR";
  for (let s = rowTile ? null : (tile || visual).nextElementSibling, n = 0; s && n < 2; s = s.nextElementSibling, n++) {
    if (holdsChoice(s)) break;
    const t = textOf(s);
    if (t && t.length < 220 && visibleWhy(s) === null) after.push(t);
  }
  return { described, title: title || (tipEl ? norm(tipEl.textContent) : ""), helpers, after };
}
// What the page marks as disabled, each with where it sits (null when not).
function disabledMarks(el, kind, select) {
  const fieldset = el.closest("fieldset[disabled]");
  let fieldsetDisabled = null;
  if (fieldset) {
    const legend = fieldset.querySelector(":scope > legend");
    const inLegend = legend && contains(legend, el);
    if (!inLegend && (el.matches(":disabled") || !/^(INPUT|SELECT|BUTTON|OPTION|TEXTAREA)$/.test(el.tagName)))
      fieldsetDisabled = desc(fieldset);
  }
  const aria = ancestorWith(el, (a) => a.getAttribute && a.getAttribute("aria-disabled") === "true");
  const inert = ancestorWith(el, (a) => a.inert || (a.hasAttribute && a.hasAttribute("inert")));
  return {
    native_disabled: el.hasAttribute("disabled") && el.matches(":disabled"),
    fieldset_disabled: fieldsetDisabled,
    aria_disabled: aria ? (aria === el ? "on the control" : `on ${desc(aria)}${aria.getAttribute("role") ? " role=" + aria.getAttribute("role") : ""}`) : null,
    inert: inert ? desc(inert) : null,
    option_disabled: kind === "option" ? el.disabled || !!el.closest("optgroup[disabled]") : false,
    select_disabled: select ? select.disabled : false,
  };
}
// How the option looks: faded, greyed, not clickable, a not-allowed cursor, class names that say disabled.
function looks(el, visual, tile) {
  const cls = ancestorWith(visual, (a) => a === tile || a === visual || a === el ? W.disabledClass.test(typeof a.className === "string" ? a.className : "") : false);
  const vcs = getComputedStyle(visual);
  const ccs = getComputedStyle(el);
  return {
    opacity: Math.round(effectiveOpacity(visual) * 100) / 100,
    pointer_events: vcs.pointerEvents === "none" || ccs.pointerEvents === "none",
    grayscale: filterGrey(visual),
    cursor: vcs.cursor === "not-allowed" || ccs.cursor === "not-allowed" ? "not-allowed" : null,
    disabled_class: cls ? desc(cls) : null,
  };
}
// One credit option: its data for ScannedOption and its elements by name, or a decoy's description, or null.
function describeOption(el, kind) {
  const labels = labelsOf(el);
  let name = nameOf(el, kind, labels);
  const select = kind === "option" ? el.closest("select") : null;
  const tile = tileOf(select || el);
  const tileText = tile ? textOf(tile) : "";
  noteSecrets(el);
  const by = matchedBy(el, kind, name, tileText);
  if (!by) return null;
  name = nameFromTile(el, name, by, tile);
  if (isDecoy(name) || (by !== "name" && isDecoy(tileText))) return { decoy: `${kind} "${name.slice(0, 60)}"` };
  const hrefRaw = el.tagName === "A" ? el.getAttribute("href") || "" : "";
  const safeLink = !hrefRaw || hrefRaw.startsWith("#") || hrefRaw.startsWith("javascript:");
  // A link to another page (an account page, "Gift card & credit balance" in the nav) is navigation, not payment.
  if (kind === "link" && !safeLink) return { decoy: `navigation link "${name.slice(0, 60)}"` };
  // The credit's own apply / use / select button beside it, pressed to hear the store's answer.
  const applyEl = applyOf.has(el) && visibleWhy(applyOf.get(el)) === null ? applyOf.get(el) : null;
  const hidden = kind !== "option" && visuallyHidden(el);
  const visibleLabels = labels.filter((l) => visibleWhy(l) === null);
  const visual = select || (hidden ? visibleLabels[0] || tile || el : el);
  const said = sayings(el, labels, tile, visual, name);
  const boxEls = tile ? [tile] : [visual, ...visibleLabels, ...(hidden ? [] : [el])];
  const item = {
    kind,
    tag: el.tagName.toLowerCase(),
    role: (el.getAttribute("role") || "").toLowerCase(),
    type: (el.getAttribute("type") || "").toLowerCase(),
    name: name.slice(0, 200),
    matched_by: by,
    match_text: (by === "name" ? name : tileText).slice(0, 300),
    tile_text: tileText.slice(0, 300),
    checked: !!checkedOf(el, kind),
    invisible: hiddenWhy(el, kind, visual, hidden),
    ...disabledMarks(el, kind, select),
    ...looks(el, visual, tile),
    described: said.described,
    title: said.title,
    helpers: said.helpers.concat(said.after).slice(0, 6),
    balance: moneyIn(name) || moneyIn(tileText) || moneyIn(said.described) || moneyIn(said.after.join(" ")),
    submit_like: submitsForm(el),
    apply: applyEl ? wordsOf(applyEl).slice(0, 60) : null,
    apply_submits: !!applyEl && submitsForm(applyEl),
    safe_link: kind !== "link" || safeLink,
    box: rectOf(boxEls),
  };
  const elements = { control: el, target: select || (hidden ? visual : el), select, tile: tile || visual, apply: applyEl };
  return { item, elements };
}
// Every credit option on the page, one per choice: a control nested inside another credit control is dropped.
function scanOptions() {
  const found = [];
  const decoys = [];
  for (const [el, kind] of controls) {
    if (applyFor.has(el)) continue;
    const one = describeOption(el, kind);
    if (one && one.decoy) decoys.push(one.decoy);
    else if (one) found.push(one);
  }
  const own = new Set(found.map((f) => f.elements.control));
  const kept = found.filter((f) => { for (let x = up(f.elements.control); x; x = up(x)) if (own.has(x)) return false; return true; });
  return { items: kept.map((f) => f.item), elements: kept.map((f) => f.elements), decoys };
}
