"""`probe profile check`: each failing step says its real cause, with a screenshot; strict locators in every walk."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from typer.testing import CliRunner

from mock_store.server import serve_app_in_thread
from probe.cli import app
from probe.walk.guard import OrderGuard

pytestmark = pytest.mark.browser
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
RAW_DURATION = re.compile(r"\d+\.\d{2,}|\d+ms")


def write_profile(tmp_path: Path, steps: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(f"name: trial\nsteps:\n{steps}")
    return path


def run_check(tmp_path: Path, profile: Path, url: str, *extra: str) -> tuple[int, str, str]:
    out = tmp_path / "walk"
    result = runner.invoke(app, ["profile", "check", str(profile), url, "--out", str(out), *extra])
    return result.exit_code, result.stdout, result.stderr


def failed_line(stdout: str) -> str:
    lines = stdout.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("FAIL"))
    return lines[index + 1].strip()


def test_valid_profile_without_url_and_with_it(tmp_path: Path, store_url: str) -> None:
    bundled = ROOT / "probe" / "data" / "mock_store.yaml"
    result = runner.invoke(app, ["profile", "check", str(bundled)])
    assert result.exit_code == 0 and "valid profile 'mock-store'" in result.stdout
    code, stdout, _ = run_check(tmp_path, bundled, store_url)
    assert code == 0, stdout
    assert "FAIL" not in stdout and "ok   payment selection" in stdout
    assert all(re.search(r"\(\d+\.\d s\)$", line) for line in stdout.splitlines() if line.startswith("ok"))


def test_an_invalid_profile_is_exit_2_with_what_to_write(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, "  - name: a\n    actions:\n      - {action: type, locator: {css: a}}\n")
    result = runner.invoke(app, ["profile", "check", str(profile)])
    assert result.exit_code == 2
    assert "`action: type` does not exist; write one of goto, click, fill, select, check, wait_for" in result.stderr


def test_several_matches_are_listed_not_the_first_taken(tmp_path: Path, store_url: str) -> None:
    profile = write_profile(
        tmp_path,
        "  - name: sign in\n    actions:\n      - {action: goto, url: /signin}\n"
        "      - {action: fill, locator: {label: Email address}, value: a}\n",
    )
    code, stdout, _ = run_check(tmp_path, profile, store_url)
    assert code == 1
    line = failed_line(stdout)
    assert "label='Email address' matches 3 elements" in line
    assert "input#signin-email" in line and "input#register-email" in line and "input#register-confirm" in line
    assert "add `nth: N`" in line and "`exact: true`" in line
    assert any((tmp_path / "walk" / "steps").glob("*sign-in.jpg"))
    assert "screenshot: " in stdout and Path(stdout.split("screenshot: ")[1].split()[0]).is_file()


def test_a_missing_element_names_the_closest_candidates(tmp_path: Path, store_url: str) -> None:
    profile = write_profile(
        tmp_path,
        "  - name: product\n    actions:\n      - {action: goto, url: /gift-cards/everymart-egift-card}\n"
        "      - {action: click, locator: {role: button, name: Add to Basket}}\n",
    )
    # The missing control is waited for until the budget or 15 s runs out: 16 s leaves the page time to load on a
    # busy machine, where 8 s was spent before the click was even tried.
    code, stdout, _ = run_check(tmp_path, profile, store_url, "--timeout", "16")
    assert code == 1
    line = failed_line(stdout)
    assert "no element matches role='button' name='Add to Basket'" in line
    assert "closest on the page: {role: button, name: Add to Cart}" in line
    assert re.search(r"after \d+\.\d s", line) and not RAW_DURATION.search(line.replace(store_url, ""))


def test_an_order_endpoint_names_the_guard_rule(tmp_path: Path, store_url: str) -> None:
    profile = write_profile(
        tmp_path, "  - name: finish\n    actions:\n      - {action: goto, url: /checkout/place-order}\n"
    )
    code, stdout, _ = run_check(tmp_path, profile, store_url)
    assert code == 1
    line = failed_line(stdout)
    assert line.startswith("the guard blocked GET") and "/checkout/place-order" in line
    rule = OrderGuard().rule_for(f"{store_url}/checkout/place-order")
    assert rule and f"rule {rule!r}" in line and "end the profile before it" in line


def disguised(request: Request) -> Response:
    return HTMLResponse(
        "<html><body><h1>Review</h1><form method='post' action='/checkout/submit-order'>"
        "<button type='submit'>Continue</button></form></body></html>"
    )


async def never(request: Request) -> Response:
    await asyncio.sleep(60)
    return Response("")


def slow(request: Request) -> Response:
    return HTMLResponse("<html><body><h1>Loading</h1><img src='/never.png'></body></html>")


@pytest.fixture(scope="module")
def odd_store() -> Iterator[str]:
    routes = [Route("/", disguised), Route("/slow", slow), Route("/never.png", never)]
    # Its slow pages hold connections open: stopping it need not wait for them.
    with serve_app_in_thread(Starlette(routes=routes), name="odd store", shutdown_s=1) as url:
        yield url


def test_a_navigation_the_guard_blocked_is_the_cause_not_a_timeout(tmp_path: Path, odd_store: str) -> None:
    profile = write_profile(
        tmp_path,
        "  - name: continue\n    actions:\n      - {action: click, locator: {role: button, name: Continue}}\n"
        "      - {action: wait_for, locator: {role: heading, name: Payment}}\n",
    )
    code, stdout, _ = run_check(tmp_path, profile, f"{odd_store}/", "--timeout", "20")
    assert code == 1
    line = failed_line(stdout)
    assert line.startswith("the guard blocked POST") and "/checkout/submit-order" in line
    rule = OrderGuard().judge("POST", f"{odd_store}/checkout/submit-order", b"", None).rule
    assert f"order request blocked ({rule})" in line and "leads to placing an order" in line


def test_a_page_that_never_loads_says_so_in_seconds(tmp_path: Path, odd_store: str) -> None:
    profile = write_profile(tmp_path, "  - name: slow\n    actions:\n      - {action: goto, url: /slow}\n")
    code, stdout, _ = run_check(tmp_path, profile, f"{odd_store}/", "--timeout", "8")
    assert code == 1
    line = failed_line(stdout)
    assert "did not finish loading within" in line and re.search(r"within \d+\.\d s", line), line
    assert "ms" not in line.replace(odd_store, "")


def test_probe_check_reports_the_same_strict_locator_message(tmp_path: Path, store_url: str) -> None:
    profile = write_profile(
        tmp_path,
        "  - name: gift cards\n    actions:\n      - {action: click, locator: {role: link, name: Gift Cards}}\n",
    )
    out = tmp_path / "report"
    result = runner.invoke(app, ["check", store_url, "--profile", str(profile), "--json", "--out", str(out)])
    assert result.exit_code == 3
    error = json.loads(result.stdout)["observation"]["error"]
    assert "role='link' name='Gift Cards' matches 4 elements" in error and "nth: N" in error
