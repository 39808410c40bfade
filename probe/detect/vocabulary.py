"""The words of store credit, the decoys that look like it, and what an option's own words say about its source."""

from __future__ import annotations

import re

from probe.detect.platform_words import platform_patterns
from probe.models import CreditSource
from probe.money import MONEY

# JavaScript-compatible patterns (no inline flags); matched case-insensitively on both sides.
CREDIT_PATTERNS: tuple[str, ...] = (
    r"gift[\s-]*(card|certificate)\s+(balance|credit|funds)",
    r"\bstore\s+(credit|balance|cash|funds)",
    r"\bshop\s+(credit|cash)",
    r"\bsite\s+(credit|cash)",
    r"\baccount\s+(credit|balance|funds)",
    r"\bcustomer\s+credit",
    r"\bpromo(tional)?\s+(balance|credit)",
    r"\brefund\s+(credit|balance)",
    r"\breturn\s+credit",
    r"\brewards?\s+(balance|points|credit|dollars)",
    r"\bloyalty\s+(points|balance|credit)",
    r"\bpoints\s+balance",
    r"\b(use|redeem|apply|pay\s+with)\b[^.]{0,25}\bpoints\b",
    r"\bcredit\s+balance",
    r"\bwallet\s+(balance|funds|credit)",
    # A method named just "Wallet" (TeraWallet, store wallets), never "Google Wallet" or "digital wallets".
    r"^\s*(my\s+|your\s+|store\s+|site\s+|account\s+)?wallet\s*(\(?\s*[$\u20ac\u00a3]?\s?\d[\d.,]*\s?[\u20ac\u00a3]?\s*\)?)?\s*$",
    r"\bcash\s*back\s+(balance|credit|wallet|funds)",
    r"\b(use|apply|redeem)\s+(my\s+|your\s+)?cash\s*back\b",
    r"\bavailable\s+credit",
    r"\b(use|apply)\s+(my\s+|your\s+)?(available\s+)?([$\u20ac\u00a3]\s?\d[\d.,]*\s+|\d[\d.,]*\s?[\u20ac\u00a3]\s+)?credits?\b",
    r"\b(use|apply|pay\s+with)\s+(my\s+|your\s+)?(available\s+)?balance\b",
    r"\bpay\s+with\s+rewards\b",
    # German and French storefronts: "Guthaben verwenden", "Kundenguthaben", "Utiliser mon avoir", "avoir client".
    r"guthaben",
    # Not "d'avoir": "Merci d'avoir choisi…" is the verb.
    r"\b(mon|votre|un|l['\u2019])\s?avoirs?\b",
    r"\bavoirs?\s+(client|disponibles?)\b",
    r"\bcr[\u00e9e]dit\s+(boutique|client|magasin)\b",
)
DECOY_PATTERNS: tuple[str, ...] = (
    r"credit\s*(or|/|&|and)\s*debit",
    r"\b(credit|debit)\s+card\b",
    r"\b(promo|discount|coupon|voucher|gift[\s-]*card|gift\s+certificate)\s+code",
    r"\bcoupon\b",
    r"\bvoucher\b",
    r"\bcard\s+(number|pin)\b",
    r"\bcheck\s+(your\s+|my\s+|the\s+)?(gift[\s-]*card\s+)?balance",
    r"\b(add|enter)\s+(a\s+|another\s+)?gift[\s-]*card",
    # A link to the credit's terms or FAQ names the credit but offers nothing to choose.
    r"\b(terms|conditions|policy|policies|faq)\s*$",
    r"\bguthaben\s+(pr\u00fcfen|abfragen)",
)
REASON_WORDS = (
    r"\b(not|cannot|can't|can’t|unable|unavailable|ineligible|excluded|exclude|restricted|only|"
    r"isn't|isn’t|doesn't|doesn’t|won't|expired|minimum|not\s+allowed|disabled|invalid|"
    r"nicht|keine?|pas|impossible|"
    # What stores answer about an account or balance they will not take: "This account is empty", "…frozen".
    r"empty|frozen|closed|locked|suspended|blocked|insufficient|no\s+longer)\b"
)
BUSY_TEXT = (
    r"^\s*((updating|loading|refreshing|calculating|processing|recalculating)[^.…]{0,40}(…|\.\.\.)|"
    r"please wait\b.{0,40}|(updating|loading)\b.{0,40})$"
)
NO_METHODS_TEXT = r"no\s+(payment\s+methods?|payment\s+options?)\s+(are\s+)?(available|offered)"
APPLIED_TEXT = (
    r"(covered|paid)\s+(in\s+full\s+)?(by|with)\s+[^.]{0,30}\b(credit|balance)|"
    r"\b(credit|balance)\b[^.]{0,20}\b(has\s+been|was|is|been)\s+applied|\bapplied\b[^.]{0,30}\b(credit|balance)\b|"
    r"\b(credit|balance)\s+applied\b"
)
# A control that takes credit already in use back off ("Remove store credit", "×"): never an option to try.
REMOVE_WORDS = r"^\s*(remove|delete|cancel|clear|undo|discard)\b"
# A control that takes credit the probe applied back off again: the undo of an apply press.
UNDO_WORDS = r"^\s*(remove|cancel|undo|clear|delete)\b"
# The marks a remove control leaves in its row's text.
REMOVE_MARKS = r"\s*[\u00d7\u2715]\s*"
# A credit's own apply / use / select / redeem button ("Select", "Apply?"): the way to try the credit beside it.
APPLY_WORDS = r"^\s*(apply|use|select|redeem|choose|add)\b[^.]{0,24}$"
# A "Learn why" / "?" button that only shows a tooltip.
TIP_ONLY_WORDS = r"^(learn (why|more)|why\??|more info|details|info|help|\?|i)?$"
# A name that speaks of another way to pay: not a generic word that a credit tile around it could name.
OTHER_METHOD_WORDS = r"\b(card|paypal|cash on|bank|invoice|klarna|apple|google|visa|mastercard|amex|sepa)\b"
# Every credit pattern holds one of these words; a text without any of them names no credit (a cheap first test).
CREDIT_WORD = (
    r"credit|balance|cash|funds|wallet|points|reward|loyalty|guthaben|avoir|cr[\u00e9e]dit|payment|certificate"
)
# Column headings of a table of accounts to pay from ("Account | Balance"; django-oscar-accounts' checkout).
ACCOUNT_TABLE_HEAD = r"\b(balance|credit|funds|guthaben|solde|saldo)\b"
# A box to type a code into: a gift card, coupon or voucher, not a credit to choose.
CODE_BOX_WORDS = r"gift|code|coupon|voucher|promo"
# Class names that say an option is disabled.
DISABLED_CLASS = r"(^|[\s_-])(disabled|is-disabled|unavailable|inactive)(\s|$)"
# An input value behind a credit option that reads like a code, a card number or an e-mail: masked in reports.
SECRET_VALUE = r"^(?=(?:.*\d){2})(?=.*[A-Za-z]).{6,}$|^[\d -]{8,}$|@"
_BAL_WORDS = (
    r"(?:(?:your|current|available|remaining|total|wallet|account|store|credit|site)\s+){0,3}"
    r"(?:balance|credit|funds|available)"
)
_BALANCE_LEAD = re.compile(
    rf"^\s*(?:{_BAL_WORDS}\s*[:\-\u2013]?\s*)?\(?(?:{MONEY})\)?(?:\s+(?:available|remaining|left|balance|in\s+credit))?[\s.,;:\u00b7|\u2013\u2014-]*",
    re.IGNORECASE,
)
_BALANCE_TAIL = re.compile(
    rf"[\s,;:\u00b7|\u2013\u2014-]*\(?(?:{_BAL_WORDS}\s*[:\-\u2013]?\s*)?(?:{MONEY})(?:\s+(?:available|remaining|left))?\)?\.?\s*$",
    re.IGNORECASE,
)


