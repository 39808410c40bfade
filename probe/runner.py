"""The browser part of a check: launch, guard, walk, observe, screenshot, then hand over to the report."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from playwright.async_api import async_playwright

from probe.account import read_account_table
from probe.browser import connect, find_browser, launch
from probe.credit import AccountLine
from probe.flow import Deadline, FlowError, Walker
from probe.folder import ReportFolder
from probe.guard import OrderGuard
from probe.models import Observation, Report
from probe.pipeline import Prepared, Progress, build_report, inconclusive, target_url

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam
    from playwright.async_api import Browser, BrowserContext, Playwright

VIEWPORT = {"width": 1280, "height": 900}


async def new_context(browser: Browser) -> BrowserContext:
    """A fresh, private context: no service workers (they would bypass the guard)."""
    return await browser.new_context(
        viewport=VIEWPORT,  # type: ignore[arg-type]
        service_workers="block",
        locale="en-US",
        accept_downloads=False,
    )


async def run_check(prepared: Prepared, progress: Progress) -> tuple[Report, Path | None]:
    """Run one check in a browser launched for it; write the report; return it and the kept previous one."""
    request = prepared.request
    deadline = Deadline(request.timeout_s)  # --timeout covers the browser's start too
    folder = ReportFolder(request.out)
    try:
        with target_url(request, request.scenario, progress) as url:
            async with async_playwright() as pw:
                browser = await open_browser(pw, prepared, progress)
                try:
                    report = await check_in_browser(prepared, browser, url, folder.staging, progress, deadline=deadline)
                finally:
                    # A browser already gone (Ctrl-C reaches Chromium too) must not hide why the run ended.
                    with contextlib.suppress(Exception):
                        await browser.close()
        from probe.report import write_report

        write_report(report, folder.staging)
    except BaseException:
        folder.discard()
        raise
    return report, folder.commit()


async def open_browser(pw: Playwright, prepared: Prepared, progress: Progress) -> Browser:
    """The remote browser the request names (--cdp-endpoint / --ws-endpoint), else a launched Chromium."""
    request = prepared.request
    if request.cdp_endpoint or request.ws_endpoint:
        progress(f"connecting to {request.cdp_endpoint or request.ws_endpoint}")
        return await connect(pw, cdp=request.cdp_endpoint, ws=request.ws_endpoint)
    choice = find_browser(request.browser_path)
    progress(f"launching {choice.path}")
    return await launch(pw, choice, headed=request.headed)


def browser_name(prepared: Prepared) -> str:
    """What report.json's run.browser says: the endpoint connected to, or the binary launched."""
    request = prepared.request
    if request.cdp_endpoint:
        return f"cdp: {request.cdp_endpoint}"
    if request.ws_endpoint:
        return f"ws: {request.ws_endpoint}"
    return str(request.browser_path or find_browser(None).path)


