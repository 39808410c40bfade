"""The guard's rules: the one refusal rule for clicks, which URLs a navigation may open, and the audit's URLs."""

from __future__ import annotations

import pytest

from probe.safety.refusal import click_refusal, is_selection
from probe.walk.guard import OrderGuard, safe_url

ORDER_NAMES = [
    "Place your order",
    "Place order",
    "Place my order",
    "Complete purchase",
    "Complete your order",
    "Confirm order",
    "Confirm and pay",
    "Submit order",
    "Submit payment",
    "Finalize order",
    "  place   ORDER  ",
    "Zahlungspflichtig bestellen",
    "Valider ma commande",
]
PAY_NAMES = ["Buy now", "Pay now", "Pay $25.00", "Pay", "Pay with store credit", "Confirm", "Checkout now", "Order now"]
PRESSES = [
    ("button", None, None),
    (None, "button", "submit"),
    (None, "input", "submit"),
    ("link", "a", None),
    (None, "a", None),
]


@pytest.mark.parametrize("name", ORDER_NAMES + PAY_NAMES)
@pytest.mark.parametrize(("role", "tag", "type_"), PRESSES)
def test_buttons_and_links_named_like_ordering_or_paying_are_never_pressed(
    name: str, role: str | None, tag: str | None, type_: str | None
) -> None:
    assert click_refusal(role, name, tag, type_)


@pytest.mark.parametrize("name", ORDER_NAMES)
@pytest.mark.parametrize(
    ("role", "tag", "type_"), [("radio", None, None), (None, "input", "checkbox"), (None, "option", None)]
)
def test_even_a_selection_named_like_placing_an_order_is_refused(
    name: str, role: str | None, tag: str | None, type_: str | None
) -> None:
    assert click_refusal(role, name, tag, type_)


@pytest.mark.parametrize("name", ["Pay with store credit", "Pay later", "Buy now, pay later", "Pay $25.00 with credit"])
@pytest.mark.parametrize(
    ("role", "tag", "type_"),
    [
        ("radio", None, None),
        (None, "input", "radio"),
        (None, "input", "checkbox"),
        (None, "option", None),
        ("switch", "button", None),
    ],
)
def test_a_selection_named_like_paying_stays_clickable(
    name: str, role: str | None, tag: str | None, type_: str | None
) -> None:
    assert click_refusal(role, name, tag, type_) is None


@pytest.mark.parametrize(
    "name",
    [
        "Proceed to checkout",
        "Use this payment method",
        "Use this address",
        "Add to Cart",
        "Apply",
        "Apply store credit",
        "Use store credit",
        "Payment method",
        "Confirm your address",
        "Continue to payment",
        "PayPal",
        "Buy gift cards",
        "",
        None,
    ],
)
def test_the_walk_to_payment_selection_is_not_refused(name: str | None) -> None:
    assert click_refusal("button", name, "button", "submit") is None


def test_a_submit_input_is_a_press_whatever_role_it_claims() -> None:
    assert not is_selection("radio", "input", "submit")
    assert is_selection("radio", "button", None)
    assert click_refusal("radio", "Pay now", "input", "submit")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/checkout/place-order",
        "https://shop.example/order/place?auto=1",
        "https://shop.example/checkout/complete",
        "https://shop.example/checkouts/c/123/processing",
        "https://shop.example/index.php?route=extension/payment/cod/confirm",
    ],
)
def test_navigations_to_order_actions_are_blocked(url: str) -> None:
    assert OrderGuard().order_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/checkout/payment",
        "http://127.0.0.1:9/checkout/review",
        "https://shop.example/?wc-ajax=update_order_review",
        "https://shop.example/static/order-summary.css",
        "https://shop.example/account/credit",
        "https://shop.example/wp-json/wc/store/v1/checkout",
        "https://shop.example/rest/default/V1/carts/mine/payment-information",
        "https://shop.example/checkout/confirm",
    ],
)
def test_reading_pages_and_checkout_data_is_let_through(url: str) -> None:
    assert not OrderGuard().order_url(url)


def test_profile_endpoints_add_to_the_defaults() -> None:
    guard = OrderGuard([r"/api/v2/finalize"])
    assert guard.order_url("https://shop.example/api/v2/finalize")
    assert guard.order_url("https://shop.example/checkout/place-order")
    assert r"/api/v2/finalize" in guard.safety().order_patterns


def test_refused_click_is_recorded_once() -> None:
    guard = OrderGuard()
    assert guard.refuse_click("button", "Place your order")
    assert guard.refuse_click("button", "Place your order")
    assert not guard.refuse_click("button", "Add to Cart")
    assert not guard.refuse_click("radio", "Pay with store credit", "input", "radio")
    blocked = guard.safety().blocked
    assert len(blocked) == 1 and blocked[0].kind == "click"
    assert guard.safety().order_placed is False
    assert OrderGuard.click_refusal is click_refusal


def test_audited_urls_keep_routing_words_and_mask_everything_else() -> None:
    url = "https://ann:secret@shop.example/?wc-ajax=checkout&key=wc_order_abc&email=ann@example.com#frag"
    assert safe_url(url) == "https://shop.example/?wc-ajax=checkout&key=***&email=***"
    assert "ann@example.com" not in safe_url("https://shop.example/customers/ann@example.com/orders")
    guard = OrderGuard()
    decision = guard.judge("POST", "https://shop.example/orders?token=abc", b"{}", "application/json")
    guard.audit("POST", "https://shop.example/orders?token=abc", decision)
    (seen,) = guard.safety().requests
    assert (seen.method, seen.url, seen.outcome) == ("POST", "https://shop.example/orders?token=***", "blocked")
    assert seen.rule == "general-url-last-segment"
