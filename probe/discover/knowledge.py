"""What a walk without a profile knows before it looks: platform fingerprints, recipes, words and field classes.

All of it is data (probe/data/fingerprints.yaml, recipes.yaml, discover_words.yaml), each row with its source; this
module only loads and validates it, and answers small questions about it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

from pydantic import Field

from probe.errors import load_yaml_model
from probe.models import Frozen

DATA = Path(__file__).parents[1] / "data"
SignalKind = Literal["meta", "cookie", "script", "global", "endpoint", "html"]


class Signal(Frozen):
    """One thing a page shows that names its platform."""

    kind: SignalKind
    pattern: str
    source: str


class Platform(Frozen):
    name: str
    signals: list[Signal] = Field(min_length=1)


class Fingerprints(Frozen):
    platforms: list[Platform]


class Recipe(Frozen):
    """A platform's stock addresses: only read (GET), each tried after the page offered nothing better."""

    platform: str
    gift_cards: list[str] = []
    search: str | None = None
    cart: str | None = None
    checkout: str | None = None
    source: str


class Recipes(Frozen):
    recipes: list[Recipe]


class Words(Frozen):
    patterns: list[str] = Field(min_length=1)
    source: str
    search: dict[str, str] = {}
    frames: list[str] = []


class FieldClass(Frozen):
    kind: str
    autocomplete: str
    pattern: str
    source: str


class Vocabulary(Frozen):
    words: dict[str, Words]
    fields: list[FieldClass]


@functools.cache
def fingerprints() -> Fingerprints:
    return load_yaml_model(DATA / "fingerprints.yaml", Fingerprints, what="fingerprints")


@functools.cache
def recipes() -> dict[str, Recipe]:
    loaded = load_yaml_model(DATA / "recipes.yaml", Recipes, what="recipes")
    return {r.platform: r for r in loaded.recipes}


@functools.cache
def vocabulary() -> Vocabulary:
    return load_yaml_model(DATA / "discover_words.yaml", Vocabulary, what="discovery words")


@functools.cache
def pattern(kind: str) -> re.Pattern[str]:
    """The words of `kind` (gift_card, add_to_cart, checkout…) as one case-insensitive pattern."""
    return re.compile("|".join(f"(?:{p})" for p in vocabulary().words[kind].patterns), re.IGNORECASE)


def says(kind: str, text: str | None) -> bool:
    """Whether `text` speaks the words of `kind`."""
    return bool(text) and pattern(kind).search(text or "") is not None


def search_words(lang: str) -> list[str]:
    """The gift-card words to search for: the page's own language first, then English."""
    table = vocabulary().words["gift_card"].search
    first = table.get(lang)
    return [w for w in dict.fromkeys([first, table["en"]]) if w]


@functools.cache
def _field_patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    return [
        (f.kind, re.compile(f.autocomplete, re.IGNORECASE), re.compile(f.pattern, re.IGNORECASE))
        for f in vocabulary().fields
    ]


def field_kind(autocomplete: str, *names: str) -> str | None:
    """A form field's kind from its autocomplete token, else its label, name, id and placeholder (first match)."""
    token = autocomplete.strip().lower()
    if token and token not in ("on", "off"):
        for kind, auto, _ in _field_patterns():
            if auto.pattern != "^$" and auto.search(token):
                return kind
    for name in names:
        if not name:
            continue
        # billing_first_name, shippingPostcode, address[city]: words as a label would write them.
        spaced = re.sub(r"[_.\[\]]+", " ", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name))
        for kind, _, words in _field_patterns():
            if words.search(spaced):
                return kind
    return None
