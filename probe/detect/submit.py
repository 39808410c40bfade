"""Two-step payment: submit the credit (its code, its own Apply / Select, the step's Continue), read the page the
store answers with, stop before the order.

Saving a payment choice is not an order; the review page's order button is, and it is never pressed (the refusal
rule refuses it, the guard blocks its request). An answer that was not read is never `selectable`.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from playwright.async_api import ElementHandle, JSHandle, Page
from playwright.async_api import Error as PlaywrightError

from probe.detect.answer import Heard, amount_in, hear
from probe.detect.apply import ANSWER_JS, may_press, press, undo, undo_candidates
from probe.detect.place import http_status
from probe.detect.scanned import ScannedOption
from probe.detect.settle import settle
from probe.models import BlockedRequest, Evidence, Note, OptionState, StoreAnswer
from probe.safety.refusal import click_refusal
from probe.timing import Timing

# The store's answer to a submit is a new page or new words; this long at most (on top of the answer wait).
SUBMIT_EXTRA_S = 5.0
HTTP_ERROR = 400
# What the guard records when it stops a request the press sent.
REQUEST_KINDS = frozenset({"request", "navigation", "form", "beacon"})
# Words of a form button that submits the credit itself (oscar-accounts' "Select account", "Check balance").
OWN_SUBMIT_WORDS = r"^\s*(select|use|apply|redeem|allocate|check balance|add|continue|next|save)\b"

Picture = Callable[[list[dict[str, object]]], Awaitable[str | None]]

# How the credit takes effect: a box for its code near it, the button that submits it, the form's own buttons.
WAY_JS = r"""
(el, [applyEl, ownWords]) => {
  const shown = (x) => { const r = x.getBoundingClientRect(); const cs = getComputedStyle(x);
    return r.width > 0 && r.height > 0 && cs.visibility !== "hidden"; };
  const wordsOf = (x) => (x.getAttribute("aria-label") || x.textContent || x.value || "").replace(/\s+/g, " ").trim();
  const codeRx = /code|number|\bpin\b|secret|voucher|gift.?card|claim/i;
  const typed = (root) => [...root.querySelectorAll("input")].filter((i) =>
    /^(|text|password|tel|search)$/i.test(i.getAttribute("type") || "") && !i.disabled && !i.readOnly && shown(i));
  const labelOf = (i) => [i.name, i.id, i.placeholder, i.getAttribute("aria-label"),
    ...[...(i.labels || [])].map((l) => l.textContent)].join(" ");
  const group = el.type === "radio" && el.name ? el.name : null;
  const others = (root) => !!group &&
    [...root.querySelectorAll("input[type=radio]")].some((r) => r !== el && r.name === group);
  const submitting = (b) => b.tagName !== "BUTTON" || (b.getAttribute("type") || "submit").toLowerCase() === "submit";
  const pressable = (root) => [...root.querySelectorAll("button, input[type=submit], input[type=image]")]
    .filter((b) => shown(b) && !b.disabled && submitting(b));
  let box = null, code = null;
  for (let x = el.parentElement, n = 0; x && n < 5 && x !== document.body; x = x.parentElement, n++) {
    if (others(x)) break;
    const found = typed(x).find((i) => codeRx.test(labelOf(i)));
    if (found) { box = x; code = found; break; }
  }
  let button = applyEl && shown(applyEl) ? applyEl : null;
  if (!button && box) button = pressable(box).find((b) => b !== el) || null;
  const form = (code && code.form) || el.form || null;
  const submits = form ? pressable(form).filter((b) => b !== el) : [];
  const own = new RegExp(ownWords, "i");
  const ownSubmit = !code && !button && form && (form.getAttribute("method") || "get").toLowerCase() === "post"
    ? submits.find((b) => own.test(wordsOf(b))) || null : null;
  return { code, button: button || ownSubmit, submits, words: (button || ownSubmit) ? wordsOf(button || ownSubmit) : "",
           submit_words: submits.map(wordsOf), own: !!ownSubmit };
}
"""
# A further step the store asks for: an amount to allocate, proposed by the store, and the button that records it.
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
      if (r.width > 0 && r.height > 0) best = [r.left + scrollX, r.top + scrollY, r.width, r.height];
    }
  }
  return best;
}
"""


