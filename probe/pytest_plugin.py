"""pytest plugin (entry point `pytest11`): the `probe_check` fixture, to keep store-credit policy checks in a suite.

def test_promo_credit_cannot_buy_gift_cards(probe_check):
    report = probe_check("https://store.example/", profile="store.yaml", credit_source="promotional")
    assert report.verdict.outcome == "cannot_use"
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

if TYPE_CHECKING:
    from probe.models import Report


class ProbeCheck(Protocol):
    """The fixture's value: `probe.check` with each report written under the test's own tmp_path."""

    def __call__(self, url: str | None = None, **options: Any) -> Report: ...


@pytest.fixture
def probe_check(request: pytest.FixtureRequest, tmp_path: Path) -> ProbeCheck:
    """Run a probe check (options as `probe.check`'s, storage_state too) and return its Report under tmp_path.

    With pytest-playwright installed, each check launches the Chromium its settings name (`--headed`, a
    `browser_type_launch_args` fixture's executable_path), in a fresh context per check.
    """
    counter = itertools.count(1)
    launch = _playwright_launch_args(request)

    def run(url: str | None = None, **options: Any) -> Report:
        from probe.api import check

        executable = launch.get("executable_path")
        if executable and "browser_path" not in options and not options.get("cdp_endpoint"):
            options["browser_path"] = str(executable)
        if launch.get("headless") is False and "headed" not in options:
            options["headed"] = True
        if "out" not in options:
            options["out"] = tmp_path / f"probe-report-{next(counter)}"
        report = check(url, **options)
        request.node.user_properties.append(("probe_report", str(Path(options["out"]).resolve())))
        return report

    return run


def _playwright_launch_args(request: pytest.FixtureRequest) -> dict[str, Any]:
    """pytest-playwright's launch settings (its --headed, a conftest's executable_path), when that plugin is there."""
    try:
        value = request.getfixturevalue("browser_type_launch_args")
    except pytest.FixtureLookupError:
        return {}
    return dict(value) if isinstance(value, dict) else {}
