// One pass over a frame's document (open shadow roots included): the credit options and what they look like.
(opts) => {
  const rx = (p) => new RegExp(p, "i");
  const credit = opts.credit.map(rx);
  const decoy = opts.decoy.map(rx);
  const reasonRe = rx(opts.reason);
  const appliedRe = rx(opts.applied);
  const noMethodsRe = rx(opts.noMethods);
  const moneyRe =
    /([-\u2212]\s?|\u2013(?=\S))?((?:[$\u20ac\u00a3\u00a5\u20b9]|USD|EUR|GBP|CAD|AUD)\s?\d[\d.,]*\d|\d[\d.,]*\s?(?:\u20ac|\u00a3|USD|EUR|GBP|kr))/i;
  const pointsRe = /()(\d[\d,]*\s+(?:reward\s+)?points)/i;
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const isCredit = (t) => credit.some((r) => r.test(t));
  const isDecoy = (t) => decoy.some((r) => r.test(t));
  // Text with decoy phrases removed: "Store credit can't pay; use a credit or debit card" still names store credit.
  const stripDecoys = (t) => decoy.reduce((s, r) => s.replace(new RegExp(r.source, "gi"), " "), t);
  const up = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;
  const contains = (a, b) => {
    for (let x = b; x; x = up(x)) if (x === a) return true;
    return false;
  };
  const desc = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const cls = typeof el.className === "string" ? el.className.trim().split(/\s+/).slice(0, 2) : [];
    if (cls.length && cls[0]) s += "." + cls.join(".");
    return s;
  };
  const rootOf = (el) => el.getRootNode();
  const byId = (el, id) => {
    const root = rootOf(el);
    return (root.getElementById ? root.getElementById(id) : null) || document.getElementById(id);
  };
  const textOf = (el) => norm(el.innerText !== undefined && el.isConnected ? el.innerText || el.textContent : el.textContent);

  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);

  const CHOICE_ROLES = /^(radio|option|switch|checkbox|menuitemradio|menuitemcheckbox|button|link|tab)$/;
  const kindOf = (el) => {
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
  };
  // "Remove store credit", "×" next to an applied credit: a way to undo credit already in use, never an option to try.
  const removeRe = /^\s*(remove|delete|cancel|clear|undo|discard)\b/i;
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
    if ((k === "button" || k === "link") && removeRe.test(words) && (isCredit(words) || rowNamesCredit)) removers.push([el, words]);
    else controls.push([el, k]);
  }
  // A "Learn why" / "?" button that only shows a tooltip is part of its option's tile, not another choice.
  const tipAttrs = ["data-tooltip", "data-tip", "data-bs-original-title", "data-original-title", "data-bs-title", "data-tooltip-content"];
  const tipOnly = (el) => tipAttrs.some((a) => el.hasAttribute(a)) &&
    /^(learn (why|more)|why\??|more info|details|info|help|\?|i)?$/i.test(norm(el.getAttribute("aria-label") || el.textContent));
  // A credit's own apply / use / select / redeem button ("Select", "Apply?") belongs to its row: it is the way to try
  // the credit, not another choice that would end the row.
  const applyRe = /^\s*(apply|use|select|redeem|choose|add)\b[^.]{0,24}$/i;
  const wordsOf = (el) => norm(el.getAttribute("aria-label") || el.textContent || (el.tagName === "INPUT" ? el.value : "") || "");
  const applyLike = controls.filter(([el, k]) => (k === "button" || k === "link") && applyRe.test(wordsOf(el)) &&
    !isCredit(wordsOf(el))).map(([el]) => el);
  // It belongs to the one choice in its own row (the parent of the button holds exactly that choice, and no box to
  // type a code into); elsewhere it is a choice of its own ("Store credit £30.00 [Use]", a code form's Apply).
  const applyFor = new Map();
  {
    const pre = controls.filter(([el]) => !tipOnly(el)).map(([el]) => el);
    const preSet = new Set(pre);
    for (const b of applyLike) {
      const row = b.parentElement;
      if (!row || norm(row.textContent).length > 300) continue;
      if (row.querySelector("input[type=text], input:not([type]), input[type=search], input[type=number]")) continue;
      const inRow = [...row.querySelectorAll("input, select, button, a[href], [role]")].filter((x) => x !== b && preSet.has(x));
      if (inRow.length === 1 && !applyLike.includes(inRow[0])) applyFor.set(b, inRow[0]);
    }
  }
  const companion = new Set(applyLike);
  const choiceEls = [...new Set(controls.filter(([el]) => !tipOnly(el) && !applyFor.has(el))
    .map(([el]) => (el.tagName === "OPTION" ? el.closest("select") : el)).filter(Boolean))];
  const applyOf = new Map([...applyFor].map(([b, c]) => [c, b]));
  // How many choices each element holds (itself included): one walk up from each choice, so "does this box hold
  // another choice" is a lookup, not a search of the page.
  const choiceCount = new Map();
  const choiceSet = new Set(choiceEls);
  for (const c of choiceEls) for (let x = c; x; x = up(x)) choiceCount.set(x, (choiceCount.get(x) || 0) + 1);
  const holdsChoice = (el) => choiceCount.has(el);
  const insideChoice = (el) => { for (let x = up(el); x; x = up(x)) if (choiceSet.has(x)) return true; return false; };

  const labelsFor = new Map();
  for (const el of all) if (el.tagName === "LABEL" && el.htmlFor) {
    const list = labelsFor.get(el.htmlFor) || [];
    list.push(el); labelsFor.set(el.htmlFor, list);
  }
  const labelsOf = (el) => {
    const out = [];
    const lb = el.getAttribute("aria-labelledby");
    if (lb) for (const id of lb.split(/\s+/)) { const t = byId(el, id); if (t) out.push(t); }
    // <label for=ID> from one index of the page's labels (el.labels searches the whole document each time).
    const labelable = /^(INPUT|BUTTON|SELECT|TEXTAREA|METER|OUTPUT|PROGRESS)$/.test(el.tagName) && el.type !== "hidden";
    if (labelable && el.id)
      for (const l of labelsFor.get(el.id) || []) if (!out.includes(l) && rootOf(l) === rootOf(el)) out.push(l);
    const wrap = el.closest("label");
    if (wrap && !out.includes(wrap)) out.push(wrap);
    return out;
  };
  const nameOf = (el, kind, labels) => {
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
  };
  const tileOf = (el, labels) => {
    const own = [el, ...labels];
    let tile = null;
    const mine = choiceCount.get(el) || 0;
    for (let a = up(el), depth = 0; a && a !== document.body && a !== document.documentElement && depth < 6; a = up(a), depth++) {
      if ((choiceCount.get(a) || 0) > mine) break;
      if (norm(a.textContent).length > 400) break;
      tile = a;
    }
    return tile;
  };
  // What hides an element from above, remembered per element so that each ancestor is looked at once per scan.
  const hiddenMemo = new Map();
  const hiddenAbove = (el) => {
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
  };
  const visibleWhy = (el) => {
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
  };
  const visuallyHidden = (el) => {
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return (
      parseFloat(cs.opacity) < 0.05 ||
      r.width <= 2 || r.height <= 2 ||
      /rect\(\s*0/.test(cs.clip) || /inset\(\s*50%/.test(cs.clipPath) || cs.display === "none"
    );
  };
  const effectiveOpacity = (el) => {
    let o = 1;
    for (let a = el; a; a = up(a)) o *= parseFloat(getComputedStyle(a).opacity || "1");
    return o;
  };
  const filterGrey = (el) => {
    for (let a = el; a; a = up(a)) {
      const f = getComputedStyle(a).filter || "";
      const m = f.match(/grayscale\(([\d.]+)\)/) || f.match(/saturate\((0(?:\.[0-3]\d*)?)\)/);
      if (m && (f.includes("grayscale") ? parseFloat(m[1]) >= 0.5 : true)) return `${f} on ${desc(a)}`;
    }
    return null;
  };
  const ancestorWith = (el, test) => {
    for (let a = el; a; a = up(a)) if (test(a)) return a;
    return null;
  };
  const checkedOf = (el, kind) => {
    if (kind === "radio" || kind === "checkbox" || (kind === "switch" && el.tagName === "INPUT")) return el.checked;
    if (kind === "option") return el.selected;
    return ["aria-checked", "aria-selected", "aria-pressed"].some((a) => el.getAttribute(a) === "true");
  };
  const moneyIn = (t) => {
    const m = (t || "").match(moneyRe) || (t || "").match(pointsRe);
    return m ? norm(m[2]) : null;
  };
  const rectOf = (els) => {
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    for (const e of els) {
      const r = e.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      x1 = Math.min(x1, r.left); y1 = Math.min(y1, r.top); x2 = Math.max(x2, r.right); y2 = Math.max(y2, r.bottom);
    }
    return x1 === Infinity ? null : [x1, y1, x2 - x1, y2 - y1];
  };

  // Values of the inputs behind credit options that read like codes: masked wherever report text could show them.
  const secretRe = /^(?=(?:.*\d){2})(?=.*[A-Za-z]).{6,}$|^[\d -]{8,}$|@/;
  const secrets = new Set();
  const noteSecrets = (el) => {
    const v = el.tagName === "INPUT" && !/^(submit|button|reset)$/i.test(el.type) ? norm(el.value) : "";
    if (v && v.length <= 200 && secretRe.test(v)) secrets.add(v);
  };
  const items = [];
  const elements = [];
  const decoys = [];
  for (const [el, kind] of controls) {
    if (applyFor.has(el)) continue;
    const labels = labelsOf(el);
    let name = nameOf(el, kind, labels);
    const select = kind === "option" ? el.closest("select") : null;
    const anchor = select || el;
    const tile = tileOf(anchor, labels);
    const tileText = tile ? textOf(tile) : "";
    noteSecrets(el);
    let matchedBy = "name";
    if (!isCredit(name)) {
      const generic = name.length < 30 && !/\b(card|paypal|cash on|bank|invoice|klarna|apple|google|visa|mastercard|amex|sepa)\b/i.test(name);
      // An <option> speaks for itself: its list's other options are not its words.
      const tileKind = kind !== "option" && (kind !== "link" || companion.has(el));
      if (generic && tileText.length < 250 && isCredit(tileText) && tileKind) matchedBy = "tile";
      else continue;
    }
    // A control with no words of its own (an empty <label for>, an icon radio) takes the tile's credit line as its name.
    if (!name && tile) {
      const lines = (tile.innerText || tile.textContent || "").split("\n").map(norm).filter(Boolean);
      name = lines.find((l) => isCredit(l) && l.length <= 80) || lines[0] || "";
    }
    // A bare "Use" / "Select" / "Apply?" is named by its row, as the shopper reads it: "Store credit £30.00 [Use]".
    if (matchedBy === "tile" && companion.has(el) && tile) {
      const lines = (tile.innerText || tile.textContent || "").split("\n").map(norm).filter(Boolean);
      const line = lines.find((l) => isCredit(l) && l.length <= 120);
      const own = wordsOf(el);
      if (line) name = norm(line.endsWith(own) ? line.slice(0, line.length - own.length) : line) || line;
    }
    // The credit's own apply / use / select button beside it, pressed to hear the store's answer.
    const applyEl = applyOf.has(el) && visibleWhy(applyOf.get(el)) === null ? applyOf.get(el) : null;
    const hay = matchedBy === "tile" ? tileText : name;
    if (isDecoy(name) || (matchedBy === "tile" && isDecoy(tileText))) {
      decoys.push(`${kind} "${name.slice(0, 60)}"`);
      continue;
    }
    const form = el.form || el.closest("form");
    const submitLike =
      (el.tagName === "BUTTON" && (el.getAttribute("type") || "submit").toLowerCase() === "submit" && !!form) ||
      (el.tagName === "INPUT" && el.type === "submit");
    const hrefRaw = el.tagName === "A" ? el.getAttribute("href") || "" : "";
    const safeLink = !hrefRaw || hrefRaw.startsWith("#") || hrefRaw.startsWith("javascript:");
    // A link to another page (an account page, "Gift card & credit balance" in the nav) is navigation, not payment.
    if (kind === "link" && !safeLink) {
      decoys.push(`navigation link "${name.slice(0, 60)}"`);
      continue;
    }
    const hidden = kind !== "option" && visuallyHidden(el);
    const visibleLabels = labels.filter((l) => visibleWhy(l) === null);
    const visual = select || (hidden ? visibleLabels[0] || tile || el : el);
    let why = visibleWhy(visual);
    if (!why && kind === "option" && (el.hidden || getComputedStyle(el).display === "none")) why = "option hidden in its list";
    if (!why && hidden && visual === el) why = "the control is visually hidden and has no visible label or tile";
    const describedIds = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    const described = norm(describedIds.map((id) => byId(el, id)).filter(Boolean).map((d) => d.textContent).join(" "));
    const titled = ancestorWith(el, (a) => a === tile ? false : !!(a.getAttribute && (a.getAttribute("title") || a.getAttribute("data-tooltip") || a.getAttribute("data-tip") || a.getAttribute("data-bs-original-title"))));
    // A "Learn why" / "?" button beside the option that carries the tooltip text in a data attribute.
    const tipHolder = tile && [...tile.querySelectorAll(tipAttrs.map((a) => `[${a}]`).join(", "))]
      .find((x) => x !== el && !contains(x, el) && visibleWhy(x) === null);
    const titleFrom = [el, ...labels, ...(tile ? [tile] : []), ...(titled ? [titled] : []), ...(tipHolder ? [tipHolder] : [])];
    let title = "";
    for (const t of titleFrom) {
      const v = t.getAttribute && (t.getAttribute("title") || tipAttrs.map((a) => t.getAttribute(a)).find(Boolean));
      if (v) { title = norm(v); break; }
    }
    const tipEl = tile && tile.querySelector('[role="tooltip"], .tooltip, .tooltiptext, .tooltip-text');
    const tooltip = tipEl ? norm(tipEl.textContent) : "";
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
    for (let s = (tile || visual).nextElementSibling, n = 0; s && n < 2; s = s.nextElementSibling, n++) {
      if (holdsChoice(s)) break;
      const t = textOf(s);
      if (t && t.length < 220 && visibleWhy(s) === null) after.push(t);
    }
    const fieldset = el.closest("fieldset[disabled]");
    let fieldsetDisabled = null;
    if (fieldset) {
      const legend = fieldset.querySelector(":scope > legend");
      const inLegend = legend && contains(legend, el);
      if (!inLegend && (el.matches(":disabled") || !/^(INPUT|SELECT|BUTTON|OPTION|TEXTAREA)$/.test(el.tagName)))
        fieldsetDisabled = desc(fieldset);
    }
    const ariaDis = ancestorWith(el, (a) => a.getAttribute && a.getAttribute("aria-disabled") === "true");
    const inert = ancestorWith(el, (a) => a.inert || (a.hasAttribute && a.hasAttribute("inert")));
    const cls = ancestorWith(visual, (a) => a === tile || a === visual || a === el ? /(^|[\s_-])(disabled|is-disabled|unavailable|inactive)(\s|$)/i.test(typeof a.className === "string" ? a.className : "") : false);
    const vcs = getComputedStyle(visual);
    const ccs = getComputedStyle(el);
    const boxEls = tile ? [tile] : [visual, ...visibleLabels, ...(hidden ? [] : [el])];
    elements.push([el, select || (hidden ? visual : el), select, tile || visual, applyEl]);
    items.push({
      index: items.length,
      kind,
      tag: el.tagName.toLowerCase(),
      role: (el.getAttribute("role") || "").toLowerCase(),
      type: (el.getAttribute("type") || "").toLowerCase(),
      name: name.slice(0, 200),
      matched_by: matchedBy,
      match_text: hay.slice(0, 300),
      tile_text: tileText.slice(0, 300),
      checked: !!checkedOf(el, kind),
      invisible: why,
      native_disabled: el.hasAttribute("disabled") && el.matches(":disabled") ? true : false,
      fieldset_disabled: fieldsetDisabled,
      aria_disabled: ariaDis ? (ariaDis === el ? "on the control" : `on ${desc(ariaDis)}${ariaDis.getAttribute("role") ? " role=" + ariaDis.getAttribute("role") : ""}`) : null,
      inert: inert ? desc(inert) : null,
      option_disabled: kind === "option" ? el.disabled || !!el.closest("optgroup[disabled]") : false,
      select_disabled: select ? select.disabled : false,
      opacity: Math.round(effectiveOpacity(visual) * 100) / 100,
      pointer_events: vcs.pointerEvents === "none" || ccs.pointerEvents === "none",
      grayscale: filterGrey(visual),
      cursor: vcs.cursor === "not-allowed" || ccs.cursor === "not-allowed" ? "not-allowed" : null,
      disabled_class: cls ? desc(cls) : null,
      described,
      title: title || tooltip,
      helpers: helpers.concat(after).slice(0, 6),
      balance: moneyIn(name) || moneyIn(tileText) || moneyIn(described) || moneyIn(after.join(" ")),
      submit_like: submitLike,
      apply: applyEl ? wordsOf(applyEl).slice(0, 60) : null,
      apply_submits: !!applyEl && ((applyEl.tagName === "BUTTON" && (applyEl.getAttribute("type") || "submit").toLowerCase() === "submit" && !!(applyEl.form || applyEl.closest("form"))) || (applyEl.tagName === "INPUT" && applyEl.type === "submit")),
      safe_link: kind !== "link" || safeLink,
      box: rectOf(boxEls),
    });
  }

  // One option per choice: drop a control nested inside another credit control (a hidden input in an ARIA tile).
  const itemEls = new Set(elements.map(([el]) => el));
  const keep = elements.map(([el]) => { for (let x = up(el); x; x = up(x)) if (itemEls.has(x)) return false; return true; });
  const keptItems = items.filter((_, i) => keep[i]).map((it, i) => ({ ...it, index: i }));
  const keptEls = elements.filter((_, i) => keep[i]);
  items.length = 0; items.push(...keptItems);
  elements.length = 0; elements.push(...keptEls);

  // Words of credit outside any control: store-applied totals lines, header balances, notices.
  const texts = [];
  for (const [el, words] of removers) {
    if (visibleWhy(el) !== null) continue;
    // The row holding the remover names the credit in use and usually its amount.
    let row = el.parentElement;
    for (let n = 0; row && n < 3 && !moneyRe.test(textOf(row)); n++) row = row.parentElement;
    const rowText = row ? textOf(row).replace(/\s*[\u00d7\u2715]\s*/g, " ") : "";
    const m = rowText.length < 160 ? rowText.match(moneyRe) : null;
    texts.push({ kind: "applied", text: m ? rowText : words, balance: m ? norm(m[2]) : null,
                 box: rectOf([m && row ? row : el]), remover: words });
  }
  const leafTexts = [];
  const LEAF_RAW_MAX = 2000;
  // Every credit pattern holds one of these words; a text without any of them names no credit.
  const creditWord = /credit|balance|cash|funds|wallet|points|reward|loyalty|guthaben|avoir|cr[\u00e9e]dit|payment/i;
  for (const el of all) {
    if (/^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT|OPTION|SELECT)$/.test(el.tagName)) continue;
    // Cheap first: a box whose raw text is long is no leaf, and only texts of credit or of missing payment methods
    // are kept (innerText lays the page out; textContent only reads it).
    const raw = el.textContent || "";
    if (raw.length > LEAF_RAW_MAX || !(creditWord.test(raw) || isCredit(raw) || noMethodsRe.test(norm(raw)))) continue;
    if (holdsChoice(el) || insideChoice(el)) continue;
    const t = textOf(el);
    if (!t || t.length > 160) continue;
    if (el.children.length && [...el.children].some((c) => textOf(c) === t)) continue;
    if (holdsChoice(el) || insideChoice(el)) continue;
    if (visibleWhy(el) !== null) continue;
    leafTexts.push([el, t]);
  }
  const kinded = [];
  for (const [el, t] of leafTexts) {
    if (!isCredit(t) && !noMethodsRe.test(t)) continue;
    const inHeader = !!ancestorWith(el, (a) => a.tagName === "HEADER" || a.tagName === "NAV" || (a.getAttribute && a.getAttribute("role") === "banner"));
    const m = t.match(moneyRe);
    const negative = !!(m && m[1]);
    let kind;
    if (noMethodsRe.test(t)) kind = "no_methods";
    else if (isDecoy(t) && !isCredit(stripDecoys(t))) continue;
    else if ((negative && !inHeader) || appliedRe.test(t)) kind = "applied";
    else if (reasonRe.test(t)) kind = "notice";
    else if (m) kind = inHeader ? "header_balance" : "balance_mention";
    else kind = "mention";
    kinded.push({ el, kind, text: t, balance: m ? norm(m[2]) : null });
  }
  // A text that holds another text of its kind gives way to it: mark each text's ancestors once.
  const holdsKind = new Map();
  for (const k of kinded) for (let x = up(k.el); x; x = up(x)) {
    const kinds = holdsKind.get(x) || new Set();
    if (kinds.has(k.kind)) break;
    kinds.add(k.kind); holdsKind.set(x, kinds);
  }
  for (const k of kinded) {
    if ((holdsKind.get(k.el) || new Set()).has(k.kind)) continue;
    texts.push({ kind: k.kind, text: k.text, balance: k.balance, box: k.kind === "applied" ? rectOf([k.el]) : null });
  }
  const codeBoxes = all.filter((el) => el.tagName === "INPUT" && /^(text|search|)$/.test(el.type || "") && visibleWhy(el) === null)
    .map((el) => norm([el.placeholder, el.getAttribute("aria-label"), ...(el.labels ? [...el.labels].map((l) => l.textContent) : []), el.name].join(" ")))
    .filter((t) => /gift|code|coupon|voucher|promo/i.test(t));
  const title = norm(document.title);
  const h1 = document.querySelector("h1");
  return {
    data: {
      items,
      texts: texts.slice(0, 20),
      decoys: decoys.slice(0, 10),
      code_boxes: codeBoxes.slice(0, 5),
      secrets: [...secrets].slice(0, 200),
      title,
      heading: h1 ? textOf(h1).slice(0, 120) : "",
      url: location.href,
      scroll: [window.scrollX, window.scrollY],
    },
    elements,
  };
}
