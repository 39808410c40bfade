"""How long observe() takes on an already-settled payment page, next to a bare screenshot (medians)."""

from __future__ import annotations

import asyncio
import statistics
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.async_api import async_playwright
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from probe.browser import LAUNCH_ARGS, find_browser
from probe.detect import observe
from probe.detect.track import install_tracking

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
    app = Starlette()
    app.mount("/", StaticFiles(directory=PAGES, html=True))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        asyncio.run(bench(f"http://127.0.0.1:{port}", sys.argv[1:] or list(DEFAULT_PAGES)))
    finally:
        server.should_exit = True
        thread.join(timeout=5)


if __name__ == "__main__":
    main()
