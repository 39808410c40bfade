"""The guard's naming rules: what it refuses to click and which URLs it blocks."""

from __future__ import annotations

import pytest

from probe.walk.guard import OrderGuard, forbidden_control


@pytest.mark.parametrize(
    "name",
    [
        "Place your order",
        "Place order",
        "Buy now",
        "Pay now",
        "Complete purchase",
        "Complete your order",
        "Confirm",
        "Confirm order",
        "Confirm and pay",
        "Pay $50.00",
        "Submit order",
        "  place   ORDER  ",
    ],
)
def test_refuses_controls_named_like_ordering(name: str) -> None:
    assert forbidden_control(name)


@pytest.mark.parametrize(
    "name",
    [
        "Proceed to checkout",
        "Use this payment method",
        "Use this address",
        "Add to Cart",
        "Apply",
        "Apply store credit",
        "Payment method",
        "Confirm your address",
        "Continue to payment",
        "",
        None,
    ],
)
def test_allows_the_walk_to_payment_selection(name: str | None) -> None:
    assert not forbidden_control(name)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/checkout/place-order",
        "https://shop.example/?wc-ajax=checkout",
        "https://shop.example/wp-json/wc/store/v1/checkout",
        "https://shop.example/rest/default/V1/carts/mine/payment-information",
        "https://shop.example/rest/default/V1/guest-carts/abc/payment-information",
        "https://shop.example/checkouts/c/123/processing",
        "https://shop.example/api/order/create",
    ],
)
def test_blocks_order_endpoints(url: str) -> None:
    assert OrderGuard().order_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/checkout/payment",
        "http://127.0.0.1:9/checkout/review",
        "https://shop.example/?wc-ajax=update_order_review",
        "https://shop.example/static/order-summary.css",
        "https://shop.example/account/credit",
    ],
)
def test_lets_the_walk_through(url: str) -> None:
    assert not OrderGuard().order_url(url)


def test_profile_endpoints_add_to_the_defaults() -> None:
    guard = OrderGuard([r"/api/v2/finalize"])
    assert guard.order_url("https://shop.example/api/v2/finalize")
    assert guard.order_url("https://shop.example/checkout/place-order")
    assert r"/api/v2/finalize" in guard.safety().order_patterns


def test_refused_click_is_recorded_once() -> None:
    guard = OrderGuard()
    assert guard.refuse_click("Place your order")
    assert guard.refuse_click("Place your order")
    assert not guard.refuse_click("Add to Cart")
    blocked = guard.safety().blocked
    assert len(blocked) == 1 and blocked[0].kind == "click"
    assert guard.safety().order_placed is False
