"""Signed-in stores: a saved session (probe login), login steps with secrets from the environment, expired sessions."""

from __future__ import annotations

import json
import stat
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, async_playwright
from test_remote import cdp_endpoint  # noqa: F401 - the remote Chromium fixture
from typer.testing import CliRunner

from mock_store.scenarios import load_scenario
from mock_store.signin import SECONDS_PER_DAY, SESSION_COOKIE, session_token
from probe.cli import app
from probe.run.check import ACCOUNT_WAIT_S
from probe.run.login import login_session
from probe.run.sync import run_sync
from probe.walk.flow import ELEMENT_WAIT_S

pytestmark = pytest.mark.browser
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "signed-in.yaml"
LOGIN_PROFILE = ROOT / "examples" / "signed-in-login.yaml"
ACCOUNT = load_scenario("signed-in").sign_in
assert ACCOUNT is not None
SECRETS = (ACCOUNT.password, ACCOUNT.email)


async def person_signs_in(page: Page) -> None:
    """What a person does in the headed window, done by the test on the same page."""
    await page.get_by_label("Email address", exact=True).first.fill(ACCOUNT.email)
    await page.get_by_label("Password", exact=True).fill(ACCOUNT.password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/account/credit")


@pytest.fixture
def session_file(store_url: str, tmp_path: Path) -> Path:
    """A storage state saved through `probe login`'s own code path (not headed)."""
    path = tmp_path / "private" / "everymart.json"
    run_sync(lambda: login_session(f"{store_url}/signin?scenario=signed-in", path, person_signs_in, headed=False))
    return path


def check_args(store_url: str, out: Path, *extra: str) -> list[str]:
    return ["check", f"{store_url}/", "--json", "--out", str(out), "--today", "2026-11-25", *extra]


def all_text(folder: Path) -> bytes:
    """Every byte written under a report folder, trace members unpacked."""
    data = b""
    for path in folder.rglob("*"):
        if path.is_file():
            data += path.read_bytes()
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    data += b"".join(archive.read(name) for name in archive.namelist())
    return data


def test_login_saves_a_private_session_that_a_check_uses(session_file: Path, store_url: str, tmp_path: Path) -> None:
    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600
    state = json.loads(session_file.read_text())
    assert SESSION_COOKIE in {c["name"] for c in state["cookies"]}
    out = tmp_path / "report"
    result = runner.invoke(
        app, check_args(store_url, out, "--profile", str(PROFILE), "--storage-state", str(session_file))
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"]["outcome"] == "can_use"
    assert report["observation"]["option_state"] == "selectable"
    assert [s["name"] for s in report["steps"]][0] == "account credit"
    assert all(s["ok"] for s in report["steps"]), report["steps"]
    session = next(c["value"] for c in state["cookies"] if c["name"] == SESSION_COOKIE)
    assert session.encode() not in all_text(out)


def test_without_a_session_the_message_says_how_to_get_one(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = runner.invoke(app, check_args(f"{store_url}/scenario/signed-in", out, "--profile", str(PROFILE)))
    assert result.exit_code == 3
    assert "sign-in page" in result.stderr and "--storage-state" in result.stderr and "probe login" in result.stderr
    # The account page and checkout sent the walk to the sign-in page: it said so without waiting out the elements.
    steps = {s["name"]: s for s in json.loads((out / "report.json").read_text())["steps"]}
    assert "sign-in page" in steps["account credit"]["error"] and "sign-in page" in steps["checkout"]["error"]
    assert steps["account credit"]["duration_s"] < ACCOUNT_WAIT_S and steps["checkout"]["duration_s"] < ELEMENT_WAIT_S


def expired_copy(session_file: Path, tmp_path: Path) -> Path:
    """The saved session with its cookie re-issued past the store's session lifetime."""
    state = json.loads(session_file.read_text())
    old = time.time() - (ACCOUNT.session_days + 1) * SECONDS_PER_DAY
    for cookie in state["cookies"]:
        if cookie["name"] == SESSION_COOKIE:
            cookie["value"] = session_token(ACCOUNT.email, old)
    expired = tmp_path / "expired.json"
    expired.write_text(json.dumps(state))
    return expired


def test_an_expired_session_says_to_renew_it(session_file: Path, store_url: str, tmp_path: Path) -> None:
    expired = expired_copy(session_file, tmp_path)
    out = tmp_path / "report"
    result = runner.invoke(app, check_args(store_url, out, "--profile", str(PROFILE), "--storage-state", str(expired)))
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert "looks expired" in report["observation"]["error"]
    assert f"probe login {store_url}/ --save {expired}" in report["observation"]["error"]


def test_login_steps_take_secrets_from_the_environment_and_write_them_nowhere(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORE_EMAIL", ACCOUNT.email)
    monkeypatch.setenv("STORE_PASSWORD", ACCOUNT.password)
    out = tmp_path / "report"
    args = check_args(f"{store_url}/scenario/signed-in", out, "--profile", str(LOGIN_PROFILE), "--trace")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"]["outcome"] == "can_use"
    assert report["steps"][0]["name"] == "sign in" and report["steps"][0]["ok"]
    assert (out / "trace.zip").is_file() and (out / "steps" / "01-sign-in.jpg").is_file()
    written = all_text(out)
    for secret in SECRETS:
        assert secret.encode() not in written, secret
        assert secret not in result.stdout and secret not in result.stderr
    with zipfile.ZipFile(out / "trace.zip") as archive:
        network = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".network"))
    assert b'"Cookie", "value": "[redacted]"' in network


def test_a_failing_login_step_names_the_placeholder_not_the_secret(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORE_EMAIL", ACCOUNT.email)
    monkeypatch.setenv("STORE_PASSWORD", "wrong-password-41")
    out = tmp_path / "report"
    args = check_args(f"{store_url}/scenario/signed-in", out, "--profile", str(LOGIN_PROFILE), "--timeout", "25")
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert "sign-in page" in report["observation"]["error"] and "login steps" in report["observation"]["error"]
    # The press brought the sign-in page back: the step said so at once, not when --timeout ran out.
    sign_in = report["steps"][0]
    assert sign_in["name"] == "sign in" and not sign_in["ok"] and sign_in["duration_s"] < ELEMENT_WAIT_S
    written = all_text(out)
    assert b"wrong-password-41" not in written and "wrong-password-41" not in result.stderr


def test_a_missing_environment_variable_is_bad_input(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORE_EMAIL", raising=False)
    monkeypatch.setenv("STORE_PASSWORD", "x")
    result = runner.invoke(app, ["check", store_url, "--profile", str(LOGIN_PROFILE)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "${env:STORE_EMAIL}" in lines[0] and "export STORE_EMAIL" in lines[0]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "file not found; create it with `probe login URL --save"),
        ("{not json", "not JSON"),
        ('{"cookies": {}}', "not a Playwright storage state"),
        ('{"cookies": [{"name": "a"}], "origins": []}', "cookies.0 needs name, value and domain"),
    ],
)
def test_a_bad_storage_state_is_one_line_exit_2(tmp_path: Path, content: str | None, words: str) -> None:
    path = tmp_path / "state.json"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(app, ["check", "--storage-state", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and words in lines[0], lines


def test_login_refuses_to_save_inside_a_report_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["login", "http://127.0.0.1:9/", "--save", "probe-report/session.json"])
    assert result.exit_code == 2 and "inside the report folder" in result.stderr
    shared = tmp_path / "reports" / "monday"
    shared.mkdir(parents=True)
    (shared / "report.json").write_text("{}")
    result = runner.invoke(app, ["login", "http://127.0.0.1:9/", "--save", str(shared / "s.json")])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert not (shared / "s.json").exists() and not (tmp_path / "probe-report").exists()


def test_the_remote_browsers_own_signed_in_context(
    cdp_endpoint: str,  # noqa: F811 - the fixture imported above
    store_url: str,
    tmp_path: Path,
) -> None:
    async def sign_in_there() -> None:
        async with async_playwright() as pw:
            browser = await pw.chromium.connect_over_cdp(cdp_endpoint)
            page = await browser.contexts[0].new_page()
            await page.goto(f"{store_url}/signin?scenario=signed-in")
            await person_signs_in(page)
            await page.close()

    run_sync(lambda: sign_in_there())
    signed_in_store = f"{store_url}/scenario/signed-in"
    fresh = runner.invoke(
        app, check_args(signed_in_store, tmp_path / "fresh", "--profile", str(PROFILE), "--cdp-endpoint", cdp_endpoint)
    )
    assert fresh.exit_code == 3, fresh.stderr  # a new context has none of its cookies
    args = ["--profile", str(PROFILE), "--cdp-endpoint", cdp_endpoint, "--use-existing-context"]
    borrowed = runner.invoke(app, check_args(store_url, tmp_path / "borrowed", *args))
    assert borrowed.exit_code == 0, borrowed.stderr
    assert json.loads(borrowed.stdout)["verdict"]["outcome"] == "can_use"


def test_use_existing_context_needs_a_cdp_endpoint() -> None:
    result = runner.invoke(app, ["check", "--use-existing-context"])
    assert result.exit_code == 2 and "--cdp-endpoint" in result.stderr


def test_the_probe_check_fixture_takes_a_storage_state(probe_check: Any, session_file: Path, store_url: str) -> None:
    report = probe_check(f"{store_url}/", profile=str(PROFILE), storage_state=str(session_file), today="2026-11-25")
    assert report.verdict.outcome == "can_use"


def test_matrix_targets_take_a_storage_state(session_file: Path, store_url: str, tmp_path: Path) -> None:
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text(
        json.dumps(
            {
                "targets": [
                    {"url": f"{store_url}/", "profile": str(PROFILE), "storage_state": str(session_file)},
                    {"url": f"{store_url}/scenario/signed-in", "profile": str(PROFILE)},
                ],
                "today": "2026-11-25",
                "timeout": 40,
            }
        )
    )
    result = runner.invoke(app, ["matrix", str(matrix), "--out", str(tmp_path / "m"), "--workers", "2", "--json"])
    rows = json.loads(result.stdout)["rows"]
    assert [r["outcome"] for r in rows] == ["can_use", "inconclusive"], rows
    given = runner.invoke(
        app, ["matrix", str(matrix), "--out", str(tmp_path / "m2"), "--storage-state", str(session_file), "--json"]
    )
    assert given.exit_code == 0, given.stderr
    assert [r["outcome"] for r in json.loads(given.stdout)["rows"]] == ["can_use", "can_use"]


def test_a_payment_page_that_asks_to_sign_in_with_a_stale_session_says_to_renew_it(
    session_file: Path, store_url: str, tmp_path: Path
) -> None:
    """The detector proves the page is a sign-in page; the session given is what the message names."""
    expired = expired_copy(session_file, tmp_path)
    out = tmp_path / "report"
    url = f"{store_url}/checkout/payment"
    result = runner.invoke(
        app, ["check", url, "--payment-page", "--json", "--out", str(out), "--storage-state", str(expired)]
    )
    assert result.exit_code == 3, result.stderr
    observation = json.loads(result.stdout)["observation"]
    assert observation["page_kind"] == "sign_in" and observation["option_state"] == "unknown"
    assert "looks expired" in observation["error"] and f"--save {expired}" in observation["error"]
