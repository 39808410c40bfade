"""The Python API: `from probe import check`, the same check as `probe check`, returning the report model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from probe.errors import InputError, suggest, validation_lines
from probe.models import Report
from probe.run.pipeline import CheckRequest, run_sync

# Keyword spellings of the command line that differ from the request's field names.
ALIASES = {"timeout": "timeout_s", "mask_selector": "mask_selectors"}


def check(url: str | None = None, *, progress: Callable[[str], None] | None = None, **options: Any) -> Report:
    """Run one check (options as `probe check`'s, in snake_case) and return its report; it is also written to `out`.

    Without `url` the bundled mock store is probed. Enum and date options take their strings
    (`credit_source="promotional"`, `today="2026-11-25"`). Bad options raise probe.errors.InputError;
    a check that could not observe returns a report whose outcome is `inconclusive`.
    """
    fields = {**{name: name for name in CheckRequest.model_fields if name != "url"}, **ALIASES}
    unknown = [key for key in options if key not in fields]
    if unknown:
        key = unknown[0]
        raise TypeError(f"check() got an unexpected keyword argument {key!r}{suggest(key, fields)}")
    values = {fields[key]: value for key, value in options.items()}
    try:
        request = CheckRequest(url=url, **values)
    except ValidationError as exc:
        lines = validation_lines(exc, CheckRequest)
        raise InputError(f"check(): {len(lines)} bad option(s)", lines=[f"  {line}" for line in lines]) from None
    report, _ = run_sync(request, progress or (lambda _: None))
    return report
