"""Wait for a payment page to settle: no loading overlay, no churn, and late credit options given time to arrive."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from probe.detect.vocabulary import BUSY_TEXT

SETTLE_JS = r"""
(opts) => {
  const key = "__probeSettle";
  let st = window[key];
  if (!st) {
    st = { last: performance.now(), roots: new WeakSet() };
    st.mo = new MutationObserver(() => { st.last = performance.now(); });
    Object.defineProperty(window, key, { value: st, enumerable: false });
  }
  const watch = (root) => {
    if (st.roots.has(root)) return;
    st.roots.add(root);
    st.mo.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
  };
  const busyRe = new RegExp(opts.busy, "i");
  const classRe = new RegExp("(^|[\\s_-])(blockui|blockoverlay|loading|loader|spinner|is-loading|is-busy|" +
    "loading-mask|skeleton|processing)([\\s_-]|$)", "i");
  const credit = opts.credit.map((p) => new RegExp(p, "i"));
  const byClassCandidate = (el, cls) => {
    if (!classRe.test(cls) && !classRe.test(el.id || "")) return false;
    const t = (el.textContent || "").trim();
    return t === "" || (t.length < 80 && busyRe.test(t));
  };
  const busy = [];
  let text = document.body ? document.body.innerText || "" : "";
  for (const h of document.querySelectorAll("header, nav, [role=banner]")) text = text.replace(h.innerText || "", " ");
  const shown = (el) => {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width >= 4 && r.height >= 4;
  };
  const walk = (root) => {
    watch(root);
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) {
        for (const c of el.shadowRoot.children) if (c.innerText) text += "\n" + c.innerText;
        walk(el.shadowRoot);
      }
      if (busy.length > 3 || /^(SCRIPT|STYLE|HEAD|META|LINK|HTML|BODY)$/.test(el.tagName)) continue;
      const cls = typeof el.className === "string" ? el.className : "";
      const ab = el.getAttribute("aria-busy") === "true";
      // A loader, overlay or skeleton has no words of its own, or busy words ("Please wait…"); an element that
      // merely carries a class like Shopify's "skeleton-while-loading" around real content is not busy.
      const own = byClassCandidate(el, cls);
      const byClass = own;
      let byText = false;
      if (!ab && !byClass && el.childElementCount <= 2) {
        const t = (el.textContent || "").trim();
        byText = t.length > 0 && t.length < 60 && busyRe.test(t);
      }
      if ((ab || byClass || byText) && shown(el)) {
        const what = ab ? "aria-busy"
          : byClass ? "class " + (cls || el.id).trim().slice(0, 40)
          : JSON.stringify((el.textContent || "").trim());
        busy.push(`${el.tagName.toLowerCase()} (${what})`);
      }
    }
  };
  walk(document);
  const now = performance.now();
  return {
    ready: document.readyState,
    age: now,
    quiet: now - st.last,
    busy,
    words: credit.some((r) => r.test(text)) || text.split("\n").some((l) => credit.some((r) => r.test(l))),
  };
}
"""

QUIET_MS_YOUNG = 700.0  # a page younger than YOUNG_MS may still be running its first scripts
QUIET_MS = 120.0
YOUNG_MS = 2500.0
LATE_OPTIONS_MS = 4500.0  # options may arrive up to ~3 s after load
CHURN_GIVE_UP_MS = 6000.0  # a page that never stops mutating (a countdown) is taken as it is


@dataclass(frozen=True)
class Settled:
    """How the wait ended."""

    ok: bool
    waited_s: float
    why: str
    saw_busy: tuple[str, ...] = ()


async def _frame_state(frame: Frame, opts: dict[str, Any]) -> dict[str, Any] | None:
    try:
        state: dict[str, Any] = await frame.evaluate(SETTLE_JS, opts)
    except PlaywrightError:
        return None
    return state


async def settle(page: Page, *, timeout_s: float, credit: list[str]) -> Settled:
    """Poll the page until it is settled or `timeout_s` has passed."""
    start = time.monotonic()
    opts = {"busy": BUSY_TEXT, "credit": credit}
    saw: list[str] = []
    why = "not checked"
    while True:
        states = await asyncio.gather(*(_frame_state(f, opts) for f in page.frames))
        main = states[0]
        live = [s for s in states if s is not None]
        if main is None or not live:
            why = "the page could not be read"
        else:
            age = float(main["age"])
            busy = [b for s in live for b in s["busy"]]
            saw.extend(b for b in busy if b not in saw)
            quiet = min(float(s["quiet"]) for s in live)
            need = QUIET_MS_YOUNG if age < YOUNG_MS else QUIET_MS
            if any(s["ready"] != "complete" for s in live):
                why = "the page is still loading"
            elif busy:
                why = "still busy: " + ", ".join(busy[:3])
            elif quiet < need and age < CHURN_GIVE_UP_MS:
                why = "the page is still changing"
            elif not any(s["words"] for s in live) and age < LATE_OPTIONS_MS:
                why = "no credit option yet (late options get time to arrive)"
            else:
                return Settled(True, time.monotonic() - start, "settled", tuple(saw[:5]))
        if time.monotonic() - start >= timeout_s:
            return Settled(False, time.monotonic() - start, why, tuple(saw[:5]))
        await asyncio.sleep(0.05)
