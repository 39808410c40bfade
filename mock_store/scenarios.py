"""Scenario files: what credit the shopper has, the store's policy, how checkout shows it, what a probe should see."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Source = Literal["refund", "gift_card", "return", "promotional", "rewards", "unknown"]
Kind = Literal["store-digital", "store-physical", "third-party"]
Intent = Literal["own-use", "gift", "resale"]
Ineligible = Literal[
    "disabled_with_reason", "aria_disabled", "css_only", "not_rendered", "removed_by_script", "message_only"
]
ExpectedState = Literal["absent", "selectable", "greyed_out"]
ExpectedOutcome = Literal["can_use", "cannot_use", "against_terms", "assume_cannot_use"]

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


class ScenarioError(Exception):
    """A scenario that cannot be used: the message names the file and each bad field."""


class UnknownScenario(ScenarioError):
    """No scenario file by that name."""


class Strict(BaseModel):
    """The mock store's one base model (scenarios, cart): unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CreditLine(Strict):
    """One credit balance on the shopper's account."""

    label: str = Field(min_length=1, description="the name shown on the payment and account pages")
    source: Source
    amount: Decimal = Field(ge=0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    expires: dt.date | None = None
    terms: str = ""

    @field_validator("amount")
    @classmethod
    def _cents(cls, value: Decimal) -> Decimal:
        cents = value.quantize(Decimal("0.01"))
        if cents != value:
            raise ValueError("at most 2 decimal places")
        return cents

    def money(self) -> str:
        """The amount as the store prints it, e.g. "$25.00"."""
        return format_money(self.amount, self.currency)


class Policy(Strict):
    """Which credit sources may pay for which gift-card kinds; a source left out may pay for none."""

    allowed: dict[Source, list[Kind]] = Field(default_factory=dict)
    reason: str | None = None

    def allows(self, source: Source, kinds: set[str]) -> bool:
        """Whether this credit source may pay for every gift-card kind in the cart."""
        return kinds <= set(self.allowed.get(source, []))


class UI(Strict):
    """How checkout renders credit options."""

    ineligible: Ineligible = "disabled_with_reason"
    late_ms: int = Field(default=0, ge=0, le=10_000)
    # The totals endpoint (/api/checkout/totals) answers after this long; its answer greys the late-disable rows.
    disable_after_ms: int | None = Field(default=None, ge=0, le=10_000)
    # How an account with nothing on it is shown: greyed with "No balance", or (select_button) as an enabled radio
    # with no label whose value is the account's redeem code, refused only once its "Select" button is pressed.
    zero_balance: Literal["disabled", "select_button"] = "disabled"
    # The payment page also shows the shopper's details (name, address, e-mail, phone, an account table with its code)
    # and echoes a gift-card code into the code box: what screenshots of real stores must mask.
    shopper_details: bool = False

    @model_validator(mode="after")
    def _late_disable_needs_a_control(self) -> UI:
        if self.disable_after_ms is not None and self.ineligible not in (
            "disabled_with_reason",
            "aria_disabled",
            "css_only",
        ):
            raise ValueError("disable_after_ms needs ineligible to be disabled_with_reason, aria_disabled or css_only")
        return self


class ProbeHints(Strict):
    """What the probe is told when it runs against this scenario; the store also takes `today` as its date."""

    gift_card: Kind = "store-digital"
    intent: Intent = "own-use"
    today: dt.date
    credit_source: Source | None = None
    credit_expires: dt.date | None = None


class ExpectedOption(Strict):
    """What a correct probe reports for one credit line."""

    label: str
    option_state: ExpectedState
    outcome: ExpectedOutcome
    reason: str | None = None
    balance: str | None = None


class Expect(Strict):
    """What a correct probe reports for the option it reports on, and for each option when there are several."""

    option_state: ExpectedState
    outcome: ExpectedOutcome
    reason: str | None = None
    balance: str | None = None
    warning: str | None = None
    options: list[ExpectedOption] = Field(default_factory=list)


class SignIn(Strict):
    """The account a shopper signs in with; with it, the account pages and checkout need a session."""

    email: str = Field(min_length=3)
    password: str = Field(min_length=1)
    session_days: int = Field(default=30, ge=1, description="how long a session cookie stays valid")


class Scenario(Strict):
    """One store set-up, as in fixtures/scenarios/NAME.yaml."""

    description: str = Field(min_length=1)
    sign_in: SignIn | None = None
    credit_lines: list[CreditLine] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)
    ui: UI = Field(default_factory=UI)
    probe: ProbeHints
    expect: Expect

    @model_validator(mode="after")
    def _options_match_lines(self) -> Scenario:
        labels = [line.label for line in self.credit_lines]
        if len(set(labels)) != len(labels):
            raise ValueError("credit_lines: each label must be unique")
        if len(self.credit_lines) > 1:
            declared = [option.label for option in self.expect.options]
            if declared != labels:
                raise ValueError(
                    f"expect.options must list every credit line in page order: expected {labels}, got {declared}"
                )
        elif self.expect.options and [o.label for o in self.expect.options] != labels:
            raise ValueError("expect.options labels must be the credit lines' labels")
        return self

    def line(self, label: str) -> CreditLine:
        """The credit line with this label."""
        for line in self.credit_lines:
            if line.label == label:
                return line
        raise KeyError(label)

    def expected_options(self) -> list[ExpectedOption]:
        """One expectation per credit line: expect.options, or the top-level expect for a single line."""
        if self.expect.options:
            return list(self.expect.options)
        return [
            ExpectedOption(
                label=line.label,
                option_state=self.expect.option_state,
                outcome=self.expect.outcome,
                reason=self.expect.reason,
                balance=self.expect.balance,
            )
            for line in self.credit_lines
        ]


