"""Settling: what holds the probe (requests, timers, payment-area changes), what does not, and the stall cap."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from playwright.async_api import async_playwright
from pydantic import ValidationError

from probe.detect import observe
from probe.detect.track import install_tracking
from probe.models import Observation
from probe.request import CheckRequest
from probe.run.sync import run_sync
from probe.timing import Timing
from probe.walk.browser import LAUNCH_ARGS, find_browser

SHORT = Timing(stall_cap_ms=800.0, timer_horizon_ms=3000.0)


def test_timing_is_strict_and_travels_with_the_request() -> None:
    request = CheckRequest(url="http://127.0.0.1:1/", timing=SHORT)
    assert request.timing.stall_cap_ms == 800.0
    assert CheckRequest(url="http://127.0.0.1:1/").timing == Timing()
    with pytest.raises(ValidationError):
        Timing(stall_cap_ms=0)
    with pytest.raises(ValidationError):
        Timing.model_validate({"quiet_window": 1})


async def _observe(url: str, *, timing: Timing, tracked: bool = True, timeout_s: float = 20) -> Observation:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
        try:
            context = await browser.new_context()
            if tracked:
                await install_tracking(context, timing)
            page = await context.new_page()
            await page.goto(url, wait_until="load")
            return await observe(page, timeout_s=timeout_s, timing=timing)
        finally:
            await browser.close()


def _settle_notes(obs: Observation) -> list[str]:
    return [n.value for n in obs.notes if n.signal in ("settle", "settle_capped")]


@pytest.mark.browser
def test_an_endless_spinner_is_observed_after_the_cap_with_a_warning(pages_url: str) -> None:
    obs = run_sync(lambda: _observe(f"{pages_url}/endless-spinner-beside-options.html", timing=SHORT))
    assert obs.option_state.value == "greyed_out", obs
    assert len(obs.warnings) == 1 and "did not change for 0.8 s" in obs.warnings[0], obs.warnings
    assert any(n.signal == "settle_capped" for n in obs.notes)


@pytest.mark.browser
def test_a_ticking_clock_away_from_the_options_holds_nothing(pages_url: str) -> None:
    obs = run_sync(lambda: _observe(f"{pages_url}/ticking-clock-and-carousel.html", timing=SHORT))
    assert obs.option_state.value == "selectable", obs
    assert obs.warnings == (), "a clock in the header is not the payment area changing"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("page", "state", "modes"),
    [
        ("late-render-2500ms.html", "selectable", (True, False)),
        # Without the tracker only a fixed quiet window guards this swap: it is the tracker's job.
        ("blind2-spa-swaps-list-to-greyed.html", "greyed_out", (True,)),
    ],
)
def test_work_the_page_announced_is_waited_for(pages_url: str, page: str, state: str, modes: tuple[bool, ...]) -> None:
    """A timer due soon holds a tracked page; a page opened without the tracker gets the fixed late-option wait."""
    results: dict[str, Any] = {}
    for tracked in modes:
        obs = run_sync(partial(_observe, f"{pages_url}/{page}", timing=Timing(), tracked=tracked))
        results[str(tracked)] = (obs.option_state.value, _settle_notes(obs))
    assert {k: v[0] for k, v in results.items()} == {str(m): state for m in modes}, results
