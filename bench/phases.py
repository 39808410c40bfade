"""One `probe check` with the time of each phase recorded: where a check's seconds go, so the next cut is visible.

Usage: phases.py OUT.json PROBE-ARGUMENTS...  (run by bench/run.py). Runs `probe` in this process, its functions
wrapped to note when each phase starts and ends (CLOCK_MONOTONIC, which the parent process shares), and writes
{phase: [[start, end], ...]} to OUT.json at exit. The parent turns them into seconds from its own start of the
process. The wrapped names are probe's own; a renamed one fails here loudly rather than measuring nothing.

Phases: launch (Chromium, launched ahead while Python loads), open (the payment page), settle and scan (observe():
waiting for the page to settle, then finding and judging the options), picture (the annotated picture and step
pictures), report (report.json and report.html), close (the browser, which closes the check's context with it; a
context closed on its own is counted too). "start" (process start to the check's own start) and "exit" (the last
phase's end to the process's end) are the parent's to compute.
"""

from __future__ import annotations

import atexit
import functools
import json
import sys
import time
from collections.abc import Callable
from typing import Any

MARKS: dict[str, list[list[float]]] = {}


def _note(phase: str, started: float) -> None:
    MARKS.setdefault(phase, []).append([started, time.monotonic()])


def timed_async(phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        try:
            return await fn(*args, **kwargs)
        finally:
            _note(phase, started)

    return wrapper


def timed_sync(phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        try:
            return fn(*args, **kwargs)
        finally:
            _note(phase, started)

    return wrapper


def _wrap(module: Any, name: str, phase: str, *, sync: bool = False) -> None:
    original = getattr(module, name)  # AttributeError: the name moved; update this bench
    setattr(module, name, (timed_sync if sync else timed_async)(phase, original))


def _wrap_launch() -> None:
    """Chromium's launch, and the close of the browser it returns."""
    import probe.walk.browser as browser

    launch = browser.launch

    @functools.wraps(launch)
    async def launched(*args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        got = await launch(*args, **kwargs)
        _note("launch", started)
        got.close = timed_async("close", got.close)
        return got

    browser.launch = launched  # type: ignore[assignment]


def _wrap_check() -> None:
    """The check's own phases; imported once the driver has started, as the command itself imports them."""
    import probe.detect
    import probe.detect.observe
    import probe.report.annotate as annotate
    import probe.run.check as check
    import probe.walk.flow as flow

    _wrap(check, "run_check", "check")
    new_context = check.new_context

    @functools.wraps(new_context)
    async def opened(*args: Any, **kwargs: Any) -> Any:
        context = await new_context(*args, **kwargs)
        context.close = timed_async("close", context.close)
        return context

    check.new_context = opened
    _wrap(flow.Walker, "open", "open")
    # probe.detect's `observe` (the function) hides its module of the same name: the module is taken from sys.modules.
    _wrap(sys.modules["probe.detect.observe"], "settle", "settle")
    _wrap(probe.detect, "observe", "observe")
    _wrap(annotate, "annotated_screenshot", "picture")
    _wrap(flow.Walker, "screenshot", "picture")
    _wrap(check, "_write_report", "report", sync=True)


def main() -> None:
    out, args = sys.argv[1], sys.argv[2:]
    import probe.run.driver as driver

    start_early = driver.start_early

    def started_early(*, launch: bool) -> None:
        start_early(launch=launch)
        _wrap_check()

    driver.start_early = started_early  # type: ignore[assignment]
    _wrap_launch()
    atexit.register(lambda: open(out, "w", encoding="utf-8").write(json.dumps(MARKS)))
    sys.argv = ["probe", *args]
    from probe.entry import main as probe_main

    probe_main()


if __name__ == "__main__":
    main()
