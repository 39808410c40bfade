"""The store's answer: press a credit's own apply / use / select button, read the refusal or deduction, undo it."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from functools import cache

from playwright.async_api import ElementHandle, Frame, JSHandle, Page
from playwright.async_api import Error as PlaywrightError

from probe.detect.signals import Weight
from probe.detect.vocabulary import APPLIED_TEXT, REASON_WORDS, UNDO_WORDS
from probe.models import Evidence, Note, OptionState
from probe.money import MONEY
from probe.safety.refusal import click_refusal
from probe.timing import Timing

# After an undo press, a few looks at the page give its answer time to show.
UNDO_POLLS = 4

_REASON = re.compile(REASON_WORDS, re.IGNORECASE)
_APPLIED = re.compile(APPLIED_TEXT, re.IGNORECASE)
_UNDO = re.compile(UNDO_WORDS, re.IGNORECASE)


@cache
def _deducted() -> re.Pattern[str]:
    """An amount taken off ("-$20.00"): compiled when a press is read (as long to compile as the rest of this
    module), not by every check that imports it."""
    return re.compile(r"[-\u2212\u2013]\s?(?:" + MONEY + r")", re.IGNORECASE)


# Messages the page shows as alerts, errors or notices, and the lines of text it shows, in one read.
ANSWER_JS = r"""
() => {
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const notes = [];
  const sel = '[role=alert], [role=status], [aria-live], .error, .errors, .alert, .notice, .message, .messages, ' +
    '.errorlist, .invalid-feedback, .woocommerce-error, .woocommerce-message, .flash, .toast';
  for (const el of document.querySelectorAll(sel)) {
    const t = norm(el.innerText);
    if (t && t.length < 300 && shown(el) && !notes.includes(t)) notes.push(t);
  }
  const lines = document.body ? document.body.innerText.split("\n").map(norm).filter(Boolean) : [];
  return { notes, lines, url: location.href };
}
"""
# Shown Remove / Cancel controls, leaving out those shown before the press (a basket line's own "Remove").
UNDO_JS = r"""
([words, before]) => {
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const rx = new RegExp(words, "i");
  const old = new Set(before || []);
  const out = [];
  for (const el of document.querySelectorAll("button, a[href], input[type=button], [role=button]")) {
    const t = norm(el.getAttribute("aria-label") || el.textContent || el.value);
    const r = el.getBoundingClientRect();
    if (!old.has(el) && rx.test(t) && t.length < 60 && r.width > 0 && r.height > 0) out.push(el);
  }
  return out;
}
"""


async def press(page: Page, control: ElementHandle, timing: Timing) -> None:
    """Click the control's centre as a shopper's mouse would (no waiting for animations a busy tab may never run)."""
    await control.scroll_into_view_if_needed(timeout=timing.press_timeout_ms)
    box = await control.bounding_box()
    if box is None:
        raise PlaywrightError("the control has no box to click")
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def may_press(name: str) -> bool:
    """The one place this module asks the click refusal rule; an apply control is judged as the button it is."""
    return click_refusal("button", name) is None


@dataclass
class Answer:
    """What the store said after a press: evidence when it answered, a note of what was done when it did not."""

    evidence: list[Evidence] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    message: str | None = None
    state: OptionState | None = None

    def note(self, value: str) -> None:
        """Say what the press did, pointing to no state."""
        self.notes.append(Note(signal="apply_press", value=value))


async def _read(frame: Frame) -> dict[str, object]:
    try:
        found: dict[str, object] = await frame.evaluate(ANSWER_JS)
    except PlaywrightError:
        return {"notes": [], "lines": [], "url": ""}
    return found


async def wait_for_answer(
    frame: Frame, before: set[str], timing: Timing, wait_s: float | None = None
) -> tuple[list[str], list[str]]:
    """Poll until the page shows something new (a message, new totals), or the wait is over: (new notes, new lines)."""
    deadline = time.monotonic() + (timing.answer_wait_s if wait_s is None else wait_s)
    notes: list[str] = []
    new: list[str] = []
    while True:
        read = await _read(frame)
        notes = [str(n) for n in read["notes"] if str(n) not in before]  # type: ignore[attr-defined]
        new = [str(line) for line in read["lines"] if str(line) not in before]  # type: ignore[attr-defined]
        if notes or new or time.monotonic() >= deadline:
            # Give a message that is still being written a moment to finish.
            if notes or new:
                await asyncio.sleep(timing.answer_poll_s)
                read = await _read(frame)
                notes = [str(n) for n in read["notes"] if str(n) not in before]  # type: ignore[attr-defined]
                new = [str(line) for line in read["lines"] if str(line) not in before]  # type: ignore[attr-defined]
            return notes, new
        await asyncio.sleep(timing.answer_poll_s)


async def page_text(frame: Frame) -> set[str]:
    """Every message and line the page shows now, to tell the store's answer from what was there before."""
    read = await _read(frame)
    return {str(x) for x in (*read["notes"], *read["lines"])}  # type: ignore[misc]


