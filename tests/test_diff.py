"""Drift: `probe diff` compares reports by observation and verdict, not pixels."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probe.cli import app
from probe.errors import InputError
from probe.models import (
    CreditContext,
    CreditOption,
    CreditSource,
    FiredRule,
    GiftCardKind,
    Intent,
    Observation,
    OptionState,
    OptionVerdict,
    Outcome,
    Report,
    RunInfo,
    Step,
    Verdict,
)
from probe.report.diff import diff_matrices, diff_paths, diff_reports, load_baseline
from probe.report.matrix import MatrixFile, MatrixRow

runner = CliRunner()


def make_report(
    state: OptionState = OptionState.greyed_out,
    reason: str | None = "Store credit cannot be used for gift cards",
    outcome: Outcome = Outcome.cannot_use,
    rules: tuple[str, ...] = ("R-greyed", "R-unsure"),
    *,
    balance: str = "$25.00",
    screenshot: str = "steps/01-payment.png",
    duration: float = 1.5,
    extra_option: bool = False,
) -> Report:
    options = [CreditOption(label="Store credit", option_state=state, reason_text=reason, balance_text=balance)]
    if extra_option:
        options.append(CreditOption(label="Promotional balance", option_state=OptionState.selectable))
    verdict = Verdict(
        outcome=outcome,
        deciding_rule=rules[0] if rules else None,
        rules=tuple(FiredRule(id=r, title=r, why="because", guide="guide") for r in rules),
    )
    return Report(
        run=RunInfo(
            target="http://127.0.0.1:1/",
            started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            duration_s=duration,
            today=dt.date(2026, 1, 1),
            gift_card=GiftCardKind.store_digital,
            intent=Intent.own_use,
            probe_version="0",
        ),
        observation=Observation(
            option_state=state,
            option_label="Store credit",
            reason_text=reason,
            balance_text=balance,
            credit_options=tuple(options),
        ),
        credit=CreditContext(source=CreditSource.refund),
        verdict=verdict,
        verdicts=(OptionVerdict(option_label="Store credit", credit_source=CreditSource.refund, verdict=verdict),),
        steps=(Step(name="payment", screenshot=screenshot, duration_s=duration),),
    )


def write(path: Path, report: Report) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "report.json").write_text(report.model_dump_json(indent=2))
    return path / "report.json"


def test_same_observation_and_verdict_is_no_change_whatever_the_timing_and_pictures() -> None:
    old = make_report()
    new = make_report(screenshot="steps/09-other.png", duration=42.0)
    assert diff_reports(old, new) == []


def test_greyed_out_becoming_selectable_is_reported_with_outcome_and_rules() -> None:
    old = make_report()
    new = make_report(OptionState.selectable, None, Outcome.can_use, ("R-refund", "R-unsure"))
    changes = diff_reports(old, new)
    assert "Store credit: option greyed_out -> selectable" in changes
    assert "Store credit: reason text changed: 'Store credit cannot be used for gift cards' -> (none)" in changes
    assert "outcome: cannot_use -> can_use" in changes
    assert "rules added: R-refund" in changes
    assert "rules removed: R-greyed" in changes
    assert "Store credit: outcome cannot_use -> can_use" in changes


def test_reason_text_and_balance_changes_alone_are_changes() -> None:
    changes = diff_reports(make_report(), make_report(reason="Not for gift cards", balance="$30.00"))
    assert changes == [
        "Store credit: reason text changed: 'Store credit cannot be used for gift cards' -> 'Not for gift cards'",
        "Store credit: balance '$25.00' -> '$30.00'",
    ]


def test_options_appearing_and_vanishing() -> None:
    assert diff_reports(make_report(), make_report(extra_option=True)) == [
        "Promotional balance: option appeared (selectable)"
    ]
    assert diff_reports(make_report(extra_option=True), make_report()) == [
        "Promotional balance: option gone (was selectable)"
    ]


def test_option_going_absent_from_the_page() -> None:
    old = make_report()
    absent = Observation(option_state=OptionState.absent)
    new = make_report().model_copy(update={"observation": absent})
    changes = diff_reports(old, new)
    assert "observed option: Store credit greyed_out -> (none) absent" in changes
    assert "Store credit: option gone (was greyed_out)" in changes


def test_cli_diff_exit_codes_and_output(tmp_path: Path) -> None:
    old = write(tmp_path / "old", make_report())
    same = write(tmp_path / "same", make_report(duration=9.0))
    changed = write(tmp_path / "new", make_report(OptionState.selectable, None, Outcome.can_use, ("R-refund",)))

    result = runner.invoke(app, ["diff", str(old), str(same)])
    assert result.exit_code == 0, result.output
    assert "no change" in result.stdout

    result = runner.invoke(app, ["diff", str(old), str(changed)])
    assert result.exit_code == 1, result.output
    assert "Store credit: option greyed_out -> selectable" in result.stdout
    assert "outcome: cannot_use -> can_use" in result.stdout

    # Folders work as well as files; --json gives the list alone on stdout.
    result = runner.invoke(app, ["diff", str(old.parent), str(changed.parent), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["changed"] is True
    assert "outcome: cannot_use -> can_use" in data["changes"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "file not found"),
        ("{not json", "not JSON"),
        ('{"hello": 1}', "not a probe report.json"),
        ('{"rows": [{"name": 1}]}', "not a probe matrix.json"),
    ],
)
def test_cli_diff_bad_input_is_one_line_exit_2(tmp_path: Path, content: str | None, expected: str) -> None:
    good = write(tmp_path / "good", make_report())
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content)
    for args in (["diff", str(good), str(bad)], ["diff", str(bad), str(good), "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert expected in result.stderr
        assert str(bad) in result.stderr
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1


def test_folder_without_a_report_and_mixed_kinds_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    good = write(tmp_path / "good", make_report())
    with pytest.raises(InputError, match="no report.json or matrix.json"):
        diff_paths(tmp_path / "empty", good)
    matrix = tmp_path / "m" / "matrix.json"
    matrix.parent.mkdir()
    matrix.write_text(MatrixFile(rows=()).model_dump_json())
    with pytest.raises(InputError, match="compare like with like"):
        diff_paths(good, matrix)
    with pytest.raises(InputError, match="--baseline .*a matrix report"):
        load_baseline(matrix)


def row(name: str, outcome: Outcome, report_dir: str) -> MatrixRow:
    return MatrixRow(
        name=name,
        target="t",
        credit_source=CreditSource.refund,
        gift_card=GiftCardKind.store_digital,
        intent=Intent.own_use,
        outcome=outcome,
        matched=True,
        report_dir=report_dir,
    )


def test_matrix_diff_keyed_by_check_name_and_reads_each_report(tmp_path: Path) -> None:
    for side, state, outcome in (
        ("old", OptionState.greyed_out, Outcome.cannot_use),
        ("new", OptionState.selectable, Outcome.can_use),
    ):
        folder = tmp_path / side
        write(folder / "refund", make_report(state, None, outcome))
        write(folder / "promo", make_report())
        rows = [row("refund", outcome, "refund"), row("promo", Outcome.cannot_use, "promo")]
        if side == "old":
            rows.append(row("gone", Outcome.inconclusive, "gone"))
        else:
            rows.append(row("fresh", Outcome.against_terms, "fresh"))
        (folder / "matrix.json").write_text(MatrixFile(rows=tuple(rows)).model_dump_json())
    changes = diff_paths(tmp_path / "old" / "matrix.json", tmp_path / "new")
    assert "refund: outcome cannot_use -> can_use" in changes
    assert "refund: Store credit: option greyed_out -> selectable" in changes
    assert "gone: check gone (was inconclusive)" in changes
    assert "fresh: check added (against_terms)" in changes
    assert not any(c.startswith("promo:") for c in changes)
    # Without the folders, only the rows are compared.
    rows_only = diff_matrices(
        [row("a", Outcome.can_use, "a")], [row("a", Outcome.can_use, "a"), row("b", Outcome.can_use, "b")]
    )
    assert rows_only == ["b: check added (can_use)"]
