"""The cart as read from an order summary (probe/data/cart_words.yaml), and whether it holds a gift card."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import Field

from probe.errors import load_yaml_model
from probe.models import Cart, CartItem, Frozen
from probe.money import parse_balance
from probe.safety.shopper_data import mask_shopper_text

SHIPPED = Path(__file__).parents[1] / "data" / "cart_words.yaml"
# A cart line's name is shown up to this long (product names, not descriptions).
NAME_CHARS = 120
# How many items the report lists: a summary longer than this is not a gift-card checkout's.
MAX_ITEMS = 30


class Words(Frozen):
    """One pattern of the summary's words, with where it comes from."""

    pattern: str
    source: str = Field(min_length=1)


class CartWords(Frozen):
    """The words that tell totals, other summary lines, gift cards and quantities apart."""

    total: tuple[Words, ...]
    not_item: tuple[Words, ...]
    label_not_item: tuple[Words, ...]
    gift_card: tuple[Words, ...]
    quantity: tuple[Words, ...]

    def joined(self, which: str) -> str:
        """The patterns of one kind as one alternation (JavaScript-compatible)."""
        words: tuple[Words, ...] = getattr(self, which)
        return "|".join(f"(?:{w.pattern})" for w in words)


@functools.cache
def cart_words() -> CartWords:
    """The shipped words, validated once."""
    return load_yaml_model(SHIPPED, CartWords, what="cart words")


class Row(Frozen):
    """One line of the summary as the page shows it: a name, the line's text, the amount and quantity shown."""

    name: str
    amount: str | None = None
    quantity: str | None = None


def is_gift_card(name: str) -> bool:
    """Whether a cart line's name says it is a gift card."""
    return re.search(cart_words().joined("gift_card"), name, re.IGNORECASE) is not None


def _count(text: str) -> re.Match[str] | None:
    """Where a text states a quantity, by the first of the quantity words that finds one."""
    for words in cart_words().quantity:
        found = re.search(words.pattern, text, re.IGNORECASE)
        if found is not None:
            return found
    return None


def _quantity(text: str | None) -> int:
    if not text:
        return 1
    if text.strip().isdigit():
        return max(int(text.strip()), 1)
    found = _count(text)
    return max(int(found.group(1)), 1) if found else 1


def _name(text: str) -> str:
    """A line's name without its quantity, masked like the pictures."""
    found = _count(text)
    plain = text[: found.start()] + " " + text[found.end() :] if found else text
    return " ".join(mask_shopper_text(plain).split()).strip(" -–—·,")[:NAME_CHARS]


def cart_from_rows(rows: Sequence[Row], total: str | None) -> Cart | None:
    """The cart a summary's rows and total line make (names masked like the pictures), or None when it shows none."""
    items = []
    currency: str | None = None
    for row in rows[:MAX_ITEMS]:
        name = _name(row.name)
        if not name:
            continue
        amount = parse_balance(row.amount)
        currency = currency or (amount.currency if amount else None)
        items.append(CartItem(name=name, quantity=_quantity(row.quantity), amount=amount.amount if amount else None))
    whole = parse_balance(total)
    if not items and whole is None:
        return None
    return Cart(
        items=tuple(items), total=whole.amount if whole else None, currency=currency or (whole and whole.currency)
    )


def wrong_item(cart: Cart | None) -> str | None:
    """Why no verdict may be given on this cart (it was read and holds no gift card), or None."""
    if cart is None or not cart.items or any(is_gift_card(item.name) for item in cart.items):
        return None
    held = ", ".join(f"“{item.name}”" for item in cart.items[:3])
    more = f" and {len(cart.items) - 3} more" if len(cart.items) > 3 else ""
    return f"the cart holds {held}{more}, not a gift card: the check judges the credit for a gift card only"
