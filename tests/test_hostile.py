"""Hostile pages: `probe check` always ends, explains itself, keeps to its page and never orders.

Most checks run in the session's Chromium (the `checks` fixture, probe's own run_check); the two that assert
what the command line prints run `probe check` itself."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hostile_app import PAGES, Hostile, refused_url, serve_hostile
from in_process import InProcessChecks
from typer.testing import CliRunner

from probe.cli import app

pytestmark = pytest.mark.browser

runner = CliRunner()
TIMEOUT = 8  # for pages that never give a verdict: the probe must give up within it
ROOMY = 40  # for pages that do: room for a busy 2-core machine, they return long before
MARGIN = 10  # browser shutdown and report writing on a busy 2-core machine


@dataclass
class Run:
    code: int
    report: dict[str, Any]
    folder: Path
    seconds: float
    stderr: str

    @property
    def blocked(self) -> list[tuple[str, str]]:
        return [(b["kind"], b["target"]) for b in self.report["safety"]["blocked"]]


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[str, Hostile]]:
    with serve_hostile() as served:
        yield served
        assert served[1].ordered() == [], "an order request reached the hostile store"


def check(checks: InProcessChecks, url: str, out: Path, *, timeout: int = ROOMY, **options: Any) -> Run:
    """A check in the session's browser, read back from its report folder as `probe check` leaves it."""
    done = checks.check(url, out=out, timeout=timeout, **options)
    report = json.loads((out / "report.json").read_text())
    assert report == json.loads(done.report.model_dump_json())
    assert (out / "report.html").is_file()
    for step in report["steps"]:
        if step["screenshot"]:
            assert (out / step["screenshot"]).is_file()
    return Run(done.code, report, out, done.seconds, "")


def cli_check(url: str, out: Path, *extra: str, timeout: int = ROOMY) -> Run:
    """`probe check` itself, through the command line (its own Chromium)."""
    started = time.monotonic()
    result = runner.invoke(app, ["check", url, "--timeout", str(timeout), "--out", str(out), "--json", *extra])
    seconds = time.monotonic() - started
    assert "Traceback" not in result.output, result.output
    report = json.loads(result.stdout)
    on_disk = json.loads((out / "report.json").read_text())
    assert on_disk["verdict"] == report["verdict"]
    assert (out / "report.html").is_file()
    for step in report["steps"]:
        if step["screenshot"]:
            assert (out / step["screenshot"]).is_file()
    return Run(result.exit_code, report, out, seconds, result.stderr)


def pay(checks: InProcessChecks, served: tuple[str, Hostile], path: str, tmp_path: Path, timeout: int = ROOMY) -> Run:
    return check(checks, served[0] + path, tmp_path / "out", payment_page=True, timeout=timeout)


def assert_observed_the_page(run: Run, path: str) -> None:
    """The probe stayed on its page and read it: the greyed-out store credit, and the real verdict."""
    assert run.code == 0, run.stderr
    assert run.report["observation"]["option_state"] == "greyed_out"
    assert run.report["verdict"]["outcome"] == "cannot_use"
    assert run.report["observation"]["page_url"].endswith(path)


def test_js_dialogs_are_dismissed_and_recorded(
    checks: InProcessChecks, hostile: tuple[str, Hostile], tmp_path: Path
) -> None:
    run = pay(checks, hostile, "/pay/dialogs", tmp_path)
    assert_observed_the_page(run, "/pay/dialogs")
    assert ("dialog", "alert: Hello from the store") in run.blocked
    assert ("dialog", "confirm: Place your order now?") in run.blocked
    assert ("dialog", "prompt: Your e-mail?") in run.blocked


def test_popups_and_new_tabs_are_closed_and_the_probe_stays(
    checks: InProcessChecks, hostile: tuple[str, Hostile], tmp_path: Path
) -> None:
    run = pay(checks, hostile, "/pay/popups", tmp_path)
    assert_observed_the_page(run, "/pay/popups")
    popups = [target for kind, target in run.blocked if kind == "popup"]
    assert any(t.endswith("/popup-ad") for t in popups) and any(t.endswith("/popup-tab") for t in popups)


