"""Money as stores print it: a number in a money format beside a currency sign or code, and nothing else.

"$150.00", "£0.00", "12,50 €", "€ 25,00", "CHF 25.–", "¥2,500", "R$ 25,00", "1 234,56 €" are money. An order number,
an account's name ("Refund credit - order 100022"), a date, a count ("3 cards") or points ("1,200 points") are not,
whatever currency sign stands next to them: a sign that starts the next amount ("100022 £0.00") belongs to that
amount. MONEY is one pattern shared by Python and the in-page scanner (JavaScript-compatible: no inline flags, no
named or capturing groups), matched case-insensitively.
"""

from __future__ import annotations

import re

from probe.errors import InputError
from probe.models import Balance

# Signs written before or after the amount. Multi-letter dollars first so that "R$ 25,00" is not read as "$ 25,00".
SIGNS = (
    "US$", "USD$", "CA$", "C$", "A$", "AU$", "NZ$", "HK$", "S$", "MX$", "R$",
    "$", "\u20ac", "\u00a3", "\u00a5", "\u20b9", "\u20a9", "\u20bd", "\u20ba", "\u20aa", "\u20ab", "\u20b1", "\u0e3f",
)  # fmt: skip
# Words written as currency: ISO codes, and the local marks of kronor, złoty, koruna, francs.
CODES = (
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "INR", "SEK", "NOK", "DKK", "PLN", "IDR", "BRL", "MXN",
    "ZAR", "HKD", "SGD", "CNY", "RUB", "KRW", "CZK", "HUF", "ILS", "AED", "SAR",
    "kr", "z\u0142", "K\u010d", "Fr", "Fr.", "SFr.", "Rs", "Rs.",
)  # fmt: skip
CENTS_DIGITS = 2

_LETTER = "A-Za-z\u00c0-\u024f"
# A sign with letters ("US$", "R$") starts where a word would: "funds$60.00" is "$60.00".
_SIGN = "(?:" + "|".join(("(?<![" + _LETTER + "])" if s[0].isalpha() else "") + re.escape(s) for s in SIGNS) + ")"
_CODE = "(?<![" + _LETTER + "])(?:" + "|".join(re.escape(c) for c in sorted(CODES, key=len, reverse=True)) + ")"
# The currency before the amount, and after it (a code ends where a word would: "25 kr", not "25 kroner").
_CUR_BEFORE = f"(?:{_SIGN}|{_CODE})"
_CUR_AFTER = f"(?:{_SIGN}|{_CODE}(?![{_LETTER}]))"
# Thousands grouped by comma, dot, space, thin space or apostrophe ("1,234", "1.234", "1 234", "1'234"), or none.
_SEP = "[,.\u00a0\u202f' ]"
_WHOLE = rf"(?:\d{{1,3}}(?:{_SEP}\d{{3}})+|\d{{1,9}})"
# Cents after a dot or comma, or the Swiss dash for none ("25.\u2013").
_CENTS = r"(?:[.,](?:\d{2}|[-\u2013\u2014]{1,2}))"
# A number is not a piece of a longer number, a date, a time or a word: nothing of theirs on either side.
_NOT_AFTER = rf"(?<![0-9{_LETTER}.,'])(?<![0-9][-/:])"
_NOT_BEFORE = r"(?![0-9]|[.,/:-][0-9])"
_GAP = r"[ \u00a0\u202f]?"
# A currency after a whole number that is followed by a digit starts the next amount ("100022 \u00a30.00").
MONEY = (
    rf"(?:{_CUR_BEFORE}{_GAP}{_WHOLE}{_CENTS}?{_NOT_BEFORE}"
    rf"|{_NOT_AFTER}{_WHOLE}{_CENTS}{_NOT_BEFORE}{_GAP}{_CUR_AFTER}"
    rf"|{_NOT_AFTER}{_WHOLE}{_NOT_BEFORE}{_GAP}{_CUR_AFTER}(?!{_GAP}[0-9]))"
)

_MONEY = re.compile(MONEY, re.IGNORECASE)
_PARTS = re.compile(
    rf"^(?:(?P<pre>{_CUR_BEFORE}){_GAP}(?P<n1>.+)|(?P<n2>.+?){_GAP}(?P<post>{_CUR_AFTER}))$", re.IGNORECASE
)
_BARE = re.compile(rf"^\s*[-\u2212]?\s*(?P<num>{_WHOLE}{_CENTS}?)\s*$")


def _amount(number: str) -> float | None:
    """ "1,234.56", "1.234,56", "12,50", "1 234", "25.–" -> a float; a last separator before 2 digits is decimal."""
    digits = re.sub(r"[\s\u00a0\u202f']", "", number)
    digits = re.sub(r"[.,][-\u2013\u2014]+$", "", digits)
    last = max(digits.rfind("."), digits.rfind(","))
    if last >= 0 and len(digits) - last - 1 == CENTS_DIGITS:
        whole, frac = digits[:last], digits[last + 1 :]
    else:
        whole, frac = digits, ""
    whole = re.sub(r"[.,]", "", whole)
    if not whole.isdigit() or (frac and not frac.isdigit()):
        return None
    return float(f"{whole}.{frac or '0'}")


def _currency(mark: str) -> str:
    """As shown: a sign stays a sign ("$" is not always USD), a code is upper-cased, a local mark kept as written."""
    mark = mark.strip()
    if re.fullmatch("[A-Za-z]{3}", mark):
        return mark.upper()
    return next((c for c in (*SIGNS, *CODES) if c.lower() == mark.lower()), mark)


def find_money(text: str | None) -> str | None:
    """The first amount of money in a text, as written there, or None."""
    found = _MONEY.search(text or "")
    return found.group(0).strip() if found else None


def parse_balance(text: str | None) -> Balance | None:
    """The balance a text shows (the first amount of money in it), or None when it shows no money."""
    money = find_money(text)
    if money is None:
        return None
    parts = _PARTS.match(money)
    if parts is None:
        return None
    amount = _amount(parts.group("n1") or parts.group("n2"))
    if amount is None:
        return None
    return Balance(amount=amount, currency=_currency(parts.group("pre") or parts.group("post")))


def balance_argument(text: str) -> Balance:
    """`--balance AMOUNT` as a store prints it (0, £0.00, $150.00), or InputError saying what to give."""
    balance = parse_balance(text)
    if balance is None:
        bare = _BARE.match(text)
        amount = _amount(bare.group("num")) if bare else None
        if amount is not None:
            return Balance(amount=amount, currency=None)
        raise InputError(f"--balance {text!r}: not an amount; give it as the store prints it, e.g. 0, £0.00 or $150.00")
    return balance
