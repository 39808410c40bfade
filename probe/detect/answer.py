"""What the store answered once a credit was submitted: accepted, refused, an unknown code, a code asked for.

The words are data (probe/data/store_answers.yaml), each row with the platform source it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from probe.errors import Regex, load_yaml_model
from probe.models import Frozen
from probe.money import MONEY

ANSWERS_FILE = Path(__file__).parents[1] / "data" / "store_answers.yaml"
AnswerKind = Literal["accepted", "refused", "unknown_code", "needs_code"]
# The order in which kinds are read: bad input first, then a refusal, then acceptance.
READ_ORDER: tuple[AnswerKind, ...] = ("unknown_code", "needs_code", "refused", "accepted")
# A line longer than this is a paragraph, not a message.
MAX_MESSAGE = 300
_MONEY = re.compile(MONEY, re.IGNORECASE)


class AnswerRule(Frozen):
    """One way stores word an answer, with where it was read."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: AnswerKind
    pattern: Regex
    source: str = Field(min_length=8)


class AnswerTable(Frozen):
    """The data file: the stores' answers, by kind."""

    answers: tuple[AnswerRule, ...] = Field(min_length=1)


@cache
def load_answers(path: Path = ANSWERS_FILE) -> AnswerTable:
    """The bundled table of the stores' answers (validated once)."""
    return load_yaml_model(path, AnswerTable, what="store answers")


@dataclass(frozen=True)
class Heard:
    """One reading of the store's answer: its kind, the store's words, and the rule that read them."""

    kind: AnswerKind
    words: str
    rule: str


def hear(messages: list[str], lines: list[str]) -> Heard | None:
    """The store's answer in its messages (alerts, errors, notices) first, then in the page's new lines."""
    rules = load_answers().answers
    for kind in READ_ORDER:
        for texts in (messages, lines):
            for text in texts:
                if len(text) > MAX_MESSAGE:
                    continue
                rule = next((r for r in rules if r.kind == kind and re.search(r.pattern, text, re.IGNORECASE)), None)
                if rule is not None:
                    return Heard(kind, text, rule.id)
    return None


def amount_in(text: str) -> str | None:
    """The first money amount in a text ("£25.00"), or None."""
    found = _MONEY.search(text)
    return found.group(0).strip() if found else None
