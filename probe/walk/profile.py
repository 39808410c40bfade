"""Store profiles: how to walk a store to payment selection, as a validated YAML file."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.config import JsonDict

from probe.errors import InputError, Regex, load_yaml_model, suggest
from probe.models import Frozen
from probe.safety.order_requests import endpoint_problem

BUNDLED_PROFILE = Path(__file__).parents[1] / "data" / "mock_store.yaml"
LOCATOR_KINDS = ("role", "label", "text", "placeholder", "test_id", "css")


class Model(Frozen):
    """Part of a profile file: immutable, no unknown keys."""


def _examples(*examples: JsonDict) -> ConfigDict:
    """Model settings with examples shown in the profile reference and the JSON Schema."""
    return ConfigDict(extra="forbid", frozen=True, json_schema_extra={"examples": list(examples)})


class Locator(Model):
    """An element, in Playwright's own vocabulary: exactly one of role, label, text, placeholder, test_id or css.

    Strict: when several elements match, the step fails and lists them; add `nth` or a narrower locator.
    """

    model_config = _examples(
        {"role": "button", "name": "Add to Cart"},
        {"label": "Email address", "exact": True},
        {"css": "#credit-lines"},
        {"text": "Proceed to checkout", "nth": 0},
    )

    role: str | None = Field(default=None, description="ARIA role (button, link, textbox, radio, heading…)")
    name: str | None = Field(default=None, description="accessible name, with `role`")
    label: str | None = Field(default=None, description="a form field by its label text")
    text: str | None = Field(default=None, description="an element by its visible text")
    placeholder: str | None = Field(default=None, description="an input by its placeholder")
    test_id: str | None = Field(default=None, description="an element by its data-testid")
    css: str | None = Field(default=None, description="a CSS selector, the last resort")
    exact: bool = Field(default=False, description="match name/label/text/placeholder exactly (case and whole string)")
    nth: int | None = Field(default=None, ge=0, description="pick the nth match (0 = first) when several match")

    @model_validator(mode="after")
    def _one_kind(self) -> Locator:
        given = [kind for kind in LOCATOR_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            got = f"got {' and '.join(given)}" if given else "got none"
            raise ValueError(
                f"a locator takes exactly one of role, label, text, placeholder, test_id or css ({got}); "
                "e.g. {role: button, name: Continue} or {label: Email address}"
            )
        if self.name is not None and self.role is None:
            raise ValueError(f"'name' goes with 'role': write {{role: button, name: {self.name}}}")
        return self

    def describe(self) -> str:
        """Short human text for progress lines and errors."""
        for kind in LOCATOR_KINDS:
            value = getattr(self, kind)
            if value is not None:
                extra = f" name={self.name!r}" if kind == "role" and self.name else ""
                nth = f" nth={self.nth}" if self.nth is not None else ""
                return f"{kind}={value!r}{extra}{nth}"
        return "?"


class Goto(Model):
    """Open a URL (relative to the store's address)."""

    model_config = _examples({"action": "goto", "url": "/cart"})

    action: Literal["goto"] = Field(description="which action this is")
    url: str = Field(description="absolute, or relative to the store's URL; ${variables} allowed")


class OnElement(Model):
    locator: Locator = Field(description="the element to act on")
    optional: bool = Field(default=False, description="skip quietly when the element is not there")


class Click(OnElement):
    """Click an element (never one named like placing an order or paying: the guard refuses)."""

    model_config = _examples({"action": "click", "locator": {"role": "link", "name": "Gift Cards"}})

    action: Literal["click"] = Field(description="which action this is")


class Fill(OnElement):
    """Type a value into a field; take secrets from the environment with ${env:NAME}."""

    model_config = _examples(
        {"action": "fill", "locator": {"label": "Password", "exact": True}, "value": "${env:SHOP_PASSWORD}"}
    )

    action: Literal["fill"] = Field(description="which action this is")
    value: str = Field(description="the text to type; ${gift_card}, ${intent}, ${credit_source}, ${env:NAME}")


class Select(OnElement):
    """Choose an option of a drop-down (a select box), by its value or by its visible label."""

    model_config = _examples(
        {"action": "select", "locator": {"label": "Amount"}, "value": "50"},
        {"action": "select", "locator": {"label": "Amount"}, "option_label": "$50"},
    )

    action: Literal["select"] = Field(description="which action this is")
    value: str | None = Field(default=None, description="the option's value attribute")
    option_label: str | None = Field(default=None, description="the option's visible text (instead of value)")

    @model_validator(mode="after")
    def _one_choice(self) -> Select:
        if (self.value is None) == (self.option_label is None):
            raise ValueError("a select takes one of 'value' (the option's value) or 'option_label' (its text)")
        return self


class Check(OnElement):
    """Tick a checkbox or choose a radio button."""

    model_config = _examples({"action": "check", "locator": {"role": "radio", "name": "Standard shipping"}})

    action: Literal["check"] = Field(description="which action this is")


class WaitFor(Model):
    """Wait until an element is visible, the URL matches, or the page reaches a load state."""

    model_config = _examples(
        {"action": "wait_for", "locator": {"role": "heading", "name": "Select a payment method"}},
        {"action": "wait_for", "url": "**/cart"},
        {"action": "wait_for", "url": "re:/checkout/(payment|billing)"},
        {"action": "wait_for", "state": "networkidle"},
    )

    action: Literal["wait_for"] = Field(description="which action this is")
    locator: Locator | None = Field(default=None, description="wait until this element is visible")
    url: str | None = Field(default=None, description="a glob (**/cart) or, after `re:`, a regex the URL must reach")
    state: Literal["load", "domcontentloaded", "networkidle"] | None = Field(
        default=None, description="a page load state to wait for"
    )

    @model_validator(mode="after")
    def _one_target(self) -> WaitFor:
        if sum(x is not None for x in (self.locator, self.url, self.state)) != 1:
            raise ValueError("a wait_for takes exactly one of 'locator', 'url' or 'state'")
        return self


ACTIONS = (Goto, Click, Fill, Select, Check, WaitFor)
Action = Annotated[Goto | Click | Fill | Select | Check | WaitFor, Field(discriminator="action")]


class Step(Model):
    """A named group of actions; a screenshot is taken after each step."""

    model_config = _examples(
        {
            "name": "add to cart",
            "guide_step": 4,
            "actions": [
                {"action": "click", "locator": {"role": "button", "name": "Add to Cart"}},
                {"action": "wait_for", "url": "**/cart"},
            ],
        }
    )

    name: str = Field(description="shown in progress, the report and the screenshot's file name")
    guide_step: Literal[4, 5] = Field(
        default=4, description="the guide's step: 4 = cart and checkout, 5 = payment selection"
    )
    actions: list[Action] = Field(min_length=1, description="what to do, in order")


class AccountPage(Model):
    """Where the account lists its credit lines (the guide's steps 1–3), read as a table with headers.

    Each `*_column` names a header of the table (matched without case, or as part of a header).
    """

    model_config = _examples({"url": "/account/credit", "table": {"css": "#credit-lines"}, "balance_column": "Amount"})

    url: str = Field(description="the account page listing credit lines")
    table: Locator = Field(description="the table of credit lines")
    label_column: str = Field(default="Credit", description="header of the credit's name")
    source_column: str = Field(default="Source", description="header of where the credit came from")
    balance_column: str = Field(default="Balance", description="header of the amount left")
    expires_column: str = Field(default="Expires", description="header of the expiry date")
    terms_column: str = Field(default="Terms", description="header of the credit's terms")


class Detect(Model):
    """Hints for finding the credit option."""

    model_config = _examples({"option_label": "Bonus Cash|Everymart Credit"})

    option_label: Regex | None = Field(
        default=None, description="regex: the store's own name for its credit, added to the built-in credit words"
    )
    credit_code_env: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="the environment variable holding the credit's code, typed where the store asks for it",
    )