def format_money(amount: Decimal, currency: str = "USD") -> str:
    """ "$25.00" for USD; other currencies get their symbol or their code."""
    value = f"{amount.quantize(Decimal('0.01')):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{value}" if symbol else f"{currency} {value}"


def scenarios_dir() -> Path:
    """The bundled scenarios: inside the installed package, else the repo's fixtures/scenarios."""
    package = Path(__file__).resolve().parent
    installed = package / "_fixtures" / "scenarios"
    if installed.is_dir():
        return installed
    return package.parent / "fixtures" / "scenarios"


def list_scenarios(directory: Path | None = None) -> list[str]:
    """The names of the scenario files, sorted."""
    root = directory or scenarios_dir()
    return sorted(p.stem for p in root.glob("*.yaml") if NAME_PATTERN.match(p.stem))


def _field_lines(error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"  {path}: {message}")
    return lines


# The last scenario parsed from each file, by the file's text: the store loads its scenario several times per
# request, and reading a file is cheap where parsing and validating it is not. An edited file is parsed again.
_PARSED: dict[Path, tuple[str, Scenario]] = {}


def load_scenario_file(path: Path) -> Scenario:
    """Read and validate one scenario file; ScenarioError names the file and each bad field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read scenario file ({exc.strerror or exc})") from None
    parsed = _PARSED.get(path)
    if parsed is not None and parsed[0] == text:
        return parsed[1]
    scenario = _parse_scenario(path, text)
    _PARSED[path] = (text, scenario)
    return scenario


def _parse_scenario(path: Path, text: str) -> Scenario:
    """A scenario file's text, parsed and validated; ScenarioError names the file and each bad field."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise ScenarioError(f"{path}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario must be a mapping of keys (description, credit_lines, ...)")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        lines = _field_lines(exc)
        raise ScenarioError("\n".join([f"{path}: invalid scenario ({len(lines)} problem(s))", *lines])) from None


def load_scenario(name: str, directory: Path | None = None) -> Scenario:
    """The scenario called `name` from the scenarios directory."""
    root = directory or scenarios_dir()
    known = list_scenarios(root)
    if not NAME_PATTERN.match(name) or name not in known:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UnknownScenario(f"unknown scenario '{name}'{hint}; known scenarios: {', '.join(known) or 'none'}")
    return load_scenario_file(root / f"{name}.yaml")