def read_answer(notes: list[str], new: list[str]) -> tuple[OptionState | None, str | None]:
    """A refusal (a message with reason words) -> greyed_out; a deduction or 'applied' line -> selectable."""
    refusal = next((n for n in notes if _REASON.search(n)), None) or next((n for n in new if _REASON.search(n)), None)
    if refusal is None and notes and not any(_APPLIED.search(n) or _deducted().search(n) for n in notes):
        refusal = notes[0]
    if refusal:
        return OptionState.greyed_out, refusal
    deducted = next((n for n in new if _deducted().search(n) or _APPLIED.search(n)), None)
    if deducted:
        return OptionState.selectable, deducted
    return None, None


async def undo_candidates(frame: Frame, before: JSHandle | None = None) -> JSHandle | None:
    """The Remove / Cancel controls shown now (before a press: the ones an undo must never touch)."""
    try:
        return await frame.evaluate_handle(UNDO_JS, [_UNDO.pattern, before])
    except PlaywrightError:
        return None


async def undo(page: Page, frame: Frame, shown_before: JSHandle | None, url_before: str, timing: Timing) -> str:
    """Take the credit back off where the page offers a new way (Remove, Cancel), or go back; say what was done."""
    if page.url != url_before:
        try:
            await page.go_back(timeout=timing.back_timeout_ms)
        except PlaywrightError:
            return "the press opened another page; going back failed"
        return "went back to the payment step" if page.url == url_before else "went back, to another page"
    found = await undo_candidates(frame, shown_before)
    if found is None:
        return "not undone: could not look for a way to undo it"
    handles = await found.get_properties()
    for handle in handles.values():
        control = handle.as_element()
        if control is None:
            continue
        words = str(await control.evaluate("(e) => (e.getAttribute('aria-label') || e.textContent || e.value || '')"))
        if not may_press(words):
            continue
        try:
            await press(page, control, timing)
        except PlaywrightError:
            continue
        await wait_for_answer(frame, set(), timing, wait_s=timing.answer_poll_s * UNDO_POLLS)
        return f"undone: pressed {' '.join(words.split())[:40]!r}"
    return "not undone: the page offers no Remove or Cancel"


async def press_apply(page: Page, frame: Frame, control: ElementHandle, words: str, timing: Timing) -> Answer:
    """Press the credit's own apply control (never an order control), read the answer, and undo what it did."""
    answer = Answer()
    if not may_press(words):
        answer.note(f"not pressed: {words!r} is an order control")
        return answer
    before = await page_text(frame)
    url_before = page.url
    shown_before = await undo_candidates(frame)
    try:
        await press(page, control, timing)
    except PlaywrightError as exc:
        answer.note(f"pressing {words!r} failed: {exc.message[:80]}")
        return answer
    if page.url != url_before:
        # The store answered with a new page: its message is the answer.
        try:
            await page.wait_for_load_state("load", timeout=timing.back_timeout_ms)
        except PlaywrightError:
            pass
        frame = page.main_frame
    notes, new = await wait_for_answer(frame, before, timing)
    state, said = read_answer(notes, new)
    took = state is OptionState.selectable or page.url != url_before
    undone = await undo(page, frame, shown_before, url_before, timing) if took else ""
    done = f"; {undone}" if undone else ""
    if state is OptionState.greyed_out:
        answer.state, answer.message = state, said
        answer.evidence.append(
            Evidence(
                signal="apply_press",
                value=f"pressed {words!r}: the store refused: {said!r}{done}",
                points_to=state,
                weight=Weight.STORE_REFUSED,
            )
        )
    elif state is OptionState.selectable:
        answer.state = state
        answer.evidence.append(
            Evidence(
                signal="apply_press",
                value=f"pressed {words!r}: the store took it: {said!r}{done}",
                points_to=state,
                weight=Weight.STORE_TOOK,
            )
        )
    else:
        answer.note(f"pressed {words!r}: no answer within {timing.answer_wait_s:g} s")
    return answer
