"""Generated variants of a payment page: whatever the credit is called and however it is disabled, the state holds."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.async_api import Browser, Playwright, async_playwright

from probe.detect import observe
from probe.models import OptionState
from probe.walk.browser import LAUNCH_ARGS, find_browser

pytestmark = pytest.mark.browser

LABELS = ["Store credit", "Gift card balance", "Account credit", "Refund credit", "Promotional balance"]
BALANCES = ["", " ($25.00)", " — $7.50 available", " (balance: $120.00)"]

# How the page shows (or hides) the credit option, and the state a shopper meets.
MECHANISMS: dict[str, tuple[str, OptionState]] = {
    "plain": ("<label><input type=radio name=pay value=credit> {label}</label>", OptionState.selectable),
    "disabled": ("<label><input type=radio name=pay value=credit disabled> {label}</label>", OptionState.greyed_out),
    "fieldset": (
        "<fieldset disabled><label><input type=radio name=pay value=credit> {label}</label></fieldset>",
        OptionState.greyed_out,
    ),
    "checkbox-disabled": (
        "<label><input type=checkbox name=credit disabled> Use {label}</label>",
        OptionState.greyed_out,
    ),
    "not-rendered": ("", OptionState.absent),
    "display-none": (
        "<label style='display:none'><input type=radio name=pay value=credit> {label}</label>",
        OptionState.absent,
    ),
}


@dataclass
class Chromium:
    loop: asyncio.AbstractEventLoop
    pw: Playwright
    browser: Browser


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    loop = asyncio.new_event_loop()
    manager = async_playwright()
    pw = loop.run_until_complete(manager.__aenter__())
    browser = loop.run_until_complete(
        pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
    )
    try:
        yield Chromium(loop, pw, browser)
    finally:
        loop.run_until_complete(browser.close())
        loop.run_until_complete(manager.__aexit__(None, None, None))
        loop.close()


def payment_page(option: str, decoys_first: bool) -> str:
    decoys = (
        "<label><input type=radio name=pay value=card checked> Credit or debit card</label><br>"
        "<p>Order summary: Gift card ($50.00)</p>"
        "<label>Add a gift card or promo code <input name=code></label>"
    )
    parts = [decoys, option] if decoys_first else [option, decoys]
    return f"<!doctype html><html><body><h1>Payment</h1><form>{'<br>'.join(parts)}</form></body></html>"


async def _observe(browser: Browser, html: str) -> tuple[OptionState, list[str]]:
    page = await browser.new_page()
    try:
        await page.set_content(html)
        observation = await observe(page, timeout_s=10)
        return observation.option_state, [o.label for o in observation.credit_options]
    finally:
        await page.close()


@settings(max_examples=15, deadline=None)
@given(
    label=st.sampled_from(LABELS),
    balance=st.sampled_from(BALANCES),
    mechanism=st.sampled_from(sorted(MECHANISMS)),
    decoys_first=st.booleans(),
)
def test_generated_payment_pages(
    chromium: Chromium, label: str, balance: str, mechanism: str, decoys_first: bool
) -> None:
    markup, expected = MECHANISMS[mechanism]
    html = payment_page(markup.format(label=label + balance), decoys_first)
    state, labels = chromium.loop.run_until_complete(_observe(chromium.browser, html))
    assert state is expected, (mechanism, label, labels)
    if expected is not OptionState.absent:
        assert any(label.lower() in found.lower() for found in labels), labels
    # The card, the order summary and the code box are never taken for the credit.
    assert not any("debit card" in found.lower() or "promo code" in found.lower() for found in labels), labels