async def check_in_browser(
    prepared: Prepared,
    browser: Browser,
    url: str,
    staging: Path,
    progress: Progress,
    cookies: Sequence[SetCookieParam] = (),
    *,
    deadline: Deadline | None = None,
) -> Report:
    """One check in its own context of an already running browser (`cookies` set in it before it starts)."""
    from probe.annotate import annotated_screenshot
    from probe.detect import observe
    from probe.detect.track import install_tracking

    request = prepared.request
    started, started_at = time.monotonic(), dt.datetime.now(dt.UTC)
    deadline = deadline or Deadline(request.timeout_s)
    guard = OrderGuard(prepared.profile.guard.order_endpoints)
    context = await new_context(browser)
    await install_tracking(context, request.timing)
    if cookies:
        await context.add_cookies(list(cookies))
    trace: str | None = None
    if request.trace:
        await context.tracing.start(screenshots=True, snapshots=True, sources=False)
    page = await context.new_page()
    await guard.install(context, page)
    walker = Walker(
        page,
        guard,
        staging,
        deadline,
        base_url=url,
        variables={
            "gift_card": prepared.gift_card.value,
            "intent": prepared.intent.value,
            "credit_source": (prepared.credit_source or "unknown"),
        },
        mask_selectors=request.mask_selectors if prepared.mask else None,
    )
    lines: tuple[AccountLine, ...] = ()
    annotated: str | None = None
    observation: Observation
    try:
        opened = 0
        step_start = time.monotonic()
        if request.payment_page:
            progress(f"opening the payment page {url}")
            opened = await walker.open(url, "payment selection", record_success=False)
        else:
            if not _same_page(url, urljoin(url, prepared.profile.start_url)):
                # The URL may set state the walk needs (a /scenario/NAME link); the same page is not opened twice.
                progress(f"opening {url}")
                await walker.open(url, "open store", record_success=False)
            lines = await read_account(prepared, walker, url, progress)
            await walker.open(prepared.profile.start_url, "open store", record_success=False)
            steps = prepared.profile.steps
            for i, step in enumerate(steps):
                progress(f"step: {step.name}")
                # The last step's picture is the payment page: the annotated screenshot below shows it.
                await walker.run_step(step, picture=i < len(steps) - 1)
        progress("observing the payment selection")
        observation = await asyncio.wait_for(
            observe(
                page,
                option_label=prepared.option_label,
                timeout_s=max(deadline.remaining_ms() / 1000, 1),
                timing=request.timing,
            ),
            timeout=max(deadline.remaining_ms() / 1000, 1) + 5,
        )
        if observation.credit_options:
            annotated = "payment-annotated.png"
            try:
                # A full-page picture of a huge page can take long: it gets what is left of the budget.
                await asyncio.wait_for(
                    annotated_screenshot(page, observation, staging / annotated, walker.mask_locators()),
                    timeout=deadline.remaining_ms(floor_ms=2000) / 1000,
                )
            except Exception:  # noqa: BLE001 - the step gets a plain screenshot instead
                annotated = None
        if request.payment_page:
            await walker.record("payment selection", step_start, retries=opened, picture=annotated or True)
    except FlowError as exc:
        observation = inconclusive(str(exc), page.url)
    except TimeoutError:
        observation = inconclusive(f"the page did not settle within --timeout {request.timeout_s:g}s", page.url)
    except Exception as exc:  # noqa: BLE001 - anything the browser throws makes the check inconclusive
        observation = inconclusive(_first_line(exc), page.url)
    finally:
        if not request.payment_page:
            with contextlib.suppress(Exception):
                await walker.picture_last_step(annotated)
        if request.trace:
            trace = "trace.zip"
            try:
                await context.tracing.stop(path=str(staging / trace))
            except Exception:  # noqa: BLE001
                trace = None
        with contextlib.suppress(Exception):
            await context.close()
    return build_report(
        prepared,
        target=url,
        browser=browser_name(prepared),
        started_at=started_at,
        started=started,
        observation=observation,
        lines=lines,
        steps=walker.steps,
        safety=guard.safety(),
        annotated=annotated,
        trace=trace,
    )


async def read_account(prepared: Prepared, walker: Walker, url: str, progress: Progress) -> tuple[AccountLine, ...]:
    """The guide's steps 1–3: the account's credit lines, when the profile names the page."""
    account = prepared.profile.account
    if account is None:
        return ()
    progress("reading the account's credit lines")
    started = time.monotonic()
    try:
        await walker.goto(account.url)
        table = walker.locate(account.table)
        lines = await read_account_table(table, account, min(walker.deadline.remaining_ms(), 10000))
    except Exception as exc:  # noqa: BLE001 - without the account page the option's own words still help
        error = f"could not read the account page: {_first_line(exc)}"
        await walker.record("account credit", started, error=error, fatal=False)
        return ()
    await walker.record("account credit", started)
    return lines


def _same_page(a: str, b: str) -> bool:
    """Whether two URLs name the same page ("http://h" and "http://h/" do)."""
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.netloc, pa.path or "/", pa.query) == (pb.scheme, pb.netloc, pb.path or "/", pb.query)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__
