"""Saved checkout pages of real shops (../shared/real-pages) through `probe check URL --payment-page`, in-process."""

from __future__ import annotations

import asyncio
import json
import shlex
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, async_playwright
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from mock_store.server import serve_app_in_thread
from probe.browser import LAUNCH_ARGS, find_browser
from probe.models import Report
from probe.pipeline import CheckRequest, prepare
from probe.runner import check_in_browser

pytestmark = pytest.mark.browser

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "real-pages"
LABELS: dict[str, dict[str, Any]] = (
    json.loads((REAL / "labels.json").read_text(encoding="utf-8")) if (REAL / "labels.json").is_file() else {}
)
SKIP_WHY = f"{REAL} is absent: the real-pages set lives beside the repository in ../shared/real-pages"
# CLI option names whose request field is spelt differently.
FIELD_OF_OPTION = {"timeout": "timeout_s"}


def request_args(args: str) -> dict[str, Any]:
    """CheckRequest fields from a label's CLI arguments ("--option-label 'Looply Cash' --timeout 20")."""
    words = shlex.split(args)
    fields: dict[str, Any] = {}
    while words:
        word = words.pop(0)
        assert word.startswith("--"), f"labels.json args: {word!r} is not an option"
        name = word[2:].replace("-", "_")
        name = FIELD_OF_OPTION.get(name, name)
        assert name in CheckRequest.model_fields, f"labels.json args: {word} is no option of probe check"
        if CheckRequest.model_fields[name].annotation in (bool, "bool"):
            fields[name] = True
        else:
            fields[name] = words.pop(0)
    return fields


@pytest.fixture(scope="module")
def real_url() -> Iterator[str]:
    """../shared/real-pages/pages served by a real uvicorn."""
    if not LABELS:
        pytest.skip(SKIP_WHY)
    static = Starlette()
    static.mount("/", StaticFiles(directory=REAL / "pages", html=True))
    with serve_app_in_thread(static, name="real pages") as url:
        yield url


class Shared:
    """One browser for the module, on one event loop kept for the module's life."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.browser: Browser | None = None
        self._pw: Any = None

    def start(self) -> None:
        async def go() -> None:
            self._pw = await async_playwright().start()
            self.browser = await self._pw.chromium.launch(
                executable_path=str(find_browser().path), args=list(LAUNCH_ARGS)
            )

        self.loop.run_until_complete(go())

    def stop(self) -> None:
        async def go() -> None:
            if self.browser is not None:
                await self.browser.close()
            await self._pw.stop()

        self.loop.run_until_complete(go())
        self.loop.close()


@pytest.fixture(scope="module")
def shared() -> Iterator[Shared]:
    if not LABELS:
        pytest.skip(SKIP_WHY)
    one = Shared()
    one.start()
    try:
        yield one
    finally:
        one.stop()


def check_page(shared: Shared, url: str, args: str, out: Path) -> tuple[Report, float]:
    """What `probe check URL --payment-page ARGS` reports, and the wall time it took."""
    prepared = prepare(CheckRequest(url=url, payment_page=True, out=out, **request_args(args)))
    assert shared.browser is not None
    started = time.monotonic()
    report = shared.loop.run_until_complete(check_in_browser(prepared, shared.browser, url, out, lambda _: None))
    return report, time.monotonic() - started


@pytest.mark.parametrize("name", sorted(LABELS))
def test_real_page(name: str, shared: Shared, real_url: str, tmp_path: Path) -> None:
    label = LABELS[name]
    report, took = check_page(shared, f"{real_url}/{name}.html", label.get("args") or "", tmp_path)
    obs = report.observation
    allowed = {label["state"], *(label.get("accept") or [])}
    detail = (
        f"{name}: {obs.option_state} (label {obs.option_label!r}, reason {obs.reason_text!r}, "
        f"page_kind {getattr(obs, 'page_kind', None)}, {took:.1f} s)\nerror: {obs.error}\n"
        f"evidence: {[(e.signal, e.value, e.points_to) for e in obs.evidence]}"
    )
    assert obs.option_state in allowed, detail
    if label.get("reason") is not None:
        assert obs.reason_text and label["reason"].lower() in obs.reason_text.lower(), detail
    if label.get("balance") is not None:
        assert obs.balance_text == label["balance"], detail
    assert took <= float(label.get("max_s", 15)), f"{name} took {took:.1f} s\n{detail}"
