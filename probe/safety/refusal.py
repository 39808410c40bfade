"""The one refusal rule for clicks: which controls the probe never presses, whoever asks (walk, trial or apply)."""

from __future__ import annotations

import re

# Controls that choose something (a payment method, a credit) rather than submit it. A radio "Pay with store credit"
# is a choice; a button "Pay with store credit" pays.
SELECTION_ROLES = frozenset(
    {"radio", "checkbox", "option", "switch", "menuitemradio", "menuitemcheckbox", "tab", "treeitem", "combobox"}
)
SELECTION_INPUT_TYPES = frozenset({"radio", "checkbox"})
SELECTION_TAGS = frozenset({"option", "select"})
# Input types that submit whatever role a page gives them.
SUBMIT_INPUT_TYPES = frozenset({"submit", "image"})

# Placing or completing an order: refused on every control, a selection included.
ORDER_ACTION = (
    r"\bplace\s+(?:(?:your|my|the|this)\s+)?order\b|"
    r"\bcomplete\s+(?:(?:your|my|the|this)\s+)?(?:purchase|order|payment|checkout|booking)\b|"
    r"\bsubmit\s+(?:(?:your|my|the|this)\s+)?(?:order|payment|purchase)\b|"
    r"\bconfirm\s+(?:and\s+pay|(?:(?:your|my|the|this)\s+)?(?:order|purchase|payment))\b|"
    r"\b(?:finish|finali[sz]e|process)\s+(?:(?:your|my|the|this)\s+)?(?:order|purchase|payment|checkout)\b|"
    r"\border\s+and\s+pay\b|\bpay\s+and\s+(?:place\s+)?order\b|"
    r"\bzahlungspflichtig\s+bestellen\b|\bkauf\s+abschlie(?:ß|ss)en\b|"
    r"\b(?:passer|valider|confirmer)\s+(?:la\s+|ma\s+|votre\s+)?commande\b"
)
# Paying or buying outright: refused on buttons, links and anything else that is pressed, not on selections
# ("Pay later" and "Buy now, pay later" are names of payment methods a shopper picks).
PAY_ACTION = (
    r"^\s*pay\b|\bpay\s+(?:now|securely|today|in\s+full|\$|€|£|¥|\d)|"
    r"\bbuy\s+(?:it\s+)?now\b|\bcheckout\s+now\b|\border\s+now\b|\bpurchase\s+now\b|"
    r"^\s*(?:buy|purchase)\s*$|\b(?:make|confirm)\s+(?:the\s+|a\s+)?purchase\b|"
    r"\bconfirm\b(?!\s+(?:your\s+|my\s+|the\s+)?(?:address|e-?mail|shipping|delivery|details|password|account))|"
    r"\b(?:make|authori[sz]e)\s+(?:a\s+|the\s+)?payment\b|"
    r"^\s*(?:jetzt\s+)?(?:kaufen|bestellen)\b|^\s*(?:payer|commander)\b"
)
_ORDER = re.compile(ORDER_ACTION, re.IGNORECASE)
_PAY = re.compile(PAY_ACTION, re.IGNORECASE)


def is_selection(role: str | None, tag: str | None = None, type_: str | None = None) -> bool:
    """True when the control chooses an option (radio, checkbox, option, switch, tab) instead of submitting."""
    kind = (type_ or "").strip().lower()
    if (tag or "").strip().lower() == "input" and kind in SUBMIT_INPUT_TYPES:
        return False
    role = (role or "").strip().lower()
    if role:
        return role in SELECTION_ROLES
    element = (tag or "").strip().lower()
    if element == "input":
        return kind in SELECTION_INPUT_TYPES
    return element in SELECTION_TAGS


def click_refusal(role: str | None, name: str | None, tag: str | None = None, type_: str | None = None) -> str | None:
    """Why a control so named must never be pressed, or None when a click is fine.

    `role` is the ARIA role (explicit or the locator's), `name` the accessible name or visible text, `tag` the element's
    tag name and `type_` its `type` attribute; any of them may be unknown (None).
    """
    words = " ".join((name or "").split())
    if not words:
        return None
    if _ORDER.search(words):
        return "named like placing or completing an order"
    if not is_selection(role, tag, type_) and _PAY.search(words):
        return "a button or link named like paying or buying"
    return None