@dataclass
class Context:
    """What a submit needs from the check: the credit's code, the guard's record, a way to picture the answer."""

    code: str | None = None
    blocked: Callable[[], Sequence[BlockedRequest]] = lambda: ()
    picture: Picture | None = None
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


@dataclass
class Way:
    """How the credit takes effect on this page, read before anything is pressed."""

    code: ElementHandle | None
    button: ElementHandle | None
    words: str
    submit_words: list[str]
    own: bool


def pays_at_once(option: ScannedOption) -> str | None:
    """Why a credit shown only as a button that pays ("Pay with Store Credit") cannot be tried, or None."""
    if option.kind not in ("button", "link"):
        return None
    refusal = click_refusal(option.role or "button", option.name, option.tag, option.type)
    return f"pressing {option.name[:60]!r} would pay ({refusal})" if refusal else None


async def find_way(control: ElementHandle, apply_el: ElementHandle | None) -> Way | None:
    """The credit's code box, the button that submits it and the form's buttons (None: the page could not say)."""
    try:
        found: JSHandle = await control.evaluate_handle(WAY_JS, [apply_el, OWN_SUBMIT_WORDS])
        props = await found.get_properties()
        plain = await found.json_value()
    except PlaywrightError:
        return None
    return Way(
        code=props["code"].as_element() if "code" in props else None,
        button=props["button"].as_element() if "button" in props else None,
        words=str(plain.get("words") or ""),
        submit_words=[str(w) for w in plain.get("submit_words") or []],
        own=bool(plain.get("own")),
    )


def needs_submit(option: ScannedOption, way: Way | None) -> bool:
    """Whether the credit takes effect only once submitted: a code to type, a form button of its own, a submitting
    apply control (a radio chosen with no server step before the order is its own answer, as it always was)."""
    if option.apply and option.apply_submits:
        return True
    if option.kind in ("button", "link") and option.submit_like:
        return True
    return way is not None and (way.code is not None or way.own)


async def _wait_for_answer(page: Page, blocked_before: int, ctx: Context, timing: Timing) -> bool:
    """Wait for the store's new page or new words; True when the guard stopped a request meanwhile."""
    deadline = time.monotonic() + timing.answer_wait_s + SUBMIT_EXTRA_S
    while time.monotonic() < deadline:
        if any(b.kind in REQUEST_KINDS for b in list(ctx.blocked())[blocked_before:]):
            return True
        try:
            if await page.evaluate(FRESH_JS):
                await settle(page, timeout_s=timing.trial_settle_s + SUBMIT_EXTRA_S, credit=ctx.credit, timing=timing)
                return False
        except PlaywrightError:
            pass  # navigating
        await asyncio.sleep(timing.answer_poll_s)
    return False


async def _read(page: Page, before: set[str]) -> tuple[list[str], list[str]]:
    try:
        read = await page.main_frame.evaluate(ANSWER_JS)
    except PlaywrightError:
        return [], []
    notes = [str(n) for n in read["notes"] if str(n) not in before]
    lines = [str(x) for x in read["lines"] if str(x) not in before]
    return notes, lines


async def _text(page: Page) -> set[str]:
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
    try:
        if tile is not None and await tile.evaluate("(e) => e.isConnected"):
            x, y, w, h = await tile.evaluate(BOX_JS)
            boxes.append({"x": x, "y": y, "w": w, "h": h, "colour": "#0969da", "text": f"credit: {label[:40]}"})
        elif label:
            found = await page.evaluate(WORDS_BOX_JS, label)
            if found:
                x, y, w, h = found
                boxes.append({"x": x, "y": y, "w": w, "h": h, "colour": "#0969da", "text": f"credit: {label[:40]}"})
    except PlaywrightError:
        pass  # the credit's element went with the page it was on
    try:
        if said:
            found = await page.evaluate(WORDS_BOX_JS, said[:120])
            if found:
                x, y, w, h = found
                boxes.append({"x": x, "y": y, "w": w, "h": h, "colour": "#8250df", "text": "the store's answer"})
        return await ctx.picture(boxes)
    except PlaywrightError:
        return None


