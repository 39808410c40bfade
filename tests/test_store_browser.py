"""A real Chromium takes every scenario from the catalogue to the payment step and sees what it declares."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from mock_store.catalogue import PRODUCTS
from mock_store.scenarios import ExpectedOption, Scenario, list_scenarios, load_scenario

pytestmark = pytest.mark.browser
SETTLE_MS = 15_000  # late options and totals updates settle within seconds; allow for a loaded machine


def walk_to_payment(page: Page, name: str, kind: str) -> None:
    """Pick the scenario on the catalogue, then shop as a person would: product, cart, address, payment."""
    page.goto(f"/gift-cards?scenario={name}")
    expect(page.get_by_test_id("scenario-name")).to_have_text(f"Scenario: {name}")
    account = load_scenario(name).sign_in
    if account is not None:
        page.goto("/signin?next=/gift-cards")
        page.get_by_label("Email address", exact=True).first.fill(account.email)
        page.get_by_label("Password", exact=True).fill(account.password)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/gift-cards$"))
    page.get_by_test_id(f"gift-card-{kind}").click()
    expect(page.get_by_label("Amount")).to_have_value("50")
    expect(page.get_by_label("Quantity")).to_have_value("1")
    if kind == "store-physical":
        expect(page.get_by_role("radio", name="Standard shipping", exact=False)).to_be_checked()
    else:
        page.get_by_label("Recipient email").fill("jordan.lee@example.com")
    page.get_by_role("button", name="Add to Cart").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    page.get_by_role("link", name="Proceed to checkout").click()
    page.get_by_role("button", name="Use this address").click()
    expect(page.get_by_role("heading", name="Select a payment method")).to_be_visible()


# Scenarios walked page by page as a person shops: one per gift-card kind, and the one behind a sign-in. The others
# differ only on the payment page, so their cart is filled with the product form's own request and the payment
# page opened directly.
WALKED = {"default", "gift-card-balance-physical", "third-party-selectable", "signed-in"}


def straight_to_payment(page: Page, name: str, kind: str) -> None:
    """Pick the scenario, put the product page's first card of `kind` in the cart as its form would, open payment."""
    page.goto(f"/gift-cards?scenario={name}")
    expect(page.get_by_test_id("scenario-name")).to_have_text(f"Scenario: {name}")
    product = next(p for p in PRODUCTS if p.kind == kind)
    form = {"slug": product.slug, "amount": "50", "quantity": "1", "recipient_email": "jordan.lee@example.com"}
    assert page.request.post("/cart/add", form=form).ok
    page.goto("/checkout/payment?address=home")
    expect(page.get_by_role("heading", name="Select a payment method")).to_be_visible()


def check_option(page: Page, scenario: Scenario, want: ExpectedOption) -> None:
    """The option is there, enabled or greyed, or gone, as the scenario declares."""
    balances = page.locator("#credit-options")
    line = scenario.line(want.label)
    radio = balances.get_by_role("radio", name=want.label, exact=True)
    if scenario.ui.ineligible == "message_only" and want.reason and line.amount > 0:
        note = balances.get_by_role("note").filter(has_text=want.label)
        expect(note).to_be_visible(timeout=SETTLE_MS)
        expect(note).to_contain_text(want.reason or "")
        expect(radio).to_have_count(0)
        return
    if want.option_state == "absent":
        expect(balances.get_by_text(want.label)).to_have_count(0, timeout=SETTLE_MS)
        return
    if scenario.ui.zero_balance == "select_button" and line.amount == 0:
        # An unlabelled radio (its value is the account's code) and a button the store answers only when pressed.
        row = balances.locator(".pay-option").filter(has_text=want.label)
        expect(row.get_by_role("radio")).to_be_enabled(timeout=SETTLE_MS)
        expect(radio).to_have_count(0)
        expect(row.get_by_role("alert")).to_have_count(0)
        row.get_by_role("button", name="Select account").click()
        expect(row.get_by_role("alert")).to_have_text(want.reason or "", timeout=SETTLE_MS)
        return
    expect(radio).to_be_visible(timeout=SETTLE_MS)
    row: Locator = balances.locator(".pay-option").filter(has=page.get_by_role("radio", name=want.label, exact=True))
    if want.balance:
        expect(row).to_contain_text(f"{want.balance} available")
    if want.option_state == "selectable":
        expect(radio).to_be_enabled()
        radio.click()
        expect(radio).to_be_checked()
        return
    if want.reason:
        expect(row.get_by_text(want.reason)).to_be_visible(timeout=SETTLE_MS)
    if scenario.ui.ineligible == "css_only" and line.amount > 0:
        expect(radio).to_be_enabled()  # no disabled attribute: only CSS, and clicks that do nothing
        radio.click()
        expect(radio).not_to_be_checked()
        assert float(row.evaluate("el => getComputedStyle(el).opacity")) < 1
    else:
        expect(radio).to_be_disabled(timeout=SETTLE_MS)


@pytest.mark.parametrize("name", list_scenarios())
def test_walk_scenario_to_payment(page: Page, name: str) -> None:
    scenario = load_scenario(name)
    shop = walk_to_payment if name in WALKED else straight_to_payment
    shop(page, name, scenario.probe.gift_card)
    expect(page.locator("#credit-loading")).to_have_count(0, timeout=SETTLE_MS)
    expect(page.get_by_role("radio", name="Credit or debit card ending in 4242")).to_be_checked()
    expect(page.get_by_label("Add a gift card or promotion code")).to_be_visible()
    bought = next(p.name for p in PRODUCTS if p.kind == scenario.probe.gift_card)
    expect(page.get_by_role("complementary", name="Order Summary")).to_contain_text(bought)
    for want in scenario.expected_options():
        check_option(page, scenario, want)
    if not scenario.credit_lines:
        expect(page.locator("#credit-options")).to_contain_text("You have no gift card or credit balance")
    assert page.request.get("/api/orders").json() == {"orders": []}


def test_home_nav_and_account_page(page: Page) -> None:
    page.goto("/scenario/default")
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("navigation", name="Departments").get_by_role("link", name="Gift Cards").click()
    expect(page.get_by_role("heading", name="Gift Cards", exact=True)).to_be_visible()
    page.get_by_role("link", name="Your Account").first.click()
    table = page.locator("table#credit-lines")
    expect(table.locator("thead th")).to_have_text(["Credit", "Source", "Balance", "Expires", "Terms"])
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(
        [
            "Refund credit",
            "refund",
            "$25.00",
            "2027-03-01",
            "Refund credit can be used for any purchase, including gift cards.",
        ]
    )
    expect(page.locator("#credit-balance")).to_have_text("$35.00")
