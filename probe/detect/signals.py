"""The signals that classify a credit option, one function each, and how their evidence is weighed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from probe.models import Evidence, OptionState

Item = dict[str, Any]
Signal = Callable[[Item], Iterable[Evidence]]
SIGNALS: list[Signal] = []

ABSENT, SELECTABLE, GREYED = OptionState.absent, OptionState.selectable, OptionState.greyed_out


def signal(fn: Signal) -> Signal:
    """Register a signal; each reads the scanned option and yields evidence."""
    SIGNALS.append(fn)
    return fn


def _ev(name: str, value: str, points_to: OptionState | None, weight: int) -> Evidence:
    return Evidence(signal=name, value=value, points_to=points_to, weight=weight)


@signal
def visibility(item: Item) -> Iterable[Evidence]:
    if item["invisible"]:
        yield _ev("visibility", f"not shown: {item['invisible']}", ABSENT, 100)


@signal
def pre_selected(item: Item) -> Iterable[Evidence]:
    if item["checked"]:
        yield _ev("pre_selected", f"the {item['kind']} is already selected (credit in use)", SELECTABLE, 6)


@signal
def disabled_attribute(item: Item) -> Iterable[Evidence]:
    if item["native_disabled"]:
        yield _ev("disabled_attribute", f"<{item['tag']} disabled>", GREYED, 5)


@signal
def disabled_fieldset(item: Item) -> Iterable[Evidence]:
    if item["fieldset_disabled"]:
        yield _ev("disabled_fieldset", f"inside {item['fieldset_disabled']}", GREYED, 5)


@signal
def aria_disabled(item: Item) -> Iterable[Evidence]:
    if item["aria_disabled"]:
        yield _ev("aria_disabled", f"aria-disabled=true {item['aria_disabled']}", GREYED, 4)


@signal
def inert(item: Item) -> Iterable[Evidence]:
    if item["inert"]:
        yield _ev("inert", f"inside inert {item['inert']}", GREYED, 5)


@signal
def disabled_option(item: Item) -> Iterable[Evidence]:
    if item["option_disabled"]:
        yield _ev("disabled_option", "<option disabled> in its list", GREYED, 5)
    if item["select_disabled"]:
        yield _ev("disabled_select", "the <select> holding it is disabled", GREYED, 5)


@signal
def css_opacity(item: Item) -> Iterable[Evidence]:
    if item["opacity"] < 0.65:
        yield _ev("css_opacity", f"effective opacity {item['opacity']}", GREYED, 1)


@signal
def css_pointer_events(item: Item) -> Iterable[Evidence]:
    if item["pointer_events"]:
        yield _ev("css_pointer_events", "pointer-events: none", GREYED, 2)


@signal
def css_grayscale(item: Item) -> Iterable[Evidence]:
    if item["grayscale"]:
        yield _ev("css_grayscale", item["grayscale"], GREYED, 1)


@signal
def css_cursor(item: Item) -> Iterable[Evidence]:
    if item["cursor"]:
        yield _ev("css_cursor", "cursor: not-allowed", GREYED, 1)


@signal
def disabled_class(item: Item) -> Iterable[Evidence]:
    if item["disabled_class"]:
        yield _ev("disabled_class", f"class names say disabled: {item['disabled_class']}", GREYED, 1)


@signal
def enabled_control(item: Item) -> Iterable[Evidence]:
    blocked = item["native_disabled"] or item["fieldset_disabled"] or item["aria_disabled"] or item["inert"]
    if not item["invisible"] and not blocked and not item["option_disabled"] and not item["select_disabled"]:
        yield _ev("enabled_control", f"a shown, enabled {item['kind']}", SELECTABLE, 1)


def gather(item: Item) -> list[Evidence]:
    """Every registered signal's evidence for one scanned option."""
    return [ev for fn in SIGNALS for ev in fn(item)]


def classify(evidence: Iterable[Evidence]) -> tuple[OptionState, list[str]]:
    """The state the strongest evidence points to, and the disagreements in words."""
    evidence = list(evidence)
    if any(ev.points_to is ABSENT for ev in evidence):
        return ABSENT, []
    score = {SELECTABLE: 0, GREYED: 0}
    for ev in evidence:
        if ev.points_to in score:
            score[ev.points_to] += ev.weight
    state = SELECTABLE if score[SELECTABLE] > score[GREYED] else GREYED
    if score[GREYED] == 0 and score[SELECTABLE] == 0:
        state = SELECTABLE
    losers = [ev for ev in evidence if ev.points_to in score and ev.points_to is not state and ev.weight > 0]
    winners = [ev for ev in evidence if ev.points_to is state and ev.weight > 0]
    conflicts: list[str] = []
    meaningful_losers = [ev for ev in losers if ev.signal != "enabled_control"]
    if meaningful_losers and winners:
        strongest = max(winners, key=lambda ev: ev.weight)
        lost = ", ".join(f"{ev.signal} ({ev.value})" for ev in meaningful_losers)
        conflicts.append(
            f"{lost} point to {meaningful_losers[0].points_to}, but {strongest.signal} ({strongest.value}) "
            f"points to {state}; followed the stronger evidence"
        )
    return state, conflicts
