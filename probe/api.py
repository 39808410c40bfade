"""The Python API: `from probe import check`, the same check as `probe check`, returning the report model."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

from probe.errors import suggest
from probe.models import CreditSource, GiftCardKind, Intent, Report
from probe.request import DEFAULT_TIMEOUT_S, build_request
from probe.timing import Timing

P = ParamSpec("P")
R = TypeVar("R")


def _suggesting(function: Callable[P, R]) -> Callable[P, R]:
    """Reject an unknown keyword argument with a "did you mean" before the call, as a TypeError."""
    known = set(inspect.signature(function).parameters)

    @functools.wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        for key in kwargs:
            if key not in known:
                raise TypeError(
                    f"{function.__name__}() got an unexpected keyword argument {key!r}{suggest(key, known)}"
                )
        return function(*args, **kwargs)

    return call


@_suggesting
def check(
    url: str | None = None,
    *,
    scenario: str | None = None,
    profile: str | Path | None = None,
    payment_page: bool = False,
    gift_card: GiftCardKind | str | None = None,
    credit_source: CreditSource | str | None = None,
    credit_expires: dt.date | str | None = None,
    intent: Intent | str | None = None,
    today: dt.date | str | None = None,
    out: str | Path = "probe-report",
    timeout: float = DEFAULT_TIMEOUT_S,
    trace: bool = False,
    headed: bool = False,
    browser_path: str | None = None,
    option_label: str | None = None,
    rules: str | Path | None = None,
    mask: bool | None = None,
    mask_selector: Sequence[str] = (),
    cdp_endpoint: str | None = None,
    ws_endpoint: str | None = None,
    baseline: str | Path | None = None,
    apply: bool = True,
    full_page: bool = False,
    credit_code_env: str | None = None,
    storage_state: str | Path | None = None,
    use_existing_context: bool = False,
    timing: Timing | None = None,
    history: str | None = None,
    no_history: bool = False,
    notify: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Run one check (options as `probe check`'s, in snake_case) and return its report; it is also written to `out`.

    Without `url` the bundled mock store is probed. Enum and date options take their strings
    (`credit_source="promotional"`, `today="2026-11-25"`). Bad options raise probe.errors.InputError;
    a check that could not observe returns a report whose outcome is `inconclusive`. The run is appended to the run
    history (`history`, else $PROBE_HISTORY, else the user's data folder) unless `no_history`.
    """
    options = {name: value for name, value in locals().items() if name != "progress"}
    request = build_request(options, what="check()")
    from probe.run.sync import check_sync

    report, _ = check_sync(request, progress or (lambda _: None))
    return report
