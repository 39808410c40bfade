// One linear pass over a frame: what it shows that says where the shopper is.
(opts) => {
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const shown = (el) => { const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && el.checkVisibility({ visibilityProperty: true }); };
  const method = new RegExp(opts.method, "i");
  const heading = new RegExp(opts.heading, "i");
  const card = new RegExp(opts.card, "i");
  const order = new RegExp(opts.order, "i");
  const paymentFrame = new RegExp(opts.paymentFrame, "i");
  const signInHeading = new RegExp(opts.signInHeading, "i");
  const out = { payment: [], password: false, sign_in_words: [], empty_words: [] };
  const add = (what) => { if (out.payment.length < 6 && !out.payment.includes(what)) out.payment.push(what); };
  // <label for=ID> indexed once (el.labels searches the whole document on each use).
  const labelsFor = new Map();
  for (const l of document.querySelectorAll("label[for]")) labelsFor.set(l.htmlFor, [...(labelsFor.get(l.htmlFor) || []), l]);
  for (const el of document.querySelectorAll("input, select, iframe")) {
    if (el.tagName === "INPUT" && el.type === "password") { if (shown(el)) out.password = true; continue; }
    if (el.tagName === "IFRAME") {
      const t = [el.title, el.name, el.id, el.getAttribute("src")].join(" ");
      if (card.test(t) || paymentFrame.test(t))
        add(`a payment frame (${norm(el.title || el.name || el.id).slice(0, 40) || "iframe"})`);
      continue;
    }
    const ac = (el.getAttribute("autocomplete") || "").toLowerCase();
    const names = [el.name, el.id, el.getAttribute("placeholder"), el.getAttribute("aria-label"), ac].join(" ");
    if (/\bcc-(number|exp|csc|name)\b/.test(ac) || card.test(names)) { if (shown(el) || el.type === "hidden") add("card details fields"); continue; }
    if (el.type === "radio" || el.type === "checkbox" || el.tagName === "SELECT") {
      const own = (el.id && labelsFor.get(el.id)) || [];
      const wrap = el.closest("label");
      const words = norm([...own, ...(wrap ? [wrap] : [])].map((l) => l.textContent).join(" ") || el.getAttribute("aria-label") ||
        (el.tagName === "SELECT" ? [...el.options].map((o) => o.textContent).join(" ") : el.value));
      if (method.test(words) && words.length < 200) add(`a payment method choice (${words.slice(0, 40)})`);
    }
  }
  for (const el of document.querySelectorAll("[role=radio], [role=option], [role=tab], button, h1, h2, h3, h4, legend, [role=heading]")) {
    const t = norm(el.textContent);
    if (!t || t.length > 120) continue;
    if (/^(H\d|LEGEND)$/.test(el.tagName) || el.getAttribute("role") === "heading") {
      if (heading.test(t) && shown(el)) add(`the heading ${JSON.stringify(t.slice(0, 50))}`);
      if (signInHeading.test(t) && shown(el)) out.sign_in_words.push(t.slice(0, 80));
      continue;
    }
    if (el.tagName === "BUTTON" && order.test(t) && shown(el)) add(`an order button ${JSON.stringify(t.slice(0, 40))}`);
    else if (el.tagName !== "BUTTON" && method.test(t) && shown(el)) add(`a payment method choice (${t.slice(0, 40)})`);
  }
  const body = document.body ? document.body.innerText || "" : "";
  if (new RegExp(opts.noMethods, "i").test(body)) add("the store's notice that no payment method is available");
  const signIn = body.match(new RegExp(opts.signIn, "i"));
  if (signIn) out.sign_in_words.push(norm(signIn[0]).slice(0, 80));
  const empty = body.match(new RegExp(opts.empty, "i"));
  if (empty) out.empty_words.push(norm(empty[0]).slice(0, 80));
  return out;
}
