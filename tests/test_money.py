"""Money is money: a balance is a number in a money format beside a currency, never an order number, a name, a date,
a count or points. Examples from stores, properties over generated amounts and texts, and the same pattern in
Chromium (the in-page scanner's copy)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Page

from probe.models import Balance
from probe.money import MONEY, balance_argument, find_money, parse_balance

# As stores print money: (text, amount, currency as shown).
MONEY_EXAMPLES = [
    ("$150.00", 150.0, "$"),
    ("£0.00", 0.0, "£"),
    ("€ 25,00", 25.0, "€"),
    ("25,00 €", 25.0, "€"),
    ("1.234,56 €", 1234.56, "€"),
    ("1\u00a0234,56\u00a0€", 1234.56, "€"),
    ("CHF 25.–", 25.0, "CHF"),
    ("1'234.50 CHF", 1234.5, "CHF"),
    ("¥2,500", 2500.0, "¥"),
    ("R$ 25,00", 25.0, "R$"),
    ("US$25.00", 25.0, "US$"),
    ("USD 25", 25.0, "USD"),
    ("25,00 kr", 25.0, "kr"),
    ("25 zł", 25.0, "zł"),
    ("₹1,499.00", 1499.0, "₹"),
    ("Available balance: $42.00", 42.0, "$"),
    # A negative credit line: the amount deducted, the sign is not the balance's.
    ("Store credit −$25.00", 25.0, "$"),
    ("Guthaben -25,00 €", 25.0, "€"),
    # The sign after an order number starts the amount that follows it.
    ("Refund credit - order 100022 £100.00", 100.0, "£"),
    ("Order #100022 £0.00", 0.0, "£"),
    # Points with the money value the store gives for them.
    ("Use my reward points, 1200 of 2500 reward points ($12.00) available for this order", 12.0, "$"),
    ("1,200 points (€12,00)", 12.0, "€"),
]
# Texts that show no money, though they hold numbers and sometimes a currency sign.
NOT_MONEY = [
    "Refund credit - order 100022",
    "order #100022",
    "Order 100022",
    "3 cards",
    "2 gift cards in your account",
    "1,200 points",
    "2,500 reward points",
    "Account ACC-2024-0117",
    "Gift card ending 4242",
    "12.05.2024 €",
    "2024-05-01 €",
    "Expires 12/2026",
    "10:30 €",
    "25 krone",
    "0",
    "Store credit",
]


@pytest.mark.parametrize(("text", "amount", "currency"), MONEY_EXAMPLES, ids=[t for t, _, _ in MONEY_EXAMPLES])
def test_money_as_stores_print_it(text: str, amount: float, currency: str) -> None:
    assert parse_balance(text) == Balance(amount=amount, currency=currency)


@pytest.mark.parametrize("text", NOT_MONEY)
def test_numbers_that_are_not_money(text: str) -> None:
    assert find_money(text) is None
    assert parse_balance(text) is None


def test_the_cli_takes_a_bare_number_but_never_points() -> None:
    assert balance_argument("0") == Balance(amount=0.0, currency=None)
    assert balance_argument("12.50") == Balance(amount=12.5, currency=None)
    assert balance_argument("£0.00") == Balance(amount=0.0, currency="£")
    with pytest.raises(Exception, match="not an amount"):
        balance_argument("250 points")


SIGNS_BEFORE = st.sampled_from(["$", "£", "€", "¥", "US$", "R$", "USD ", "EUR ", "CHF ", "GBP "])
SIGNS_AFTER = st.sampled_from([" €", "\u00a0€", " kr", " zł", " CHF", " EUR", "€"])


def _printed(cents: int, style: str) -> str:
    """An amount in cents printed as stores do: 1,234.56 / 1.234,56 / 1 234,56 / 1234.56."""
    whole, frac = divmod(cents, 100)
    if style == "plain":
        return f"{whole}.{frac:02d}"
    grouped = f"{whole:,}"
    sep, dec = {"en": (",", "."), "de": (".", ","), "fr": ("\u202f", ",")}[style]
    return grouped.replace(",", sep) + dec + f"{frac:02d}"


amounts = st.integers(min_value=0, max_value=99_999_999)
styles = st.sampled_from(["plain", "en", "de", "fr"])


@given(cents=amounts, style=styles, sign=SIGNS_BEFORE)
def test_any_amount_with_a_currency_before_is_read(cents: int, style: str, sign: str) -> None:
    balance = parse_balance(f"Store credit {sign}{_printed(cents, style)} available")
    assert balance is not None and round(balance.amount * 100) == cents


@given(cents=amounts, style=styles, sign=SIGNS_AFTER)
def test_any_amount_with_a_currency_after_is_read(cents: int, style: str, sign: str) -> None:
    balance = parse_balance(f"Guthaben: {_printed(cents, style)}{sign}")
    assert balance is not None and round(balance.amount * 100) == cents


order_numbers = st.integers(min_value=1000, max_value=99_999_999)


@given(number=order_numbers, cents=amounts, sign=st.sampled_from(["£", "$", "€", "¥"]))
def test_an_order_number_beside_an_amount_is_never_the_balance(number: int, cents: int, sign: str) -> None:
    text = f"Refund credit - order {number} {sign}{_printed(cents, 'en')}"
    balance = parse_balance(text)
    assert balance is not None and round(balance.amount * 100) == cents


words = st.sampled_from(["order", "Order #", "account", "ref", "ID", "cards", "points", "reward points", "items"])


@given(number=st.integers(min_value=0, max_value=10**9), word=words, before=st.booleans())
def test_numbers_with_words_are_never_money(number: int, word: str, before: bool) -> None:
    text = f"{word} {number}" if before else f"{number:,} {word}"
    assert parse_balance(text) is None


dates = st.dates()


@given(day=dates, fmt=st.sampled_from(["%d.%m.%Y", "%Y-%m-%d", "%m/%d/%Y", "%d/%m/%y"]), sign=SIGNS_AFTER)
def test_a_date_is_never_money(day: object, fmt: str, sign: str) -> None:
    assert parse_balance(f"{day:{fmt}}{sign}") is None  # type: ignore[str-format]


@pytest.mark.browser
def test_the_scanner_reads_money_as_python_does(page: Page) -> None:
    """The in-page scanner compiles the same MONEY in Chromium: it finds the same amount in every example."""
    texts = [t for t, _, _ in MONEY_EXAMPLES] + NOT_MONEY
    found = page.evaluate(
        "([money, texts]) => texts.map((t) => { const m = t.match(new RegExp(money, 'i')); return m ? m[0] : null; })",
        [MONEY, texts],
    )
    python = [m.group(0) if (m := re.search(MONEY, t, re.IGNORECASE)) else None for t in texts]
    assert found == python
