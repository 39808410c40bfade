"""The store's stated reason for a credit option: a refusal message, the description or title, else helper text."""

from __future__ import annotations

import re

from probe.detect.scanned import ScannedOption
from probe.detect.vocabulary import REASON_WORDS, strip_balance
from probe.models import OptionState

_REASON = re.compile(REASON_WORDS, re.IGNORECASE)
_MONEY_ONLY = re.compile(r"^[^a-z]*$|^(available|balance|you have|your balance)\b", re.IGNORECASE)
_WORDS = re.compile(r"[a-z]{3}", re.IGNORECASE)


def pick_reason(option: ScannedOption, state: OptionState, message: str | None) -> str | None:
    """The store's stated reason: a refusal message, the description or title, else helper text that reads like one.

    Pure balance phrases ("$10.00 available") are not reasons: they are cut off, and the amount stays in balance_text.
    """
    if message:
        return strip_balance(message) or message
    explicit = [c for c in (strip_balance(t) for t in (option.described, option.title) if t) if c]
    helpers = [c for c in (strip_balance(_without_name(h, option.name)) for h in option.helpers if h) if c]
    for text in (*explicit, *helpers):
        if _REASON.search(text):
            return text
    if state in (OptionState.selectable, OptionState.unknown):
        # Only words that refuse, limit or condition the credit are a reason, never a method's description.
        return None
    if explicit:
        return explicit[0]
    if state is OptionState.greyed_out:
        return next((h for h in helpers if not _MONEY_ONLY.search(h)), None)
    return None


def _without_name(text: str, name: str) -> str:
    """Helper text without the option's own name in front (a tile's heading read along with its description)."""
    name = name.strip()
    rest = text[len(name) :].lstrip(" :-\u2013\u2014") if name and text.lower().startswith(name.lower()) else text
    return rest if _WORDS.search(rest) else text
