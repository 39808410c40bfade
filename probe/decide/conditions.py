"""The condition language of the decision table: facts, the operator registry, conditions and text templates."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from probe.errors import suggest
from probe.models import CreditSource, Frozen, GiftCardKind, Intent, OptionState, Outcome

Values = Mapping[str, Any]


@dataclass(frozen=True)
class FactSpec:
    """A fact conditions may look at: its kind and, for enums, its choices."""

    kind: Literal["enum", "date", "number"]
    choices: type[StrEnum] | None = None
    after_decision: bool = False


FACTS: dict[str, FactSpec] = {
    "option_state": FactSpec("enum", OptionState),
    "credit_source": FactSpec("enum", CreditSource),
    "credit_expires": FactSpec("date"),
    "gift_card": FactSpec("enum", GiftCardKind),
    "intent": FactSpec("enum", Intent),
    "today": FactSpec("date"),
    # The balance shown with the option, as a number in its own currency (None when none is shown).
    "balance_amount": FactSpec("number"),
    # Known only once the table has decided; rules that read it cannot decide themselves.
    "outcome": FactSpec("enum", Outcome, after_decision=True),
}
TEMPLATE_FIELDS = (*FACTS, "days_left", "balance")


# Operators: each checks its value at load time and tests a fact at evaluation time.


def _member(fact: str, spec: FactSpec, value: Any) -> str | None:
    if spec.kind == "number":
        return f"'{fact}' is a number; compare it with above, at_most or exists"
    if spec.choices is None:
        return f"'{fact}' is a date; compare it with before, after, within_days or exists"
    names = [c.value for c in spec.choices]
    if not isinstance(value, str) or value not in names:
        return f"{value!r} is not a valid {fact}{suggest(str(value), names)}; choose from {', '.join(names)}"
    return None


def _members(fact: str, spec: FactSpec, value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return f"'value' must be a non-empty list of {fact} values"
    return next((p for p in (_member(fact, spec, v) for v in value) if p), None)


def _date(fact: str, spec: FactSpec, value: Any) -> str | None:
    if spec.kind != "date":
        return f"'{fact}' is not a date; compare it with eq, ne, in or not_in"
    if isinstance(value, dt.date) or (isinstance(value, str) and FACTS.get(value, spec).kind == "date"):
        return None
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            dates = [n for n, s in FACTS.items() if s.kind == "date"]
            return f"'value' must be YYYY-MM-DD or a date fact{suggest(value, dates)}, not {value!r}"
        return None
    return f"'value' must be YYYY-MM-DD or a date fact, not {value!r}"


def _days(fact: str, spec: FactSpec, value: Any) -> str | None:
    if spec.kind != "date":
        return f"'{fact}' is not a date; within_days needs a date fact"
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return f"'value' must be a whole number of days (0 or more), not {value!r}"
    return None


def _number(fact: str, spec: FactSpec, value: Any) -> str | None:
    if spec.kind != "number":
        return f"'{fact}' is not a number; above and at_most compare numbers such as balance_amount"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"'value' must be a number (e.g. 100 or 0), not {value!r}"
    return None


def _above(fact: Any, value: Any, _: Values) -> bool:
    return fact is not None and bool(fact > value)


def _at_most(fact: Any, value: Any, _: Values) -> bool:
    return fact is not None and bool(fact <= value)


def _flag(fact: str, spec: FactSpec, value: Any) -> str | None:
    return None if value is None or isinstance(value, bool) else f"'value' must be true or false, not {value!r}"


def _as_date(value: Any, values: Values) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if value in FACTS:
        found = values.get(value)
        return found if isinstance(found, dt.date) else None
    return dt.date.fromisoformat(value)


def _before(fact: Any, value: Any, values: Values) -> bool:
    other = _as_date(value, values)
    return fact is not None and other is not None and bool(fact < other)


def _after(fact: Any, value: Any, values: Values) -> bool:
    other = _as_date(value, values)
    return fact is not None and other is not None and bool(fact > other)


def _within_days(fact: Any, value: Any, values: Values) -> bool:
    return fact is not None and 0 <= (fact - values["today"]).days <= value


@dataclass(frozen=True)
class Operator:
    """One comparison the table may use: load-time check, evaluation, and words for `probe rules`."""

    check: Callable[[str, FactSpec, Any], str | None]
    test: Callable[[Any, Any, Values], bool]
    words: str


OPERATORS: dict[str, Operator] = {
    "eq": Operator(_member, lambda f, v, _: bool(f == v), "{fact} is {value}"),
    "ne": Operator(_member, lambda f, v, _: bool(f != v), "{fact} is not {value}"),
    "in": Operator(_members, lambda f, v, _: f in v, "{fact} is one of {value}"),
    "not_in": Operator(_members, lambda f, v, _: f not in v, "{fact} is none of {value}"),
    "before": Operator(_date, _before, "{fact} is before {value}"),
    "after": Operator(_date, _after, "{fact} is after {value}"),
    "within_days": Operator(_days, _within_days, "{fact} is today or within {value} days after it"),
    "above": Operator(_number, _above, "{fact} is known and above {value}"),
    "at_most": Operator(_number, _at_most, "{fact} is known and at most {value}"),
    "exists": Operator(_flag, lambda f, v, _: (f is not None) == (v is not False), "{fact} is {value}"),
}


class Data(Frozen):
    """Part of a table file: immutable, no unknown keys."""


class Condition(Data):
    """One node of a rule's condition: all / any / none of sub-conditions, or a fact compared by an op."""

    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    none: tuple[Condition, ...] | None = None
    fact: str | None = None
    op: str | None = None
    value: Any = Field(default=None, validate_default=True)

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, fact: str | None) -> str | None:
        if fact is not None and fact not in FACTS:
            raise ValueError(f"unknown fact '{fact}'{suggest(fact, FACTS)}; known: {', '.join(FACTS)}")
        return fact

    @field_validator("op")
    @classmethod
    def _known_op(cls, op: str | None) -> str | None:
        if op is not None and op not in OPERATORS:
            raise ValueError(f"unknown operator '{op}'{suggest(op, OPERATORS)}; known: {', '.join(OPERATORS)}")
        return op

    @field_validator("value")
    @classmethod
    def _fitting_value(cls, value: Any, info: ValidationInfo) -> Any:
        fact, op = info.data.get("fact"), info.data.get("op")
        if fact is not None and op is not None:
            problem = OPERATORS[op].check(fact, FACTS[fact], value)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [k for k in ("all", "any", "none", "fact") if getattr(self, k) is not None]
        if len(forms) != 1:
            found = ", ".join(forms) or "none of them"
            raise ValueError(f"a condition needs exactly one of all, any, none, fact (found {found})")
        if self.fact is not None and self.op is None:
            raise ValueError(f"fact '{self.fact}' needs an 'op': one of {', '.join(OPERATORS)}")
        if self.fact is None and (self.op is not None or self.value is not None):
            raise ValueError("'op' and 'value' belong with 'fact'")
        if self.fact is None and not (self.all or self.any or self.none):
            raise ValueError(f"'{forms[0]}' needs at least one condition")
        return self

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if v is not None}

    def facts_used(self) -> set[str]:
        """Every fact this condition reads."""
        found = {self.fact} if self.fact else set()
        for child in (*(self.all or ()), *(self.any or ()), *(self.none or ())):
            found |= child.facts_used()
        return found

    def holds(self, values: Values) -> bool:
        """Whether the condition is true for these fact values."""
        if self.all is not None:
            return all(c.holds(values) for c in self.all)
        if self.any is not None:
            return any(c.holds(values) for c in self.any)
        if self.none is not None:
            return not any(c.holds(values) for c in self.none)
        return OPERATORS[str(self.op)].test(values.get(str(self.fact)), self.value, values)

    def words(self, nested: bool = False) -> str:
        """The condition in plain words."""
        for key, joiner, head in (("all", " and ", ""), ("any", " or ", ""), ("none", "; ", "none of: ")):
            children: tuple[Condition, ...] | None = getattr(self, key)
            if children is not None:
                text = head + joiner.join(c.words(nested=True) for c in children)
                return f"({text})" if nested and (len(children) > 1 or head) else text
        value = self.value
        if self.op == "exists":
            value = "given" if value is not False else "not given"
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        return OPERATORS[str(self.op)].words.format(fact=self.fact, value=value)


def _template_problem(text: str) -> str | None:
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        return f"not a valid template ({exc}); write {{{{ and }}}} for literal braces"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in TEMPLATE_FIELDS or spec or conversion:
            hint = suggest(name, TEMPLATE_FIELDS)
            known = ", ".join(TEMPLATE_FIELDS)
            return f"unknown placeholder {{{name}}}{hint}; use a plain {{name}} with one of: {known}"
    return None


class Text(Data):
    """A sentence template, shown when its condition holds (always, without one)."""

    when: Condition | None = None
    text: str = Field(min_length=1)

    @field_validator("text")
    @classmethod
    def _template(cls, text: str) -> str:
        problem = _template_problem(text)
        if problem:
            raise ValueError(problem)
        return text

    def applies(self, values: Values) -> bool:
        """Whether this text is for these facts."""
        return self.when is None or self.when.holds(values)
