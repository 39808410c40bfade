"""probe check without a profile on the real django-oscar store: with a customer's session it finds its own way to
the payment step and reports what the store's profile walk reports; without one it names why it stopped. The
store's own order table proves nothing was ordered. Run with `make test-real-stores`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import oscar_store as shop
import pytest
from playwright.sync_api import sync_playwright

from probe.walk.browser import LAUNCH_ARGS, find_browser

pytestmark = [pytest.mark.real_store, pytest.mark.browser]

PROFILE = shop.SHOP / "profile.yaml"
# Customers whose credit is listed by the store: one it takes, one it refuses, one without any.
SITUATIONS = ("funded", "empty", "none")


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return shop.install()


def session(url: str, email: str, password: str, path: Path) -> Path:
    """A customer's signed-in session, as `probe login URL --save FILE` would save it (the form filled by a script)."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
        try:
            page = browser.new_page()
            page.goto(f"{url}/accounts/login/")
            page.fill("#id_login-username", email)
            page.fill("#id_login-password", password)
            page.get_by_role("button", name="Log In").click()
            page.wait_for_url("**/accounts/profile/")
            page.context.storage_state(path=str(path))
        finally:
            browser.close()
    path.chmod(0o600)
    return path


def check(url: str, out: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "probe", "check", url, "--out", str(out), "--json", "--timeout", "120", *extra],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout.strip().startswith("{"), done.stderr[-1500:]
    return done.returncode, json.loads(done.stdout), time.monotonic() - started


@pytest.mark.parametrize("situation", SITUATIONS)
def test_no_profile_with_a_session_agrees_with_the_store_s_profile(
    situation: str, manifest: dict[str, Any], tmp_path: Path
) -> None:
    customer = manifest["customers"][situation]
    # Each walk on its own copy of the store: what one walk presses (oscar-accounts counts refused look-ups per
    # address) must not change what the other sees.
    with shop.serving(tmp_path / "found.sqlite3") as served:
        state = session(served.url, customer["email"], manifest["password"], tmp_path / "session.json")
        code, found, found_s = check(
            f"{served.url}/", tmp_path / "found", "--storage-state", str(state), "--credit-source", "refund"
        )
        ordered = shop.orders(served.db)
    with shop.serving(tmp_path / "hand.sqlite3") as served:
        env = {"GIFTSHOP_EMAIL": customer["email"], "GIFTSHOP_PASSWORD": manifest["password"]}
        hand_code, hand, hand_s = check(
            served.url, tmp_path / "hand", "--profile", str(PROFILE), "--credit-source", "refund", env=env
        )
        ordered += shop.orders(served.db)
    assert found["discovery"]["failure"] is None, found["observation"]["error"]
    assert found["discovery"]["platform"] == "django-oscar"
    assert found["observation"]["page_kind"] == "payment"
    seen = lambda r: (r["verdict"]["outcome"], r["observation"]["option_state"])  # noqa: E731
    assert seen(found) == seen(hand), (found["observation"], hand["observation"])
    assert code == hand_code
    assert ordered == 0
    print(f"oscar {situation}: discovered {found_s:.1f} s, the store's profile {hand_s:.1f} s")


def test_without_a_session_the_walk_says_it_needs_one(manifest: dict[str, Any], tmp_path: Path) -> None:
    with shop.serving(tmp_path / "store.sqlite3") as served:
        code, found, _ = check(f"{served.url}/", tmp_path / "found")
        ordered = shop.orders(served.db)
    assert code == 3
    error = found["observation"]["error"]
    assert error.startswith(("guest checkout not offered: ", "sign-in required: ")), error
    assert "--storage-state" in error
    assert found["observation"]["option_state"] == "unknown"
    assert ordered == 0
