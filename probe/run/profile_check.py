"""`probe profile check`: validate a profile and, given a URL, walk its steps (guarded, nothing observed)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from probe.models import Step
from probe.walk.diagnose import explain
from probe.walk.flow import Deadline, FlowError, Walker
from probe.walk.profile import AccountPage, Profile, load_profile, missing_env

if TYPE_CHECKING:
    from playwright.async_api import Browser

Progress = Callable[[str], None]
DEFAULT_OUT = Path("probe-profile-check")


@dataclass(frozen=True)
class WalkResult:
    """The steps walked, in order; the last one failed when `failed` is set."""

    steps: tuple[Step, ...]
    folder: Path

    @property
    def failed(self) -> Step | None:
        return next((s for s in self.steps if not s.ok), None)


def validate(path: Path) -> Profile:
    """Load a profile, failing on its problems and on ${env:NAME} secrets that are not set."""
    from probe.errors import InputError

    profile = load_profile(path)
    missing = missing_env(profile)
    if missing:
        where, name = missing[0]
        raise InputError(f"profile {path}: {where} uses ${{env:{name}}}, which is not set; export {name}=… and rerun")
    return profile


async def walk_profile(
    profile: Profile,
    url: str,
    *,
    out: Path = DEFAULT_OUT,
    storage_state: Path | None = None,
    timeout_s: float = 60.0,
    browser_path: str | None = None,
    progress: Progress = lambda _: None,
    browser: Browser | None = None,
) -> WalkResult:
    """Walk `profile` on `url` step by step, a screenshot each, stopping at the first step that fails; in a context
    of `browser` when given (closed after), else in a Chromium launched for it."""
    from playwright.async_api import async_playwright

    from probe.request import validate_url
    from probe.walk.browser import find_browser, launch
    from probe.walk.session import load_storage_state

    validate_url(url)
    state = load_storage_state(storage_state) if storage_state is not None else None
    out.mkdir(parents=True, exist_ok=True)
    for old in (out / "steps").glob("*.*"):
        if old.suffix in (".png", ".jpg"):
            old.unlink()
    deadline = Deadline(timeout_s)
    walk = _Walk(profile, url, out, state, storage_state, deadline, progress)
    if browser is not None:
        return await walk.run(browser)
    choice = find_browser(browser_path)
    async with async_playwright() as pw:
        launched = await launch(pw, choice)
        try:
            return await walk.run(launched)
        finally:
            with contextlib.suppress(Exception):
                await launched.close()


@dataclass(frozen=True)
class _Walk:
    """One walk of a profile's steps, in a fresh context of a browser."""

    profile: Profile
    url: str
    out: Path
    state: dict[str, Any] | None
    storage_state: Path | None
    deadline: Deadline
    progress: Progress

    async def run(self, browser: Browser) -> WalkResult:
        from probe.run.check import new_context, sign_in
        from probe.walk.guard import OrderGuard
        from probe.walk.session import session_values

        profile = self.profile
        context = await new_context(browser, self.state)
        try:
            page = await context.new_page()
            guard = OrderGuard(profile.guard.order_endpoints)
            await guard.install(context, page)
            walker = Walker(
                page,
                guard,
                self.out,
                self.deadline,
                base_url=self.url,
                variables={
                    "gift_card": "store-digital",
                    "intent": "own-use",
                    "credit_source": "unknown",
                    "amount": profile.amount,
                },
                mask_selectors=(),
                session_file=str(self.storage_state) if self.storage_state else None,
                secrets=session_values(self.state),
            )
            with contextlib.suppress(FlowError):
                self.progress(f"opening {self.url}")
                await walker.open(self.url, "open store")
                await sign_in(walker, profile.login, self.progress)
                if profile.account is not None:
                    await _account(walker, profile.account)
                await walker.open(profile.start_url, "start", record_success=False)
                for step in profile.steps:
                    self.progress(f"step: {step.name}")
                    await walker.run_step(step)
        finally:
            with contextlib.suppress(Exception):
                await context.close()
        return WalkResult(tuple(walker.steps), self.out)


async def _account(walker: Walker, account: AccountPage) -> None:
    """The account page: its table must be there, exactly once."""
    started = time.monotonic()
    error: str | None = None
    try:
        await walker.goto(account.url)
        await walker.resolve(walker.locate(account.table), account.table)
    except FlowError as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 - a browser error becomes the step's error
        error = explain(exc, account.url)
    if error:
        error = walker.sign_in_cause() or error
    await walker.record("account page", started, error=error)