class Guard(Model):
    """Extra order-placement endpoints (regexes over the URL) to block, beyond the defaults."""

    model_config = _examples({"order_endpoints": ["/api/v2/finalize"]})

    order_endpoints: list[str] = Field(default=[], description="regexes over request URLs to block")

    @field_validator("order_endpoints")
    @classmethod
    def _regexes(cls, values: list[str]) -> list[str]:
        for index, value in enumerate(values):
            problem = endpoint_problem(value)
            if problem:
                raise ValueError(f"entry {index} {value!r}: {problem}; give a regex that matches only order endpoints")
        return values


class Profile(Model):
    """How to walk one store: sign-in steps, steps to payment selection, the account page, hints, guard additions."""

    model_config = _examples(
        {
            "name": "my-shop",
            "start_url": "/",
            "steps": [
                {
                    "name": "gift cards",
                    "actions": [{"action": "click", "locator": {"role": "link", "name": "Gift Cards"}}],
                }
            ],
        }
    )

    name: str = Field(description="the store's name, shown in the report")
    description: str = Field(default="", description="free text for people")
    start_url: str = Field(default="/", description="where the steps start, relative to the store's URL")
    amount: str = Field(default="50", description="the gift card's amount, written in steps as ${amount}")
    login: list[Step] = Field(
        default=[],
        description="steps that sign in before anything else; secrets as ${env:NAME}; no trace, inputs masked",
    )
    steps: list[Step] = Field(min_length=1, description="from the store to payment selection")
    account: AccountPage | None = Field(default=None, description="the account page listing credit lines")
    detect: Detect = Field(default=Detect(), description="hints for finding the credit option")
    guard: Guard = Field(default=Guard(), description="extra order-placement endpoints to block")


