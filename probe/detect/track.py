"""What a page is busy with, tracked from document start: fetch/XHR in flight, short timers, payment-area changes."""

from __future__ import annotations

import json
import weakref
from typing import TYPE_CHECKING

from probe.timing import DEFAULT_TIMING, Timing

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Request

# Runs in every frame before the page's own scripts (an init script), or late, on a page opened without it.
# window.__probeTrack holds: net (fetch/XHR in flight), lastNet (when the last one answered), timers (one-shot
# timers due within the horizon, by id), lastPay (the last change in or near the payment area), late (installed
# after the page's scripts started, so earlier timers and requests are unknown).
TRACK_JS = r"""
(opts) => {
  const key = "__probeTrack";
  if (window[key]) return window[key];
  const now = () => performance.now();
  const st = { late: !!opts.late, net: 0, lastNet: 0, lastPay: now(), lastAny: now(), timers: new Map() };
  Object.defineProperty(window, key, { value: st, enumerable: false });
  // A choice a shopper makes: payment options are radios, checkboxes, selects and their ARIA kin.
  const CHOICE = "input[type=radio],input[type=checkbox],select,[role=radio],[role=checkbox],[role=switch]," +
    "[role=option],[role=radiogroup],[role=listbox]";
  const ACTION = CHOICE + ",button,[role=button]";
  const MONEY = /[$€£¥]\s?\d|\d[.,]\d\d\s?(€|eur|usd|gbp)?/i;
  const up = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const asEl = (n) => (n.nodeType === 1 ? n : up(n));
  const holds = (el, sel) => !!el && el.nodeType === 1 && (el.matches(sel) || !!el.querySelector(sel));
  const near = (node) => {
    let el = asEl(node);
    for (let i = 0; el && i < opts.nearLevels; i++, el = up(el)) {
      if (el === document.body || el === document.documentElement) return false;
      if (holds(el, CHOICE)) return true;
    }
    return false;
  };
  const carries = (n) => (n.nodeType === 1 ? holds(n, ACTION) || MONEY.test(n.textContent || "")
    : n.nodeType === 3 && MONEY.test(n.data || ""));
  const relevant = (r) => {
    if (r.type === "childList") {
      for (const list of [r.addedNodes, r.removedNodes]) for (const n of list) if (carries(n)) return true;
      return near(r.target);
    }
    if (r.type === "attributes" && r.attributeName === "style") return holds(asEl(r.target), CHOICE);
    return near(r.target);
  };
  const seen = (records) => {
    const t = now();
    st.lastAny = t;
    if (t - st.lastPay < opts.quietMs / 4) return;
    if (records.length > opts.batchLimit) { st.lastPay = t; return; }
    for (const r of records) if (relevant(r)) { st.lastPay = t; return; }
  };
  const mo = new MutationObserver(seen);
  const opt = { subtree: true, childList: true, attributes: true, characterData: true };
  st.watched = new WeakSet();
  st.watch = (root) => { if (!st.watched.has(root)) { st.watched.add(root); mo.observe(root, opt); } };
  st.watch(document);
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    try { st.watch(root); } catch (e) { /* a closed or odd root is simply not watched */ }
    return root;
  };
  if (st.late) return st;
  // One-shot timers due soon are work the page has announced; a timer re-armed from its own callback with the
  // same delay is a tick (a clock, a carousel, polling) and is not waited for.
  const setT = window.setTimeout, clearT = window.clearTimeout;
  st.later = (fn, ms) => setT.call(window, fn, ms);  // the probe's own waits are not the page's work
  let running = null;
  window.setTimeout = function (fn, delay, ...args) {
    const d = Math.max(0, Number(delay) || 0);
    if (typeof fn !== "function" || d > opts.horizonMs || running === d) return setT.call(window, fn, delay, ...args);
    let id = 0;
    const wrapped = function () {
      st.timers.delete(id);
      const before = running;
      running = d;
      try { return fn.apply(this, arguments); } finally { running = before; }
    };
    id = setT.call(window, wrapped, delay, ...args);
    st.timers.set(id, now() + d);
    return id;
  };
  window.clearTimeout = function (id) { st.timers.delete(id); return clearT.call(window, id); };
  const ended = () => { st.net = Math.max(0, st.net - 1); st.lastNet = now(); };
  if (window.fetch) {
    const f = window.fetch;
    window.fetch = function () {
      st.net++;
      const p = f.apply(this, arguments);
      p.then(ended, ended);
      return p;
    };
  }
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () {
    st.net++;
    this.addEventListener("loadend", ended, { once: true });
    try { return send.apply(this, arguments); } catch (e) { ended(); throw e; }
  };
  return st;
}
"""
NEAR_LEVELS = 3  # a change within this many ancestors of a payment choice is a change of the payment area
BATCH_LIMIT = 50  # a batch of more mutation records than this rebuilt something big: counted without looking


def track_options(timing: Timing, *, late: bool) -> dict[str, object]:
    """The tracker's settings, as TRACK_JS reads them."""
    return {
        "late": late,
        "horizonMs": timing.timer_horizon_ms,
        "quietMs": timing.quiet_ms,
        "nearLevels": NEAR_LEVELS,
        "batchLimit": BATCH_LIMIT,
    }


class Navigations:
    """Navigation requests of a context still in flight (a page on its way to the next document is busy)."""

    def __init__(self) -> None:
        self.pending: set[Request] = set()

    def started(self, request: Request) -> None:
        if request.is_navigation_request():
            self.pending.add(request)

    def ended(self, request: Request) -> None:
        self.pending.discard(request)


_NAVIGATIONS: weakref.WeakKeyDictionary[BrowserContext, Navigations] = weakref.WeakKeyDictionary()


async def install_tracking(context: BrowserContext, timing: Timing = DEFAULT_TIMING) -> None:
    """Track every page of `context` from document start; call before the first navigation."""
    script = f"({TRACK_JS})({json.dumps(track_options(timing, late=False))})"
    await context.add_init_script(script=script)
    navigations = Navigations()
    context.on("request", navigations.started)
    context.on("requestfinished", navigations.ended)
    context.on("requestfailed", navigations.ended)
    _NAVIGATIONS[context] = navigations


def navigating(page: Page) -> bool:
    """Whether a navigation of this page's context is in flight (known only where tracking was installed)."""
    navigations = _NAVIGATIONS.get(page.context)
    if navigations is None:
        return False
    return any(not r.frame.is_detached() and r.frame.page == page for r in list(navigations.pending) if _has_frame(r))


def _has_frame(request: Request) -> bool:
    try:
        request.frame  # noqa: B018 - raises for a service worker's request
    except Exception:  # noqa: BLE001
        return False
    return True
