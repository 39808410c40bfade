// Reads the order summary: the total line (its words and one amount), and the item lines of the smallest block
// around it that has any. Returns {rows: [{name, amount, quantity}], total} or null when no summary is shown.
([totalSrc, notItemSrc, labelSrc, moneySrc]) => {
  const totalRe = new RegExp(totalSrc, "i");
  const notItem = new RegExp(notItemSrc, "i");
  const labelNotItem = new RegExp(labelSrc, "i");
  const money = () => new RegExp(moneySrc, "gi");
  const shown = (el) => el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0;
  const textOf = (el) => (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
  const amounts = (text) => text.match(money()) || [];
  const MAX_LINE = 80, MAX_ROW = 300, MAX_CLIMB = 8;
  // Lines as lists and tables mark them, else as their class names them (an item's name inside is no line).
  const ROWS = ["li, tr, [role=row], [role=listitem]", "[class*=item i], [class*=line i], [class*=product i]"];
  const NAMES = "[class*=name i], [class*=title i]";
  const PLAIN = "a, h2, h3, h4, h5, strong, b, p, span, td, div";

  // The total lines: a text that starts with the total words, in an element that also shows one amount.
  const totals = [];
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!totalRe.test(node.nodeValue) || !node.parentElement || notItem.test(node.nodeValue)) continue;
    let el = node.parentElement;
    for (let up = 0; el && up < 3; up += 1, el = el.parentElement) {
      const text = textOf(el);
      if (text.length > MAX_LINE) break;
      if (amounts(text).length === 1) {
        if (shown(el)) totals.push(el);
        break;
      }
    }
  }

  const isRow = (el, total) => {
    if (el.contains(total) || total.contains(el) || !shown(el)) return false;
    // A payment option (a credit with its balance) is chosen, not bought.
    if (el.querySelector("input[type=radio], input[type=checkbox]") || el.matches("[role=radio], [role=checkbox]")) {
      return false;
    }
    const text = textOf(el);
    if (text.length < 3 || text.length > MAX_ROW || notItem.test(text) || totalRe.test(text)) return false;
    const found = amounts(text);
    if (!found.length) return false;
    const last = found[found.length - 1];
    const before = text.slice(0, text.lastIndexOf(last)).trimEnd();
    if (/[-\u2212\u2013]$/.test(before)) return false;
    const label = found.reduce((t, a) => t.replace(a, " "), text);
    if (!/[A-Za-z\u00c0-\u024f]{3}/.test(label) || labelNotItem.test(label)) return false;
    const name = nameOf(el);
    return !labelNotItem.test(amounts(name).reduce((t, a) => t.replace(a, " "), name));
  };
  const nameOf = (row) => {
    for (const el of row.querySelectorAll(NAMES)) {
      const text = textOf(el);
      if (/[A-Za-z\u00c0-\u024f]{3}/.test(text) && text.length <= 200) return text;
    }
    for (const el of row.querySelectorAll(PLAIN)) {
      const text = textOf(el);
      if (/[A-Za-z\u00c0-\u024f]{3}/.test(text) && !amounts(text).length && text.length <= 200) return text;
    }
    return amounts(textOf(row)).reduce((t, a) => t.replace(a, " "), textOf(row)).replace(/[()×]/g, " ");
  };
  const quantityOf = (row) => {
    const field = row.querySelector("input[name*=qty i], input[name*=quantity i], select[name*=qty i], select[name*=quantity i]");
    return field && field.value ? field.value : textOf(row);
  };

  for (const total of totals) {
    let block = total.parentElement;
    for (let up = 0; block && block !== document.body && up < MAX_CLIMB; up += 1, block = block.parentElement) {
      let innermost = [];
      for (const css of ROWS) {
        const rows = Array.from(block.querySelectorAll(css)).filter((el) => isRow(el, total));
        innermost = rows.filter((el) => !rows.some((other) => other !== el && el.contains(other)));
        if (innermost.length) break;
      }
      if (!innermost.length) continue;
      return {
        rows: innermost.map((row) => {
          const found = amounts(textOf(row));
          return { name: nameOf(row), amount: found[found.length - 1], quantity: quantityOf(row) };
        }),
        total: amounts(textOf(total))[0],
      };
    }
  }
  return null;
}
