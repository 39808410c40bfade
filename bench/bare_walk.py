"""The floor for a matrix: bare Playwright walking the same flows as the bundled profile, screenshot at payment.

Usage: bare_walk.py WORKERS FLOW... where a FLOW is SCENARIO or SCENARIO:GIFT-CARD-KIND (default store-digital);
each FLOW is walked once. One process, one bundled store, one browser, contexts in parallel: what any hand-written
script would do.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from mock_store.pages import SCENARIO_COOKIE
from mock_store.server import serve_in_thread
from probe.walk.browser import LAUNCH_ARGS, find_browser

VIEWPORT = {"width": 1280, "height": 900}


async def walk(browser: Browser, base: str, flow: str, shot: Path) -> None:
    """The bundled profile's steps, by hand: catalogue, card, amount, cart, address, payment selection."""
    scenario, _, kind = flow.partition(":")
    context = await browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    await context.add_cookies([{"name": SCENARIO_COOKIE, "value": scenario, "url": base}])
    page = await context.new_page()
    await page.goto(base)
    await page.get_by_role("link", name="Gift Cards").first.click()
    await page.get_by_test_id(f"gift-card-{kind or 'store-digital'}").first.click()
    await page.get_by_label("Amount").first.select_option("50")
    email = page.get_by_label("Recipient email").first
    if await email.count():
        await email.fill("recipient@example.com")
    await page.get_by_role("button", name="Add to Cart").first.click()
    await page.wait_for_url("**/cart")
    await page.get_by_text("Proceed to checkout").first.click()
    await page.get_by_role("button", name="Use this address").first.click()
    await page.get_by_role("heading", name="Select a payment method").first.wait_for()
    await page.screenshot(path=str(shot))
    await context.close()


async def main(workers: int, flows: list[str]) -> None:
    gate = asyncio.Semaphore(workers)
    with serve_in_thread() as base, tempfile.TemporaryDirectory() as tmp:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))

            async def one(i: int, flow: str) -> None:
                async with gate:
                    await walk(browser, base, flow, Path(tmp) / f"{i}.png")

            await asyncio.gather(*(one(i, s) for i, s in enumerate(flows)))
            await browser.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2:]))
