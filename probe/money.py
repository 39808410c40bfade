"""Read a balance as a store prints it ("$150.00", "£0.00", "12,50 €", "0") into an amount and its currency mark."""

from __future__ import annotations

import re

from probe.errors import InputError
from probe.models import Balance

CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "INR", "SEK", "NOK", "DKK", "PLN", "IDR")
POINTS = "points"
CENTS_DIGITS = 2
# An amount of money as stores print it: "$12.40", "USD 12.40", "12,40 €", "€ 9,90", "£8.20" (JavaScript-compatible).
MONEY = (
    r"(?:[$\u20ac\u00a3\u00a5\u20b9]|USD|EUR|GBP|CAD|AUD)\s?\d[\d.,]*\d|\d[\d.,]*\s?(?:\u20ac|\u00a3|USD|EUR|GBP|kr)"
)
_CURRENCY = r"(?P<cur>[$€£¥₹]|kr|" + "|".join(CODES) + r"|(?:reward\s+)?points)"
_NUMBER = r"(?P<num>\d[\d.,\s\u00a0\u202f]*\d|\d)"
_BEFORE = re.compile(rf"^\s*(?P<sign>[-\u2212\u2013])?\s*{_CURRENCY}?\s*{_NUMBER}\s*$", re.IGNORECASE)
_AFTER = re.compile(rf"^\s*(?P<sign>[-\u2212\u2013])?\s*{_NUMBER}\s*{_CURRENCY}\s*$", re.IGNORECASE)
_ANYWHERE = re.compile(
    rf"(?:(?:[$€£¥₹]|\b(?:{'|'.join(CODES)})\b)\s?\d[\d.,]*\d?|\d[\d.,]*\s?(?:[€£]|kr\b|\b(?:{'|'.join(CODES)})\b|"
    r"(?:reward\s+)?points\b))",
    re.IGNORECASE,
)


def _amount(number: str) -> float | None:
    """ "1,234.56", "1.234,56", "12,50", "1 234" -> a float; the last separator followed by 1-2 digits is decimal."""
    digits = re.sub(r"[\s\u00a0\u202f]", "", number)
    last = max(digits.rfind("."), digits.rfind(","))
    if last >= 0 and 0 < len(digits) - last - 1 <= CENTS_DIGITS:
        whole, frac = digits[:last], digits[last + 1 :]
    else:
        whole, frac = digits, ""
    whole = re.sub(r"[.,]", "", whole)
    if not whole.isdigit() or (frac and not frac.isdigit()):
        return None
    return float(f"{whole}.{frac or '0'}")


def parse_balance(text: str | None) -> Balance | None:
    """The balance a text shows (the amount alone, or with words around it), or None when it shows none."""
    if not text:
        return None
    match = _BEFORE.match(text) or _AFTER.match(text)
    if match is None:
        found = _ANYWHERE.search(text)
        if found is None:
            return None
        match = _BEFORE.match(found.group(0)) or _AFTER.match(found.group(0))
        if match is None:
            return None
    amount = _amount(match.group("num"))
    if amount is None:
        return None
    cur = match.group("cur")
    currency = None
    if cur:
        cur = cur.strip()
        # As shown: a symbol stays a symbol ("$" is not always USD), a code is upper-cased.
        currency = POINTS if cur.lower().endswith(POINTS) else (cur.lower() if cur.lower() == "kr" else cur.upper())
    return Balance(amount=amount, currency=currency)


def balance_argument(text: str) -> Balance:
    """`--balance AMOUNT` as a store prints it (0, £0.00, $150.00), or InputError saying what to give."""
    balance = parse_balance(text)
    if balance is None:
        raise InputError(f"--balance {text!r}: not an amount; give it as the store prints it, e.g. 0, £0.00 or $150.00")
    return balance
