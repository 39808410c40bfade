"""The Chromium features probe turns off: Playwright's own list, kept whole, plus probe's.

Chromium keeps only the last --disable-features it is given, so probe's must repeat Playwright's: when an upgrade
of Playwright changes its list, the first test says what to copy into probe/walk/browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import playwright
import pytest
from playwright.async_api import async_playwright

from probe.run.sync import run_sync
from probe.walk.browser import DISABLED_FEATURES, LAUNCH_ARGS, find_browser

DRIVER_LIB = Path(playwright.__file__).parent / "driver" / "package" / "lib"


def playwright_disabled_features() -> list[str]:
    """The features the installed Playwright's driver disables when it launches Chromium (read from its source)."""
    for script in sorted(DRIVER_LIB.rglob("*.js")):
        text = script.read_text(encoding="utf-8", errors="replace")
        found = re.search(r"disabledFeatures = \[(.*?)\]", text, re.S)
        if found:
            return re.findall(r'"([A-Za-z0-9]+)"', found.group(1))
    pytest.fail(f"no `disabledFeatures = [...]` in {DRIVER_LIB}: see how this Playwright disables features")


def test_probe_keeps_every_feature_playwright_turns_off() -> None:
    theirs = playwright_disabled_features()
    assert len(theirs) > 5, theirs
    missing = [name for name in theirs if name not in DISABLED_FEATURES]
    assert not missing, f"add {missing} to PLAYWRIGHT_DISABLED_FEATURES in probe/walk/browser.py"
    assert sum(arg.startswith("--disable-features=") for arg in LAUNCH_ARGS) == 1


@pytest.mark.browser
def test_the_launched_browser_builds_no_omnibox_popup(pages_url: str) -> None:
    """The flag reaches Chromium (it is the --disable-features that counts): no address-bar pop-up page is built."""

    async def targets() -> list[str]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
            try:
                page = await browser.new_page()
                await page.goto(f"{pages_url}/shopify-tiles-css-greyed.html")
                session = await browser.new_browser_cdp_session()
                infos = (await session.send("Target.getTargets"))["targetInfos"]
                return [info["url"] for info in infos]
            finally:
                await browser.close()

    urls = run_sync(targets)
    assert any(url.endswith("/shopify-tiles-css-greyed.html") for url in urls), urls
    assert "chrome://omnibox-popup.top-chrome/" not in urls, urls