@pytest.mark.parametrize(
    ("path", "kind", "endpoint"),
    [
        ("/pay/autosubmit", "form", "POST /checkout/place-order"),
        ("/pay/selfnav", "navigation", "GET /order/place"),
        ("/pay/fetch", "request", "POST /api/place-order"),
        ("/pay/orders", "request", "POST /orders"),
        ("/pay/graphql", "request", "POST /graphql"),
        ("/pay/oscar", "form", "POST /checkout/preview/"),
    ],
)
def test_a_page_that_orders_by_itself_is_blocked(
    checks: InProcessChecks, hostile: tuple[str, Hostile], tmp_path: Path, path: str, kind: str, endpoint: str
) -> None:
    url, state = hostile
    run = pay(checks, hostile, path, tmp_path)
    method, where = endpoint.split(" ")
    assert any(k == kind and t.startswith(f"{method} {url}{where}") for k, t in run.blocked), run.blocked
    assert run.report["safety"]["order_placed"] is False
    # The hostile server's own log: the page loaded, the order never arrived.
    assert f"GET {path}" in state.log
    assert state.ordered() == []
    # The audit lists it as blocked, with the rule that caught it; blocking is not an error.
    if method != "GET":
        seen = [r for r in run.report["safety"]["requests"] if r["url"].startswith(f"{url}{where}")]
        assert seen and all(r["outcome"] == "blocked" and r["rule"] for r in seen), run.report["safety"]["requests"]
    # Blocking kept the probe on its page, so it still observed it.
    assert_observed_the_page(run, path)


def assert_inconclusive(run: Run, *causes: str, timeout: int = TIMEOUT) -> None:
    assert run.code == 3, run.stderr
    assert run.report["verdict"]["outcome"] == "inconclusive"
    # Never read as "no credit option".
    assert run.report["observation"]["option_state"] == "unknown"
    error = run.report["observation"]["error"]
    assert error and all(cause in error for cause in causes), error
    assert run.stderr == "" or "probe: inconclusive: " in run.stderr
    assert run.seconds < timeout + MARGIN, f"took {run.seconds:.1f}s"
    failed = [s for s in run.report["steps"] if not s["ok"]]
    assert failed and failed[-1]["error"]


@pytest.mark.parametrize(
    ("path", "causes", "picture"),
    [
        ("/hang", ["did not finish loading", "3 tries"], False),
        ("/trickle", ["did not finish loading"], True),
        ("/loop", ["redirect loop at", "/loop"], True),
        ("/status/500", ["HTTP 500 at", "/status/500"], True),
        ("/status/404", ["HTTP 404 at"], True),
        ("/status/503", ["HTTP 503 at"], True),
    ],
)
def test_a_page_that_fails_is_inconclusive_with_its_cause(
    checks: InProcessChecks,
    hostile: tuple[str, Hostile],
    tmp_path: Path,
    path: str,
    causes: list[str],
    picture: bool,
) -> None:
    run = pay(checks, hostile, path, tmp_path, timeout=TIMEOUT)
    assert_inconclusive(run, *causes)
    if picture:
        assert run.report["steps"][-1]["screenshot"], "the screenshot it got belongs in the report"


def test_connection_refused_is_inconclusive(tmp_path: Path) -> None:
    # Refused at once, so a roomy budget costs nothing and a busy machine cannot turn it into a timeout.
    run = cli_check(refused_url(), tmp_path / "out", "--payment-page", timeout=ROOMY)
    assert "probe: inconclusive: " in run.stderr
    assert_inconclusive(run, "connection refused at", "nothing answers there")
    assert "time budget" not in run.report["observation"]["error"]


