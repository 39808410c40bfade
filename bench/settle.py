"""How long observe() takes on an already-settled payment page, next to a bare screenshot (medians)."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import async_playwright

from mock_store.server import serve_app_in_thread, static_app
from probe.detect import observe
from probe.detect.track import install_tracking
from probe.walk.browser import LAUNCH_ARGS, find_browser

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
DEFAULT_PAGES = ("woo-classic-radio-selectable.html", "shopify-tiles-css-greyed.html", "absent-header-balance.html")
RUNS = 5


async def bench(base: str, names: list[str]) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
        for name in names:
            context = await browser.new_context()
            await install_tracking(context)
            page = await context.new_page()
            await page.goto(f"{base}/{name}")
            await asyncio.sleep(5.0)
            shots, observes = [], []
            for _ in range(RUNS):
                t0 = time.perf_counter()
                await page.screenshot()
                shots.append(time.perf_counter() - t0)
                await page.reload()
                await asyncio.sleep(5.0)  # the page has settled by itself; observe() should cost little
                t0 = time.perf_counter()
                obs = await observe(page)
                observes.append(time.perf_counter() - t0)
            settle = next((e.value for e in obs.evidence if e.signal == "settle"), "")
            print(
                f"{name:42} observe() median {statistics.median(observes) * 1000:6.0f} ms   "
                f"screenshot median {statistics.median(shots) * 1000:6.0f} ms   ({obs.option_state.value}; {settle})"
            )
            await context.close()
        await browser.close()


def main() -> None:
    with serve_app_in_thread(static_app(PAGES), name="fixture pages") as url:
        asyncio.run(bench(url, sys.argv[1:] or list(DEFAULT_PAGES)))


if __name__ == "__main__":
    main()
