"""The platforms' credit words (probe/data/credit_words.yaml): each has its source, matches the words it quotes, and
compiles in the browser as the in-page scanner compiles it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from probe.detect.platform_words import WORDS_FILE, PlatformWords, PlatformWordTable, platform_patterns
from probe.detect.vocabulary import credit_patterns
from probe.errors import InputError, load_yaml_model

TABLE = load_yaml_model(WORDS_FILE, PlatformWordTable, what="platform credit words")


@pytest.mark.parametrize("entry", TABLE.words, ids=[f"{w.platform}: {w.says[:30]}" for w in TABLE.words])
def test_each_entry_matches_the_words_it_quotes(entry: PlatformWords) -> None:
    assert re.search(entry.pattern, entry.says, re.IGNORECASE), f"{entry.pattern!r} does not match {entry.says!r}"


def test_the_platform_words_are_part_of_the_vocabulary() -> None:
    assert set(platform_patterns()) <= set(credit_patterns(None))
    assert any(re.search(p, "Wallet payment | Current Balance: $60.00", re.IGNORECASE) for p in credit_patterns(None))


@pytest.mark.parametrize(
    "text",
    ["Google Wallet", "Pay with Google Wallet", "Apple Pay", "digital wallets accepted", "Gift Certificate Code"],
)
def test_other_wallets_and_code_boxes_are_not_credit(text: str) -> None:
    assert not any(re.search(p, text, re.IGNORECASE) for p in platform_patterns())


def test_a_bad_entry_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "words.yaml"
    bad.write_text("words:\n  - pattern: '('\n    platform: X Shop\n    says: x y\n    source: nowhere at all\n")
    with pytest.raises(InputError, match="pattern"):
        platform_patterns.__wrapped__(bad)


@pytest.mark.browser
def test_every_credit_pattern_compiles_in_the_browser(page: Page) -> None:
    bad = page.evaluate(
        "(ps) => ps.filter((p) => { try { new RegExp(p, 'i'); return false; } catch (e) { return true; } })",
        credit_patterns(None),
    )
    assert bad == []
