// Finds the shopper's data on the page by the mask rules, paints a box over each (an overlay of its own, removed
// after the screenshot) and returns the boxes: {kind, rule, box: [x, y, w, h]} in page CSS pixels.
([rules, extra, fullPage, overlayId, colour]) => {
  const found = [];
  const seen = new Set();
  const sx = window.scrollX, sy = window.scrollY, vw = window.innerWidth, vh = window.innerHeight;
  const money = new RegExp(rules.money, "i");
  const shown = (el) => el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0;
  const add = (rect, kind, rule) => {
    if (!rect || rect.width < 1 || rect.height < 1) return;
    if (!fullPage && (rect.bottom <= 0 || rect.top >= vh || rect.right <= 0 || rect.left >= vw)) return;
    const box = [rect.left + sx, rect.top + sy, rect.width, rect.height].map((v) => Math.round(v * 10) / 10);
    const key = `${kind}|${box.join(",")}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ kind, rule, box });
  };
  // An element's box, or only its content's (a block's text, not its full width) where it holds no field.
  const contentBox = (el) => {
    if (el.matches("input, textarea, select, img, svg, canvas") || el.querySelector("input, textarea, select")) {
      return el.getBoundingClientRect();
    }
    const range = document.createRange();
    range.selectNodeContents(el);
    const box = range.getBoundingClientRect();
    return box.width >= 1 && box.height >= 1 ? box : el.getBoundingClientRect();
  };
  const matches = (el, css) => { try { return el.matches(css); } catch (e) { return false; } };
  const all = (css) => { try { return Array.from(document.querySelectorAll(css)); } catch (e) { return []; } };

  // Elements' text (the --mask-selector ones whole), unless they also show money: the text rules cover those.
  for (const rule of [...rules.elements, ...extra]) {
    for (const el of all(rule.css)) {
      if (!shown(el) || (rule.guard !== false && money.test(el.innerText || ""))) continue;
      add(rule.whole ? el.getBoundingClientRect() : contentBox(el), rule.kind, rule.id);
    }
  }

  // What fields hold: by what the field is; never empty fields, numbers, quantities, choices.
  const noValue = new Set(["hidden", "checkbox", "radio", "submit", "button", "image", "file", "range", "color",
    "number", "date", "datetime-local", "month", "week", "time", "reset"]);
  for (const el of all("input, textarea")) {
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (!el.value || !el.value.trim() || noValue.has(type) || !shown(el)) continue;
    if (/qty|quantity/i.test(`${el.name} ${el.id}`)) continue;
    const rule = rules.fields.find((r) => matches(el, r.css));
    if (rule) add(el.getBoundingClientRect(), rule.kind, rule.id);
  }

  // Table cells with a digit in a column named like accounts or codes (money excepted).
  for (const table of all("table")) {
    const headRow = table.querySelector("thead tr") || table.querySelector("tr");
    if (!headRow) continue;
    const heads = Array.from(headRow.children).map((c) => c.innerText || c.textContent || "");
    for (const row of table.querySelectorAll("tr")) {
      if (row === headRow) continue;
      Array.from(row.children).forEach((cell, i) => {
        const text = (cell.innerText || "").trim();
        // A digit, or one upper-case code (generated codes need not hold a digit); money is the shop's.
        const codeLike = /\d/.test(text) || /^[A-Z0-9-]{8,}$/.test(text);
        if (cell.tagName !== "TD" || !codeLike || money.test(text) || !shown(cell)) return;
        const rule = rules.cells.find((r) => new RegExp(r.header, r.flags).test(heads[i] || ""));
        if (!rule) return;
        add(contentBox(cell), rule.kind, rule.id);
      });
    }
  }

  // Visible text, one block per line: each text rule's match (or its group) is boxed exactly.
  const blockOf = new Map();
  const block = (el) => {
    if (blockOf.has(el)) return blockOf.get(el);
    let at = el;
    while (at.parentElement && (getComputedStyle(at).display || "").startsWith("inline")) at = at.parentElement;
    blockOf.set(el, at);
    return at;
  };
  const visibleParent = new Map();
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const parent = node.parentElement;
      if (!parent) return NodeFilter.FILTER_REJECT;
      if (parent.closest("script, style, noscript, template, textarea, select, option")) return NodeFilter.FILTER_REJECT;
      if (!visibleParent.has(parent)) visibleParent.set(parent, shown(parent));
      return visibleParent.get(parent) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
    },
  });
  const nodes = [];
  let text = "";
  let lastBlock = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const here = block(node.parentElement);
    if (lastBlock !== null) text += here === lastBlock ? "" : "\n";
    lastBlock = here;
    nodes.push({ node, start: text.length });
    text += node.nodeValue;
  }
  const at = (index, isEnd) => {
    let lo = 0, hi = nodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (nodes[mid].start < index || (!isEnd && nodes[mid].start === index)) lo = mid; else hi = mid - 1;
    }
    const n = nodes[lo];
    return [n.node, Math.max(0, Math.min(index - n.start, n.node.nodeValue.length))];
  };
  for (const rule of rules.text) {
    let re;
    try { re = new RegExp(rule.pattern, `gd${rule.flags}`); } catch (e) { continue; }
    for (const m of text.matchAll(re)) {
      const [start, end] = (m.indices[1] || m.indices[0]);
      if (end <= start) continue;
      const range = document.createRange();
      try {
        range.setStart(...at(start, false));
        range.setEnd(...at(end, true));
      } catch (e) { continue; }
      for (const rect of range.getClientRects()) add(rect, rule.kind, rule.id);
    }
  }

  const root = document.createElement("div");
  root.id = overlayId;
  root.setAttribute("aria-hidden", "true");
  root.style.cssText = "position:absolute;left:0;top:0;width:0;height:0;z-index:2147483646;pointer-events:none";
  for (const { box } of found) {
    const cover = document.createElement("div");
    cover.style.cssText = `position:absolute;left:${box[0]}px;top:${box[1]}px;width:${box[2]}px;height:${box[3]}px;` +
      `background:${colour}`;
    root.append(cover);
  }
  document.documentElement.appendChild(root);
  return found;
}
