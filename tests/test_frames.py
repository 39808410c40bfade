"""A page of many frames is read from its main frame: which frames the scanner must read one by one, and every
frame's settle state in one call, with nothing of what a frame holds lost on the way."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from in_process import InProcessChecks
from playwright.async_api import Page

from probe.detect import observe
from probe.detect.frames import frames_to_scan
from probe.detect.settle import OVERDUE_MS, _states
from probe.detect.track import install_tracking, track_options
from probe.detect.vocabulary import BUSY_TEXT, credit_patterns, scan_words
from probe.models import OptionState
from probe.timing import DEFAULT_TIMING

pytestmark = pytest.mark.browser

WIDGET = "<b>Reviews (12)</b> <a href='#'>more</a> <button>Chat</button>"
IN_TEXT = "<label><input type='radio' name='pay' disabled> Store credit</label> $20.00 available"
IN_ATTRIBUTE = "<button type='button' aria-label='Use store credit'>Use</button>"
BUSY = "<div style='width:200px;height:40px'>Loading...</div>"


def _frame(body: str, extra: str = "") -> str:
    return f'<iframe {extra} style="width:300px;height:60px" srcdoc="{html.escape(body)}"></iframe>'


def _page(frames: list[str]) -> str:
    return "<!doctype html><h1>Payment</h1><label><input type=radio name=m checked> Card</label>" + "".join(frames)


async def _load(page: Page, frames: list[str]) -> None:
    """The page with each frame's own document in it (not the blank one a frame starts with)."""
    await page.set_content(_page(frames))
    for frame in page.frames[1:]:
        await frame.wait_for_selector("body *", state="attached")


def _in_browser(checks: InProcessChecks, test: Callable[[Page], Awaitable[Any]]) -> Any:
    """`test` on a page of a fresh context of the session's Chromium, on that browser's own loop (not this thread's,
    where another test's browser may be running one)."""

    async def run() -> Any:
        context = await checks.browser.new_context()
        await install_tracking(context)
        try:
            return await test(await context.new_page())
        finally:
            await context.close()

    return checks.call(run())


async def _bodies(page: Page, frames: list[Any]) -> list[str]:
    return [await f.evaluate("() => document.body.innerHTML") for f in frames[1:]]


def test_only_frames_that_name_credit_or_cannot_be_read_are_scanned_and_their_options_still_found(
    checks: InProcessChecks,
) -> None:
    frames = [_frame(WIDGET) for _ in range(12)]
    frames[3] = _frame(IN_TEXT)
    frames[7] = _frame(IN_ATTRIBUTE)
    frames[9] = _frame(WIDGET.replace("Reviews", "Sandboxed"), "sandbox")  # an opaque origin: the page cannot read it

    async def test(page: Page) -> tuple[list[str], int, Any]:
        await _load(page, frames)
        chosen = await frames_to_scan(page, scan_words(credit_patterns(None)))
        return await _bodies(page, chosen), len(page.frames), await observe(page, apply=False)

    bodies, count, seen = _in_browser(checks, test)
    assert count == 13
    assert len(bodies) == 3
    assert any("Store credit" in b for b in bodies)
    assert any("Use store credit" in b for b in bodies)
    assert any("Sandboxed" in b for b in bodies)
    states = {o.label: o.option_state for o in seen.credit_options}
    assert OptionState.greyed_out in states.values(), states
    assert any("store credit" in label.lower() for label in states), states


def test_settle_reads_every_frame_from_the_main_frame_and_sees_a_frame_busy(checks: InProcessChecks) -> None:
    frames = [_frame(WIDGET) for _ in range(8)]
    frames[5] = _frame(BUSY)
    opts = {
        "busy": BUSY_TEXT,
        "credit": credit_patterns(None),
        "overdueMs": OVERDUE_MS,
        "track": track_options(DEFAULT_TIMING, late=True),
    }

    async def test(page: Page) -> tuple[int, list[Any], bool, list[Any], bool]:
        await _load(page, frames)
        together, fast = await _states(page, opts, descend=True)
        apart, slow = await _states(page, opts, descend=False)
        return len(page.frames), together, fast, apart, slow

    count, together, fast, apart, slow = _in_browser(checks, test)
    assert fast and not slow
    assert len(together) == len(apart) == count == 9
    assert [s["busy"] for s in together if s["busy"]] == [s["busy"] for s in apart if s["busy"]]
    assert any("Loading" in b for s in together for b in s["busy"])


def test_a_frame_the_main_frame_cannot_read_is_asked_on_its_own(checks: InProcessChecks) -> None:
    frames = [_frame(WIDGET), _frame(BUSY, "sandbox"), _frame(WIDGET)]
    opts = {"busy": BUSY_TEXT, "credit": [], "overdueMs": OVERDUE_MS, "track": track_options(DEFAULT_TIMING, late=True)}

    async def test(page: Page) -> tuple[int, list[Any], bool]:
        await _load(page, frames)
        states, fast = await _states(page, opts, descend=True)
        return len(page.frames), states, fast

    count, states, fast = _in_browser(checks, test)
    assert not fast
    assert len(states) == count == 4
    assert any("Loading" in b for s in states if s for b in s["busy"])