def load_profile(path: Path | None = None) -> Profile:
    """Load a profile file (None = the bundled mock-store profile)."""
    return load_yaml_model(path or BUNDLED_PROFILE, Profile, what="profile")


VARIABLE = re.compile(r"\$(?:(\$)|\{(env:)?([A-Za-z_][A-Za-z0-9_]*)\})")


def env_refs(text: str) -> list[str]:
    """The environment variables a profile string takes (`${env:NAME}`)."""
    return [m.group(3) for m in VARIABLE.finditer(text) if m.group(2)]


def missing_env(profile: Profile, environ: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(where, NAME) for every `${env:NAME}` the profile uses that is not set."""
    environ = os.environ if environ is None else environ
    found: list[tuple[str, str]] = []

    def walk(value: object, where: str) -> None:
        if isinstance(value, str):
            found.extend((where, name) for name in env_refs(value) if name not in environ)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{where}.{i}")

    walk(profile.model_dump(), "")
    return found


def expand(
    text: str,
    variables: Mapping[str, str],
    environ: Mapping[str, str] | None = None,
    used: dict[str, str] | None = None,
) -> str:
    """Substitute ${name} variables (gift_card, intent, credit_source, amount) and ${env:NAME} secrets in a string.

    `used` collects each secret substituted (value -> `${env:NAME}`), so callers can keep it out of every output.
    """
    environ = os.environ if environ is None else environ

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return "$"
        name = match.group(3)
        if match.group(2):
            if name not in environ:
                raise InputError(
                    f"profile: ${{env:{name}}} is not set; export {name}=… before running "
                    "(the profile takes this secret from the environment)"
                )
            value = environ[name]
            if used is not None and value:
                used[value] = f"${{env:{name}}}"
            return value
        if name not in variables:
            known = ", ".join(sorted(variables))
            raise InputError(
                f"profile: unknown variable ${{{name}}} in {text!r}{suggest(name, variables)}; "
                f"known: {known}, and ${{env:NAME}} for secrets"
            )
        return variables[name]

    return VARIABLE.sub(one, text)
