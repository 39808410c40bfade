"""The mask rules over text (what the report shows, e.g. the cart's names) and the cart's rows: no browser."""

from __future__ import annotations

import pytest

SHOPPER_TEXT = {
    "a greeting's name": ("Hello, Jordan", "Jordan"),
    "a delivery name": ("Ship to: Jordan Lee", "Jordan Lee"),
    "a phone": ("Phone: +1 (206) 555-0148", "555-0148"),
    "a street": ("1200 Harbor Street", "Harbor"),
    "a city and ZIP": ("Seattle, WA 98101", "98101"),
    "an account code": ("Account code: ACCT-7Q2X-99KD", "7Q2X"),
    "a generated code": ("Code GK7UQ8WA5TQZ", "GK7UQ8WA5TQZ"),
}
SHOP_TEXT = [
    "$25 eGift Card",
    "Order total: $50.00",
    "Shipping & handling: $4.99",
    "Gift card €25 × 2",
    "Refund credit - order 100022",
    "Promotional credit can't be used to buy gift cards.",
    "Welcome Gift Card",
    "2026-12-31",
]


@pytest.mark.parametrize(("text", "secret"), SHOPPER_TEXT.values(), ids=SHOPPER_TEXT.keys())
def test_shopper_text_is_masked(text: str, secret: str) -> None:
    from probe.safety.shopper_data import mask_shopper_text

    assert secret not in mask_shopper_text(text)


@pytest.mark.parametrize("text", SHOP_TEXT)
def test_shop_text_stays(text: str) -> None:
    from probe.safety.shopper_data import mask_shopper_text

    assert mask_shopper_text(text) == text


def test_cart_rows_read_and_judged() -> None:
    from probe.detect.cart_words import Row, cart_from_rows, wrong_item

    cart = cart_from_rows([Row(name="2 × Gift card €25", amount="50,00 €", quantity="2 × Gift card €25")], "54,90 €")
    assert cart is not None and cart.items[0].name == "Gift card €25" and cart.items[0].quantity == 2
    assert wrong_item(cart) is None
    book = cart_from_rows([Row(name="A book for jordan.lee@example.com", amount="$12.00")], None)
    assert book is not None and "jordan.lee@example.com" not in book.items[0].name
    assert (wrong_item(book) or "").startswith("the cart holds “A book for •••”, not a gift card")
    assert cart_from_rows([], None) is None
    assert wrong_item(None) is None and wrong_item(cart_from_rows([], "$5.00")) is None
