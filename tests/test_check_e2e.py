"""End to end: a check of every bundled scenario agrees with the scenario's `expect:` block.

The scenarios run in the session's Chromium (probe's own run_check); two checks go through `probe check` itself."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from expectations import assert_matches, probe_options
from in_process import InProcessChecks
from typer.testing import CliRunner

from mock_store.scenarios import list_scenarios, load_scenario
from probe.cli import app

pytestmark = pytest.mark.browser

runner = CliRunner()
# Scenarios behind a sign-in need a session: tests/test_signed_in.py probes them.
SCENARIOS = [name for name in list_scenarios() if load_scenario(name).sign_in is None]


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_meets_its_expectation(
    name: str, store_url: str, checks: InProcessChecks, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    done = checks.check(f"{store_url}/scenario/{name}", out=out, mask=False, **probe_options(name))
    assert done.code == 0, done.report.observation.error
    report = json.loads((out / "report.json").read_text())
    assert report == json.loads(done.report.model_dump_json())
    assert_matches(name, report)
    assert report["safety"]["order_placed"] is False
    # The walk's own requests (add to cart, address, codes) are ordinary: none was blocked, each is listed.
    requests = report["safety"]["requests"]
    assert any(r["method"] == "POST" and r["url"].endswith("/cart/add") for r in requests), requests
    assert [r for r in requests if r["outcome"] != "allowed"] == []
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