def test_a_step_that_outlasts_the_check_s_budget_says_the_budget_ran_out(
    checks: InProcessChecks, hostile: tuple[str, Hostile], tmp_path: Path
) -> None:
    """A control that never comes uses up the whole --timeout: the line says it was the budget, and how to give more."""
    profile = tmp_path / "missing.yaml"
    profile.write_text(
        "name: hostile store\nstart_url: /\nsteps:\n  - name: gift card\n    actions:\n"
        "      - {action: click, locator: {role: button, name: No such control}}\n"
    )
    run = check(checks, hostile[0], tmp_path / "out", profile=profile, timeout=4)
    assert_inconclusive(
        run, "step 'gift card' failed", "the check's 4 s time budget ran out (give more with --timeout)"
    )


def test_a_step_answering_503_in_a_walk_is_inconclusive(
    checks: InProcessChecks, hostile: tuple[str, Hostile], tmp_path: Path
) -> None:
    run = check(checks, hostile[0], tmp_path / "out", profile=PAGES / "broken.yaml")
    assert_inconclusive(run, "step 'checkout' failed", "HTTP 503", timeout=ROOMY)
    assert [s["name"] for s in run.report["steps"]] == ["gift card", "checkout"]
    assert run.report["steps"][0]["ok"] and not run.report["steps"][1]["ok"]


def test_a_leave_page_prompt_does_not_trap_the_walk(
    checks: InProcessChecks, hostile: tuple[str, Hostile], tmp_path: Path
) -> None:
    run = check(checks, hostile[0], tmp_path / "out", profile=PAGES / "walk.yaml", timeout=ROOMY)
    assert_observed_the_page(run, "/pay/plain")
    assert any(kind == "dialog" and target.startswith("beforeunload") for kind, target in run.blocked)
    assert all(step["ok"] for step in run.report["steps"])


def test_a_huge_page_still_answers_within_the_timeout(
    checks: InProcessChecks, hostile: tuple[str, Hostile], tmp_path: Path
) -> None:
    run = check(checks, hostile[0] + "/huge?n=3000", tmp_path / "out", payment_page=True, timeout=ROOMY)
    assert run.seconds < ROOMY + MARGIN, f"took {run.seconds:.1f}s"
    assert_observed_the_page(run, "/huge?n=3000")


def test_a_flaky_first_load_is_retried_and_the_report_says_so(
    checks: InProcessChecks, hostile: tuple[str, Hostile], tmp_path: Path
) -> None:
    url, state = hostile
    run = pay(checks, hostile, "/flaky/first-hangs", tmp_path, timeout=16)  # the first try gets half of it
    assert_observed_the_page(run, "/flaky/first-hangs")
    assert state.hits["first-hangs"] == 2
    assert run.report["steps"][0]["retries"] == 1


def test_baseline_reports_a_policy_change(
    checks: InProcessChecks, hostile: tuple[str, Hostile], tmp_path: Path
) -> None:
    url = hostile[0] + "/pay/plain"
    first = check(checks, url, tmp_path / "before", payment_page=True)
    assert first.code == 0
    baseline = str(tmp_path / "before" / "report.json")

    same = cli_check(url, tmp_path / "same", "--payment-page", "--baseline", baseline)
    assert same.code == 0, same.stderr
    assert same.report["baseline_changes"] == []
    assert f"no change since {baseline}" in same.stderr

    changed = cli_check(url + "?credit=open", tmp_path / "after", "--payment-page", "--baseline", baseline)
    assert changed.code == 1, changed.stderr
    changes = changed.report["baseline_changes"]
    assert any(c.endswith(": option greyed_out -> selectable") for c in changes), changes
    assert any("reason text changed: 'Store credit cannot be used to buy gift cards.' -> (none)" in c for c in changes)
    assert json.loads((tmp_path / "after" / "report.json").read_text())["baseline_changes"] == changes
    assert changes[0] in changed.stderr
