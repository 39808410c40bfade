"""End to end through `probe check` itself: the embedded default, and choosing the option by credit source.

Every bundled scenario's `expect:` block is met by test_matrix (all scenarios at once, some also checked alone)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from expectations import assert_matches
from typer.testing import CliRunner

from probe.cli import app

pytestmark = pytest.mark.browser

runner = CliRunner()


def test_embedded_default_probes_the_bundled_store(tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = runner.invoke(app, ["check", "--out", str(out), "--expect", "can_use"])
    assert result.exit_code == 0, result.stderr
    assert "verdict: can_use" in result.stdout
    assert "report: file://" in result.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["run"]["scenario"] == "default"
    assert_matches("default", report)
    assert len(report["verdicts"]) == len(report["observation"]["credit_options"]) >= 2
    assert (out / "report.html").is_file()


def test_credit_source_picks_the_matching_option_and_a_mismatch_exits_1(tmp_path: Path) -> None:
    out = tmp_path / "r"
    args = ["check", "--out", str(out), "--credit-source", "promotional", "--json", "--expect", "can_use"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.stderr
    assert "expected can_use, got cannot_use" in result.stderr
    report = json.loads(result.stdout)
    assert report == json.loads((out / "report.json").read_text()), "--json prints report.json alone on stdout"
    assert "promo" in report["observation"]["option_label"].lower()
    assert report["credit"]["source"] == "promotional"
    assert report["credit"]["source_known_from"] == "cli"
    assert report["verdict"]["outcome"] == "cannot_use"
