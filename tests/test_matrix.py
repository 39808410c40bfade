"""Matrix runs: the file model, its expansion into cells, and many checks at once agreeing with one at a time."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
from expectations import assert_matches, probe_options
from in_process import InProcessChecks
from typer.testing import CliRunner

from mock_store.scenarios import list_scenarios, load_scenario
from probe.cli import app
from probe.errors import InputError
from probe.models import CreditSource, Outcome
from probe.run.matrix import MatrixSpec, expand, load_matrix, prepare_cells, run_matrix_sync
from probe.walk.profile import BUNDLED_PROFILE

runner = CliRunner()
# Scenarios whose matrix cell is also checked alone: one option, several options with an account page.
SINGLE = ("default", "several-credit-lines")


def write(tmp_path: Path, text: str, name: str = "matrix.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- the file and its expansion (no browser) ---------------------------------------------------------------


def test_expansion_is_the_cross_product_with_expectations(tmp_path: Path) -> None:
    spec = load_matrix(
        write(
            tmp_path,
            """
            name: nightly policy
            targets:
              - {scenario: default}
              - {scenario: promo-selectable}
            credit_sources: [refund, promotional]
            gift_cards: [store-digital, third-party]
            today: 2026-11-25
            expect:
              - {scenario: default, credit_source: promotional, outcome: cannot_use}
              - {gift_card: third-party, credit_source: refund, outcome: against_terms}
            """,
        )
    )
    cells = expand(spec, tmp_path / "out")
    assert len(cells) == 2 * 2 * 2
    assert len({c.name for c in cells}) == len(cells)
    assert cells[0].name == "default-refund-store-digital"
    by_name = {c.name: c for c in cells}
    assert by_name["default-promotional-store-digital"].expected is Outcome.cannot_use
    assert by_name["default-promotional-third-party"].expected is Outcome.cannot_use
    assert by_name["promo-selectable-refund-third-party"].expected is Outcome.against_terms
    assert by_name["promo-selectable-promotional-store-digital"].expected is None
    request = by_name["default-refund-third-party"].request
    assert request.scenario == "default" and request.credit_source is CreditSource.refund
    assert request.today is not None and request.today.isoformat() == "2026-11-25"
    assert request.out == tmp_path / "out" / "default-refund-third-party"
    # Omitted dimensions are left to the scenario: one cell per target, nothing forced.
    bare = expand(MatrixSpec.model_validate({"targets": [{"scenario": "default"}]}), tmp_path)
    assert [(c.credit_source, c.gift_card, c.intent) for c in bare] == [(None, None, None)]


def test_paths_in_the_file_are_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    path = write(
        tmp_path,
        """
        targets:
          - {url: "https://store.example/", profile: profiles/store.yaml}
        rules: my-rules.yaml
        endpoints: ["http://127.0.0.1:9222", {ws: "ws://127.0.0.1:3000/"}]
        """,
    )
    spec = load_matrix(path)
    assert spec.targets[0].profile == tmp_path / "profiles" / "store.yaml"
    assert spec.rules == tmp_path / "my-rules.yaml"
    assert [(e.cdp, e.ws) for e in spec.endpoints] == [("http://127.0.0.1:9222", None), (None, "ws://127.0.0.1:3000/")]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("targets:\n  - {scenario: default}\ncredit_source: [refund]\n", "credit_source: unknown key (did you mean"),
        ("targets:\n  - {scenario: default, url: 'https://x.example/'}\n", "targets.0: give either `scenario`"),
        ("targets: []\n", "targets: list at least one target"),
        ("targets:\n  - {scenario: default}\ncredit_sources: [coupon]\n", "credit_sources.0: Input should be"),
        ("targets:\n  - {url: 'https://x.example/', option_label: '('}\n", "not a valid regular expression"),
        (
            "targets:\n  - {scenario: default}\nexpect:\n  - {scenario: default, outcome: maybe}\n",
            "expect.0.outcome: Input should be",
        ),
    ],
)
def test_an_invalid_file_lists_its_problems_and_exits_2(tmp_path: Path, body: str, needle: str) -> None:
    path = write(tmp_path, body)
    result = runner.invoke(app, ["matrix", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert needle in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_expectations_that_match_nothing_or_disagree_are_bad_input(tmp_path: Path) -> None:
    base = "targets:\n  - {scenario: default}\ncredit_sources: [refund]\n"
    typo = write(tmp_path, base + "expect:\n  - {scenario: defualt, outcome: can_use}\n", "typo.yaml")
    with pytest.raises(InputError, match="expectation"):
        expand(load_matrix(typo), tmp_path)
    clash = (
        base + "expect:\n  - {scenario: default, outcome: can_use}\n  - {credit_source: refund, outcome: cannot_use}\n"
    )
    with pytest.raises(InputError, match="make them agree"):
        expand(load_matrix(write(tmp_path, clash, "clash.yaml")), tmp_path)


def test_every_cell_is_prepared_before_a_browser_starts(tmp_path: Path) -> None:
    spec = MatrixSpec.model_validate(
        {"targets": [{"scenario": "default"}, {"scenario": "no-such-scenario"}, {"url": "ftp://x"}]}
    )
    with pytest.raises(InputError) as caught:
        prepare_cells(expand(spec, tmp_path))
    text = str(caught.value)
    assert "no-such-scenario: --scenario no-such-scenario: no such bundled scenario" in text
    assert "  x: URL 'ftp://x'" in text


# --- in a real browser --------------------------------------------------------------------------------------


# Scenarios behind a sign-in need a session (tests/test_signed_in.py).
UNSIGNED = [name for name in list_scenarios() if load_scenario(name).sign_in is None]


def orders(store: str) -> list[object]:
    result: list[object] = httpx.get(f"{store}/api/orders").json()["orders"]
    return result


def assert_whole_and_harmless(report: dict[str, Any], folder: Path) -> None:
    """A check reached payment selection with a picture of every step, and sent nothing but ordinary requests."""
    assert report["safety"]["order_placed"] is False
    # The walk's own requests (add to cart, address, codes) are ordinary: none was blocked, each is listed.
    requests = report["safety"]["requests"]
    assert any(r["method"] == "POST" and r["url"].endswith("/cart/add") for r in requests), requests
    assert [r for r in requests if r["outcome"] != "allowed"] == []
    for step in report["steps"]:
        assert step["screenshot"] and (folder / step["screenshot"]).is_file(), step
    assert [s["name"] for s in report["steps"]][-1] == "payment selection"


@pytest.mark.browser
def test_matrix_meets_every_scenario_and_agrees_with_single_checks(
    tmp_path: Path, store_url: str, checks: InProcessChecks
) -> None:
    """Every bundled scenario at once, each with what it tells the probe: the concurrent cells reach what each
    scenario expects (as test_check_e2e's one-at-a-time checks must), and fire the rules a single check fires."""
    spec = MatrixSpec.model_validate({"targets": [{"scenario": s} for s in UNSIGNED]})
    result = run_matrix_sync(spec, tmp_path / "matrix", workers=2, store_url=store_url)
    assert len(result.results) == len(UNSIGNED)
    for cell_result in result.results:
        cell = cell_result.cell
        assert cell_result.report is not None, f"{cell.name}: {cell_result.error}"
        report = json.loads((tmp_path / "matrix" / cell.name / "report.json").read_text())
        assert report == json.loads(cell_result.report.model_dump_json())
        assert_matches(cell.target.scenario or "", report)
        assert_whole_and_harmless(report, tmp_path / "matrix" / cell.name)
    for name in SINGLE:
        cell_result = next(r for r in result.results if r.cell.name == name)
        assert cell_result.report is not None
        request = cell_result.cell.request
        alone = checks.check(
            # The bundled profile, as the matrix walks it (without a profile a URL is discovered).
            f"{store_url}/scenario/{name}",
            out=tmp_path / "alone" / name,
            profile=BUNDLED_PROFILE,
            **probe_options(name),
        ).report
        got, want = cell_result.report, alone
        assert (got.verdict.outcome, got.observation.option_state, got.credit.source) == (
            want.verdict.outcome,
            want.observation.option_state,
            want.credit.source,
        ), name
        assert [r.id for r in got.verdict.rules] == [r.id for r in want.verdict.rules], name
        assert request.scenario == name
    matrix_json = json.loads((tmp_path / "matrix" / "matrix.json").read_text())
    assert [row["name"] for row in matrix_json["rows"]] == [r.cell.name for r in result.results]
    assert all(row["matched"] for row in matrix_json["rows"])
    assert (tmp_path / "matrix" / "matrix.html").is_file()
    assert orders(store_url) == []


@pytest.mark.browser
def test_cli_exit_codes_junit_and_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """3 (no verdict) wins over 1 (differs), which wins over 0; one JUnit case and one report per check."""
    monkeypatch.chdir(tmp_path)
    mixed = write(
        tmp_path,
        """
        name: exit codes
        targets:
          - {scenario: default}
          - {url: "http://127.0.0.1:9/"}
        credit_sources: [promotional]
        timeout: 20
        expect:
          - {scenario: default, outcome: can_use}
        """,
        "mixed.yaml",
    )
    result = runner.invoke(app, ["matrix", str(mixed), "--junit", "junit.xml", "--workers", "2"])
    assert result.exit_code == 3, result.output
    assert "FAIL default-promotional: cannot_use (expected can_use)" in result.stdout
    assert "FAIL 127-0-0-1-9-promotional: inconclusive" in result.stdout
    junit = (tmp_path / "junit.xml").read_text()
    assert 'tests="2" failures="1" errors="1"' in junit
    rows = json.loads((tmp_path / "probe-matrix" / "matrix.json").read_text())["rows"]
    assert [(r["name"], r["outcome"], r["matched"]) for r in rows] == [
        ("default-promotional", "cannot_use", False),
        ("127-0-0-1-9-promotional", "inconclusive", False),
    ]
    assert (tmp_path / "probe-matrix" / "default-promotional" / "report.html").is_file()
    assert rows[0]["thumbnail"] and (tmp_path / "probe-matrix" / rows[0]["thumbnail"]).is_file()

    differs = write(
        tmp_path,
        "targets: [{scenario: default}]\ncredit_sources: [promotional]\nexpect: [{outcome: can_use}]\n",
        "differs.yaml",
    )
    result = runner.invoke(app, ["matrix", str(differs), "--json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["rows"][0]["expected"] == "can_use"
    assert (tmp_path / "probe-matrix.previous" / "matrix.json").is_file()

    agrees = write(tmp_path, differs.read_text().replace("can_use", "cannot_use"), "agrees.yaml")
    result = runner.invoke(app, ["matrix", str(agrees), "--out", "m3"])
    assert result.exit_code == 0, result.output
    assert "ok   default-promotional: cannot_use" in result.stdout
