// Finds the shopper's data on the page by the mask rules, paints a box over each (an overlay of its own, removed
// after the screenshot) and returns the boxes: {kind, rule, box: [x, y, w, h]} in page CSS pixels.
// The page's open shadow roots and same-origin frames are searched as the page is; a frame of another origin cannot be
// read from here, so its whole box is masked (by the `frames` row that names it, else as a cross-origin frame) unless
// it is one of `read` (frame elements the driver masked from inside). Run inside such a frame, `shift` is where its
// viewport starts on the top page: boxes are returned there, cut to the frame's viewport.
([rules, extra, fullPage, overlayId, colour, read, shift]) => {
  const found = [];
  const seen = new Set();
  const sx = window.scrollX, sy = window.scrollY, vw = window.innerWidth, vh = window.innerHeight;
  const money = new RegExp(rules.money, "i");
  const shown = (el) => el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0;
  const matches = (el, css) => { try { return el.matches(css); } catch (e) { return false; } };
  const all = (root, css) => { try { return Array.from(root.querySelectorAll(css)); } catch (e) { return []; } };

  // Every place to search: the document, each open shadow root, each same-origin frame's document, with the offset
  // (dx, dy) of its viewport on the main one and the box (clip) it shows through; frames of other origins, masked whole.
  const scopes = [];
  const sealed = [];
  const visit = (root, dx, dy, clip, depth) => {
    scopes.push({ root, dx, dy, clip });
    if (depth > 8) return;
    for (const el of all(root, "*")) {
      if (el.shadowRoot) visit(el.shadowRoot, dx, dy, clip, depth + 1);
      if (el.tagName !== "IFRAME" && el.tagName !== "FRAME") continue;
      let doc = null;
      try { doc = el.contentDocument; } catch (e) { doc = null; }
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const left = r.left + el.clientLeft + (parseFloat(style.paddingLeft) || 0);
      const top = r.top + el.clientTop + (parseFloat(style.paddingTop) || 0);
      const inner = { left: dx + left, top: dy + top, right: dx + left + el.clientWidth, bottom: dy + top + el.clientHeight };
      if (doc && doc.documentElement) visit(doc, dx + left, dy + top, meet(clip, inner), depth + 1);
      else sealed.push({ el, dx, dy, clip });
    }
  };
  const meet = (a, b) => a === null ? b : {
    left: Math.max(a.left, b.left), top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom),
  };

  // A box in its scope's viewport, moved onto the main one and cut to what its frame shows.
  const add = (scope, rect, kind, rule) => {
    if (!rect) return;
    let left = rect.left + scope.dx, top = rect.top + scope.dy;
    let right = left + rect.width, bottom = top + rect.height;
    if (scope.clip) {
      left = Math.max(left, scope.clip.left); top = Math.max(top, scope.clip.top);
      right = Math.min(right, scope.clip.right); bottom = Math.min(bottom, scope.clip.bottom);
    }
    if (right - left < 1 || bottom - top < 1) return;
    if (!fullPage && (bottom <= 0 || top >= vh || right <= 0 || left >= vw)) return;
    const box = [left + (shift ? shift[0] : sx), top + (shift ? shift[1] : sy), right - left, bottom - top].map((v) => Math.round(v * 10) / 10);
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
    const range = el.ownerDocument.createRange();
    range.selectNodeContents(el);
    const box = range.getBoundingClientRect();
    return box.width >= 1 && box.height >= 1 ? box : el.getBoundingClientRect();
  };

  visit(document, 0, 0, shift ? { left: 0, top: 0, right: vw, bottom: vh } : null, 0);

  // Frames of another origin: masked whole, with the kind of the row that names them (a payment provider's card field).
  for (const { el, dx, dy, clip } of sealed) {
    if (!shown(el) || (read || []).includes(el)) continue;
    const rule = rules.frames.find((r) => matches(el, r.css)) || rules.sealed;
    if (!rule) continue;
    add({ dx, dy, clip }, el.getBoundingClientRect(), rule.kind, rule.id);
  }

  for (const scope of scopes) {
    const root = scope.root;
    // Elements' text (the --mask-selector ones whole), unless they also show money: the text rules cover those.
    for (const rule of [...rules.elements, ...extra]) {
      for (const el of all(root, rule.css)) {
        if (!shown(el) || (rule.guard !== false && money.test(el.innerText || ""))) continue;
        add(scope, rule.whole ? el.getBoundingClientRect() : contentBox(el), rule.kind, rule.id);
      }
    }

    // What fields hold: by what the field is; never empty fields, numbers, quantities, choices.
    const noValue = new Set(["hidden", "checkbox", "radio", "submit", "button", "image", "file", "range", "color",
      "number", "date", "datetime-local", "month", "week", "time", "reset"]);
    for (const el of all(root, "input, textarea")) {
      const type = (el.getAttribute("type") || "").toLowerCase();
      if (!el.value || !el.value.trim() || noValue.has(type) || !shown(el)) continue;
      if (/qty|quantity/i.test(`${el.name} ${el.id}`)) continue;
      const rule = rules.fields.find((r) => matches(el, r.css));
      if (rule) add(scope, el.getBoundingClientRect(), rule.kind, rule.id);
    }

    // Table cells with a digit in a column named like accounts or codes (money excepted).
    for (const table of all(root, "table")) {
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
          add(scope, contentBox(cell), rule.kind, rule.id);
        });
      }
    }
    coverText(scope);
  }

  // Visible text of one scope, one block per line: each text rule's match (or its group) is boxed exactly.
  function coverText(scope) {
    const root = scope.root;
    const doc = root.ownerDocument || root;
    const blockOf = new Map();
    const block = (el) => {
      if (blockOf.has(el)) return blockOf.get(el);
      let at = el;
      while (at.parentElement && (getComputedStyle(at).display || "").startsWith("inline")) at = at.parentElement;
      blockOf.set(el, at);
      return at;
    };
    const visibleParent = new Map();
    // Whether an element is, or sits in, one whose text is never shown as text: remembered along the way up, so a
    // deeply nested page is not climbed again for each of its texts.
    const SKIP = "script, style, noscript, template, textarea, select, option";
    const skipOf = new Map();
    const skipped = (el) => {
      const chain = [];
      let at = el;
      for (; at && !skipOf.has(at); at = at.parentElement) {
        if (at.matches(SKIP)) break;
        chain.push(at);
      }
      const skip = at ? (skipOf.has(at) ? skipOf.get(at) : true) : false;
      if (at && !skipOf.has(at)) skipOf.set(at, true);
      for (const x of chain) skipOf.set(x, skip);
      return skip;
    };
    const start = root.nodeType === Node.DOCUMENT_NODE ? (root.body || root.documentElement) : root;
    if (!start) return;
    const walker = doc.createTreeWalker(start, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        const parent = node.parentElement;
        if (!parent) return NodeFilter.FILTER_REJECT;
        if (skipped(parent)) return NodeFilter.FILTER_REJECT;
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
    if (!nodes.length) return;
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
        const [from, to] = (m.indices[1] || m.indices[0]);
        if (to <= from) continue;
        const range = doc.createRange();
        try {
          range.setStart(...at(from, false));
          range.setEnd(...at(to, true));
        } catch (e) { continue; }
        for (const rect of range.getClientRects()) add(scope, rect, rule.kind, rule.id);
      }
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