def strip_balance(text: str) -> str:
    """The stated reason without a pure balance phrase before or after it.

    "$10.00 available Promotional credit can't be used to buy gift cards." -> "Promotional credit can't be used to
    buy gift cards."; "Store Cash can't be spent on gift cards. Balance: $7.50" -> "Store Cash can't be spent on gift
    cards." An amount inside the sentence ("your credit (€ 9,90) cannot be used") stays.
    """
    out = text.strip()
    for _ in range(3):
        cut = out
        lead = _BALANCE_LEAD.match(cut)
        # A lead that is the sentence's own subject ("Your credit ($9.90) cannot be used") stays.
        if (
            lead
            and lead.end()
            and not (
                cut[lead.end() :][:1].islower() and not re.search(r"[.,;:\u00b7|\u2013\u2014-]\s*$", lead.group(0))
            )
        ):
            cut = cut[lead.end() :].strip()
        cut = _BALANCE_TAIL.sub("", cut, count=1).strip()
        if cut == out:
            break
        out = cut
    return out if re.search(r"[a-z]{3}", out, re.IGNORECASE) else ""


_SOURCE_HINTS: tuple[tuple[str, CreditSource], ...] = (
    (r"\bpromo(tional)?\b", CreditSource.promotional),
    (r"\brefund", CreditSource.refund),
    (r"\b(rewards?|points|loyalty)\b", CreditSource.rewards),
    (r"gift[\s-]*(card|certificate)\s+(balance|credit|funds)", CreditSource.gift_card),
    (r"\breturns?\b", CreditSource.return_),
)


