"""The browser part of a check: launch, guard, walk, observe, screenshot, then hand over to the report."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from playwright.async_api import Error as PlaywrightError

from probe.errors import InputError, first_line
from probe.models import AccountLine, Cart, Discovery, Observation, PageKind, Report, Safety
from probe.models import Step as StepModel
from probe.report.folder import ReportFolder
from probe.request import CheckRequest
from probe.run.discovered import discover_way
from probe.run.driver import Driver, driver
from probe.run.pipeline import Prepared, Progress, build_report, inconclusive
from probe.run.store import target_url
from probe.run.walk_share import walk_variables
from probe.run.warm import warm_up
from probe.walk.account import read_account_table
from probe.walk.browser import connect, find_browser
from probe.walk.cut_short import CutShort, unless
from probe.walk.flow import Deadline, FlowError, Walker
from probe.walk.guard import OrderGuard
from probe.walk.profile import Step as ProfileStep
from probe.walk.session import scrub_trace, session_values

# In a picture of the store's answer every typed value is painted over: a code the store echoes back included.
TYPED_INPUTS = "input:not([type]), input[type=text], input[type=password], input[type=tel], input[type=search]"

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam
    from playwright.async_api import Browser, BrowserContext, Page

    from probe.detect.reply import Picture
    from probe.report.annotate import PaymentPicture

VIEWPORT = {"width": 1280, "height": 900}
# How long the account page's credit table is waited for.
ACCOUNT_WAIT_S = 10


async def new_context(browser: Browser, storage_state: dict[str, Any] | None = None) -> BrowserContext:
    """A fresh, private context (signed in when given a storage state): no service workers, they bypass the guard."""
    return await browser.new_context(
        viewport=VIEWPORT,  # type: ignore[arg-type]
        service_workers="block",
        locale="en-US",
        accept_downloads=False,
        storage_state=storage_state,  # type: ignore[arg-type]
    )


async def check_context(prepared: Prepared, browser: Browser) -> tuple[BrowserContext, bool]:
    """The context a check runs in, and whether the check owns it (False: the remote browser's own, borrowed)."""
    if prepared.request.use_existing_context:
        if not browser.contexts:
            raise InputError(
                f"--use-existing-context: the browser at {prepared.request.cdp_endpoint} has no open context; "
                "open a window there and sign in first"
            )
        return browser.contexts[0], False
    return await new_context(browser, prepared.storage_state), True


async def run_check(
    prepared: Prepared, progress: Progress, browser: Browser | None = None
) -> tuple[Report, Path | None]:
    """Run one check in a browser launched for it (or in `browser`, already running); write the report;
    return it and the kept previous one."""
    request = prepared.request
    deadline = Deadline(request.timeout_s)  # --timeout covers the browser's start too
    folder = ReportFolder(request.out)
    try:
        with target_url(request, request.scenario, progress) as url:
            if browser is not None:
                report = await check_in_browser(prepared, browser, url, folder.staging, progress, deadline=deadline)
                await asyncio.to_thread(_write_report, report, folder.staging)
            else:
                report = await launch_and_check(prepared, url, folder.staging, progress, deadline)
    except BaseException:
        folder.discard()
        raise
    kept = folder.commit()
    await record_run(request, report, progress)
    return report, kept


async def record_run(request: CheckRequest, report: Report, progress: Progress) -> None:
    """Append the check to the run history (unless --no-history), posting to --notify on a change; HistoryError
    when the history cannot be used (the report is already in place)."""
    if request.no_history:
        return
    from probe.history.record import Recorder

    recorder = Recorder(request.history, request.notify, progress)
    try:
        await asyncio.to_thread(recorder.record, report, request.out)
    finally:
        recorder.close()


async def launch_and_check(
    prepared: Prepared, url: str, staging: Path, progress: Progress, deadline: Deadline
) -> Report:
    """One check in a browser opened for it (launched or connected to), closed again whatever happens; the report
    is written into `staging` while the browser closes."""
    async with driver() as started:
        # The driver and then the browser start while what the check needs is loaded.
        opening = asyncio.ensure_future(open_browser(started, prepared, progress))
        try:
            await warm_up()
        except BaseException:
            opening.cancel()
            raise
        try:
            browser = await opening
        except PlaywrightError as exc:
            # A Chromium that dies as it starts (or a driver that will not run): nothing observed, said so.
            name = browser_name(prepared)
            error = f"the browser did not start ({first_line(exc)}); run `{name} --headless about:blank` to see why"
            report = unstarted(prepared, url, error).report(prepared)
            await asyncio.to_thread(_write_report, report, staging)
            return report
        try:
            report = await check_in_browser(
                prepared, browser, url, staging, progress, deadline=deadline, browser_closes=True
            )
            writing = asyncio.ensure_future(asyncio.to_thread(_write_report, report, staging))
        finally:
            # A browser already gone (Ctrl-C reaches Chromium too) must not hide why the run ended.
            with contextlib.suppress(Exception):
                await browser.close()
    await writing
    return report


def _write_report(report: Report, folder: Path) -> None:
    from probe.report.render import write_report

    write_report(report, folder)


async def open_browser(started: Driver, prepared: Prepared, progress: Progress) -> Browser:
    """The remote browser the request names (--cdp-endpoint / --ws-endpoint), else a launched Chromium (the one the
    driver launched ahead, when the request names no browser of its own)."""
    request = prepared.request
    if request.cdp_endpoint or request.ws_endpoint:
        progress(f"connecting to {request.cdp_endpoint or request.ws_endpoint}")
        return await connect(await started.playwright(), cdp=request.cdp_endpoint, ws=request.ws_endpoint)
    choice = find_browser(request.browser_path)
    progress(f"launching {choice.path}")
    return await started.launch(choice, headed=request.headed)


def browser_name(prepared: Prepared) -> str:
    """What report.json's run.browser says: the endpoint connected to, or the binary launched."""
    request = prepared.request
    if request.cdp_endpoint:
        return f"cdp: {request.cdp_endpoint}"
    if request.ws_endpoint:
        return f"ws: {request.ws_endpoint}"
    return str(request.browser_path or find_browser(None).path)


@dataclass(frozen=True)
class Walked:
    """What one walk of the store gathered: everything a report needs but what is known about the credit."""

    target: str
    browser: str | None
    started_at: dt.datetime
    started: float
    observation: Observation
    lines: tuple[AccountLine, ...]
    steps: tuple[StepModel, ...]
    safety: Safety
    annotated: str | None
    trace: str | None
    discovery: Discovery | None = None
    picture: PaymentPicture | None = None
    cart: Cart | None = None

    def report(self, prepared: Prepared) -> Report:
        """The report of a check that knows what `prepared` knows and walked this walk."""
        return build_report(
            prepared,
            target=self.target,
            browser=self.browser,
            started_at=self.started_at,
            started=self.started,
            observation=self.observation,
            lines=self.lines,
            steps=list(self.steps),
            safety=self.safety,
            annotated=self.annotated,
            trace=self.trace,
            discovery=self.discovery,
            picture=self.picture,
            cart=self.cart,
        )


async def check_in_browser(
    prepared: Prepared,
    browser: Browser,
    url: str,
    staging: Path,
    progress: Progress,
    cookies: Sequence[SetCookieParam] = (),
    *,
    deadline: Deadline | None = None,
    browser_closes: bool = False,
) -> Report:
    """One check in its own context of an already running browser (`cookies` set in it before it starts)."""
    walked = await walk_in_browser(
        prepared, browser, url, staging, progress, cookies, deadline=deadline, browser_closes=browser_closes
    )
    return walked.report(prepared)


async def walk_in_browser(
    prepared: Prepared,
    browser: Browser,
    url: str,
    staging: Path,
    progress: Progress,
    cookies: Sequence[SetCookieParam] = (),
    *,
    deadline: Deadline | None = None,
    browser_closes: bool = False,
) -> Walked:
    """Walk to the payment selection and observe it, screenshots into `staging`; no verdict yet. With
    `browser_closes` (the browser is closed right after) its context is left to that close: one round trip less."""
    from probe.detect import observe
    from probe.detect.cart import read_cart
    from probe.detect.reply import Context
    from probe.detect.track import install_tracking
    from probe.detect.vocabulary import PAYMENT_HEADING
    from probe.report.annotate import annotated_screenshot

    request = prepared.request
    started, started_at = time.monotonic(), dt.datetime.now(dt.UTC)
    deadline = deadline or Deadline(request.timeout_s)
    guard = OrderGuard(prepared.profile.guard.order_endpoints)
    context, owned = await check_context(prepared, browser)
    login = prepared.profile.login
    tracing = bool(request.trace and not login)
    # The context is made ready side by side, but before its page: a page made while the guard's routes are being
    # set may be left out of them (an order request it sends would then go through).
    await asyncio.gather(
        install_tracking(context, request.timing),
        guard.route(context),
        context.add_cookies(list(cookies)) if cookies else asyncio.sleep(0),
        context.tracing.start(screenshots=True, snapshots=True, sources=False) if tracing else asyncio.sleep(0),
    )
    page = await context.new_page()
    guard.watch(context, page)
    trace: str | None = None
    walker = Walker(
        page,
        guard,
        staging,
        deadline,
        base_url=url,
        variables=walk_variables(prepared),
        mask_selectors=request.mask_selectors if prepared.mask else None,
        session_file=str(request.storage_state) if request.storage_state else None,
        secrets=session_values(prepared.storage_state),
    )
    lines: tuple[AccountLine, ...] = ()
    annotated: str | None = None
    picture: PaymentPicture | None = None
    cart: Cart | None = None
    observation: Observation
    discovery: Discovery | None = None
    try:
        opened = 0
        step_start = time.monotonic()
        if request.payment_page:
            progress(f"opening the payment page {url}")
            opened = await walker.open(url, "payment selection", record_success=False)
            if login:
                await sign_in(walker, login, progress)
                opened = await walker.open(url, "payment selection", record_success=False)
        elif prepared.discover:
            discovery, failed = await discover_way(prepared, walker, url, staging, progress)
            if failed:
                raise FlowError(failed)
        else:
            if login or not _same_page(url, urljoin(url, prepared.profile.start_url)):
                # The URL may set state the walk needs (a /scenario/NAME link); the same page is not opened twice.
                progress(f"opening {url}")
                await walker.open(url, "open store", record_success=False)
            await sign_in(walker, login, progress)
            if request.trace and login:
                # Signing in is never traced: the trace covers what follows it.
                await context.tracing.start(screenshots=True, snapshots=True, sources=False)
                tracing = True
            lines = await read_account(prepared, walker, url, progress)
            await walker.open(prepared.profile.start_url, "open store", record_success=False)
            steps = prepared.profile.steps
            for i, step in enumerate(steps):
                progress(f"step: {step.name}")
                # The last step's picture is the payment page: the annotated screenshot below shows it.
                await walker.run_step(step, picture=i < len(steps) - 1)
        progress("observing the payment selection")
        code = os.environ.get(prepared.credit_code_env) if prepared.credit_code_env else None
        if code:
            walker.secret_values.add(code)
        observation = await asyncio.wait_for(
            observe(
                page,
                option_label=prepared.option_label,
                timeout_s=max(deadline.remaining_ms() / 1000, 1),
                apply=request.apply,
                timing=request.timing,
                submit=Context(
                    code=code,
                    blocked=lambda: guard.blocked,
                    picture=answer_pictures(page, staging, walker, code),
                    look=lambda: guard.look(page),
                ),
            ),
            timeout=max(deadline.remaining_ms() / 1000, 1) + 5,
        )
        observation = _signed_in_cause(observation, walker)
        if observation.page_kind is PageKind.payment:
            cart = await read_cart(page)
        if observation.credit_options:
            annotated = "payment-annotated.png"
            try:
                # The region around the options (its masks painted where it lies), or with --full-page the whole
                # page (which can take long on a huge page: it gets what is left of the budget).
                picture = await asyncio.wait_for(
                    annotated_screenshot(
                        page,
                        observation,
                        staging / annotated,
                        walker.masked,
                        full_page=request.full_page,
                        heading_words=PAYMENT_HEADING,
                    ),
                    timeout=deadline.remaining_ms(floor_ms=2000) / 1000,
                )
                walker.shot_masks[annotated] = picture.masks
            except Exception:  # noqa: BLE001 - the step gets a plain screenshot instead
                (staging / annotated).unlink(missing_ok=True)
                annotated = None
        if request.payment_page:
            await walker.record("payment selection", step_start, retries=opened, picture=annotated or True)
    except FlowError as exc:
        observation = inconclusive(str(exc), page.url)
    except TimeoutError:
        observation = inconclusive(f"the page did not settle within --timeout {request.timeout_s:g}s", page.url)
    except Exception as exc:  # noqa: BLE001 - anything the browser throws makes the check inconclusive
        observation = inconclusive(first_line(exc), page.url)
    finally:
        if not request.payment_page:
            with contextlib.suppress(Exception):
                await walker.picture_last_step(annotated)
        if tracing:
            trace = "trace.zip"
            try:
                await context.tracing.stop(path=str(staging / trace))
                scrub_trace(staging / trace, {*walker.secret_values, *walker.secret_names}, walker.secret_names)
            except Exception:  # noqa: BLE001
                (staging / trace).unlink(missing_ok=True)
                trace = None
        with contextlib.suppress(Exception):
            if not owned:
                await guard.uninstall(context)
                await page.close()
            elif not browser_closes:
                await context.close()
    return Walked(
        target=url,
        browser=browser_name(prepared),
        started_at=started_at,
        started=started,
        observation=observation,
        lines=lines,
        steps=tuple(walker.steps),
        safety=guard.safety(),
        annotated=annotated,
        trace=trace,
        discovery=discovery,
        picture=picture,
        cart=cart,
    )


def answer_pictures(page: Page, staging: Path, walker: Walker, code: str | None) -> Picture:
    """Pictures of the pages the store answered with (store-answer-N.png), outlines drawn, typed values and the
    code masked."""
    from probe.detect.vocabulary import PAYMENT_HEADING
    from probe.report.annotate import outlined_screenshot

    numbers = itertools.count(1)

    async def picture(boxes: list[dict[str, object]]) -> str | None:
        name = f"store-answer-{next(numbers)}.png"
        mask = [page.locator(TYPED_INPUTS)]
        if code:
            mask.append(page.get_by_text(code))
        try:
            async with walker.masked(full_page=True):
                await outlined_screenshot(page, boxes, staging / name, mask, heading_words=PAYMENT_HEADING)
        except Exception:  # noqa: BLE001 - the report goes without this picture
            return None
        return name

    return picture


def unstarted(prepared: Prepared, url: str, error: str) -> Walked:
    """The walk of a check whose browser never came up: no step, nothing sent, inconclusive with `error`."""
    return Walked(
        target=url,
        browser=browser_name(prepared),
        started_at=dt.datetime.now(dt.UTC),
        started=time.monotonic(),
        observation=inconclusive(error),
        lines=(),
        steps=(),
        safety=OrderGuard(prepared.profile.guard.order_endpoints).safety(),
        annotated=None,
        trace=None,
    )


async def sign_in(walker: Walker, login: list[ProfileStep], progress: Progress) -> None:
    """The profile's login steps: inputs masked in their screenshots, nothing traced, secrets kept out of messages."""
    if not login:
        return
    walker.signing_in = True
    try:
        for step in login:
            progress(f"signing in: {step.name}")
            await walker.run_step(step)
    finally:
        walker.signing_in = False
        walker.has_login = True


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
        reading = read_account_table(table, account, min(walker.deadline.remaining_ms(), ACCOUNT_WAIT_S * 1000))
        lines = await unless(reading, walker.sign_in_cause)
    except CutShort as exc:
        error = f"could not read the account page: {exc}"
        await walker.record("account credit", started, error=error, fatal=False)
        return ()
    except Exception as exc:  # noqa: BLE001 - without the account page the option's own words still help
        error = f"could not read the account page: {first_line(exc)}"
        await walker.record("account credit", started, error=error, fatal=False)
        return ()
    await walker.record("account credit", started)
    return lines


def _signed_in_cause(observation: Observation, walker: Walker) -> Observation:
    """On a sign-in page, say what the session given was (expired, or login steps that did not sign in)."""
    if observation.page_kind is not PageKind.sign_in:
        return observation
    cause = walker.sign_in_cause(landed=True)
    return observation.model_copy(update={"error": cause}) if cause else observation


def _same_page(a: str, b: str) -> bool:
    """Whether two URLs name the same page ("http://h" and "http://h/" do)."""
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.netloc, pa.path or "/", pa.query) == (pb.scheme, pb.netloc, pb.path or "/", pb.query)
