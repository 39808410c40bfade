"""The decision table and its engine: every precedence step, every rule row, validation of table files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from probe.decide.rules import SHIPPED_TABLE, RuleTable, describe_table, evaluate, load_table
from probe.errors import InputError
from probe.models import Balance, CreditSource, Facts, GiftCardKind, Intent, OptionState, Outcome

TODAY = dt.date(2026, 11, 25)
EXPIRED = dt.date(2026, 10, 1)
SPEC_RULES = {
    "R-refund", "R-promo", "R-absent", "R-greyed", "R-cash", "R-expiry", "R-return", "R-unsure",
    "R-third-party", "R-large-balance", "R-caution", "R-transfer", "R-empty",
}  # fmt: skip
ZERO = {"balance_text": "£0.00", "balance": {"amount": 0.0, "currency": "£"}}
LARGE = {"balance_text": "$150.00", "balance": {"amount": 150.0, "currency": "$"}}
SMALL = {"balance_text": "$40.00", "balance": {"amount": 40.0, "currency": "$"}}


def facts(**given: Any) -> Facts:
    """Facts for a selectable refund credit, own use, store gift card, today = TODAY, changed by `given`."""
    base: dict[str, Any] = {"option_state": "selectable", "credit_source": "refund", "today": TODAY}
    return Facts.model_validate(base | given)


def fired_ids(given: dict[str, Any]) -> list[str]:
    return [rule.id for rule in evaluate(facts(**given)).rules]


# The SPEC precedence, one case per step and per way into it: (facts, outcome, deciding rule).
PRECEDENCE = {
    "1 unknown": ({"option_state": "unknown"}, "inconclusive", "R-unobserved"),
    "1 unknown beats expired resale promo": (
        {"option_state": "unknown", "credit_expires": EXPIRED, "intent": "resale", "credit_source": "promotional"},
        "inconclusive",
        "R-unobserved",
    ),
    "2 expired selectable refund": ({"credit_expires": EXPIRED}, "cannot_use", "R-expiry"),
    "2 expired beats absent": ({"option_state": "absent", "credit_expires": EXPIRED}, "cannot_use", "R-expiry"),
    "2 expired beats resale": ({"intent": "resale", "credit_expires": EXPIRED}, "cannot_use", "R-expiry"),
    "2 expired beats unknown source": (
        {"credit_source": "unknown", "credit_expires": TODAY - dt.timedelta(days=1)},
        "cannot_use",
        "R-expiry",
    ),
    "2 expiring today is not expired": ({"credit_expires": TODAY}, "can_use", "R-refund"),
    "2 zero balance, selectable refund": (ZERO, "cannot_use", "R-empty"),
    "2 zero balance beats greyed out": ({**ZERO, "option_state": "greyed_out"}, "cannot_use", "R-empty"),
    "2 zero balance beats resale": ({**ZERO, "intent": "resale"}, "cannot_use", "R-empty"),
    "2 a balance above zero is not empty": (SMALL, "can_use", "R-refund"),
    "3 absent": ({"option_state": "absent"}, "cannot_use", "R-absent"),
    "3 greyed out": ({"option_state": "greyed_out"}, "cannot_use", "R-greyed"),
    "3 absent beats promo resale third-party": (
        {"option_state": "absent", "credit_source": "promotional", "intent": "resale", "gift_card": "third-party"},
        "cannot_use",
        "R-absent",
    ),
    "3 greyed beats unknown source": (
        {"option_state": "greyed_out", "credit_source": "unknown"},
        "cannot_use",
        "R-greyed",
    ),
    "4 resale": ({"intent": "resale"}, "against_terms", "R-cash"),
    "4 gift": ({"intent": "gift"}, "against_terms", "R-transfer"),
    "4 promotional": ({"credit_source": "promotional"}, "against_terms", "R-promo"),
    "4 rewards": ({"credit_source": "rewards"}, "against_terms", "R-promo"),
    "4 third-party": ({"gift_card": "third-party"}, "against_terms", "R-third-party"),
    "4 beats 5": ({"intent": "gift", "credit_source": "unknown"}, "against_terms", "R-transfer"),
    "4 expiring soon still decided by 4": (
        {"credit_source": "rewards", "credit_expires": TODAY + dt.timedelta(days=3)},
        "against_terms",
        "R-promo",
    ),
    "5 unknown source": ({"credit_source": "unknown"}, "assume_cannot_use", "R-caution"),
    "6 refund": ({}, "can_use", "R-refund"),
    "6 gift-card redemption": ({"credit_source": "gift_card"}, "can_use", "R-refund"),
    "6 return": ({"credit_source": "return", "gift_card": "store-physical"}, "can_use", "R-return"),
    "6 with a future expiry": ({"credit_expires": TODAY + dt.timedelta(days=400)}, "can_use", "R-refund"),
}


@pytest.mark.parametrize(("given", "outcome", "deciding"), PRECEDENCE.values(), ids=PRECEDENCE.keys())
def test_precedence(given: dict[str, Any], outcome: str, deciding: str) -> None:
    verdict = evaluate(facts(**given))
    assert verdict.outcome == outcome
    assert verdict.deciding_rule == deciding
    assert [r.id for r in verdict.rules if r.deciding] == [deciding]
    assert next(r for r in verdict.rules if r.deciding).outcome == outcome


# Every row of the shipped table: facts where it fires, facts where it does not.
ROWS = {
    "R-unobserved": ({"option_state": "unknown"}, {"option_state": "absent"}),
    "R-expiry": ({"credit_expires": TODAY + dt.timedelta(days=90)}, {"credit_expires": None}),
    "R-absent": ({"option_state": "absent"}, {"option_state": "greyed_out"}),
    "R-greyed": ({"option_state": "greyed_out"}, {"option_state": "absent"}),
    "R-cash": ({"intent": "resale"}, {"intent": "gift"}),
    "R-transfer": ({"intent": "gift", "option_state": "absent"}, {"intent": "own-use"}),
    "R-promo": ({"credit_source": "rewards"}, {"credit_source": "return"}),
    "R-third-party": ({"gift_card": "third-party"}, {"gift_card": "store-physical"}),
    "R-caution": ({"credit_source": "unknown", "option_state": "absent"}, {"credit_source": "refund"}),
    "R-unsure": ({"credit_source": "unknown"}, {"credit_source": "promotional"}),
    "R-refund": ({"credit_source": "gift_card"}, {"credit_source": "return"}),
    "R-return": ({"credit_source": "return"}, {"credit_source": "gift_card"}),
    "R-large-balance": ({"option_state": "greyed_out", **LARGE}, {"option_state": "selectable", **LARGE}),
    "R-empty": (ZERO, SMALL),
}
# R-large-balance: only when the credit cannot be used here and a balance above the threshold is known.
LARGE_BALANCE = {
    "greyed out, $150.00": ({"option_state": "greyed_out", **LARGE}, True),
    "absent, $150.00": ({"option_state": "absent", **LARGE}, True),
    "against terms, $150.00": ({"intent": "resale", **LARGE}, True),
    "greyed out, $40.00 is not large": ({"option_state": "greyed_out", **SMALL}, False),
    "greyed out, exactly 100 is not above": (
        {"option_state": "greyed_out", "balance_text": "$100.00", "balance": {"amount": 100.0, "currency": "$"}},
        False,
    ),
    "greyed out, £0.00": ({"option_state": "greyed_out", **ZERO}, False),
    "greyed out, no balance shown": ({"option_state": "greyed_out"}, False),
    "can use, $150.00": (LARGE, False),
}


@pytest.mark.parametrize(("given", "fires"), LARGE_BALANCE.values(), ids=LARGE_BALANCE.keys())
def test_large_balance_only_when_known_above_threshold_and_unusable(given: dict[str, Any], fires: bool) -> None:
    assert ("R-large-balance" in fired_ids(given)) is fires


def test_every_row_of_the_shipped_table_has_cases_and_the_spec_rules_are_all_there() -> None:
    ids = [rule.id for rule in load_table().rules]
    assert set(ROWS) == set(ids)
    assert SPEC_RULES <= set(ids)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("rule_id", "fires", "quiet"), [(k, *v) for k, v in ROWS.items()], ids=ROWS.keys())
def test_rule_fires_and_does_not(rule_id: str, fires: dict[str, Any], quiet: dict[str, Any]) -> None:
    verdict = evaluate(facts(**fires))
    fired = {r.id: r for r in verdict.rules}
    assert rule_id in fired
    rule = fired[rule_id]
    assert rule.why and "{" not in rule.why and rule.why[0].islower()
    assert rule.guide and rule.title
    assert rule_id not in fired_ids(quiet)


WHY = {
    "expired": ({"credit_expires": EXPIRED}, "R-expiry", "the credit expired on 2026-10-01, before 2026-11-25"),
    "expires later": (
        {"credit_expires": dt.date(2026, 12, 10)},
        "R-expiry",
        "the credit expires on 2026-12-10, 15 days after 2026-11-25",
    ),
    "expires today": ({"credit_expires": TODAY}, "R-expiry", "the credit expires today, 2026-11-25"),
    "rewards": ({"credit_source": "rewards"}, "R-promo", "rewards credit"),
    "promotional": ({"credit_source": "promotional"}, "R-promo", "the credit is promotional"),
    "gift-card redemption": ({"credit_source": "gift_card"}, "R-refund", "redeeming a gift card"),
    "refund": ({}, "R-refund", "came from a refund"),
    "absent names the card": ({"option_state": "absent", "gift_card": "third-party"}, "R-absent", "third-party"),
    "large balance names the verdict": (
        {"option_state": "absent", **LARGE},
        "R-large-balance",
        "the verdict is cannot_use, and the balance shown, $150.00",
    ),
    "empty names the balance": (ZERO, "R-empty", "the balance shown with the credit is £0.00"),
    "transfer, selectable anyway": ({"intent": "gift"}, "R-transfer", "even though checkout lets you select it"),
}


@pytest.mark.parametrize(("given", "rule_id", "expected"), WHY.values(), ids=WHY.keys())
def test_why_is_built_from_the_facts(given: dict[str, Any], rule_id: str, expected: str) -> None:
    rule = next(r for r in evaluate(facts(**given)).rules if r.id == rule_id)
    assert expected in rule.why


def test_every_fired_rule_is_listed_in_table_order_with_its_own_proposal() -> None:
    verdict = evaluate(
        facts(credit_source="unknown", intent="gift", gift_card="third-party", credit_expires=dt.date(2026, 12, 1))
    )
    assert [r.id for r in verdict.rules] == [
        "R-expiry", "R-transfer", "R-third-party", "R-caution", "R-unsure",
    ]  # fmt: skip
    proposals = {r.id: r.outcome for r in verdict.rules}
    assert proposals["R-third-party"] == Outcome.against_terms
    assert proposals["R-caution"] == Outcome.assume_cannot_use
    assert proposals["R-expiry"] is None and proposals["R-unsure"] is None
    assert verdict.outcome == Outcome.against_terms and verdict.deciding_rule == "R-transfer"


@pytest.mark.parametrize("days", [0, 1, 15, 29, 30])
def test_expiry_within_30_days_warns(days: int) -> None:
    expires = TODAY + dt.timedelta(days=days)
    verdict = evaluate(facts(credit_expires=expires))
    assert f"Credit expires soon: use it before {expires.isoformat()}." in verdict.warnings


@pytest.mark.parametrize("days", [31, 365, -1, -60, None])
def test_no_expiry_warning_beyond_30_days_expired_or_undated(days: int | None) -> None:
    expires = None if days is None else TODAY + dt.timedelta(days=days)
    verdict = evaluate(facts(credit_expires=expires))
    assert not any("use it before" in w for w in verdict.warnings)


def test_exact_expiry_warning_text() -> None:
    verdict = evaluate(facts(credit_expires=dt.date(2026, 12, 10)))
    assert verdict.warnings == ("Credit expires soon: use it before 2026-12-10.",)


def test_temporary_allowance_only_when_selectable_anyway() -> None:
    selectable = evaluate(facts(intent="gift"))
    absent = evaluate(facts(intent="gift", option_state="absent"))
    assert any("temporary allowance" in w for w in selectable.warnings)
    assert not any("temporary allowance" in w for w in absent.warnings)
    assert "R-transfer" in [r.id for r in absent.rules]


def test_advice_follows_the_fired_rules_in_table_order() -> None:
    table = load_table()
    verdict = evaluate(facts(credit_source="unknown", option_state="greyed_out"), table)
    by_id = {rule.id: rule for rule in table.rules}
    expected = [a.text for r in verdict.rules for a in by_id[r.id].advice]
    assert list(verdict.advice) == expected
    assert len(verdict.advice) == len(set(verdict.advice)) > 2


def test_expiry_advice_does_not_say_use_it_before_once_expired() -> None:
    later = evaluate(facts(credit_expires=dt.date(2027, 3, 1)))
    expired = evaluate(facts(credit_expires=EXPIRED))
    assert any("before 2027-03-01" in a for a in later.advice)
    assert not any("before 2026-10-01" in a for a in expired.advice)


def tiny_table(rules: list[dict[str, Any]], **top: Any) -> RuleTable:
    base = {"id": "X", "title": "t", "guide": "g", "why": "w"}
    return RuleTable.model_validate({"rules": [base | r for r in rules], **top})


def test_engine_dedupes_advice_breaks_ties_by_order_and_falls_back_to_the_default() -> None:
    not_resale = {"fact": "intent", "op": "eq", "value": "resale"}
    table = tiny_table(
        [
            {"id": "A", "when": {"fact": "intent", "op": "eq", "value": "gift"}, "advice": ["same", "a"]},
            {"id": "B", "when": {"any": [{"fact": "today", "op": "after", "value": "2026-01-01"}]}, "advice": "same"},
            {"id": "C", "when": {"none": [not_resale]}, "outcome": {"value": "can_use", "precedence": 2}},
            {"id": "D", "when": {"none": [not_resale]}, "outcome": {"value": "cannot_use", "precedence": 2}},
        ],
        default_outcome="assume_cannot_use",
    )
    gift = evaluate(facts(intent="gift"), table)
    assert gift.advice == ("same", "a")
    assert (gift.outcome, gift.deciding_rule) == (Outcome.can_use, "C")
    resale = evaluate(facts(intent="resale", today=dt.date(2025, 6, 1)), table)
    assert (resale.outcome, resale.deciding_rule, resale.rules) == (Outcome.assume_cannot_use, None, ())


GIFT = {"fact": "intent", "op": "eq", "value": "gift"}
OPS = [
    ({"fact": "intent", "op": "eq", "value": "gift"}, True),
    ({"fact": "intent", "op": "ne", "value": "gift"}, False),
    ({"fact": "credit_source", "op": "in", "value": ["rewards", "return"]}, True),
    ({"fact": "credit_source", "op": "not_in", "value": ["rewards", "return"]}, False),
    ({"fact": "credit_expires", "op": "before", "value": "2026-12-11"}, True),
    ({"fact": "credit_expires", "op": "before", "value": dt.date(2026, 12, 10)}, False),
    ({"fact": "credit_expires", "op": "after", "value": "today"}, True),
    ({"fact": "today", "op": "after", "value": "credit_expires"}, False),
    ({"fact": "credit_expires", "op": "within_days", "value": 15}, True),
    ({"fact": "credit_expires", "op": "within_days", "value": 14}, False),
    ({"fact": "credit_expires", "op": "exists"}, True),
    ({"fact": "credit_expires", "op": "exists", "value": False}, False),
    ({"all": [GIFT, {"fact": "gift_card", "op": "eq", "value": "third-party"}]}, True),
    ({"all": [GIFT, {"fact": "gift_card", "op": "eq", "value": "store-digital"}]}, False),
    ({"any": [{"fact": "intent", "op": "eq", "value": "resale"}, {"fact": "today", "op": "exists"}]}, True),
    ({"none": [{"fact": "intent", "op": "eq", "value": "resale"}, {"fact": "today", "op": "exists"}]}, False),
]  # fmt: skip


@pytest.mark.parametrize(("when", "holds"), OPS)
def test_operators(when: dict[str, Any], holds: bool) -> None:
    table = tiny_table([{"id": "X", "when": when}])
    given = facts(intent="gift", credit_source="rewards", gift_card="third-party", credit_expires=dt.date(2026, 12, 10))
    assert bool(evaluate(given, table).rules) is holds


@pytest.mark.parametrize("op", ["before", "after", "within_days"])
def test_date_operators_are_false_without_a_date(op: str) -> None:
    value = 30 if op == "within_days" else "today"
    table = tiny_table([{"id": "X", "when": {"fact": "credit_expires", "op": op, "value": value}}])
    assert evaluate(facts(credit_expires=None), table).rules == ()


def test_table_dumps_to_json_and_reads_back() -> None:
    table = load_table()
    data = json.loads(json.dumps(table.model_dump(mode="json")))
    assert data["rules"][0]["when"] == {"fact": "option_state", "op": "eq", "value": "unknown"}
    assert RuleTable.model_validate(data) == table


def test_describe_table_reads_as_plain_text() -> None:
    table = load_table()
    text = describe_table(table)
    for rule in table.rules:
        assert f"{rule.id}: {rule.title}" in text
        assert rule.guide in text
    assert "fires when: option_state is unknown" in text
    assert "outcome:    cannot_use (precedence 2) if credit_expires is before today" in text
    assert "fires when: credit_source is one of promotional, rewards" in text
    assert "outcome:    none (informs only)" in text


# Invalid table files: each names the file, the rule, the field, and suggests a fix where one is close.


def write_table(tmp_path: Path, change: Callable[[list[dict[str, Any]]], None]) -> Path:
    data = yaml.safe_load(SHIPPED_TABLE.read_text(encoding="utf-8"))
    change(data["rules"])
    path = tmp_path / "team-rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def rule(rules: list[dict[str, Any]], rule_id: str) -> dict[str, Any]:
    return next(r for r in rules if r["id"] == rule_id)


def rename_key(mapping: dict[str, Any], old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


def set_in(rule_id: str, *path: str, value: Any) -> Callable[[list[dict[str, Any]]], None]:
    def change(rules: list[dict[str, Any]]) -> None:
        node: Any = rule(rules, rule_id)
        for key in path[:-1]:
            node = node[int(key)] if key.isdigit() else node[key]
        node[path[-1]] = value

    return change


def duplicate_id(rules: list[dict[str, Any]]) -> None:
    rule(rules, "R-promo")["id"] = "R-absent"


def misspelt_guide(rules: list[dict[str, Any]]) -> None:
    rename_key(rule(rules, "R-greyed"), "guide", "giude")


def misspelt_value(rules: list[dict[str, Any]]) -> None:
    rename_key(rule(rules, "R-cash")["when"], "value", "valeu")


def outcome_reads_outcome(rules: list[dict[str, Any]]) -> None:
    rule(rules, "R-large-balance")["outcome"] = {"value": "cannot_use", "precedence": 3}


BAD = {
    "unknown operator": (
        set_in("R-promo", "when", "op", value="inn"),
        "R-promo", "rules.7.when.op", "unknown operator 'inn' (did you mean 'in'?)",
    ),
    "misspelt key": (misspelt_guide, "R-greyed", "rules.4.giude", "unknown key (did you mean 'guide'?)"),
    "misspelt key in a condition": (
        misspelt_value, "R-cash", "rules.5.when.valeu", "unknown key (did you mean 'value'?)",
    ),
    "duplicate id": (duplicate_id, "R-absent", "rules", "duplicate rule id 'R-absent': rules.3.id and rules.7.id"),
    "bad fact name": (
        set_in("R-absent", "when", "fact", value="optoin_state"),
        "R-absent", "rules.3.when.fact", "unknown fact 'optoin_state' (did you mean 'option_state'?)",
    ),
    "bad enum value": (
        set_in("R-greyed", "when", "value", value="greyd_out"),
        "R-greyed", "rules.4.when.value", "'greyd_out' is not a valid option_state (did you mean 'greyed_out'?)",
    ),
    "bad placeholder": (
        set_in("R-unsure", "why", value="the source is {credit_sourse}"),
        "R-unsure", "rules.10.why.0.text", "unknown placeholder {credit_sourse} (did you mean 'credit_source'?)",
    ),
    "date op on an enum fact": (
        set_in("R-cash", "when", "op", value="before"),
        "R-cash", "rules.5.when.value", "'intent' is not a date",
    ),
    "bad outcome": (
        set_in("R-absent", "outcome", "value", value="cannot"),
        "R-absent", "rules.3.outcome.value", "Input should be",
    ),
    "deciding rule reads the outcome": (
        outcome_reads_outcome, "R-large-balance", "rules.13", "cannot read the 'outcome' fact",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("change", "rule_id", "field", "message"), BAD.values(), ids=BAD.keys())
def test_invalid_table_names_file_rule_and_field(
    tmp_path: Path, change: Callable[[list[dict[str, Any]]], None], rule_id: str, field: str, message: str
) -> None:
    path = write_table(tmp_path, change)
    with pytest.raises(InputError) as caught:
        load_table(path)
    text = str(caught.value)
    assert str(path) in text.splitlines()[0]
    matching = [line for line in text.splitlines()[1:] if line.strip().startswith(f"{field} ")]
    assert matching, text
    assert any(rule_id in line and message in line for line in matching), text
    assert caught.value.exit_code == 2


def test_invalid_table_lines_give_the_yaml_line(tmp_path: Path) -> None:
    path = write_table(tmp_path, misspelt_guide)
    with pytest.raises(InputError) as caught:
        load_table(path)
    lineno = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.strip().startswith("giude:"))
    assert f"rules.4.giude (rule R-greyed, line {lineno}): unknown key (did you mean 'guide'?)" in str(caught.value)
    assert "rules.4.guide (rule R-greyed, line" in str(caught.value)  # and the key it lacks


@pytest.mark.parametrize(
    ("text", "message"),
    [("rules: [a, b\n", "not valid YAML"), ("- just a list\n", "expected a mapping"), (None, "file not found")],
)
def test_unreadable_table_file(tmp_path: Path, text: str | None, message: str) -> None:
    path = tmp_path / "rules.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_table(path)
    assert str(path) in str(caught.value)


# Property: for any facts, the engine agrees with a plain reading of SPEC.md's precedence.


def spec_outcome(f: Facts) -> Outcome:
    if f.option_state == OptionState.unknown:
        return Outcome.inconclusive
    if f.credit_expires is not None and f.credit_expires < f.today:
        return Outcome.cannot_use
    if f.balance is not None and f.balance.amount <= 0:
        return Outcome.cannot_use
    if f.option_state in (OptionState.absent, OptionState.greyed_out):
        return Outcome.cannot_use
    if (
        f.intent in (Intent.resale, Intent.gift)
        or f.credit_source in (CreditSource.promotional, CreditSource.rewards)
        or f.gift_card == GiftCardKind.third_party
    ):
        return Outcome.against_terms
    if f.credit_source == CreditSource.unknown:
        return Outcome.assume_cannot_use
    return Outcome.can_use


DATES = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31))
ANY_FACTS = st.builds(
    Facts,
    option_state=st.sampled_from(OptionState),
    credit_source=st.sampled_from(CreditSource),
    credit_expires=st.none() | DATES,
    gift_card=st.sampled_from(GiftCardKind),
    intent=st.sampled_from(Intent),
    today=DATES,
    balance=st.none() | st.builds(Balance, amount=st.sampled_from([0.0, 0.5, 40.0, 100.0, 100.01, 5000.0])),
)


@given(ANY_FACTS)
def test_engine_agrees_with_the_spec_precedence(f: Facts) -> None:
    verdict = evaluate(f)
    assert verdict.outcome == spec_outcome(f)
    fired = [r.id for r in verdict.rules]
    assert verdict.deciding_rule in fired
    assert [r.id for r in verdict.rules if r.deciding] == [verdict.deciding_rule]
    days = (f.credit_expires - f.today).days if f.credit_expires else None
    soon = days is not None and 0 <= days <= 30
    assert any("use it before" in w for w in verdict.warnings) == soon
    large = f.balance is not None and f.balance.amount > 100
    unusable = verdict.outcome not in (Outcome.can_use, Outcome.inconclusive)
    assert ("R-large-balance" in fired) == (unusable and large)
    assert all(r.why and "{" not in r.why for r in verdict.rules)


def test_large_balance_names_the_balance_shown() -> None:
    facts = Facts(
        option_state=OptionState.greyed_out,
        credit_source=CreditSource.promotional,
        today=dt.date(2026, 11, 25),
        balance_text="$240.00",
        balance=Balance(amount=240.0, currency="$"),
    )
    fired = {rule.id: rule for rule in evaluate(facts).rules}
    assert "the balance shown, $240.00, is above" in fired["R-large-balance"].why
    unknown = {rule.id for rule in evaluate(facts.model_copy(update={"balance_text": None, "balance": None})).rules}
    assert "R-large-balance" not in unknown


VERDICT_BALANCE = {
    "zero, as a store prints it": (["--option-state", "selectable", "--credit-source", "refund"], "£0.00", "R-empty"),
    "bare zero": (["--option-state", "selectable", "--credit-source", "refund"], "0", "R-empty"),
    "large, cannot use": (["--option-state", "greyed_out"], "$150.00", "R-large-balance"),
}


@pytest.mark.parametrize(("args", "balance", "rule_id"), VERDICT_BALANCE.values(), ids=VERDICT_BALANCE.keys())
def test_verdict_takes_the_balance_as_a_store_prints_it(args: list[str], balance: str, rule_id: str) -> None:
    from typer.testing import CliRunner

    from probe.cli import app

    result = CliRunner().invoke(app, ["verdict", *args, "--balance", balance, "--json"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout)
    assert verdict["outcome"] == "cannot_use"
    assert rule_id in [r["id"] for r in verdict["rules"]]
    small = CliRunner().invoke(app, ["verdict", *args, "--balance", "$40.00", "--json"])
    assert {"R-empty", "R-large-balance"}.isdisjoint(r["id"] for r in json.loads(small.stdout)["rules"])


def test_verdict_refuses_a_balance_that_is_no_amount() -> None:
    from typer.testing import CliRunner

    from probe.cli import app

    result = CliRunner().invoke(app, ["verdict", "--option-state", "absent", "--balance", "lots"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "probe: --balance 'lots': not an amount; give it as the store prints it, e.g. 0, £0.00 or $150.00"
    ]


BALANCES = {
    "$150.00": (150.0, "$"),
    "£0.00": (0.0, "£"),
    "12,50 €": (12.5, "€"),
    "1.234,56 €": (1234.56, "€"),
    "$1,234.56": (1234.56, "$"),
    "USD 25": (25.0, "USD"),
    "Available: $22.00": (22.0, "$"),
}


@pytest.mark.parametrize(("text", "expected"), BALANCES.items(), ids=BALANCES.keys())
def test_a_balance_is_read_into_amount_and_currency(text: str, expected: tuple[float, str | None]) -> None:
    from probe.money import parse_balance

    assert parse_balance(text) == Balance(amount=expected[0], currency=expected[1])


@pytest.mark.parametrize("text", ["", "lots", "No balance", None, "0", "250 points"])
def test_no_amount_is_no_balance(text: str | None) -> None:
    from probe.money import parse_balance

    assert parse_balance(text) is None
