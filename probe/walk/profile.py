"""Store profiles: how to walk a store to payment selection, as a validated YAML file."""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from probe.errors import InputError, load_yaml_model, regex_problem
from probe.models import Frozen
from probe.safety.order_requests import endpoint_problem

BUNDLED_PROFILE = Path(__file__).parents[1] / "data" / "mock_store.yaml"
LOCATOR_KINDS = ("role", "label", "text", "placeholder", "test_id", "css")


class Model(Frozen):
    """Part of a profile file: immutable, no unknown keys."""


class Locator(Model):
    """An element, in Playwright's own vocabulary; exactly one of the kinds, CSS as the last resort."""

    role: str | None = None
    name: str | None = Field(default=None, description="accessible name, with role")
    label: str | None = None
    text: str | None = None
    placeholder: str | None = None
    test_id: str | None = None
    css: str | None = None
    exact: bool = False
    nth: int | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Locator:
        given = [kind for kind in LOCATOR_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(LOCATOR_KINDS)} (got {', '.join(given) or 'none'})")
        if self.name is not None and self.role is None:
            raise ValueError("'name' goes with 'role'")
        return self

    def describe(self) -> str:
        """Short human text for progress lines and errors."""
        for kind in LOCATOR_KINDS:
            value = getattr(self, kind)
            if value is not None:
                extra = f" name={self.name!r}" if kind == "role" and self.name else ""
                return f"{kind}={value!r}{extra}"
        return "?"


class Goto(Model):
    action: Literal["goto"]
    url: str


class OnElement(Model):
    locator: Locator
    optional: bool = Field(default=False, description="skip quietly when the element is not there")


class Click(OnElement):
    action: Literal["click"]


class Fill(OnElement):
    action: Literal["fill"]
    value: str


class Select(OnElement):
    action: Literal["select"]
    value: str | None = None
    option_label: str | None = None

    @model_validator(mode="after")
    def _one_choice(self) -> Select:
        if (self.value is None) == (self.option_label is None):
            raise ValueError("give one of 'value' or 'option_label'")
        return self


class Check(OnElement):
    action: Literal["check"]


class WaitFor(Model):
    action: Literal["wait_for"]
    locator: Locator | None = None
    url: str | None = Field(default=None, description="a glob or regex the page URL must reach")
    state: Literal["load", "domcontentloaded", "networkidle"] | None = None

    @model_validator(mode="after")
    def _one_target(self) -> WaitFor:
        if sum(x is not None for x in (self.locator, self.url, self.state)) != 1:
            raise ValueError("give exactly one of 'locator', 'url' or 'state'")
        return self


Action = Annotated[Goto | Click | Fill | Select | Check | WaitFor, Field(discriminator="action")]


class Step(Model):
    """A named group of actions; a screenshot is taken after each step."""

    name: str
    guide_step: Literal[4, 5] = 4
    actions: list[Action] = Field(min_length=1)


class AccountPage(Model):
    """Where the account lists its credit lines (the guide's steps 1–3), read as a table with headers."""

    url: str
    table: Locator
    label_column: str = "Credit"
    source_column: str = "Source"
    balance_column: str = "Balance"
    expires_column: str = "Expires"
    terms_column: str = "Terms"


class Detect(Model):
    """Hints for finding the credit option."""

    option_label: str | None = None

    @field_validator("option_label")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        problem = regex_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value


class Guard(Model):
    """Extra order-placement endpoints (regexes over the URL) to block, beyond the defaults."""

    order_endpoints: list[str] = []

    @field_validator("order_endpoints")
    @classmethod
    def _regexes(cls, values: list[str]) -> list[str]:
        for index, value in enumerate(values):
            problem = endpoint_problem(value)
            if problem:
                raise ValueError(f"entry {index} {value!r}: {problem}; give a regex that matches only order endpoints")
        return values


class Profile(Model):
    """How to walk one store: steps to payment selection, the account page, detection hints, guard additions."""

    name: str
    description: str = ""
    start_url: str = "/"
    steps: list[Step] = Field(min_length=1)
    account: AccountPage | None = None
    detect: Detect = Detect()
    guard: Guard = Guard()


def load_profile(path: Path | None = None) -> Profile:
    """Load a profile file (None = the bundled mock-store profile)."""
    return load_yaml_model(path or BUNDLED_PROFILE, Profile, what="profile")


def expand(text: str, variables: dict[str, str]) -> str:
    """Substitute ${name} variables (gift_card, intent, credit_source, amount) in a profile string."""
    try:
        return Template(text).substitute(variables)
    except KeyError as exc:
        known = ", ".join(sorted(variables))
        raise InputError(f"profile: unknown variable ${{{exc.args[0]}}} in {text!r}; known: {known}") from None
    except ValueError as exc:
        raise InputError(f"profile: bad ${{...}} in {text!r}: {exc}") from None
