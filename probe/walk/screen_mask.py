"""What is hidden in the walk's screenshots of real stores: balances, card numbers, e-mail addresses, names, codes."""

from __future__ import annotations

# Text masked wherever it shows.
MASK_TEXT = (
    r"[$€£¥]\s?\d[\d,.]*",
    r"\d[\d,.]*\s?(USD|EUR|GBP|€)",
    r"(ending|ends)\s+(in\s+)?\d{4}|[*•xX]{2,}\s?\d{4}|\b\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{4}\b",
    r"[\w.+-]+@[\w-]+\.[\w.-]+",
    # Codes printed on the page (gift-card, account or redeem codes: "GC-7QX2-99KD-4417").
    r"\b(?=[A-Z0-9-]*\d[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{2,}(?:-[A-Z0-9]{2,}){2,}\b",
    # Names: greetings, delivery and sign-in lines, and card lines that carry the holder's name.
    r"\b(?:Hello|Hi|Hey|Welcome back|Welcome),?\s+[A-Z][\w'-]+",
    r"\b(?:Deliver(?:ing)? to|Ship(?:ping)? to|Signed in as|Logged in as|Name on card|Card ?holder)[:\s]+[A-Z][\w'-]+",
    r"\b(?:Visa|Mastercard|MasterCard|Amex|American Express|Discover)\b.*\bExp(?:ires|iry|\.)?\b",
)
# Fields masked whatever they hold.
MASK_CSS = (
    "input[type=email]",
    "[autocomplete*=name]",
    "[autocomplete^=cc-]",
    "[autocomplete*=address]",
    "[autocomplete=email]",
    "input[name*=card]",
)
# Inputs are hidden in every screenshot taken while signing in: they hold what was typed.
SIGN_IN_MASK = "input:not([type=hidden]), textarea, select"
