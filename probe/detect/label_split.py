"""Split an option's own text into its name, the balance shown and the store's reason ("Store credit · $22.00 Not
available for this order" -> "Store credit", "$22.00", "Not available for this order")."""

from __future__ import annotations

import re

from probe.detect.vocabulary import REASON_WORDS
from probe.money import MONEY

_MONEY = re.compile(r"[-\u2212]?\s?(?:" + MONEY + r")", re.IGNORECASE)
_REASON = re.compile(REASON_WORDS, re.IGNORECASE)
# Where one part of an option's text ends and the next begins: dots, bars, dashes, brackets, colons.
_BREAK = re.compile(r"\s*(?:[\u00b7\u2022|\u2013\u2014]|\s-\s|[()\[\]]|:\s)\s*")
_EDGE = " \t:;,.\u00b7\u2022|\u2013\u2014-()[]"


def _clauses(text: str) -> list[str]:
    """The text cut at separators and around amounts of money, each part stripped."""
    parts: list[str] = []
    for piece in _BREAK.split(text):
        last = 0
        for money in _MONEY.finditer(piece):
            parts.append(piece[last : money.start()])
            parts.append(money.group(0))
            last = money.end()
        parts.append(piece[last:])
    return [p.strip(_EDGE) for p in parts if p.strip(_EDGE)]


def split_label(name: str, credit: list[re.Pattern[str]]) -> tuple[str, str | None]:
    """The option's name without the balance and reason written into it, and that reason (or None).

    The name is only cut when what stays still names the credit; a reason is a later part with reason words.
    """
    clauses = _clauses(name)
    if len(clauses) < 2 or not any(p.search(clauses[0]) for p in credit):
        return name, None
    reason_at = next(
        (i for i, c in enumerate(clauses) if i > 0 and not _MONEY.fullmatch(c) and _REASON.search(c)),
        None,
    )
    reason = " ".join(clauses[reason_at:]) if reason_at is not None else None
    first_cut = min(
        (m.start() for m in (_MONEY.search(name), _BREAK.search(name)) if m is not None),
        default=len(name),
    )
    label = name[:first_cut].strip(_EDGE)
    return (label or name), reason