def source_hint(text: str) -> CreditSource:
    """The credit source the option's own words name, or unknown."""
    for pattern, source in _SOURCE_HINTS:
        if re.search(pattern, text, re.IGNORECASE):
            return source
    return CreditSource.unknown


# Proof of place: what says a page is payment selection, a sign-in page, an empty basket or an error page.
METHOD_WORDS = (
    r"\b(credit\s*(card|/\s*debit)|debit\s*card|card\s*payment|pay\s+(by|with)\s+card|paypal|apple\s*pay|google\s*pay|"
    r"klarna|afterpay|affirm|sezzle|venmo|bank\s+transfer|direct\s+debit|sepa|ideal|cash\s+on\s+delivery|"
    r"invoice|gift\s*card|store\s*credit|visa|mastercard|american\s+express|amex|discover)\b"
)
PAYMENT_HEADING = (
    r"\bpayment\b|\bpay\s+with\b|\bbilling\b|\bhow\s+(would\s+you|do\s+you\s+want\s+to)\s+pay\b|\bzahlung|\bpaiement\b"
)
# Card fields in any language: "Card number", an expiry laid out as MM/YY, "Nama di Kartu", "Numéro de carte".
CARD_FIELD = (
    r"card[-_ ]?(number|num|no)\b|\bcc[-_]?(num|number)\b|\bcvv\b|\bcvc\b|\bsecurity\s*code\b|expir|"
    r"\bmm\s*/\s*(yy|yyyy|aa|jj)\b|\b(kartu|karte|carte|tarjeta|cart[aã]o)\b"
)
ORDER_BUTTON = r"\bplace\s+(your\s+)?order\b|\bpay\s+now\b|\bcomplete\s+(purchase|order)\b|\breview\s+(your\s+)?order\b"
EMPTY_CART = (
    r"\b(your|the)\s+(shopping\s+)?(cart|basket|bag|trolley)\s+is\s+(currently\s+)?empty\b|"
    r"\bno\s+items\s+in\s+(your\s+)?(shopping\s+)?(cart|basket|bag)\b|\bnothing\s+in\s+your\s+(cart|basket|bag)\b|"
    r"\b(warenkorb|panier)\s+est\s+vide\b|\bIhr\s+Warenkorb\s+ist\s+leer\b"
)
ERROR_PAGE_WORDS = (
    r"^(404|500|502|503)\b|\bnot found\b|server error|bad gateway|service unavailable|access denied|"
    r"something went wrong|this site can.t be reached"
)
LOGIN_URL_WORDS = r"/(log-?in|sign-?in|signin|account/login|accounts/login|auth|session/new)\b"
# A frame of a payment provider (its title, name, id or address).
PAYMENT_FRAME_WORDS = r"stripe|braintree|adyen|paypal|klarna|checkout\.com|payment|cardinal|spreedly"
SIGN_IN_HEADING = r"\b(sign[ -]?in|log[ -]?in|returning customer)\b"
SIGN_IN_TEXT = r"\b(sign[ -]?in|log[ -]?in)\b[^\n]{0,60}|\bforgot (your )?password\b"


def place_words(no_methods: str) -> dict[str, str]:
    """The patterns place.js matches, handed to it as data."""
    return {
        "method": METHOD_WORDS,
        "heading": PAYMENT_HEADING,
        "card": CARD_FIELD,
        "order": ORDER_BUTTON,
        "noMethods": no_methods,
        "empty": EMPTY_CART,
        "paymentFrame": PAYMENT_FRAME_WORDS,
        "signInHeading": SIGN_IN_HEADING,
        "signIn": SIGN_IN_TEXT,
    }


def credit_patterns(option_label: str | None) -> list[str]:
    """The built-in vocabulary, the platforms' own words (probe/data/credit_words.yaml) and the store's own name."""
    extra = [option_label.removeprefix("(?i)")] if option_label else []
    return [*CREDIT_PATTERNS, *platform_patterns(), *extra]


def scan_words(credit: list[str]) -> dict[str, str | list[str]]:
    """Every pattern the in-page scanner matches, handed to it as data: the scanner holds no words of its own."""
    return {
        "credit": credit,
        "decoy": list(DECOY_PATTERNS),
        "reason": REASON_WORDS,
        "applied": APPLIED_TEXT,
        "noMethods": NO_METHODS_TEXT,
        "money": MONEY,
        "remove": REMOVE_WORDS,
        "removeMarks": REMOVE_MARKS,
        "apply": APPLY_WORDS,
        "tipOnly": TIP_ONLY_WORDS,
        "otherMethod": OTHER_METHOD_WORDS,
        "creditWord": CREDIT_WORD,
        "codeBox": CODE_BOX_WORDS,
        "accountHead": ACCOUNT_TABLE_HEAD,
        "disabledClass": DISABLED_CLASS,
        "secret": SECRET_VALUE,
    }
