"""The store's answer to a submitted credit: wait for the page it answers with (or the guard's block), read it,
decide accepted / refused / not read, and picture it. An answer that was not read is never `selectable`."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from playwright.async_api import ElementHandle, Page
from playwright.async_api import Error as PlaywrightError

from probe.detect.answer import Heard, amount_in, hear
from probe.detect.apply import ANSWER_JS, may_press, press
from probe.detect.place import http_status
from probe.detect.scanned import ScannedOption
from probe.detect.settle import settle
from probe.models import BlockedRequest, Evidence, Note, OptionState, StoreAnswer
from probe.safety.refusal import click_refusal
from probe.timing import Timing

# The store's answer to a submit is a new page or new words; this long at most (on top of the answer wait).
SUBMIT_EXTRA_S = 5.0
HTTP_ERROR = 400
# A press that has sent nothing and changed nothing for this long was kept by the page's own script.
INERT_S = 1.0
# What the guard records when it stops a request the press sent.
REQUEST_KINDS = frozenset({"request", "navigation", "form", "beacon"})
Picture = Callable[[list[dict[str, object]]], Awaitable[str | None]]

ALLOCATION_JS = r"""
() => {
  const shown = (x) => { const r = x.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const wordsOf = (x) => (x.getAttribute("aria-label") || x.textContent || x.value || "").replace(/\s+/g, " ").trim();
  for (const i of document.querySelectorAll("input")) {
    if (!shown(i) || !/^(|text|number)$/i.test(i.getAttribute("type") || "")) continue;
    const label = [i.name, i.id, ...[...(i.labels || [])].map((l) => l.textContent)].join(" ");
    if (!/allocat|amount/i.test(label) || !i.form) continue;
    const button = [...i.form.querySelectorAll("button, input[type=submit]")].find((b) => shown(b) &&
      /^\s*(allocate|apply|use|redeem)\b/i.test(wordsOf(b)));
    if (!button) continue;
    const help = i.form.querySelector(".help-block, .helptext, .form-text, small");
    return { input: i, button, value: i.value || "", words: wordsOf(button), help: help ? wordsOf(help) : "" };
  }
  return null;
}
"""
# The page's buttons named like placing the order (a review page holds one): never pressed, only noted.
BUTTONS_JS = r"""
() => [...document.querySelectorAll("button, input[type=submit], a[href]")].filter((b) => {
  const r = b.getBoundingClientRect(); return r.width > 0 && r.height > 0;
}).map((b) => (b.getAttribute("aria-label") || b.textContent || b.value || "").replace(/\s+/g, " ").trim())
  .filter(Boolean)
"""
# The Remove control of the allocation just recorded: in the row (or form) that shows its amount.
REMOVE_JS = r"""
(amount) => [...document.querySelectorAll("button, input[type=submit], a[href]")].find((b) => {
  const r = b.getBoundingClientRect();
  const words = (b.getAttribute("aria-label") || b.textContent || b.value || "").replace(/\s+/g, " ").trim();
  const row = b.closest("tr, li, form");
  return r.width > 0 && r.height > 0 && /^remove\b/i.test(words) && !!row && (row.innerText || "").includes(amount);
}) || null
"""
MARK_JS = "() => { window.__probeBeforeSubmit = true; }"
FRESH_JS = "() => !window.__probeBeforeSubmit && document.readyState !== 'loading'"
BOX_JS = r"""
(el) => { const r = el.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }
"""
WORDS_BOX_JS = r"""
(words) => {
  let best = null;
  for (const el of document.body.querySelectorAll("*")) {
    const t = (el.innerText || "").replace(/\s+/g, " ").trim();
    if (t && t.includes(words) && t.length < words.length + 40) {
      const r = el.getBoundingClientRect();
      if (!(r.width > 0 && r.height > 0)) continue;
      if (best && !best.contains(el)) break;  // the innermost element of the first place that shows the words
      best = el;
    }
  }
  if (!best) return null;
  const r = best.getBoundingClientRect();
  return [r.left + scrollX, r.top + scrollY, r.width, r.height];
}
"""


@dataclass
class Context:
    """What a submit needs from the check: the credit's code, the guard's record, a way to picture the answer, and
    the guard's look at the page just before a submit (a step list drawn after load counts once looked at)."""

    code: str | None = None
    blocked: Callable[[], Sequence[BlockedRequest]] = lambda: ()
    picture: Picture | None = None
    look: Callable[[], Awaitable[object]] | None = None
    apply: bool = True
    credit: list[str] = field(default_factory=list)


@dataclass
class Submitted:
    """The store's answer to one submit, or why none was read; `state` None keeps what the page showed."""

    answer: StoreAnswer
    why: str
    state: OptionState | None = None
    reason: str | None = None
    amount: str | None = None
    error: str | None = None
    picture: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


Waited = Literal["blocked", "answered", "inert", "timeout"]


async def wait_for_store(
    page: Page, blocked_before: int, ctx: Context, timing: Timing, before: set[str], sent: Callable[[], int]
) -> Waited:
    """Wait for the store's new page or new words: `blocked` (the guard stopped a request), `answered` (a new page,
    or new words on this one), `inert` (nothing was sent and nothing changed: the page kept the press to itself), or
    `timeout`."""
    start = time.monotonic()
    deadline = start + timing.answer_wait_s + SUBMIT_EXTRA_S
    while time.monotonic() < deadline:
        if any(b.kind in REQUEST_KINDS for b in list(ctx.blocked())[blocked_before:]):
            return "blocked"
        try:
            if await page.evaluate(FRESH_JS):
                await settle(page, timeout_s=timing.trial_settle_s + SUBMIT_EXTRA_S, credit=ctx.credit, timing=timing)
                return "answered"
        except PlaywrightError:
            await asyncio.sleep(timing.answer_poll_s)
            continue  # navigating
        if (await page_lines(page)) - before:
            await asyncio.sleep(timing.answer_poll_s)  # a message still being written
            return "answered"
        if not sent() and time.monotonic() - start >= INERT_S:
            return "inert"
        await asyncio.sleep(timing.answer_poll_s)
    return "timeout"


async def _read(page: Page, before: set[str]) -> tuple[list[str], list[str]]:
    try:
        read = await page.main_frame.evaluate(ANSWER_JS)
    except PlaywrightError:
        return [], []
    notes = [str(n) for n in read["notes"] if str(n) not in before]
    lines = [str(x) for x in read["lines"] if str(x) not in before]
    return notes, lines


async def page_lines(page: Page) -> set[str]:
    try:
        read = await page.main_frame.evaluate(ANSWER_JS)
    except PlaywrightError:
        return set()
    return {str(x) for x in (*read["notes"], *read["lines"])}


async def _picture(page: Page, ctx: Context, tile: ElementHandle | None, said: str | None, label: str) -> str | None:
    """The page the store answered with, the credit and the store's words outlined (typed values masked)."""
    if ctx.picture is None:
        return None
    boxes: list[dict[str, object]] = []
    found: list[float] | None = None
    try:
        if tile is not None and await tile.evaluate("(e) => e.isConnected"):
            found = await tile.evaluate(BOX_JS)
    except PlaywrightError:
        found = None  # the credit's element went with the page it was on
    try:
        credit_box = found or (await page.evaluate(WORDS_BOX_JS, label) if label else None)
        words_box = await page.evaluate(WORDS_BOX_JS, said[:120]) if said else None
        for box, colour, text in (
            (credit_box, "#0969da", f"credit: {label[:40]}"),
            (words_box, "#8250df", "the store's answer"),
        ):
            if box:
                x, y, w, h = box
                boxes.append({"x": x, "y": y, "w": w, "h": h, "colour": colour, "text": text})
        return await ctx.picture(boxes)
    except PlaywrightError:
        return None


async def answer_page(
    page: Page,
    option: ScannedOption,
    ctx: Context,
    timing: Timing,
    before: set[str],
    blocked_before: int,
    was_blocked: bool,
    words: str,
    control: ElementHandle,
) -> Submitted:
    """Decide from the page the store answered with (or the guard's block)."""
    pressed = f"pressed {words[:40]!r}"
    if was_blocked:
        stopped = next(b for b in list(ctx.blocked())[blocked_before:] if b.kind in REQUEST_KINDS)
        why = f"blocked by the guard: {stopped.target} ({stopped.reason})"
        error = (
            f"the store's answer was not read: the guard blocked {stopped.target} when {words[:40]!r} was pressed "
            f"({stopped.reason}); probe never sends what may place an order: check this credit at the store by hand"
        )
        return Submitted(answer=StoreAnswer.not_tried, why=why, state=OptionState.unknown, error=error)
    status = await http_status(page)
    if status >= HTTP_ERROR:
        error = f"the store answered HTTP {status} when {words[:40]!r} was pressed: its answer could not be read"
        return Submitted(answer=StoreAnswer.not_tried, why=error, state=OptionState.unknown, error=error)
    notes, lines = await _read(page, before)
    heard = hear(notes, lines)
    allocation = None if heard and heard.kind != "accepted" else await _allocation(page)
    if allocation is not None:
        return await _allocate(page, option, ctx, timing, allocation, pressed, control)
    return await _decide(page, option, ctx, heard, notes, lines, pressed, control)


async def _decide(
    page: Page,
    option: ScannedOption,
    ctx: Context,
    heard: Heard | None,
    notes: list[str],
    lines: list[str],
    pressed: str,
    control: ElementHandle,
) -> Submitted:
    if heard is not None and heard.kind == "unknown_code":
        picture = await _picture(page, ctx, control, heard.words, option.name)
        error = f"the store does not know the code: {heard.words!r}; check the code"
        why = f"{pressed}: the store does not know the code: {heard.words!r}"
        return Submitted(StoreAnswer.refused, why, OptionState.unknown, error=error, picture=picture)
    if heard is not None and heard.kind == "needs_code":
        picture = await _picture(page, ctx, control, heard.words, option.name)
        error = f"the store needs the credit's code ({heard.words!r}): give --credit-code-env NAME"
        return Submitted(StoreAnswer.not_tried, f"{pressed}: {heard.words!r}", OptionState.unknown, error=error)
    if heard is not None and heard.kind == "refused":
        return await _refused(page, option, ctx, heard.words, pressed, control, heard.rule)
    orders = [
        w for w in await _buttons(page) if click_refusal("button", w) == "named like placing or completing an order"
    ]
    if heard is not None and heard.kind == "accepted":
        return await _accepted(page, option, ctx, heard.words, pressed, control, orders, heard.rule)
    named = [line for line in lines if _names_credit(line, ctx.credit)]
    if orders and named:
        return await _accepted(page, option, ctx, named[0], pressed, control, orders, "review-page")
    if notes:
        return await _refused(page, option, ctx, notes[0], pressed, control, "store-message")
    error = f"{pressed}: the store answered with a page probe could not read ({page.url}); check it by hand"
    return Submitted(StoreAnswer.not_tried, error, OptionState.unknown, error=error)


def _names_credit(line: str, credit: list[str]) -> bool:
    return len(line) < 200 and any(re.search(p, line, re.IGNORECASE) for p in credit)


async def _buttons(page: Page) -> list[str]:
    try:
        found: list[str] = await page.evaluate(BUTTONS_JS)
    except PlaywrightError:
        return []
    return found


def _answer(value: str, state: OptionState) -> Evidence:
    """The store's answer as evidence: it outweighs anything read off the page before the submit."""
    return Evidence(signal="store_answer", value=value, points_to=state, weight=9)


async def _refused(
    page: Page, option: ScannedOption, ctx: Context, said: str, pressed: str, control: ElementHandle, rule: str
) -> Submitted:
    picture = await _picture(page, ctx, control, said, option.name)
    return Submitted(
        StoreAnswer.refused,
        f"{pressed}: the store refused: {said!r}",
        OptionState.greyed_out,
        reason=said,
        picture=picture,
        evidence=[_answer(f"{pressed}: the store refused: {said!r} ({rule})", OptionState.greyed_out)],
    )


async def _accepted(
    page: Page,
    option: ScannedOption,
    ctx: Context,
    said: str,
    pressed: str,
    control: ElementHandle,
    orders: list[str],
    rule: str,
    amount: str | None = None,
) -> Submitted:
    picture = await _picture(page, ctx, control, said, option.name)
    stop = f"; stopped before {orders[0][:40]!r}, never pressed" if orders else ""
    amount = amount or amount_in(said)
    shown = f" ({amount})" if amount else ""
    return Submitted(
        StoreAnswer.accepted,
        f"{pressed}: the store took it{shown}: {said!r}{stop}",
        OptionState.selectable,
        amount=amount,
        picture=picture,
        evidence=[_answer(f"{pressed}: the store took it: {said!r} ({rule}){stop}", OptionState.selectable)],
    )


async def _allocation(page: Page) -> dict[str, object] | None:
    try:
        handle = await page.evaluate_handle(ALLOCATION_JS)
        if await handle.json_value() is None:
            return None
        props = await handle.get_properties()
        plain = await handle.json_value()
    except PlaywrightError:
        return None
    return {**plain, "button_el": props["button"].as_element()}


async def _allocate(
    page: Page,
    option: ScannedOption,
    ctx: Context,
    timing: Timing,
    allocation: dict[str, object],
    pressed: str,
    control: ElementHandle,
) -> Submitted:
    """The store proposes an amount: zero is a refusal; otherwise record it (allocating is not ordering) and read."""
    value = str(allocation.get("value") or "").strip()
    help_text = str(allocation.get("help") or "")
    try:
        proposed = float(value.replace(",", "")) if value else 0.0
    except ValueError:
        proposed = 0.0
    if proposed <= 0:
        said = help_text or f"the store allows {value or 'nothing'} from this credit"
        return await _refused(page, option, ctx, said, pressed, control, "allocation-zero")
    words = str(allocation.get("words") or "")
    offer = f"the store offers an allocation of {value}"
    button = allocation.get("button_el")
    if not isinstance(button, ElementHandle) or not may_press(words):
        return await _accepted(page, option, ctx, offer, pressed, control, [], "allocation-form", value)
    before = await page_lines(page)
    blocked_before = len(ctx.blocked())
    try:
        if ctx.look is not None:
            await ctx.look()
        await page.evaluate(MARK_JS)
        await press(page, button, timing)
    except PlaywrightError:
        return await _accepted(page, option, ctx, offer, pressed, control, [], "allocation-form", value)
    if await wait_for_store(page, blocked_before, ctx, timing, before, lambda: 1) == "blocked":
        said = f"{offer}; recording it was blocked by the guard"
        return await _accepted(page, option, ctx, said, pressed, control, [], "allocation-form", value)
    notes, lines = await _read(page, before)
    heard = hear(notes, lines)
    then = f"{pressed}, then {words!r} ({value})"
    if heard is not None and heard.kind == "refused":
        return await _refused(page, option, ctx, heard.words, then, control, heard.rule)
    said = heard.words if heard is not None and heard.kind == "accepted" else offer
    took = await _accepted(page, option, ctx, said, then, control, [], "allocation-recorded", value)
    # The allocation is taken back off where the page offers a new Remove (never an order control).
    took.notes.append(Note(signal="store_answer", value=await _remove_allocation(page, value, timing)))
    return took


async def _remove_allocation(page: Page, amount: str, timing: Timing) -> str:
    """Take the recorded allocation back off with the store's own Remove beside it; say what was done."""
    try:
        found = (await page.evaluate_handle(REMOVE_JS, amount)).as_element()
        if found is None:
            return "not undone: the page shows no Remove beside the allocation (it stays in the checkout session)"
        await page.evaluate(MARK_JS)
        await press(page, found, timing)
        await page.wait_for_function(FRESH_JS, timeout=timing.back_timeout_ms)
    except PlaywrightError:
        return "not undone: pressing Remove failed (the allocation stays in the checkout session)"
    return "undone: pressed the allocation's Remove"
