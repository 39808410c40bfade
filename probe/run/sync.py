"""The one bridge from synchronous code (the CLI, the API, pytest) to the async checks."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from probe.models import Report
from probe.request import CheckRequest
from probe.run.driver import early_driver
from probe.run.pipeline import Progress, prepare

T = TypeVar("T")


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run `make()` to completion from synchronous code: on the loop whose driver the command started early (the
    first time), else in a loop of its own (in a thread of its own where an event loop already runs)."""
    early = early_driver()
    if early is not None:
        return early.run(make)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="probe-sync") as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def check_sync(request: CheckRequest, progress: Progress = lambda _: None) -> tuple[Report, Path | None]:
    """One check from synchronous code: prepare the request (bad input fails here), then run it in a browser."""
    from probe.run.check import run_check

    prepared = prepare(request)
    return run_sync(lambda: run_check(prepared, progress))
