"""The command line: exit codes, JSON alone on stdout, errors one line on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probe.cli import app

runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_verdict_json_has_the_verdict_object() -> None:
    result = invoke("verdict", "--option-state", "greyed_out", "--credit-source", "promotional", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"outcome", "rules", "advice", "warnings"}
    assert data["outcome"] == "cannot_use"
    ids = {rule["id"] for rule in data["rules"]}
    assert {"R-greyed", "R-promo"} <= ids
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "outcome"),
    [
        (["--option-state", "unknown"], "inconclusive"),
        (["--option-state", "absent", "--credit-source", "refund"], "cannot_use"),
        (["--option-state", "selectable", "--credit-source", "refund"], "can_use"),
        (["--option-state", "selectable", "--credit-source", "refund", "--intent", "resale"], "against_terms"),
        (["--option-state", "selectable"], "assume_cannot_use"),
        (
            [
                "--option-state",
                "selectable",
                "--credit-source",
                "refund",
                "--credit-expires",
                "2026-01-01",
                "--today",
                "2026-02-01",
            ],
            "cannot_use",
        ),
    ],
)
def test_verdict_outcomes(args: list[str], outcome: str) -> None:
    result = invoke("verdict", *args, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == outcome


def test_verdict_text_warns_before_expiry() -> None:
    result = invoke(
        "verdict",
        "--option-state",
        "selectable",
        "--credit-source",
        "refund",
        "--credit-expires",
        "2026-12-10",
        "--today",
        "2026-11-25",
    )
    assert result.exit_code == 0
    assert "verdict: can_use" in result.stdout
    assert "use it before 2026-12-10" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["verdict", "--option-state", "selectable", "--today", "25/11/2026"], "--today '25/11/2026': not a date"),
        (["verdict", "--option-state", "maybe"], "maybe"),
        (["verdict", "--option-state", "selectable", "--credit-expires", "2026-13-01", "--json"], "--credit-expires"),
        (["check", "not a url", "--json"], "not an http(s):// or file:// address"),
        (["check", "--scenario", "defualt", "--json"], "did you mean 'default'"),
        (["check", "--profile", "/nonexistent.yaml"], "file not found"),
        (["check", "https://store.example/", "--scenario", "default"], "cannot be used with a URL"),
        (["check", "--option-label", "(unclosed"], "not a valid regular expression"),
        (["rules", "--rules", "/nonexistent.yaml"], "file not found"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(args: list[str], needle: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert needle in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_rules_lists_every_rule_and_json_parses() -> None:
    text = invoke("rules")
    assert text.exit_code == 0
    data = json.loads(invoke("rules", "--json").stdout)
    ids = json.dumps(data)
    for rule_id in [
        "R-refund",
        "R-promo",
        "R-absent",
        "R-greyed",
        "R-cash",
        "R-expiry",
        "R-return",
        "R-unsure",
        "R-third-party",
        "R-large-balance",
        "R-caution",
    ]:
        assert rule_id in text.stdout
        assert rule_id in ids


def test_doctor_names_the_browser_and_why() -> None:
    result = invoke("doctor")
    assert result.exit_code == 0
    assert "browser:" in result.stdout and "version:" in result.stdout and "source:" in result.stdout


def test_doctor_without_a_browser_says_what_to_install(tmp_path: Path) -> None:
    result = invoke("doctor", "--browser-path", str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "no executable file there" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "--gift-card", "bogus", "--json"], "Invalid value for '--gift-card'"),
        (["verdict"], "Missing option '--option-state'"),
        (["verdict", "--option-state", "maybe"], "'maybe' is not one of"),
        (["nosuch"], "No such command 'nosuch'"),
    ],
)
def test_usage_errors_are_one_line_from_the_console_script(args: list[str], needle: str) -> None:
    done = subprocess.run([sys.executable, "-m", "probe", *args], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("probe: ") and needle in lines[0] and "--help" in lines[0]
