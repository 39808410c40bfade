"""The Python API: `from probe import check` returns the report model; `import probe` stays light."""

from __future__ import annotations

import asyncio
import inspect
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import probe
from probe.errors import InputError
from probe.models import Outcome, Report

HEAVY = ("playwright", "fastapi", "uvicorn", "probe.run.check", "probe.api")


def _modules_after(code: str) -> list[str]:
    script = f"import sys\n{code}\nprint(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"'))
    return loaded


def test_import_probe_and_the_rules_commands_do_not_load_playwright() -> None:
    assert _modules_after("import probe") == []
    commands = (
        "from typer.testing import CliRunner\nfrom probe.cli import app\nr = CliRunner()\n"
        "assert r.invoke(app, ['rules']).exit_code == 0\n"
        "assert r.invoke(app, ['verdict', '--option-state', 'absent', '--json']).exit_code == 0"
    )
    assert _modules_after(commands) == []
    # Touching the API name loads the API, still without Playwright (that waits for a check to run).
    assert _modules_after("from probe import check") == ["probe.api"]


def test_check_is_the_api_function_even_after_the_pipeline_is_imported() -> None:
    from probe import api
    from probe import check as imported
    from probe.request import CheckRequest

    assert imported is api.check is probe.check
    assert CheckRequest.__module__ == "probe.request"
    assert "check" in probe.__all__


def test_bad_options_fail_before_a_browser_starts(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'credit_sorce'.*did you mean 'credit_source'"):
        probe.check(credit_sorce="refund")
    with pytest.raises(InputError, match="credit_source: Input should be"):
        probe.check(credit_source="coupon", out=tmp_path / "r")
    with pytest.raises(InputError, match="no such bundled scenario"):
        probe.check(scenario="nope", out=tmp_path / "r")
    assert not (tmp_path / "r").exists()


@pytest.mark.browser
def test_check_returns_the_report_also_from_inside_a_running_loop(tmp_path: Path) -> None:
    report = probe.check(scenario="default", credit_source="promotional", out=tmp_path / "promo", timeout=60)
    assert isinstance(report, Report)
    assert report.verdict.outcome is Outcome.cannot_use
    assert report.observation.option_state.value == "greyed_out"
    assert Report.model_validate_json((tmp_path / "promo" / "report.json").read_text()) == report

    async def inside_a_loop() -> Report:
        return probe.check(scenario="default", credit_source="refund", out=tmp_path / "refund")

    # A thread of its own: pytest-playwright's sync API may already hold this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        from_loop = pool.submit(asyncio.run, inside_a_loop()).result()
    assert from_loop.verdict.outcome is Outcome.can_use


def test_the_api_and_the_command_line_take_every_field_of_the_request() -> None:
    """probe.check() and `probe check` spell out their options; this keeps both in step with CheckRequest."""
    from probe.cli import check as check_command
    from probe.request import option_names

    api = set(inspect.signature(probe.check).parameters) - {"progress"}
    command = set(inspect.signature(check_command).parameters) - {"as_json", "expect", "junit"}
    assert api == set(option_names())
    # The waits (Timing) are for the Python API and tests; the command line's one knob is --timeout.
    assert command == set(option_names()) - {"timing"}
