"""What is known about a credit line: from the command line, the account page, or the option's own words."""

from __future__ import annotations

import datetime as dt
import re

from probe.models import AccountLine, CreditContext, CreditOption, CreditSource, KnownFrom

# Order matters: the first pattern that matches a text names its source.
SOURCE_WORDS: tuple[tuple[str, CreditSource], ...] = (
    (r"\bpromo(tion(al)?)?\b|\bbonus\b|\bsurvey\b|\bwelcome credit\b|\breferral\b", CreditSource.promotional),
    (r"\breward|\bpoints?\b|\bloyalty\b|\bcash ?back\b", CreditSource.rewards),
    (r"\brefund", CreditSource.refund),
    (r"\breturn", CreditSource.return_),
    (r"\bgift[- ]?card\b|\bgift_card\b|\bredeemed\b|\bredemption\b", CreditSource.gift_card),
)
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")


def source_from_words(text: str | None) -> CreditSource:
    """The credit source a text names, or unknown."""
    if not text:
        return CreditSource.unknown
    lowered = text.strip().lower()
    for source in CreditSource:
        if lowered == source.value:
            return source
    for pattern, source in SOURCE_WORDS:
        if re.search(pattern, lowered):
            return source
    return CreditSource.unknown


def parse_date(text: str | None) -> dt.date | None:
    """A date from an account page cell, or None for 'Never', blanks and what cannot be read."""
    if not text:
        return None
    cleaned = re.sub(r"^(expires|valid until|until|on)\s*:?\s*", "", text.strip(), flags=re.IGNORECASE)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    found = re.search(r"\d{4}-\d{2}-\d{2}", cleaned)
    return dt.date.fromisoformat(found.group()) if found else None


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def match_line(label: str | None, lines: tuple[AccountLine, ...]) -> AccountLine | None:
    """The account line a payment option stands for: same label, or one label inside the other."""
    if not label:
        return None
    option = _norm(label)
    for line in lines:
        if _norm(line.label) == option:
            return line
    for line in lines:
        name = _norm(line.label)
        if name and (name in option or option in name):
            return line
    return None


def resolve(
    option: CreditOption | None,
    lines: tuple[AccountLine, ...],
    *,
    given_source: CreditSource | None,
    given_source_from: KnownFrom,
    given_expires: dt.date | None,
    given_expires_from: KnownFrom,
) -> CreditContext:
    """The credit context of one option: given facts first, then the account page, then the option's words."""
    line = match_line(option.label if option else None, lines)
    source, source_from = CreditSource.unknown, KnownFrom.default
    if given_source is not None and given_source is not CreditSource.unknown:
        source, source_from = given_source, given_source_from
    elif line is not None and source_from_words(line.source_text) is not CreditSource.unknown:
        source, source_from = source_from_words(line.source_text), KnownFrom.account_page
    elif option is not None and option.source_hint is not CreditSource.unknown:
        source, source_from = option.source_hint, KnownFrom.option_text
    elif option is not None and source_from_words(option.label) is not CreditSource.unknown:
        source, source_from = source_from_words(option.label), KnownFrom.option_text
    expires, expires_from = None, KnownFrom.default
    if given_expires is not None:
        expires, expires_from = given_expires, given_expires_from
    elif line is not None and parse_date(line.expires_text) is not None:
        expires, expires_from = parse_date(line.expires_text), KnownFrom.account_page
    return CreditContext(
        source=source,
        source_known_from=source_from,
        expires=expires,
        expires_known_from=expires_from,
        terms=line.terms if line else None,
        amount_text=(line.balance if line else None) or (option.balance_text if option else None),
    )
