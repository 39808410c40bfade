"""`probe check` starts Playwright's driver, and the default Chromium, before it has read its command line.

What a user must never see from that: a second browser, a process left behind, a word more on stderr, or a browser
launched for a check that names its own.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile_app import Hostile, serve_hostile
from playwright._repo_version import version as PLAYWRIGHT_RELEASE
from processes import alive, browsers, descendants, in_session, kill

from probe.entry import launches_ahead, starts_a_browser
from probe.run import node
from probe.run.driver import keep_compiled, start_driver
from probe.walk.browser import find_browser

PROBE = Path(sys.executable).with_name("probe")


@pytest.mark.parametrize(
    ("args", "starts", "launches"),
    [
        (["check"], True, True),
        (["check", "https://shop.example/", "--payment-page"], True, True),
        (["check", "--help"], False, False),
        (["matrix", "m.yaml"], True, False),
        (["matrix", "merge", "a", "b", "--out", "c"], False, False),
        (["matrix", "--help"], False, False),
        (["verdict", "--state", "selectable"], False, False),
        ([], False, False),
        (["check", "--cdp-endpoint", "http://127.0.0.1:9222"], True, False),
        (["check", "--ws-endpoint=ws://grid:3000/"], True, False),
        (["check", "--browser-path", "/opt/chrome"], True, False),
        (["check", "--headed"], True, False),
        (["check", "--header"], True, True),
    ],
)
def test_which_command_lines_start_early(args: list[str], starts: bool, launches: bool) -> None:
    """What starts a driver ahead, and what also launches the default Chromium ahead."""
    assert starts_a_browser(args) is starts
    assert (starts and launches_ahead(args)) is launches


def test_node_keeps_its_compiled_scripts_in_the_users_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NODE_COMPILE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    keep_compiled()
    assert os.environ["NODE_COMPILE_CACHE"] == str(tmp_path / "probe" / "node-compile-cache")
    monkeypatch.setenv("NODE_COMPILE_CACHE", "/elsewhere")
    keep_compiled()
    assert os.environ["NODE_COMPILE_CACHE"] == "/elsewhere"


def test_no_node_is_spawned_ahead_for_a_playwright_release_not_known_to_be_taken_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(node, "TAKEOVER_RELEASES", ("0.0.",))
    node.spawn_driver()
    assert node.take_spawned() is None


@pytest.mark.browser
@pytest.mark.skipif(
    not PLAYWRIGHT_RELEASE.startswith(node.TAKEOVER_RELEASES), reason=f"Playwright {PLAYWRIGHT_RELEASE}: no takeover"
)
def test_the_driver_takes_over_the_node_spawned_ahead() -> None:
    """The node `probe check` spawns before loading Playwright's client is the one the client then talks to, and it
    ends with the driver; a second driver starts a node of its own."""
    node.spawn_driver()
    spawned = node._spawned
    assert spawned is not None

    async def drive() -> list[str]:
        names = []
        for _ in range(2):
            started = start_driver()
            names.append((await started.playwright()).chromium.name)
            await started.stop()
        return names

    with ThreadPoolExecutor(1) as own_thread:  # a loop of its own: another test's may be running on this thread
        assert own_thread.submit(asyncio.run, drive()).result() == ["chromium", "chromium"]
    assert node.take_spawned() is None
    assert spawned.wait(timeout=10) == 0


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[str, Hostile]]:
    with serve_hostile() as served:
        yield served


@pytest.fixture
def user(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A user whose caches are in `tmp_path` and whose temporary folder is fresh: (that folder, the environment).
    The folder's path stays short: Chromium cannot start where its profile's socket path would pass 107 bytes."""
    env = {k: v for k, v in os.environ.items() if k != "NODE_COMPILE_CACHE"}
    with tempfile.TemporaryDirectory(prefix="probe-tmp-") as tmp:
        yield Path(tmp), {**env, "XDG_CACHE_HOME": str(tmp_path / "cache"), "TMPDIR": tmp}