def _not_tried(why: str, error: str) -> Submitted:
    return Submitted(answer=StoreAnswer.not_tried, why=why, state=OptionState.unknown, error=error)


async def submit_credit(
    page: Page,
    option: ScannedOption,
    control: ElementHandle,
    way: Way,
    ctx: Context,
    timing: Timing,
) -> Submitted:
    """Type the code (if any), press what submits the credit, read the store's answer, then go back to the step."""
    if way.code is not None and not ctx.code:
        why = "no code given: the store needs the credit's code"
        return _not_tried(
            why, "the store needs the credit's code: give --credit-code-env NAME (an environment variable)"
        )
    button = control if option.kind in ("button", "link") else way.button
    if button is None:
        pressable = [w for w in way.submit_words if may_press(w)]
        if not pressable:
            said = way.submit_words[0] if way.submit_words else "nothing"
            why = f"pressing would pay: the step's only button is {said[:40]!r}"
            return _not_tried(why, f"{why}; offered; the store decides only at payment")
        button = None
        words = pressable[0]
    else:
        words = option.name if button is control else way.words
    if not may_press(words):
        why = f"pressing would pay: {words[:40]!r} is an order control"
        return _not_tried(why, f"{why}; offered; the store decides only at payment")
    if not ctx.apply:
        why = "not pressed because --no-apply"
        return _not_tried(why, f"the store's answer was not read ({why}): the credit takes effect only once submitted")
    url_before = page.url
    before = await _text(page)
    blocked_before = len(ctx.blocked())
    try:
        if option.kind in ("radio", "checkbox") and not await control.is_checked():
            await control.check(timeout=timing.press_timeout_ms, force=True)
        if way.code is not None and ctx.code:
            await way.code.fill(ctx.code, timeout=timing.press_timeout_ms)
        await page.evaluate(MARK_JS)
        if button is None:
            button = await _form_button(control, way.code, words)
        if button is None:
            return _not_tried("the step's button could not be found", "the store's answer was not read")
        await press(page, button, timing)
    except PlaywrightError as exc:
        await _back(page, url_before, timing)
        return _not_tried(f"pressing {words!r} failed", f"the store's answer was not read: {exc.message[:80]}")
    was_blocked = await _wait_for_answer(page, blocked_before, ctx, timing)
    try:
        return await _answer(page, option, ctx, timing, before, blocked_before, was_blocked, words, control)
    finally:
        await _back(page, url_before, timing)


async def _form_button(control: ElementHandle, code: ElementHandle | None, words: str) -> ElementHandle | None:
    """The form's submit button with these words (the step's Continue)."""
    handle = await (code or control).evaluate_handle(
        """(el, words) => { const f = el.form; if (!f) return null;
          return [...f.querySelectorAll("button, input[type=submit]")].find((b) =>
            (b.getAttribute("aria-label") || b.textContent || b.value || "").replace(/\\s+/g, " ").trim() === words)
            || null; }""",
        words,
    )
    return handle.as_element()


async def _back(page: Page, url: str, timing: Timing) -> None:
    """Back to the payment step as a fresh page (no typed value restored by the browser's history)."""
    try:
        await page.goto(url, wait_until="load", timeout=timing.back_timeout_ms)
    except PlaywrightError:
        pass


async def _answer(
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
        evidence=[
            Evidence(
                signal="store_answer",
                value=f"{pressed}: the store refused: {said!r} ({rule})",
                points_to=OptionState.greyed_out,
                weight=9,
            )
        ],
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
        evidence=[
            Evidence(
                signal="store_answer",
                value=f"{pressed}: the store took it: {said!r} ({rule}){stop}",
                points_to=OptionState.selectable,
                weight=9,
            )
        ],
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
    before = await _text(page)
    blocked_before = len(ctx.blocked())
    url = page.url
    try:
        removers = await undo_candidates(page.main_frame)
        await page.evaluate(MARK_JS)
        await press(page, button, timing)
    except PlaywrightError:
        return await _accepted(page, option, ctx, offer, pressed, control, [], "allocation-form", value)
    if await _wait_for_answer(page, blocked_before, ctx, timing):
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
    took.notes.append(Note(signal="store_answer", value=await undo(page, page.main_frame, removers, url, timing)))
    return took
