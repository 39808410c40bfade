"""The detector's signal table, its one test of disabled, and the scanner's words as data: pure, no browser."""

from __future__ import annotations

import inspect
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from probe.detect import signals
from probe.detect.scan import PIECES, SCAN_JS
from probe.detect.scanned import ScannedOption
from probe.detect.signals import SIGNALS, VETO, Signal, Weight, classify, gather
from probe.detect.trial import skip_reason
from probe.detect.vocabulary import scan_words
from probe.models import Evidence, OptionState

DETECT = Path(signals.__file__).parent
PLAIN: dict[str, Any] = {
    "kind": "radio",
    "tag": "input",
    "role": "",
    "type": "radio",
    "name": "Store credit ($25.00)",
    "matched_by": "name",
    "match_text": "Store credit ($25.00)",
    "tile_text": "",
    "checked": False,
    "invisible": None,
    "native_disabled": False,
    "fieldset_disabled": None,
    "aria_disabled": None,
    "inert": None,
    "option_disabled": False,
    "select_disabled": False,
    "opacity": 1,
    "pointer_events": False,
    "grayscale": None,
    "cursor": None,
    "disabled_class": None,
    "described": "",
    "title": "",
    "helpers": [],
    "balance": "$25.00",
    "submit_like": False,
    "apply": None,
    "apply_submits": False,
    "safe_link": True,
    "box": [10, 20, 200, 30],
}
# Every way the page can mark an option, one field each: what a signal may read.
MARKS: dict[str, Any] = {
    "checked": True,
    "invisible": "display:none on div#credit",
    "native_disabled": True,
    "fieldset_disabled": "fieldset#pay",
    "aria_disabled": "on the control",
    "inert": "div.modal",
    "option_disabled": True,
    "select_disabled": True,
    "opacity": 0.4,
    "pointer_events": True,
    "grayscale": "grayscale(1) on div.tile",
    "cursor": "not-allowed",
    "disabled_class": "div.tile.is-disabled",
}
ENFORCED = ("native_disabled", "fieldset_disabled", "inert", "option_disabled", "select_disabled")


def option(**marks: Any) -> ScannedOption:
    return ScannedOption.model_validate({**PLAIN, **marks})


def names(evidence: list[Evidence]) -> set[str]:
    return {ev.signal for ev in evidence}


def test_the_scanner_s_report_is_validated_not_trusted() -> None:
    assert option().opacity == 1.0 and option().helpers == ()
    with pytest.raises(ValidationError):
        ScannedOption.model_validate({**PLAIN, "index": 0})
    with pytest.raises(ValidationError):
        ScannedOption.model_validate({**PLAIN, "kind": "slider"})
    with pytest.raises(ValidationError):
        ScannedOption.model_validate({k: v for k, v in PLAIN.items() if k != "checked"})


def test_a_plain_option_gives_only_the_fallback() -> None:
    evidence = gather(option())
    assert names(evidence) == {"enabled_control"}
    assert classify(evidence) == (OptionState.selectable, [])


@pytest.mark.parametrize("mark", sorted(MARKS))
def test_every_mark_is_read_by_one_signal_of_the_table(mark: str) -> None:
    """Each field a page can set is read by exactly the table entries whose feature mentions it."""
    plain, marked = names(gather(option())), names(gather(option(**{mark: MARKS[mark]})))
    readers = {s.name for s in (VETO, *SIGNALS) if mark in inspect.getsource(s.feature)}
    new = marked - plain
    assert new, f"{mark}: no signal reads it"
    assert new <= readers | {VETO.name}, f"{mark}: {new} from entries that do not read it"


def test_every_entry_reads_fields_of_scanned_option_and_has_a_named_tier() -> None:
    fields = set(ScannedOption.model_fields) | {"disabled_by_page", "enabled"}
    seen = set()
    for entry in (VETO, *SIGNALS):
        assert isinstance(entry.weight, Weight), f"{entry.name}: weight {entry.weight!r} is not a named tier"
        assert entry.name not in seen, f"{entry.name} twice in the table"
        seen.add(entry.name)
        attrs = set(re.findall(r"\bo\.(\w+)", inspect.getsource(entry.feature)))
        assert attrs and attrs <= fields, f"{entry.name} reads {attrs - fields}, not fields of ScannedOption"
        assert entry.points_to in (OptionState.selectable, OptionState.greyed_out, OptionState.absent)
    # Tiers keep their order: a trial beats an attribute, an attribute beats styling, the store's word beats all.
    assert Weight.LOOK < Weight.POINTER < Weight.DECLARED < Weight.ENFORCED < Weight.IN_USE < Weight.TRIED
    assert max(Weight) is Weight.STORE_REFUSED


