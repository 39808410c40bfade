"""What is known about the credit: given facts first, then the account page, then the option's words."""

from __future__ import annotations

import datetime as dt

import pytest

from probe.decide.credit import match_line, parse_date, resolve, source_from_words
from probe.models import AccountLine, CreditOption, CreditSource, KnownFrom, OptionState


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("refund", CreditSource.refund),
        ("Refund credit", CreditSource.refund),
        ("Promotional credit", CreditSource.promotional),
        ("Promo balance", CreditSource.promotional),
        ("Rewards points", CreditSource.rewards),
        ("Gift card balance", CreditSource.gift_card),
        ("gift_card", CreditSource.gift_card),
        ("Return credit", CreditSource.return_),
        ("Store credit", CreditSource.unknown),
        ("", CreditSource.unknown),
    ],
)
def test_source_from_words(text: str, source: CreditSource) -> None:
    assert source_from_words(text) is source


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2026-12-01", dt.date(2026, 12, 1)),
        ("Never", None),
        ("12/31/2026", dt.date(2026, 12, 31)),
        ("Expires: December 5, 2026", dt.date(2026, 12, 5)),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, date: dt.date | None) -> None:
    assert parse_date(text) == date


LINES = (
    AccountLine(label="Refund credit", source_text="refund", balance="$25.00", expires_text="2027-01-01"),
    AccountLine(label="Store credit", source_text="promotional", balance="$10.00", expires_text="Never"),
)


def option(label: str, hint: CreditSource = CreditSource.unknown) -> CreditOption:
    return CreditOption(label=label, option_state=OptionState.selectable, source_hint=hint)


def test_match_line_prefers_exact_then_contained() -> None:
    assert match_line("Store credit", LINES) == LINES[1]
    assert match_line("Use your Refund credit ($25.00)", LINES) == LINES[0]
    assert match_line("Bonus Cash", LINES) is None


def test_given_source_beats_account_page_which_beats_option_words() -> None:
    given = resolve(
        option("Store credit"),
        LINES,
        given_source=CreditSource.refund,
        given_source_from=KnownFrom.cli,
        given_expires=None,
        given_expires_from=KnownFrom.default,
    )
    assert (given.source, given.source_known_from) == (CreditSource.refund, KnownFrom.cli)
    assert given.expires is None  # 'Never' on the account page
    account = resolve(
        option("Store credit", CreditSource.rewards),
        LINES,
        given_source=None,
        given_source_from=KnownFrom.default,
        given_expires=None,
        given_expires_from=KnownFrom.default,
    )
    assert (account.source, account.source_known_from) == (CreditSource.promotional, KnownFrom.account_page)
    words = resolve(
        option("Rewards balance", CreditSource.rewards),
        (),
        given_source=None,
        given_source_from=KnownFrom.default,
        given_expires=None,
        given_expires_from=KnownFrom.default,
    )
    assert (words.source, words.source_known_from) == (CreditSource.rewards, KnownFrom.option_text)
    refund = resolve(
        option("Refund credit"),
        LINES,
        given_source=None,
        given_source_from=KnownFrom.default,
        given_expires=None,
        given_expires_from=KnownFrom.default,
    )
    assert refund.expires == dt.date(2027, 1, 1) and refund.expires_known_from is KnownFrom.account_page
    assert refund.amount_text == "$25.00"
