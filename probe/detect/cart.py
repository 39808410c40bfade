"""The cart as checked: the order summary beside the payment selection, read from the page."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from probe.detect.cart_words import Row, cart_from_rows, cart_words
from probe.models import Cart
from probe.money import MONEY

if TYPE_CHECKING:
    from playwright.async_api import Page

CART_JS = Path(__file__).with_name("cart.js").read_text(encoding="utf-8")
# A summary is read in one script; a page too busy to run it within this has no cart to report.
READ_TIMEOUT_S = 5.0


async def read_cart(page: Page) -> Cart | None:
    """The cart the page's order summary shows (names masked like the pictures), or None when it shows none or
    cannot be read."""
    words = cart_words()
    try:
        found = await asyncio.wait_for(
            page.evaluate(
                CART_JS, [words.joined("total"), words.joined("not_item"), words.joined("label_not_item"), MONEY]
            ),
            timeout=READ_TIMEOUT_S,
        )
    except Exception:  # noqa: BLE001 - a page that will not be read has no cart to report
        return None
    if not isinstance(found, dict):
        return None
    rows = [
        Row(name=str(r.get("name") or ""), amount=r.get("amount"), quantity=r.get("quantity"))
        for r in found.get("rows") or []
        if isinstance(r, dict)
    ]
    return cart_from_rows(rows, found.get("total"))