def test_a_new_signal_is_one_table_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Add one entry: gather reads it, classify weighs it, nothing else changes."""
    tiny = Signal(
        "tiny_box",
        lambda o: f"{o.box[2]:g} px wide" if o.box and o.box[2] < 5 else None,
        OptionState.greyed_out,
        Weight.ENFORCED,
    )
    monkeypatch.setattr(signals, "SIGNALS", (*SIGNALS, tiny))
    evidence = gather(option(box=[0, 0, 3, 3]))
    assert names(evidence) == {"enabled_control", "tiny_box"}
    state, conflicts = classify(evidence)
    assert state is OptionState.greyed_out
    assert conflicts == [], "a fallback that loses is no conflict"
    assert names(gather(option())) == {"enabled_control"}
    quiet = Signal("tiny_box", tiny.feature, OptionState.greyed_out, Weight.LOOK, fallback=True)
    monkeypatch.setattr(signals, "SIGNALS", (*SIGNALS, quiet))
    trial = Evidence(
        signal="trial_selection", value="clicked it", points_to=OptionState.selectable, weight=Weight.TRIED
    )
    assert classify([*gather(option(box=[0, 0, 3, 3])), trial]) == (OptionState.selectable, []), (
        "its flag, not its name"
    )


def test_a_fallback_loses_quietly_and_a_real_signal_loudly() -> None:
    trial = Evidence(
        signal="trial_selection", value="clicked it", points_to=OptionState.greyed_out, weight=Weight.TRIED
    )
    state, conflicts = classify([*gather(option()), trial])
    assert state is OptionState.greyed_out and conflicts == []
    state, conflicts = classify([*gather(option(checked=True)), trial])
    assert state is OptionState.greyed_out
    assert len(conflicts) == 1 and "pre_selected" in conflicts[0] and "enabled_control" not in conflicts[0]


def test_absence_is_a_veto_not_a_weight() -> None:
    hidden = gather(option(invisible="visibility:hidden", checked=True))
    assert "visibility" in names(hidden)
    store = Evidence(signal="apply_press", value="took it", points_to=OptionState.selectable, weight=Weight.STORE_TOOK)
    assert classify([*hidden, store, store, store]) == (OptionState.absent, [])


@pytest.mark.parametrize("marks", [c for n in (1, 2) for c in itertools.combinations(sorted(MARKS), n)])
def test_signals_and_trial_share_one_test_of_disabled(marks: tuple[str, ...]) -> None:
    """enabled_control and the trial's skip agree: both ask ScannedOption.disabled_by_page."""
    o = option(**{m: MARKS[m] for m in marks})
    enabled = "enabled_control" in names(gather(o))
    skip = skip_reason(o) or ""
    disabled = any(m in ENFORCED for m in marks)
    assert (o.disabled_by_page is not None) == disabled
    if o.invisible:
        assert not enabled and skip == "not shown"
    else:
        assert enabled == (not disabled), f"{marks}: enabled_control {enabled}"
        assert skip.startswith("disabled by the page") == disabled, f"{marks}: skip {skip!r}"


def test_aria_disabled_is_tried_not_skipped() -> None:
    """aria-disabled only declares: the trial clicks to hear the page (a refusal message, or a selection after all)."""
    o = option(aria_disabled="on the control")
    assert skip_reason(o) is None
    assert {ev.signal: ev.points_to for ev in gather(o)}["aria_disabled"] is OptionState.greyed_out


def test_the_scanner_holds_no_words_of_its_own() -> None:
    """Credit words, decoys, remove / apply words and money come from vocabulary.py as data."""
    code = "\n".join(
        line
        for piece in PIECES
        for line in (DETECT / piece).read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("//")
    )
    for word in (
        "paypal",
        "klarna",
        "coupon",
        "voucher",
        "discard",
        "redeem",
        "loyalty",
        "guthaben",
        "inactive",
        "learn",
        "USD",
        "u20ac",
        "reward",
    ):
        assert word not in code, f"{word!r} is written in the scanner; it belongs in vocabulary.py"
    words = scan_words(["store credit"])
    used = set(re.findall(r"vocab\.(\w+)", SCAN_JS))
    assert used == set(words), f"vocabulary not used by the scanner: {set(words) - used}; unknown: {used - set(words)}"


def test_every_field_of_scanned_option_is_filled_by_the_scanner() -> None:
    js = (DETECT / "scan_options.js").read_text(encoding="utf-8")
    keys = set(re.findall(r"^\s*(\w+)[:,]", js, re.MULTILINE))
    assert set(ScannedOption.model_fields) <= keys, set(ScannedOption.model_fields) - keys


def test_detect_files_stay_small() -> None:
    for path in DETECT.iterdir():
        if path.suffix in (".py", ".js"):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines <= 400, f"{path.name}: {lines} lines"
