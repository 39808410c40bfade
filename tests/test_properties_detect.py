"""Generated variants of a payment page: whatever the credit is called and however it is disabled, the state holds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from in_process import InProcessChecks
from playwright.async_api import Browser

from probe.detect import observe
from probe.detect.track import install_tracking
from probe.models import OptionState

pytestmark = pytest.mark.browser

LABELS = ["Store credit", "Gift card balance", "Account credit", "Refund credit", "Promotional balance"]
# Where the generated page is served from (answered by a route in the browser, never by a network).
PAGE_URL = "http://generated.test/payment"
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


def payment_page(option: str, decoys_first: bool) -> str:
    decoys = (
        "<label><input type=radio name=pay value=card checked> Credit or debit card</label><br>"
        "<p>Order summary: Gift card ($50.00)</p>"
        "<label>Add a gift card or promo code <input name=code></label>"
    )
    parts = [decoys, option] if decoys_first else [option, decoys]
    return f"<!doctype html><html><body><h1>Payment</h1><form>{'<br>'.join(parts)}</form></body></html>"


async def _observe(browser: Browser, html: str) -> tuple[OptionState, list[str]]:
    """Observe `html` as a check would: in a context tracked from document start, the page loaded from a URL."""
    context = await browser.new_context()
    try:
        await install_tracking(context)
        await context.route(PAGE_URL, lambda route: route.fulfill(body=html, content_type="text/html"))
        page = await context.new_page()
        await page.goto(PAGE_URL)
        observation = await observe(page, timeout_s=10)
        return observation.option_state, [o.label for o in observation.credit_options]
    finally:
        await context.close()


@settings(max_examples=15, deadline=None)
@given(
    label=st.sampled_from(LABELS),
    balance=st.sampled_from(BALANCES),
    mechanism=st.sampled_from(sorted(MECHANISMS)),
    decoys_first=st.booleans(),
)
def test_generated_payment_pages(
    checks: InProcessChecks, label: str, balance: str, mechanism: str, decoys_first: bool
) -> None:
    markup, expected = MECHANISMS[mechanism]
    html = payment_page(markup.format(label=label + balance), decoys_first)
    state, labels = checks.call(_observe(checks.browser, html))
    assert state is expected, (mechanism, label, labels)
    if expected is not OptionState.absent:
        assert any(label.lower() in found.lower() for found in labels), labels
    # The card, the order summary and the code box are never taken for the credit.
    assert not any("debit card" in found.lower() or "promo code" in found.lower() for found in labels), labels
