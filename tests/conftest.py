"""Shared fixtures: the mock store on a real uvicorn server, pytest-playwright pointed at it, and in-process
checks in one Chromium for the session."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import postgres
import pytest
from in_process import InProcessChecks
from recording import Write, recording

from mock_store.server import serve_app_in_thread, serve_in_thread, static_app
from probe.walk.browser import LAUNCH_ARGS, find_browser

_HISTORY_HOME = Path(tempfile.mkdtemp(prefix="probe-test-history-"))


def pytest_configure(config: pytest.Config) -> None:
    """Every check the tests run appends to a history of this test process's own, never the user's: PROBE_HISTORY
    names a file in a fresh temporary folder, and the data folder the default would use is moved there too."""
    os.environ["PROBE_HISTORY"] = str(_HISTORY_HOME / "history.sqlite")
    os.environ["XDG_DATA_HOME"] = str(_HISTORY_HOME / "data")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_HISTORY_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def _own_history(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test's checks append to a history of that test alone: no test sees another's runs (or their changes)."""
    monkeypatch.setenv("PROBE_HISTORY", str(tmp_path_factory.mktemp("history") / "history.sqlite"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL for this test process (started here, stopped at the end); skips when none can run."""
    reason = postgres.why_not()
    if reason is not None:
        pytest.skip(f"PostgreSQL history tests: {reason}")
    with postgres.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def history_where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty history: a SQLite file, or a database of its own on the test run's PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    return postgres.fresh_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(scope="session")
def store_url() -> Iterator[str]:
    """Base URL of one mock store shared by the session (scenarios are chosen per browser session)."""
    with serve_in_thread() as url:
        yield url


@pytest.fixture(scope="session")
def base_url(store_url: str) -> str:
    """pytest-playwright's base URL: the session's mock store."""
    return store_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the Chromium probe would use, with the closed-network flags."""
    return {**browser_type_launch_args, "executable_path": str(find_browser().path), "args": list(LAUNCH_ARGS)}


PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


# Every request other than GET/HEAD that reached the fixture pages' server: observing a page, trials included, must
# send none.
PAGES_WRITES: list[Write] = []


@pytest.fixture(scope="session")
def pages_url() -> Iterator[str]:
    """fixtures/pages (the labelled checkout pages) served by a real uvicorn on a free loopback port."""
    with serve_app_in_thread(recording(static_app(PAGES), PAGES_WRITES), name="fixture pages") as url:
        yield url


@pytest.fixture(scope="session")
def checks() -> Iterator[InProcessChecks]:
    """Checks in one session-wide Chromium, the same code `probe check` runs once its browser is up."""
    session = InProcessChecks()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture(scope="session")
def pages_writes() -> list[Write]:
    """The non-GET requests that reached the fixture pages' server so far."""
    return PAGES_WRITES
