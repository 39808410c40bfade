"""The credit words of particular platforms (probe/data/credit_words.yaml), each with where the platform says it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from probe.errors import Regex, load_yaml_model

WORDS_FILE = Path(__file__).parents[1] / "data" / "credit_words.yaml"


class PlatformWords(BaseModel):
    """One platform's words for a credit on offer: the pattern, the words as shown, and where they were read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: Regex
    platform: str = Field(min_length=2)
    says: str = Field(min_length=2)
    source: str = Field(min_length=8)


class PlatformWordTable(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: tuple[PlatformWords, ...]


@cache
def platform_patterns(path: Path = WORDS_FILE) -> tuple[str, ...]:
    """Every platform's credit patterns, in file order."""
    table = load_yaml_model(path, PlatformWordTable, what="platform credit words")
    return tuple(w.pattern for w in table.words)