@pytest.mark.browser
@pytest.mark.parametrize("own_browser", [False, True], ids=["default-browser", "browser-path"])
def test_a_check_runs_in_one_browser(
    hostile: tuple[str, Hostile], user: tuple[Path, dict[str, str]], tmp_path: Path, own_browser: bool
) -> None:
    """The browser launched ahead is the check's browser, driven by the node spawned ahead; a check naming its own
    browser gets only that one."""
    extra = ["--browser-path", str(find_browser().path)] if own_browser else []
    proc = subprocess.Popen(
        [str(PROBE), "check", f"{hostile[0]}/hang", "--payment-page", "--timeout", "60", "--out", str(tmp_path / "r")]
        + extra,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=user[1],
    )
    assert proc.stderr is not None
    family: dict[int, str] = {}
    try:
        for line in proc.stderr:
            if "opening the payment page" in line:
                break
        # The page hangs: the check is waiting for it in whatever browsers it has opened by now.
        time.sleep(1)
        family = descendants(proc.pid)
        assert len(browsers(family)) == 1, family
        # node was spawned before Playwright's client was loaded, and the client took it over: no second driver.
        assert [name for name in family.values() if name.startswith("node")] == ["node-MainThread"], family
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
        kill(alive(set(family)))
    assert any((tmp_path / "cache" / "probe" / "node-compile-cache").iterdir())


def typed(args: list[str], env: dict[str, str], *, timeout: float) -> tuple[int, str, str]:
    """`probe ARGS` as a user types it, in a session of its own: (exit code, stdout, stderr). Fails when a process of
    that session is still running 5 s after it ended."""
    proc = subprocess.Popen(
        [str(PROBE), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    stdout, stderr = proc.communicate(timeout=timeout)
    left = left_running(proc.pid)
    assert not left, f"still running after `probe {' '.join(args)}`: {left}"
    return proc.returncode, stdout, stderr


def left_running(session: int) -> set[int]:
    """Processes of an ended command's session still running 5 s on (stopped now, for the next test's sake)."""
    left = in_session(session)
    deadline = time.monotonic() + 5
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = alive(left)
    kill(left)
    return left


@pytest.mark.browser
def test_a_usage_error_leaves_nothing_running(user: tuple[Path, dict[str, str]]) -> None:
    """Nothing started ahead (driver, browser, its profile folder) outlives a command line that turns out to be
    wrong, and stderr holds only the error."""
    code, stdout, stderr = typed(["check", "https://shop.example/", "--no-such-option"], user[1], timeout=60)
    assert code == 2
    assert stdout == ""
    assert stderr.count("\n") == 1, stderr
    assert "No such option: --no-such-option" in stderr
    assert list(user[0].iterdir()) == []


@pytest.mark.browser
def test_a_matrix_takes_the_driver_started_ahead(user: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """`probe matrix` as typed: the driver started before its file was read runs the matrix, and nothing outlives
    it."""
    spec = tmp_path / "m.yaml"
    spec.write_text(
        "targets:\n  - {scenario: default}\n  - {scenario: promo-aria-disabled}\ncredit_sources: [refund]\n",
        encoding="utf-8",
    )
    code, stdout, stderr = typed(["matrix", str(spec), "--out", str(tmp_path / "m"), "--json"], user[1], timeout=120)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    rows = json.loads(stdout)["rows"]
    assert [(r["scenario"], r["outcome"]) for r in rows] == [("default", "can_use"), ("promo-aria-disabled", "can_use")]
    assert any((tmp_path / "cache" / "probe" / "node-compile-cache").iterdir())


@pytest.mark.browser
def test_ctrl_c_while_the_driver_starts_leaves_nothing(user: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """Ctrl-C as soon as the driver started ahead runs (the command line still being read): exit 130, one quiet
    exit, no traceback, nothing left running."""
    proc = subprocess.Popen(
        [str(PROBE), "check", "https://shop.example/", "--payment-page", "--out", str(tmp_path / "r")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=user[1],
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any("node" in name for name in descendants(proc.pid).values()):
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not left_running(proc.pid)
    assert not (tmp_path / "r").exists()
