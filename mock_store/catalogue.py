"""The gift cards the store sells, and the cart that holds them (kept in a cookie, one per browser session)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from decimal import Decimal

from pydantic import Field, ValidationError

from mock_store.scenarios import Strict

STORE_NAME = "Everymart"
AMOUNTS = (25, 50, 100)
DEFAULT_AMOUNT = 50
ACCOUNT_EMAIL = "jordan.lee@example.com"


@dataclass(frozen=True)
class Product:
    """One gift card on the catalogue page."""

    slug: str
    name: str
    kind: str  # store-digital | store-physical | third-party
    brand: str
    blurb: str
    delivery: str  # email | mail
    art: str  # a CSS class that draws the card face

    @property
    def digital(self) -> bool:
        return self.delivery == "email"


PRODUCTS: tuple[Product, ...] = (
    Product(
        "everymart-egift-card",
        "Everymart eGift Card",
        "store-digital",
        STORE_NAME,
        "Delivered by e-mail within minutes. Redeemable for millions of items storewide.",
        "email",
        "art-egift",
    ),
    Product(
        "everymart-egift-card-birthday",
        "Everymart eGift Card – Happy Birthday",
        "store-digital",
        STORE_NAME,
        "A birthday design, delivered by e-mail on the date you choose.",
        "email",
        "art-birthday",
    ),
    Product(
        "everymart-gift-card-greeting",
        "Everymart Gift Card in a Greeting Card",
        "store-physical",
        STORE_NAME,
        "A plastic gift card tucked into a greeting card. Free standard shipping.",
        "mail",
        "art-physical",
    ),
    Product(
        "everymart-gift-card-box",
        "Everymart Gift Card in a Mini Gift Box",
        "store-physical",
        STORE_NAME,
        "A gift card presented in a small keepsake box. Ships in 1–2 days.",
        "mail",
        "art-box",
    ),
    Product(
        "skyline-air-gift-card",
        "Skyline Air Travel Gift Card",
        "third-party",
        "Skyline Air",
        "Flights and seat upgrades on Skyline Air. Delivered by e-mail.",
        "email",
        "art-air",
    ),
    Product(
        "pixelplay-games-gift-card",
        "Pixelplay Games Gift Card",
        "third-party",
        "Pixelplay",
        "Games, add-ons and subscriptions in the Pixelplay store. Delivered by e-mail.",
        "email",
        "art-games",
    ),
    Product(
        "bean-and-brew-egift",
        "Bean & Brew Coffee eGift Card",
        "third-party",
        "Bean & Brew",
        "Coffee, tea and treats at 4,000 cafés. Delivered by e-mail.",
        "email",
        "art-coffee",
    ),
)
BY_SLUG = {p.slug: p for p in PRODUCTS}
KIND_NAMES = {
    "store-digital": "eGift card (e-mail delivery)",
    "store-physical": "Gift card (shipped)",
    "third-party": "Partner brand gift card",
}


def first_testids() -> dict[str, str]:
    """slug -> data-testid for the first product of each kind."""
    seen: dict[str, str] = {}
    for product in PRODUCTS:
        if product.kind not in seen.values():
            seen[product.slug] = product.kind
    return {slug: f"gift-card-{kind}" for slug, kind in seen.items()}


class CartLine(Strict):
    """One line in the cart."""

    slug: str
    amount: int = Field(gt=0)
    quantity: int = Field(ge=1, le=10)
    recipient_email: str = ""
    delivery: str = "standard"

    @property
    def product(self) -> Product:
        return BY_SLUG[self.slug]

    @property
    def total(self) -> Decimal:
        return Decimal(self.amount * self.quantity)


class Cart(Strict):
    """The cart: gift-card lines in the order they were added."""

    lines: list[CartLine] = Field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        return {line.product.kind for line in self.lines}

    @property
    def subtotal(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def encode(self) -> str:
        """The cart as a cookie value."""
        raw = json.dumps(self.model_dump(), separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str | None) -> Cart:
        """The cart from its cookie value; an unreadable cookie is an empty cart."""
        if not value:
            return cls()
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            cart = cls.model_validate_json(raw)
        except (ValueError, ValidationError):
            return cls()
        if any(line.slug not in BY_SLUG for line in cart.lines):
            return cls()
        return cart
