"""Wait for a payment page to settle: nothing in flight, no loading overlay, a quiet payment area; bounded."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from probe.detect.track import TRACK_JS, navigating, track_options
from probe.detect.vocabulary import BUSY_TEXT
from probe.safety.shopper_data import origin
from probe.timing import DEFAULT_TIMING, Timing

# One document's state (`win`: the main frame's window, or a frame's of the same origin read from it), or null for a
# frame's document the tracker never reached (read through the driver instead).
STATE_JS = r"""
(win, opts) => {
  const document = win.document, performance = win.performance;
  const st = win.__probeTrack || (win === window ? (TRACK)(opts.track) : null);
  if (!st) return null;
  const busyRe = new RegExp(opts.busy, "i");
  const classRe = new RegExp("(^|[\\s_-])(blockui|blockoverlay|loading|loader|spinner|is-loading|is-busy|" +
    "loading-mask|skeleton|processing)([\\s_-]|$)", "i");
  const byClassCandidate = (el, cls) => {
    if (!classRe.test(cls) && !classRe.test(el.id || "")) return false;
    const t = (el.textContent || "").trim();
    return t === "" || (t.length < 80 && busyRe.test(t));
  };
  const busy = [];
  const shown = (el) => {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width >= 4 && r.height >= 4;
  };
  // An element's text, trimmed, when it is short enough to be a busy word (else null). An element whose one child is
  // an element (blank text and comments aside) has that child's text: a chain of wrappers reads it once.
  const shortOf = new Map();
  const onlyChild = (el) => {
    let only = null;
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 1) { if (only) return null; only = n; }
      else if (n.nodeType === 3 ? /\S/.test(n.data) : n.nodeType !== 8) return null;
    }
    return only;
  };
  const shortText = (el) => {
    const chain = [];
    let at = el;
    for (; at && !shortOf.has(at); at = onlyChild(at)) chain.push(at);
    let t = at ? shortOf.get(at) : null;
    if (!at) {
      const full = (chain[chain.length - 1].textContent || "").trim();
      t = full.length > 0 && full.length < 60 ? full : null;
    }
    for (const x of chain) shortOf.set(x, t);
    return t;
  };
  const shadowText = [];
  const walk = (root) => {
    st.watch(root);
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) {
        for (const c of el.shadowRoot.children) if (c.innerText) shadowText.push(c.innerText);
        walk(el.shadowRoot);
      }
      if (busy.length > 3 || /^(SCRIPT|STYLE|HEAD|META|LINK|HTML|BODY)$/.test(el.tagName)) continue;
      const cls = typeof el.className === "string" ? el.className : "";
      const ab = el.getAttribute("aria-busy") === "true";
      // A loader, overlay or skeleton has no words of its own, or busy words ("Please wait…"); an element that
      // merely carries a class like Shopify's "skeleton-while-loading" around real content is not busy.
      const byClass = !ab && byClassCandidate(el, cls);
      let byText = false;
      if (!ab && !byClass && el.childElementCount <= 2) {
        const t = shortText(el);
        byText = t !== null && busyRe.test(t);
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
  for (const [id, due] of st.timers) if (now > due + opts.overdueMs) st.timers.delete(id);
  const out = {
    ready: document.readyState,
    age: now,
    late: st.late,
    quiet: now - st.lastPay,
    net: st.net,
    sinceNet: st.lastNet ? now - st.lastNet : Infinity,
    timers: st.timers.size,
    busy,
    words: true,
  };
  if (st.late) {
    // Without the tracker's early view, late options get a fixed time: look for credit words.
    const credit = opts.credit.map((p) => new RegExp(p, "i"));
    let text = document.body ? document.body.innerText || "" : "";
    for (const h of document.querySelectorAll("header, nav, [role=banner]")) {
      text = text.replace(h.innerText || "", " ");
    }
    text += "\n" + shadowText.join("\n");
    out.words = credit.some((r) => r.test(text)) || text.split("\n").some((l) => credit.some((r) => r.test(l)));
  }
  return out;
}
""".replace("(TRACK)", "(" + TRACK_JS.strip() + ")")
# The frame's state and, with `descend`, those of the frames below it it can read (its own origin's: one call for a
# page of many widget frames); `read` counts them, so the caller knows which frames are left to ask one by one.
SETTLE_JS = f"""
(opts) => {{
  const stateOf = ({STATE_JS.strip()});
  const states = [stateOf(window, opts)];
  let read = 0;
  const visit = (win) => {{
    for (let i = 0; i < win.frames.length; i++) {{
      let state = null;
      try {{ state = stateOf(win.frames[i], opts); }} catch (e) {{ state = null; }}
      if (state === null) continue;
      states.push(state);
      read++;
      visit(win.frames[i]);
    }}
  }};
  if (opts.descend && states[0]) visit(window);
  return {{ states, read }};
}}
"""

OVERDUE_MS = 1000.0  # a tracked timer this late (a throttled frame) is no longer waited for


@dataclass(frozen=True)
class Settled:
    """How the wait ended; `warning` says what was still busy when the probe observed anyway."""

    ok: bool
    waited_s: float
    why: str
    saw_busy: tuple[str, ...] = ()
    warning: str | None = None


async def _frame_state(frame: Frame, opts: dict[str, Any]) -> dict[str, Any] | None:
    try:
        state: dict[str, Any] = await frame.evaluate(SETTLE_JS, opts)
    except PlaywrightError:
        return None
    return state


async def _states(page: Page, opts: dict[str, Any], *, descend: bool) -> tuple[list[dict[str, Any] | None], bool]:
    """Every frame's state, the main frame's first (None: a frame that could not be read), and whether reading them
    from the main frame (and from each frame of another origin) still accounts for every frame. With `descend`, the
    frames of the main frame's origin are read from it in one call; any frame left unaccounted for (no tracker in
    it, a sandbox) makes it ask each frame on its own, as it does without `descend`."""
    frames = page.frames
    if descend and len(frames) > 1:
        home = origin(frames[0].url)
        asked = [frames[0], *(f for f in frames[1:] if origin(f.url) not in (None, home))]
        got = await asyncio.gather(*(_frame_state(f, {**opts, "descend": True}) for f in asked))
        if all(g is not None for g in got) and sum(1 + int(g["read"]) for g in got if g) == len(frames):
            return [s for g in got if g for s in g["states"]], True
    got = await asyncio.gather(*(_frame_state(f, {**opts, "descend": False}) for f in frames))
    return [g["states"][0] if g else None for g in got], False


@dataclass(frozen=True)
class Still:
    """Why the page is not settled yet, and how long until it may be if nothing changes (None: unknown, poll)."""

    why: str
    due_ms: float | None = None


def _still(live: list[dict[str, Any]], timing: Timing, navigation: bool) -> Still | None:
    """Why the page is not settled yet (None when it is), from every frame's state."""
    busy = [b for s in live for b in s["busy"]]
    if navigation:
        return Still("a navigation is in flight")
    if any(s["ready"] != "complete" for s in live):
        return Still("the page is still loading")
    if any(s["net"] > 0 for s in live):
        return Still(f"{sum(int(s['net']) for s in live)} request(s) in flight")
    since_net = min(float(s["sinceNet"]) for s in live)
    if since_net < timing.request_grace_ms:
        return Still("a request just answered", timing.request_grace_ms - since_net)
    if any(s["timers"] > 0 for s in live):
        return Still(f"{sum(int(s['timers']) for s in live)} timer(s) due soon")
    if busy:
        return Still("still busy: " + ", ".join(busy[:3]))
    main = live[0]
    age, quiet = float(main["age"]), min(float(s["quiet"]) for s in live)
    if main["late"]:
        need = timing.untracked_quiet_young_ms if age < timing.untracked_young_ms else timing.untracked_quiet_ms
        if quiet < need:
            return Still("the page is still changing", need - quiet)
        if not any(s["words"] for s in live) and age < timing.untracked_late_options_ms:
            return Still("no credit option yet (late options get time to arrive)")
        return None
    if quiet < timing.quiet_ms:
        return Still("the payment area is still changing", timing.quiet_ms - quiet)
    return None


