"""The pytest plugin: a freshly made project uses the `probe_check` fixture, found through the pytest11 entry point."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest

import probe

pytest_plugins = ["pytester"]

BUNDLED_PROFILE = Path(probe.__file__).parent / "data" / "mock_store.yaml"

CONFTEST = """
import pytest

from mock_store.server import serve_in_thread
from probe.walk.browser import LAUNCH_ARGS, find_browser


@pytest.fixture(scope="session")
def store():
    with serve_in_thread() as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(find_browser().path), "args": list(LAUNCH_ARGS)}
"""

POLICY_TESTS = """
def test_promotional_credit_cannot_buy_gift_cards(probe_check, store):
    report = probe_check(store, profile="profiles/store.yaml", credit_source="promotional", today="2026-11-25")
    assert report.verdict.outcome == "cannot_use"
    assert report.observation.option_state == "greyed_out"


def test_inside_a_running_event_loop(probe_check, store):
    import asyncio

    async def body():  # as pytest-asyncio runs an async test (before pytest-playwright starts its own loop)
        return probe_check(store, profile="profiles/store.yaml", credit_source="promotional", today="2026-11-25")

    assert asyncio.run(body()).verdict.outcome == "cannot_use"


def test_beside_pytest_playwright(page, store, probe_check):
    page.goto(store)
    assert page.title()
    report = probe_check(store, profile="profiles/store.yaml", credit_source="refund", today="2026-11-25")
    assert report.verdict.outcome == "can_use"
    assert page.url.startswith(store)


def test_a_policy_that_changed_fails(probe_check, store):
    report = probe_check(store, profile="profiles/store.yaml", credit_source="promotional", today="2026-11-25")
    assert report.verdict.outcome == "can_use"
"""


@pytest.mark.browser
def test_a_fresh_project_uses_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_policy=POLICY_TESTS)
    (pytester.path / "profiles").mkdir()
    shutil.copy(BUNDLED_PROFILE, pytester.path / "profiles" / "store.yaml")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v", "--junitxml=results.xml", timeout=600)
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        ["*test_a_policy_that_changed_fails*FAILED*", "*AssertionError: assert *cannot_use* == 'can_use'"]
    )
    # Each check's report folder is recorded on its test, and holds the report.
    tree = ElementTree.parse(pytester.path / "results.xml")
    folders = [Path(p.get("value", "")) for p in tree.iter("property") if p.get("name") == "probe_report"]
    assert len(folders) == 4
    assert all((folder / "report.html").is_file() for folder in folders)


def test_the_fixture_is_registered_by_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_listing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("--fixtures")
    result.stdout.fnmatch_lines(["*probe_check*", "*Run a probe check*"])
