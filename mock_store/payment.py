"""How checkout offers each credit line for the cart in hand, under the scenario's policy and UI."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from mock_store.scenarios import CreditLine, Scenario

NO_BALANCE = "No balance"
EMPTY_ACCOUNT = "This account is empty"


@dataclass(frozen=True)
class CreditOffer:
    """One credit line as the payment page renders it, and the state a shopper meets once the page settles."""

    index: int
    line: CreditLine
    render: str  # radio | radio_disabled | radio_select | css_greyed | message | removed_by_script | none
    state: str  # selectable | greyed_out | absent
    reason: str | None
    custom_control: bool  # role=radio widget instead of a native input
    late_disable: bool  # shown selectable, greyed by a "totals update" after ui.disable_after_ms

    @property
    def dom_id(self) -> str:
        return f"credit-{self.index}"

    @property
    def balance_text(self) -> str | None:
        return None if self.line.amount == 0 and self.render != "radio_select" else self.line.money()

    @property
    def redeem_code(self) -> str:
        """The account's secret redeem code, new for every page (a per-session value): never to be shown."""
        return "ACCT-" + secrets.token_hex(5).upper()


def expired(line: CreditLine, today: dt.date) -> bool:
    """A credit line whose expiry date is before the store's today."""
    return line.expires is not None and line.expires < today


def credit_offers(scenario: Scenario, kinds: set[str]) -> list[CreditOffer]:
    """Every credit line, in page order, with how it is rendered for a cart holding these gift-card kinds."""
    ui = scenario.ui
    custom = ui.ineligible == "aria_disabled"
    offers = []
    for index, line in enumerate(scenario.credit_lines):
        if expired(line, scenario.probe.today):
            offers.append(CreditOffer(index, line, "none", "absent", None, custom, False))
        elif line.amount == 0 and ui.zero_balance == "select_button":
            offers.append(CreditOffer(index, line, "radio_select", "greyed_out", EMPTY_ACCOUNT, False, False))
        elif line.amount == 0:
            offers.append(CreditOffer(index, line, "radio_disabled", "greyed_out", NO_BALANCE, custom, False))
        elif scenario.policy.allows(line.source, kinds):
            offers.append(CreditOffer(index, line, "radio", "selectable", None, custom, False))
        else:
            offers.append(_ineligible(index, line, scenario))
    return offers


def _ineligible(index: int, line: CreditLine, scenario: Scenario) -> CreditOffer:
    ui = scenario.ui
    reason = scenario.policy.reason
    custom = ui.ineligible == "aria_disabled"
    late = ui.disable_after_ms is not None
    match ui.ineligible:
        case "disabled_with_reason" | "aria_disabled":
            return CreditOffer(index, line, "radio_disabled", "greyed_out", reason, custom, late)
        case "css_only":
            return CreditOffer(index, line, "css_greyed", "greyed_out", reason, False, late)
        case "not_rendered":
            return CreditOffer(index, line, "none", "absent", None, False, False)
        case "removed_by_script":
            return CreditOffer(index, line, "removed_by_script", "absent", None, False, False)
        case "message_only":
            message = f"Your {line.label} can't be used for this purchase."
            full = f"{message} {reason}" if reason else message
            # A message is not a payment option: nothing to choose, so the option is absent, with a reason.
            return CreditOffer(index, line, "message", "absent", full, False, False)
    raise AssertionError(f"unhandled ui.ineligible {ui.ineligible}")  # pragma: no cover
