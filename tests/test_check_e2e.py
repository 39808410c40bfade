"""End to end: `probe check` against every bundled scenario agrees with the scenario's `expect:` block."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from mock_store.scenarios import list_scenarios, load_scenario
from probe.cli import app

runner = CliRunner()
# Scenarios behind a sign-in need a session: tests/test_signed_in.py probes them.
SCENARIOS = [name for name in list_scenarios() if load_scenario(name).sign_in is None]


def probe_args(name: str) -> list[str]:
    hints = load_scenario(name).probe
    args = ["--gift-card", hints.gift_card, "--intent", hints.intent, "--today", hints.today.isoformat()]
    if hints.credit_source:
        args += ["--credit-source", hints.credit_source]
    if hints.credit_expires:
        args += ["--credit-expires", hints.credit_expires.isoformat()]
    return args


def assert_matches(name: str, report: dict) -> None:  # type: ignore[type-arg]
    expect = load_scenario(name).expect
    observation = report["observation"]
    assert observation["option_state"] == expect.option_state, observation["evidence"]
    assert report["verdict"]["outcome"] == expect.outcome, report["verdict"]["rules"]
    if expect.reason is not None:
        assert expect.reason.lower() in (observation["reason_text"] or "").lower()
    if expect.balance is not None:
        assert observation["balance_text"] == expect.balance
    if expect.warning is not None:
        assert any(expect.warning in w for w in report["verdict"]["warnings"]), report["verdict"]["warnings"]
    if expect.options:
        seen = [(o["label"], o["option_state"]) for o in observation["credit_options"]]
        assert len(seen) == len(expect.options), seen
        for want, got, verdict in zip(expect.options, observation["credit_options"], report["verdicts"], strict=True):
            assert want.label.lower() in got["label"].lower()
            assert got["option_state"] == want.option_state
            assert verdict["verdict"]["outcome"] == want.outcome
            if want.reason is not None:
                assert want.reason.lower() in (got["reason_text"] or "").lower()


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_meets_its_expectation(name: str, store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = runner.invoke(
        app, ["check", f"{store_url}/scenario/{name}", "--json", "--out", str(out), "--no-mask", *probe_args(name)]
    )
    assert isinstance(result.exception, SystemExit | None), result.exc_info
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == json.loads((out / "report.json").read_text())
    assert_matches(name, report)
    assert report["safety"]["order_placed"] is False
    for step in report["steps"]:
        assert step["screenshot"] and (out / step["screenshot"]).is_file(), step
    assert [s["name"] for s in report["steps"]][-1] == "payment selection"
    assert httpx.get(f"{store_url}/api/orders").json()["orders"] == []


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


def test_expect_mismatch_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--out", str(tmp_path / "r"), "--expect", "against_terms"])
    assert result.exit_code == 1
    assert "expected against_terms, got can_use" in result.stderr


def test_credit_source_picks_the_matching_option(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--out", str(tmp_path / "r"), "--credit-source", "promotional", "--json"])
    report = json.loads(result.stdout)
    assert "promo" in report["observation"]["option_label"].lower()
    assert report["credit"]["source"] == "promotional"
    assert report["credit"]["source_known_from"] == "cli"
    assert report["verdict"]["outcome"] == "cannot_use"
