"""The decision table: rules as data (probe/data/rules.yaml), validated on load, evaluated into a Verdict."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, field_validator, model_validator

from probe.decide.conditions import FACTS, Condition, Data, Text, Values
from probe.errors import InputError, load_yaml_model
from probe.models import Facts, FiredRule, Outcome, Verdict

SHIPPED_TABLE = Path(__file__).parents[1] / "data" / "rules.yaml"


class RuleOutcome(Data):
    """The outcome a rule proposes when it fires (and `when` holds); the lowest precedence decides."""

    value: Outcome
    precedence: int = Field(ge=1)
    when: Condition | None = None


def _texts(value: Any) -> Any:
    if isinstance(value, str):
        return [{"text": value}]
    if isinstance(value, list):
        return [{"text": v} if isinstance(v, str) else v for v in value]
    return value


class Rule(Data):
    """One row of the decision table."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    title: str = Field(min_length=1)
    guide: str = Field(min_length=1)
    when: Condition
    outcome: RuleOutcome | None = None
    why: tuple[Text, ...] = Field(min_length=1)
    advice: tuple[Text, ...] = ()
    warnings: tuple[Text, ...] = ()

    _as_texts = field_validator("why", "advice", "warnings", mode="before")(_texts)

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.why[-1].when is not None:
            raise ValueError("the last 'why' entry must have no 'when': it is the fallback")
        if self.outcome is not None and "outcome" in self.facts_used():
            raise ValueError("a rule with an outcome cannot read the 'outcome' fact (it is decided by such rules)")
        if not self.after_decision and any("{outcome}" in t.text for t in self.texts()):
            raise ValueError("{outcome} can only be used in rules whose 'when' reads the 'outcome' fact")
        return self

    @property
    def after_decision(self) -> bool:
        """Whether the rule reads the outcome, so is evaluated once the table has decided."""
        return "outcome" in self.when.facts_used()

    def texts(self) -> tuple[Text, ...]:
        """Every text template of the rule."""
        return (*self.why, *self.advice, *self.warnings)

    def facts_used(self) -> set[str]:
        """Every fact any of the rule's conditions reads."""
        conditions = [self.when, self.outcome.when if self.outcome else None]
        conditions += [t.when for t in self.texts()]
        return set().union(*(c.facts_used() for c in conditions if c is not None))


class RuleTable(Data):
    """The decision table file: rules in order; the lowest outcome precedence decides, ties by order."""

    version: Literal[1] = 1
    default_outcome: Outcome = Outcome.inconclusive
    rules: tuple[Rule, ...] = Field(min_length=1)

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        seen: dict[str, int] = {}
        for index, rule in enumerate(rules):
            if rule.id in seen:
                raise ValueError(f"duplicate rule id '{rule.id}': rules.{seen[rule.id]}.id and rules.{index}.id")
            seen[rule.id] = index
        return rules


# Loading


def load_table(path: Path | None = None) -> RuleTable:
    """The decision table from `path` (None: the shipped one); InputError names file, rule, field, line."""
    return _shipped_table() if path is None else _load(path)


@functools.cache
def _shipped_table() -> RuleTable:
    return _load(SHIPPED_TABLE)


def _load(path: Path) -> RuleTable:
    try:
        return load_yaml_model(path, RuleTable, what="rules table")
    except InputError as exc:
        if not exc.lines:
            raise
        raise InputError(exc.message, lines=_locate(path, exc.lines)) from None


_PROBLEM = re.compile(r"^(\s*)(\S+): (.*)$")


def _locate(path: Path, lines: Iterable[str]) -> list[str]:
    """Add the rule id and the YAML line to each `path: message` line."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return list(lines)
    located = []
    for line in lines:
        match = _PROBLEM.match(line)
        if match is None:
            located.append(line)
            continue
        indent, loc, message = match.groups()
        parts = loc.split(".")
        rule_node, lineno = _walk(root, parts[:2]), _line(root, parts)
        rule_id = _scalar_at(rule_node, "id") if parts[0] == "rules" and len(parts) > 1 else None
        where = ([f"rule {rule_id}"] if rule_id else []) + ([f"line {lineno}"] if lineno else [])
        tag = f" ({', '.join(where)})" if where else ""
        located.append(f"{indent}{loc}{tag}: {message.removeprefix('Value error, ')}")
    return located


def _child(node: yaml.Node | None, part: str) -> tuple[yaml.Node | None, int | None]:
    """The child of a YAML node named by one loc part, and the line it starts on."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value, key.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
        item = node.value[int(part)]
        return item, item.start_mark.line + 1
    return None, None


