"""observe() on a payment page with 5,000 saved payment methods vs the same page with two: median seconds of each.

Prints one line, `small S big B`, for bench/run.py. One browser, pages opened with the tracker, as a check opens them.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from playwright.async_api import Browser, async_playwright
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from mock_store.server import serve_app_in_thread
from probe.detect import observe
from probe.walk.browser import LAUNCH_ARGS, find_browser

try:
    from probe.detect.track import install_tracking
except ImportError:  # an older tree (for before/after figures) observes without the tracker
    install_tracking = None  # type: ignore[assignment]

BIG = 5000
ROUNDS = 3  # the small page, median of this many
BIG_ROUNDS = 1  # the big page costs far more: once
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title></head><body>
<main><h1>Select a payment method</h1><fieldset><legend>Payment method</legend>
<label><input type="radio" name="pay" value="credit" disabled> Store credit</label> <span>$20.00 available</span>
<span>Store credit can't be used to buy gift cards.</span><br>{methods}</fieldset>
<button type="button">Place order</button></main></body></html>"""


def page(request: Request) -> HTMLResponse:
    """The payment page with `n` saved cards besides store credit."""
    count = int(request.query_params.get("n", "1"))
    methods = "".join(
        f"<label><input type='radio' name='pay' value='m{i}'> Card ending {1000 + i}</label><br>" for i in range(count)
    )
    return HTMLResponse(PAGE.format(methods=methods))


async def timed(browser: Browser, url: str) -> float:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    if install_tracking is not None:
        await install_tracking(context)
    page_ = await context.new_page()
    await page_.goto(url, wait_until="load")
    started = time.perf_counter()
    observation = await observe(page_, timeout_s=120)
    elapsed = time.perf_counter() - started
    await context.close()
    if observation.option_state.value != "greyed_out":
        raise SystemExit(f"{url}: observed {observation.option_state.value}, expected greyed_out")
    return elapsed


async def main(base: str) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
        small, big = [], []
        for i in range(ROUNDS):
            small.append(await timed(browser, f"{base}/pay?n=1"))
            if i < BIG_ROUNDS:
                big.append(await timed(browser, f"{base}/pay?n={BIG}"))
        await browser.close()
    print(f"small {statistics.median(small):.3f} big {statistics.median(big):.3f}")


if __name__ == "__main__":
    app = Starlette(routes=[Route("/pay", page)])
    with serve_app_in_thread(app, name="bench pages") as url:
        asyncio.run(main(url))
    sys.exit(0)
