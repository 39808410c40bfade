"""The signals that classify a credit option, as one table, and how their evidence is weighed.

A new signal is one entry in SIGNALS (plus, if it needs new page data, one field in ScannedOption and scan_options.js).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum

from probe.detect.scanned import ScannedOption
from probe.models import Evidence, OptionState

ABSENT, SELECTABLE, GREYED = OptionState.absent, OptionState.selectable, OptionState.greyed_out
FADED_OPACITY = 0.65


class Weight(IntEnum):
    """How much one piece of evidence counts; the stronger side wins, a tie goes to greyed_out."""

    LOOK = 1  # how it looks, or merely being an enabled control: styling often lies either way
    POINTER = 2  # pointer-events: none: the mouse cannot choose it, a keyboard or script may
    DECLARED = 4  # the page declares it (aria-disabled) or something covers it: usually true, never enforced
    ENFORCED = 5  # the browser enforces it: disabled, inert, a disabled fieldset, option or select
    IN_USE = 6  # the credit is already chosen or applied, or the page responded to a press
    ANSWERED = 7  # the page answered a press with a refusal in words
    TRIED = 8  # a click selected it, or the page kept it unselected
    STORE_TOOK = 9  # the store took its own apply press (a deduction)
    STORE_REFUSED = 10  # the store refused its own apply press in words


Feature = Callable[[ScannedOption], str | None]


@dataclass(frozen=True)
class Signal:
    """One signal: what it reads off the option (the value seen, or None when absent) and what that points to."""

    name: str
    feature: Feature
    points_to: OptionState
    weight: Weight
    fallback: bool = False  # a default reading ("enabled"): never reported as losing a conflict

    def read(self, option: ScannedOption) -> Evidence | None:
        """The evidence this signal gives for the option, or None when the option does not show it."""
        value = self.feature(option)
        if not value:
            return None
        return Evidence(signal=self.name, value=value, points_to=self.points_to, weight=self.weight)


def _when(test: bool, text: str) -> str | None:
    return text if test else None


# What makes an option absent: a veto checked before any weighing, whatever else the option shows (its weight is
# shown in the report, never counted).
VETO = Signal("visibility", lambda o: o.invisible and f"not shown: {o.invisible}", ABSENT, Weight.ENFORCED)

SIGNALS: tuple[Signal, ...] = (
    Signal(
        "pre_selected",
        lambda o: _when(o.checked, f"the {o.kind} is already selected (credit in use)"),
        SELECTABLE,
        Weight.IN_USE,
    ),
    Signal("disabled_attribute", lambda o: _when(o.native_disabled, f"<{o.tag} disabled>"), GREYED, Weight.ENFORCED),
    Signal(
        "disabled_fieldset",
        lambda o: o.fieldset_disabled and f"inside {o.fieldset_disabled}",
        GREYED,
        Weight.ENFORCED,
    ),
    Signal(
        "aria_disabled",
        lambda o: o.aria_disabled and f"aria-disabled=true {o.aria_disabled}",
        GREYED,
        Weight.DECLARED,
    ),
    Signal("inert", lambda o: o.inert and f"inside inert {o.inert}", GREYED, Weight.ENFORCED),
    Signal(
        "disabled_option", lambda o: _when(o.option_disabled, "<option disabled> in its list"), GREYED, Weight.ENFORCED
    ),
    Signal(
        "disabled_select",
        lambda o: _when(o.select_disabled, "the <select> holding it is disabled"),
        GREYED,
        Weight.ENFORCED,
    ),
    Signal(
        "css_opacity",
        lambda o: _when(o.opacity < FADED_OPACITY, f"effective opacity {o.opacity:g}"),
        GREYED,
        Weight.LOOK,
    ),
    Signal("css_pointer_events", lambda o: _when(o.pointer_events, "pointer-events: none"), GREYED, Weight.POINTER),
    Signal("css_grayscale", lambda o: o.grayscale, GREYED, Weight.LOOK),
    Signal("css_cursor", lambda o: o.cursor and f"cursor: {o.cursor}", GREYED, Weight.LOOK),
    Signal(
        "disabled_class",
        lambda o: o.disabled_class and f"class names say disabled: {o.disabled_class}",
        GREYED,
        Weight.LOOK,
    ),
    Signal("enabled_control", lambda o: o.enabled, SELECTABLE, Weight.LOOK, fallback=True),
)


def gather(option: ScannedOption) -> list[Evidence]:
    """Every signal's evidence for one scanned option, the veto first."""
    read = (signal.read(option) for signal in (VETO, *SIGNALS))
    return [ev for ev in read if ev is not None]


def classify(evidence: Iterable[Evidence]) -> tuple[OptionState, list[str]]:
    """The state the strongest evidence points to, and the disagreements in words; evidence of absence vetoes."""
    evidence = list(evidence)
    if any(ev.points_to is ABSENT for ev in evidence):
        return ABSENT, []
    score = {SELECTABLE: 0, GREYED: 0}
    for ev in evidence:
        if ev.points_to in score:
            score[ev.points_to] += ev.weight
    state = SELECTABLE if score[SELECTABLE] > score[GREYED] or not any(score.values()) else GREYED
    winners = [ev for ev in evidence if ev.points_to is state and ev.weight > 0]
    fallbacks = {s.name for s in SIGNALS if s.fallback}
    losers = [
        ev
        for ev in evidence
        if ev.points_to in score and ev.points_to is not state and ev.weight > 0 and ev.signal not in fallbacks
    ]
    if not (losers and winners):
        return state, []
    strongest = max(winners, key=lambda ev: ev.weight)
    lost = ", ".join(f"{ev.signal} ({ev.value})" for ev in losers)
    return state, [
        f"{lost} point to {losers[0].points_to}, but {strongest.signal} ({strongest.value}) "
        f"points to {state}; followed the stronger evidence"
    ]