def _walk(node: yaml.Node | None, parts: list[str]) -> yaml.Node | None:
    for part in parts:
        node, _ = _child(node, part)
    return node


def _line(node: yaml.Node | None, parts: list[str]) -> int | None:
    """The line of the deepest node the loc reaches."""
    found = None
    for part in parts:
        node, line = _child(node, part)
        if node is None:
            break
        found = line
    return found


def _scalar_at(node: yaml.Node | None, key: str) -> str | None:
    child, _ = _child(node, key)
    return str(child.value) if isinstance(child, yaml.ScalarNode) and child.value else None


# Evaluation


def _values(facts: Facts) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(facts, name) for name in FACTS if hasattr(facts, name)}
    values["days_left"] = (facts.credit_expires - facts.today).days if facts.credit_expires else None
    values["balance"] = facts.balance_text or "not shown"
    values["balance_amount"] = facts.balance.amount if facts.balance else None
    return values


def _render(template: str, values: Values) -> str:
    shown = {k: "unknown" if v is None else str(v) for k, v in values.items()}
    shown.setdefault("outcome", "undecided")
    return template.format_map(shown)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def evaluate(facts: Facts, table: RuleTable | None = None) -> Verdict:
    """Apply the table to the facts: every rule that fired with why, the deciding one, advice and warnings."""
    table = _shipped_table() if table is None else table
    values = _values(facts)
    proposed: dict[int, Outcome | None] = {}
    for index, rule in enumerate(table.rules):
        if not rule.after_decision and rule.when.holds(values):
            offer = rule.outcome
            proposed[index] = offer.value if offer and (offer.when is None or offer.when.holds(values)) else None
    deciders = [i for i, o in proposed.items() if o is not None]
    deciding = min(deciders, key=lambda i: (_precedence(table.rules[i]), i), default=None)
    outcome = proposed.get(deciding) if deciding is not None else None
    outcome = outcome or table.default_outcome
    values["outcome"] = outcome
    for index, rule in enumerate(table.rules):
        if rule.after_decision and rule.when.holds(values):
            proposed[index] = None
    fired = [(i, table.rules[i]) for i in sorted(proposed)]
    return Verdict(
        outcome=outcome,
        deciding_rule=table.rules[deciding].id if deciding is not None else None,
        rules=tuple(
            FiredRule(
                id=rule.id,
                title=rule.title,
                why=_render(next(t.text for t in rule.why if t.applies(values)), values),
                guide=rule.guide,
                outcome=proposed[i],
                deciding=i == deciding,
            )
            for i, rule in fired
        ),
        advice=_unique(_render(a.text, values) for _, rule in fired for a in rule.advice if a.applies(values)),
        warnings=_unique(_render(w.text, values) for _, rule in fired for w in rule.warnings if w.applies(values)),
    )


def _precedence(rule: Rule) -> int:
    return rule.outcome.precedence if rule.outcome else 0


# Description


def describe_table(table: RuleTable) -> str:
    """The table as plain text for `probe rules`: when each rule fires, outcome, guide's text, advice."""
    lines = [
        "Decision rules: every rule whose condition holds fires; of the outcomes they propose, the lowest",
        f"precedence decides (ties: table order). With none, the outcome is {table.default_outcome.value}.",
    ]
    for rule in table.rules:
        lines += ["", f"{rule.id}: {rule.title}", f"  fires when: {rule.when.words()}"]
        if rule.outcome:
            extra = f" if {rule.outcome.when.words()}" if rule.outcome.when else ""
            lines.append(f"  outcome:    {rule.outcome.value.value} (precedence {rule.outcome.precedence}){extra}")
        else:
            lines.append("  outcome:    none (informs only)")
        lines.append(f"  guide:      {rule.guide}")
        for label, texts in (("advice:    ", rule.advice), ("warns:     ", rule.warnings)):
            for text in texts:
                extra = f" (if {text.when.words()})" if text.when else ""
                lines.append(f"  {label} {text.text}{extra}")
    return "\n".join(lines) + "\n"
