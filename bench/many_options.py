"""observe() on a payment page with 5,000 saved cards next to the same page with 5: the cost must not grow with it.

Run: .venv/bin/python bench/many_options.py [COUNT]. Prints the median seconds of each and their ratio (goal: <= 2).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import Browser, async_playwright
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from mock_store.server import serve_app_in_thread
from probe.detect import observe
from probe.walk.browser import LAUNCH_ARGS, find_browser

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
PAGE = "many-saved-cards.html"
SMALL = 5
LARGE = 5000
RUNS = 3
GOAL_RATIO = 2.0


async def observe_once(browser: Browser, url: str) -> float:
    """Seconds observe() takes on a freshly loaded page (the load itself not counted)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="load")
        started = time.perf_counter()
        obs = await observe(page, timeout_s=60)
        took = time.perf_counter() - started
        assert obs.option_state == "selectable" and obs.option_label == "Store credit", obs
        return took
    finally:
        await context.close()


async def bench(base: str, large: int) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
        try:
            medians = {}
            for count in (SMALL, large):
                times = [await observe_once(browser, f"{base}/{PAGE}?n={count}") for _ in range(RUNS)]
                medians[count] = statistics.median(times)
                runs = ", ".join(f"{t:.2f}" for t in times)
                print(f"{count:>6} saved cards: observe {medians[count]:.2f} s (runs: {runs})")
            ratio = medians[large] / medians[SMALL]
            verdict = "ok" if ratio <= GOAL_RATIO else "TOO SLOW"
            print(f"ratio {ratio:.2f} (goal <= {GOAL_RATIO:g}): {verdict}")
        finally:
            await browser.close()


def main() -> None:
    large = int(sys.argv[1]) if len(sys.argv) > 1 else LARGE
    static = Starlette()
    static.mount("/", StaticFiles(directory=PAGES, html=True))
    with serve_app_in_thread(static, name="bench pages") as url:
        asyncio.run(bench(url, large))


if __name__ == "__main__":
    main()
