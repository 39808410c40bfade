"""`probe login`: a person signs in in a headed browser; the session is saved as a private storage-state file."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from probe.errors import ProbeError
from probe.request import validate_url
from probe.walk.session import refuse_report_folder, save_storage_state

if TYPE_CHECKING:
    from playwright.async_api import Page

WaitForPerson = Callable[["Page"], Awaitable[None]]
# Time the store's page may take to open before the person is asked to sign in.
OPEN_TIMEOUT_S = 60.0


async def login_session(
    url: str,
    save: Path,
    wait_for_person: WaitForPerson,
    *,
    headed: bool = True,
    browser_path: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> int:
    """Open `url` guarded, let `wait_for_person` sign in on the page, save the context's storage state to `save`.

    Returns how many cookies the session holds. The file is refused inside a report folder before anything opens.
    """
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    from probe.run.check import new_context
    from probe.walk.browser import find_browser, launch
    from probe.walk.diagnose import explain
    from probe.walk.guard import OrderGuard

    validate_url(url)
    refuse_report_folder(save)
    choice = find_browser(browser_path)
    async with async_playwright() as pw:
        progress(f"launching {choice.path}")
        try:
            browser = await launch(pw, choice, headed=headed)
        except PlaywrightError as exc:
            raise ProbeError(
                f"cannot open a browser window ({_first_line(exc)}); run it where a display is "
                "available, or sign in in a browser started with --remote-debugging-port and use "
                "`probe check --cdp-endpoint URL --use-existing-context`"
            ) from None
        try:
            context = await new_context(browser)
            page = await context.new_page()
            guard = OrderGuard()
            await guard.install(context, page)
            try:
                await page.goto(url, timeout=OPEN_TIMEOUT_S * 1000, wait_until="load")
            except PlaywrightError as exc:
                raise ProbeError(f"{explain(exc, url)}; check the address") from None
            await wait_for_person(page)
            state = await context.storage_state()
        finally:
            with contextlib.suppress(Exception):
                await browser.close()
    save_storage_state(dict(state), save)
    return len(state.get("cookies", []))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__
