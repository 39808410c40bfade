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
    """Run a probe check (options as `probe.check`'s) and return its Report; reports go under tmp_path."""
    counter = itertools.count(1)

    def run(url: str | None = None, **options: Any) -> Report:
        from probe.api import check

        if "out" not in options:
            options["out"] = tmp_path / f"probe-report-{next(counter)}"
        report = check(url, **options)
        request.node.user_properties.append(("probe_report", str(Path(options["out"]).resolve())))
        return report

    return run
