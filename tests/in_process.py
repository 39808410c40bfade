"""Checks in one Chromium for the whole test session: probe's own run_check, without a browser launch per test."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from playwright.async_api import Browser, Playwright, async_playwright

from probe.models import Outcome, Report
from probe.request import build_request
from probe.run.check import run_check
from probe.run.pipeline import exit_code, prepare
from probe.walk.browser import find_browser, launch

T = TypeVar("T")


@dataclass(frozen=True)
class Checked:
    """What `probe check` would have given: the report, the exit code, and the folder it was written to."""

    report: Report
    code: int
    out: Path
    seconds: float
    progress: tuple[str, ...] = ()  # the progress lines `probe check` would have printed on stderr


class InProcessChecks:
    """One Chromium for the whole session, on an event loop of its own thread; each check runs probe's own
    `run_check` in a fresh context of it (no browser launch per test) and writes its report folder."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="probe-test-browser", daemon=True)
        self.thread.start()
        self.playwright: Playwright = self.call(async_playwright().start())
        self.browser: Browser = self.call(launch(self.playwright, find_browser()))

    def call(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    def check(self, url: str | None = None, *, expect: Outcome | None = None, **options: Any) -> Checked:
        """A check with `probe check`'s options (as probe.check() spells them); `out` is required."""
        request = build_request({"url": url, **options}, what="test check")
        started = time.monotonic()
        said: list[str] = []
        report, _ = self.call(run_check(prepare(request), said.append, self.browser))
        code = exit_code(report.verdict.outcome, expect)
        return Checked(report, code, request.out, time.monotonic() - started, tuple(said))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call(self.browser.close())
        with contextlib.suppress(Exception):
            self.call(self.playwright.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()
