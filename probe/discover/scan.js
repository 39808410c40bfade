// One pass over the page: what a shopper could press, fill or read, each element kept in a list for the walk to
// point at again (window.__probeFound[ref]). Words are not matched here: Python matches them, from its data files.
() => {
  const found = [];
  window.__probeFound = found;
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  };
  const ref = (el) => { found.push(el); return found.length - 1; };
  const byIds = (ids) => norm((ids || "").split(/\s+/).map((id) => { const e = document.getElementById(id); return e ? e.textContent : ""; }).join(" "));
  const name = (el) => norm(el.getAttribute("aria-label")) || byIds(el.getAttribute("aria-labelledby")) ||
    (el.tagName === "INPUT" ? norm(el.value) : norm(el.innerText || el.textContent)) || norm(el.getAttribute("title")) ||
    norm([...el.querySelectorAll("img[alt]")].map((i) => i.alt).join(" "));
  const labelOf = (el) => norm([...(el.labels || [])].map((l) => l.innerText || l.textContent).join(" ")) ||
    byIds(el.getAttribute("aria-labelledby")) || norm(el.getAttribute("aria-label"));
  const covering = (el) => {
    const s = getComputedStyle(el);
    if (el.getAttribute("role") === "dialog" || el.getAttribute("aria-modal") === "true" || el.tagName === "DIALOG") return true;
    if (s.position !== "fixed" && s.position !== "sticky") return false;
    const r = el.getBoundingClientRect();
    return r.width * r.height > 0.15 * innerWidth * innerHeight || (r.height > 60 && (r.bottom >= innerHeight - 2 || r.top <= 2) && r.width > 0.6 * innerWidth);
  };
  const out = { url: location.href, title: document.title, lang: (document.documentElement.lang || "").slice(0, 2).toLowerCase(),
    h1: norm((document.querySelector("h1") || {}).innerText || ""), text: (document.body ? document.body.innerText : "").slice(0, 4000),
    frames: [...document.querySelectorAll("iframe")].map((f) => norm([f.title, f.name, f.id, f.className, f.getAttribute("src")].join(" "))).slice(0, 20),
    password: false, overlays: [], links: [], buttons: [], fields: [], radios: [], search: null, cart_numbers: [], alerts: [], invalid: [], panels: [], notices: [], cart_text: [] };
  const searchName = /^(q|s|search|query|keywords?|search_query|searchterm)$/i;
  const isSearch = (el) => (el.getAttribute("type") || "").toLowerCase() === "search" || el.getAttribute("role") === "searchbox" ||
    !!el.closest("[role=search]") || searchName.test(el.name || "");
  const searchForms = new Set([...document.querySelectorAll("input")].filter(isSearch).map((i) => i.form).filter(Boolean));
  const forms = [...document.forms];
  const formOf = (el) => (el.form ? forms.indexOf(el.form) : -1);
  const clickables = "a[href], button, input[type=submit], input[type=button], input[type=image], [role=button], [role=link]";
  const overlayEls = new Set();
  for (const el of document.querySelectorAll("body *")) {
    if (el.childElementCount === 0 && !el.matches("iframe")) continue;
    if (!covering(el) || !shown(el)) continue;
    if ([...overlayEls].some((o) => o.contains(el))) continue;
    overlayEls.add(el);
    const controls = [...el.querySelectorAll(clickables)].filter(shown).slice(0, 12).map((b) => ({ ref: ref(b), name: name(b), tag: b.tagName.toLowerCase() }));
    if (controls.length) out.overlays.push({ text: norm(el.innerText).slice(0, 400), controls });
    if (out.overlays.length >= 4) break;
  }
  for (const el of document.querySelectorAll(clickables)) {
    if (!shown(el)) continue;
    const inOverlay = [...overlayEls].some((o) => o.contains(el));
    const entry = { ref: ref(el), name: name(el).slice(0, 120), tag: el.tagName.toLowerCase(), type: (el.getAttribute("type") || "").toLowerCase(),
      role: el.getAttribute("role") || "", overlay: inOverlay };
    if (el.tagName === "A") { entry.href = el.href; if (out.links.length < 500) out.links.push(entry); }
    else if (out.buttons.length < 200) {
      entry.form = el.form ? el.form.getAttribute("action") || "" : null;
      entry.fi = formOf(el);
      entry.search = !!el.closest("[role=search]") || (!!el.form && searchForms.has(el.form));
      out.buttons.push(entry);
    }
  }
  const groups = new Map();
  for (const el of document.querySelectorAll("input, select, textarea")) {
    const type = (el.getAttribute("type") || el.tagName).toLowerCase();
    if (["hidden", "submit", "button", "image", "reset", "file"].includes(type)) continue;
    if (type === "password") { if (shown(el)) out.password = true; continue; }
    if (type === "radio") {
      const label = labelOf(el) || norm(el.closest("label") ? el.closest("label").innerText : "");
      const key = el.name || el.id;
      if (!groups.has(key)) groups.set(key, { name: el.name, options: [] });
      const box = el.closest("label") || el;
      if (shown(el) || shown(box)) groups.get(key).options.push({ ref: ref(el), label, checked: el.checked, disabled: el.disabled, fi: formOf(el) });
      continue;
    }
    if (!shown(el) || el.disabled || el.readOnly) continue;
    const searchy = isSearch(el);
    const entry = { ref: ref(el), tag: el.tagName.toLowerCase(), type, name: el.name || "", id: el.id || "",
      autocomplete: (el.getAttribute("autocomplete") || "").toLowerCase(), label: labelOf(el), placeholder: el.getAttribute("placeholder") || "",
      required: el.required || el.getAttribute("aria-required") === "true" || /\*\s*$/.test(labelOf(el)), value: el.type === "checkbox" ? (el.checked ? "on" : "") : el.value,
      invalid: el.getAttribute("aria-invalid") === "true", auth: !!el.form && !!el.form.querySelector("input[type=password]"), fi: formOf(el), overlay: [...overlayEls].some((o) => o.contains(el)),
      options: el.tagName === "SELECT" ? [...el.options].map((o) => ({ value: o.value, text: norm(o.textContent) })).slice(0, 300) : [] };
    if (searchy && !out.search && el.tagName === "INPUT") {
      const form = el.form;
      out.search = { ref: entry.ref, name: el.name, label: entry.label, placeholder: entry.placeholder,
        get: !!form && (form.getAttribute("method") || "get").toLowerCase() === "get" && !!form.getAttribute("action"),
        action: form ? form.action : "", hidden: form ? [...form.querySelectorAll("input[type=hidden]")].map((h) => [h.name, h.value]) : [] };
      continue;
    }
    if (searchy) continue;
    if (entry.invalid) out.invalid.push(entry.label || entry.placeholder || entry.name);
    out.fields.push(entry);
  }
  // A drop-down that is not a <select> (role=combobox on a button): its shown text is its value, or its placeholder.
  for (const el of document.querySelectorAll("[role=combobox]:not(input):not(select)")) {
    if (!shown(el) || el.getAttribute("aria-disabled") === "true" || el.disabled) continue;
    const label = labelOf(el), text = norm(el.innerText);
    const empty = el.hasAttribute("data-placeholder") || !text || text.toLowerCase() === label.replace(/\*/g, "").trim().toLowerCase();
    out.fields.push({ ref: ref(el), tag: "combobox", type: "combobox", name: el.getAttribute("name") || "", id: el.id || "", autocomplete: "",
      label, placeholder: empty ? text : "", required: el.getAttribute("aria-required") === "true" || /\*\s*$/.test(label), value: empty ? "" : text,
      invalid: el.getAttribute("aria-invalid") === "true", auth: false, fi: el.closest("form") ? forms.indexOf(el.closest("form")) : -1,
      overlay: [...overlayEls].some((o) => o.contains(el)), options: [] });
  }
  out.radios = [...groups.values()].filter((g) => g.options.length);
  for (const el of document.querySelectorAll("[role=alert], .error, .err, .invalid-feedback, .field-error, [class*=error-message]")) {
    if (shown(el) && norm(el.innerText)) out.alerts.push(norm(el.innerText).slice(0, 160));
  }
  const cartWords = /cart|basket|bag|warenkorb|panier|carrito|cesta|carrello|winkelwagen|winkelmand|carrinho|minicart/i;
  for (const el of document.querySelectorAll("[id], [class], [aria-label], a[href]")) {
    const key = [el.id, typeof el.className === "string" ? el.className : "", el.getAttribute("aria-label"), el.tagName === "A" ? el.getAttribute("href") : ""].join(" ");
    if (!cartWords.test(key)) continue;
    const t = norm(el.textContent);
    const m = t.match(/^\(?(\d{1,3})\)?$/) || t.match(/\((\d{1,3})\)/) || (el.getAttribute("aria-label") || "").match(/(\d{1,3})\s+\w+/);
    if (m) out.cart_numbers.push(Number(m[1]));
    if (out.cart_numbers.length >= 6) break;
  }
  for (const el of document.querySelectorAll("[role=status], .alert, .messages, .message, .notice, .woocommerce-message, [class*=toast], [class*=flash]")) {
    if (shown(el) && norm(el.innerText)) out.notices.push(norm(el.innerText).slice(0, 300));
    if (out.notices.length >= 6) break;
  }
  for (const el of document.querySelectorAll("header a[href], [id*=cart], [id*=basket], [class*=cart], [class*=basket], [class*=minicart]")) {
    const key = [el.id, typeof el.className === "string" ? el.className : "", el.tagName === "A" ? el.getAttribute("href") : ""].join(" ");
    if (cartWords.test(key) && shown(el)) out.cart_text.push(norm(el.textContent).slice(0, 80));
    if (out.cart_text.length >= 4) break;
  }
  for (const el of document.querySelectorAll("aside, [role=dialog], [class*=drawer], [class*=mini-cart], [class*=minicart], [id*=drawer], [id*=cart]")) {
    if (shown(el) && norm(el.innerText)) out.panels.push(norm(el.innerText).slice(0, 600));
    if (out.panels.length >= 6) break;
  }
  return out;
}