def _pause_s(still: Still | None, timing: Timing, left_s: float) -> float:
    """How long to wait before looking again: until the page may be settled when that is known (a quiet window
    running out, a request's grace), else one poll; never past the time left."""
    due_ms = still.due_ms if still is not None else None
    wait_ms = timing.poll_ms if due_ms is None else max(due_ms, 1.0)
    return max(min(wait_ms / 1000, left_s), 0.0)


async def settle(page: Page, *, timeout_s: float, credit: list[str], timing: Timing = DEFAULT_TIMING) -> Settled:
    """Poll the page until nothing is pending and the payment area is quiet, the stall cap passes, or `timeout_s`."""
    start = time.monotonic()
    opts = {
        "busy": BUSY_TEXT,
        "credit": credit,
        "overdueMs": OVERDUE_MS,
        "track": track_options(timing, late=True),
    }
    saw: list[str] = []
    why = "not checked"
    descend = True  # until a read from the main frame leaves a frame out: then each frame is asked on its own
    while True:
        states, descend = await _states(page, opts, descend=descend)
        main = states[0]
        live = [s for s in states if s is not None]
        still: Still | None = None
        if main is None or not live:
            why = "the page could not be read"
        else:
            saw.extend(b for s in live for b in s["busy"] if b not in saw)
            still = _still(live, timing, navigating(page))
            if still is None:
                return Settled(True, time.monotonic() - start, "settled", tuple(saw[:5]))
            why = still.why
            # Only changes in or near the payment area hold the probe: a spinner that never stops, a clock or a
            # poll elsewhere does not, once the payment area has been quiet for the stall cap.
            quiet = min(float(s["quiet"]) for s in live)
            if quiet >= timing.stall_cap_ms and float(main["age"]) >= timing.stall_cap_ms:
                warning = (
                    f"observed anyway: the payment area did not change for {timing.stall_cap_ms / 1000:g} s "
                    f"while the page was still busy ({why})"
                )
                return Settled(True, time.monotonic() - start, "capped", tuple(saw[:5]), warning)
        left_s = timeout_s - (time.monotonic() - start)
        if left_s <= 0:
            return Settled(False, time.monotonic() - start, why, tuple(saw[:5]))
        await asyncio.sleep(_pause_s(still, timing, left_s))
