"""The walk: a profile's steps in the browser, a screenshot after each, stopping at payment selection."""

from __future__ import annotations

import re
import time
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from probe.models import Mask, Step
from probe.safety.order_requests import NO_REVIEW_STEP
from probe.walk import diagnose
from probe.walk import profile as prof
from probe.walk.cut_short import CutShort, unless
from probe.walk.diagnose import TIMED_OUT, describe_action, explain
from probe.walk.guard import OrderGuard
from probe.walk.screen_mask import covered
from probe.walk.session import looks_like_sign_in, redact

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page, Response

# What the one refusal rule needs to know about a control before it is clicked.
CONTROL_JS = """e => ({
  name: (e.getAttribute('aria-label') || e.innerText || e.value || e.textContent || '').trim(),
  role: e.getAttribute('role') || '',
  tag: e.tagName.toLowerCase(),
  type: (e.getAttribute('type') || '').toLowerCase(),
})"""
# How long an action waits for its element to appear before saying it is not there.
ELEMENT_WAIT_S = 15.0
# Step pictures are JPEG: Chromium encodes a 1280x900 viewport as JPEG about 2.5x faster than as PNG, at half
# the size; at this quality the page's text stays sharp. (The annotated payment picture stays PNG.)
STEP_SHOT_QUALITY = 90
# How Playwright's strict locators say that several elements match.
STRICT = "strict mode violation"
RETRYABLE = ("Timeout", "detached", "Target closed", "net::ERR_ABORTED", "Execution context was destroyed")


class FlowError(Exception):
    """A step could not be completed; the probe stops and reports inconclusive."""


class Ambiguous(FlowError):
    """A locator matched several elements: the profile must say which."""


@dataclass
class Deadline:
    """The whole probe's time budget."""

    seconds: float
    start: float = field(default_factory=time.monotonic)

    def remaining_ms(self, floor_ms: float = 500) -> float:
        left = (self.seconds - (time.monotonic() - self.start)) * 1000
        return max(left, floor_ms)

    def expired(self) -> bool:
        return time.monotonic() - self.start >= self.seconds


def slug(text: str) -> str:
    """A file-name-safe version of a step name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "step"


class Walker:
    """Drives one page through a profile, with screenshots into the report folder."""

    def __init__(
        self,
        page: Page,
        guard: OrderGuard,
        folder: Path,
        deadline: Deadline,
        *,
        base_url: str,
        variables: dict[str, str],
        mask_selectors: tuple[str, ...] | None = None,
        retries: int = 2,
        session_file: str | None = None,
        secrets: set[str] | None = None,
    ) -> None:
        self.page = page
        self.guard = guard
        self.folder = folder
        self.deadline = deadline
        self.base_url = base_url
        self.variables = variables
        self.mask_selectors = mask_selectors
        self.retries = retries
        self.session_file = session_file
        self.secret_values: set[str] = set(secrets or ())
        self.secret_names: dict[str, str] = {}
        self.signing_in = False
        self.has_login = False
        self.steps: list[Step] = []
        # The boxes painted on each picture taken (by its path in the report folder), for its step's `masks`.
        self.shot_masks: dict[str, tuple[Mask, ...]] = {}
        self._doc_status: tuple[int, str] | None = None
        self.documents = 0  # documents the main frame has received (each navigation's answer)
        page.on("response", self._on_response)

    def _on_response(self, response: Response) -> None:
        try:
            if response.request.is_navigation_request() and response.frame == self.page.main_frame:
                self._doc_status = (response.status, response.url)
                self.documents += 1
        except Exception:  # noqa: BLE001 - a frame gone mid-navigation is not the walk's concern
            return

    def _check_http(self) -> None:
        if self._doc_status and self._doc_status[0] >= 400:
            status, url = self._doc_status
            raise FlowError(f"HTTP {status} at {url}")

    def x(self, text: str) -> str:
        """A profile string with ${variables} and ${env:NAME} secrets expanded; secrets are remembered."""
        return prof.expand(text, self.variables, used=self.secret_names)

    def redact(self, text: str) -> str:
        """Text with every secret typed or carried by the session replaced by its placeholder."""
        return redact(text, {*self.secret_values, *self.secret_names}, self.secret_names)

    def locate(self, spec: prof.Locator) -> Locator:
        """A strict Playwright locator for a profile locator (`nth` picks one of several), ${variables} expanded."""
        page = self.page
        x = self.x

        if spec.role is not None:
            name = x(spec.name) if spec.name else None
            loc = page.get_by_role(spec.role, name=name, exact=spec.exact)  # type: ignore[arg-type]
        elif spec.label is not None:
            loc = page.get_by_label(x(spec.label), exact=spec.exact)
        elif spec.text is not None:
            loc = page.get_by_text(x(spec.text), exact=spec.exact)
        elif spec.placeholder is not None:
            loc = page.get_by_placeholder(x(spec.placeholder), exact=spec.exact)
        elif spec.test_id is not None:
            loc = page.get_by_test_id(x(spec.test_id))
        else:
            loc = page.locator(x(spec.css or ""))
        return loc.nth(spec.nth) if spec.nth is not None else loc

    def element_wait_s(self, *, visible: bool = False) -> float:
        """How long an action waits for its element: all that is left for a visible one, else ELEMENT_WAIT_S."""
        left = self.deadline.remaining_ms() / 1000
        return left if visible else min(left, ELEMENT_WAIT_S)

    async def resolve(self, target: Locator, spec: prof.Locator, *, visible: bool = False) -> None:
        """Wait for the one element; FlowError naming the real cause when it is missing or several match (the wait is
        strict: several matches end it at once)."""
        wait_s = self.element_wait_s(visible=visible)
        try:
            await target.wait_for(state="visible" if visible else "attached", timeout=wait_s * 1000)
        except Exception as exc:  # noqa: BLE001 - a timeout here means the element never came
            await self.why_not_found(exc, target, spec, wait_s)
            raise

    async def why_not_found(self, exc: Exception, target: Locator, spec: prof.Locator, wait_s: float) -> None:
        """Raise the FlowError that says why waiting `wait_s` for `target` failed with `exc`: several elements match,
        the page never finished loading, or the element is not on it; return for any other error (the caller's)."""
        if STRICT in str(exc):
            raise Ambiguous(await diagnose.many(target, spec, await target.count())) from None
        if "Timeout" not in str(exc):
            return
        if not await self.page_loaded():
            raise FlowError(f"the page {self.page.url} did not finish loading within {wait_s:.1f} s") from None
        raise FlowError(await diagnose.not_found(self.page, spec, wait_s)) from None

    async def page_loaded(self) -> bool:
        """Whether the page finished loading (document.readyState is complete)."""
        try:
            return bool(await self.page.evaluate("document.readyState === 'complete'"))
        except Exception:  # noqa: BLE001 - a page mid-navigation has not loaded
            return False

    async def screenshot(self, name: str) -> str | None:
        """Save a screenshot for a step, masked; returns its path relative to the report folder (its masks are
        kept in `shot_masks`)."""
        rel = f"steps/{len(self.steps) + 1:02d}-{slug(name)}.jpg"
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # A picture of a failing page is worth a moment past the deadline.
            timeout = min(self.deadline.remaining_ms(floor_ms=2500), 15000)
            async with self.masked() as masks:
                await self.page.screenshot(path=str(path), type="jpeg", quality=STEP_SHOT_QUALITY, timeout=timeout)
        except Exception:  # noqa: BLE001 - a step without a picture is still a step (and never an unmasked one)
            path.unlink(missing_ok=True)
            return None
        self.shot_masks[rel] = masks
        return rel

    def masked(self, *, full_page: bool = False) -> AbstractAsyncContextManager[tuple[Mask, ...]]:
        """The page with the shopper's data painted over (stores other than the bundled one; every input while
        signing in) for the length of the block."""
        return covered(
            self.page,
            rules=self.mask_selectors is not None,
            selectors=self.mask_selectors or (),
            signing_in=self.signing_in,
            full_page=full_page,
        )

    async def goto(self, url: str, timeout_ms: float | None = None) -> None:
        """Open a URL (relative to the target), failing on HTTP errors and refusing order endpoints."""
        target = urljoin(self.base_url, self.x(url))
        rule = self.guard.rule_for(target)
        if rule is not None:
            self.guard.record("navigation", f"GET {target}", f"order-placement endpoint (rule {rule!r})")
            raise FlowError(
                f"refused to open {target}: the guard's rule {rule!r} marks it as "
                "an order-placement endpoint; end the profile before it"
            )
        timeout = min(timeout_ms, self.deadline.remaining_ms()) if timeout_ms else self.deadline.remaining_ms()
        response = await self.page.goto(target, timeout=timeout, wait_until="load")
        if response is not None and response.status >= 400:
            raise FlowError(f"HTTP {response.status} at {response.url}")

    def attempt_ms(self, retries_used: int) -> float:
        """Time for one try of a flaky load: half of what is left while retries remain, else all of it."""
        left = self.deadline.remaining_ms()
        return left / 2 if retries_used < self.retries else left

    def may_retry(self, exc: BaseException, retries_used: int) -> bool:
        """A flaky failure (timeout, detached element, aborted load) with retries and time left."""
        return (
            retries_used < self.retries
            and not self.deadline.expired()
            and any(marker in str(exc) for marker in RETRYABLE)
        )

    async def open(self, url: str, name: str, *, record_success: bool = True) -> int:
        """Open a URL as a step, retrying flaky loads; returns the retries used. A failure is recorded, then raised."""
        started = time.monotonic()
        retries = 0
        causes: list[str] = []
        while True:
            try:
                await self.goto(url, timeout_ms=self.attempt_ms(retries))
            except FlowError as exc:
                await self.record(name, started, error=str(exc), retries=retries)
            except Exception as exc:  # noqa: BLE001 - Playwright errors become the step's error
                causes.append(explain(exc, urljoin(self.base_url, url)))
                if self.may_retry(exc, retries):
                    retries += 1
                    continue
                # A timed-out try explains a later aborted one better than the abort does.
                cause = next((c for c in causes if c.startswith(TIMED_OUT)), causes[-1])
                tries = f" ({retries + 1} tries)" if retries else ""
                await self.record(name, started, error=cause + tries, retries=retries)
            break
        if record_success:
            await self.record(name, started, retries=retries)
        return retries

    async def _act(self, action: prof.Action, retries_used: int = 0) -> None:
        timeout = self.deadline.remaining_ms()
        if isinstance(action, prof.Goto):
            await self.goto(action.url, timeout_ms=self.attempt_ms(retries_used))
            return
        if isinstance(action, prof.WaitFor):
            if action.locator is not None:
                await self.resolve(self.locate(action.locator), action.locator, visible=True)
            elif action.url is not None:
                pattern = self.x(action.url)
                try:
                    await self.page.wait_for_url(
                        re.compile(pattern[3:]) if pattern.startswith("re:") else pattern, timeout=timeout
                    )
                except Exception as exc:  # noqa: BLE001 - say where the page is instead
                    if "Timeout" not in str(exc):
                        raise
                    raise FlowError(
                        f"the page did not reach a URL matching {pattern!r} within {timeout / 1000:.1f} s; "
                        f"it is at {diagnose.private(self.page.url)}"
                    ) from None
            elif action.state is not None:
                await self.page.wait_for_load_state(action.state, timeout=timeout)
            return
        target = self.locate(action.locator)
        if action.optional and await target.count() == 0:
            return
        if isinstance(action, prof.Click):
            # Reading the control waits for it as resolve() would, in one round trip with the browser.
            wait_s = self.element_wait_s()
            try:
                control = await target.evaluate(CONTROL_JS, timeout=wait_s * 1000)
            except Exception as exc:  # noqa: BLE001 - a timeout here means the element never came
                await self.why_not_found(exc, target, action.locator, wait_s)
                raise
            name = control["name"] or prof.expand(action.locator.name or "", self.variables)
            role = control["role"] or action.locator.role
            if self.guard.refuse_click(role, name, control["tag"], control["type"]):
                raise FlowError(f"refused to click {name!r}: it is named like placing an order or paying")
            await target.click(timeout=timeout)
            return
        await self.resolve(target, action.locator)
        if isinstance(action, prof.Fill):
            await target.fill(self.x(action.value), timeout=timeout)
        elif isinstance(action, prof.Select):
            if action.value is not None:
                await target.select_option(value=self.x(action.value), timeout=timeout)
            else:
                await target.select_option(label=self.x(action.option_label or ""), timeout=timeout)
        elif isinstance(action, prof.Check):
            await target.check(timeout=timeout)

    async def run_step(self, step: prof.Step, *, picture: bool = True) -> Step:
        """Run one step's actions, retrying flaky ones a bounded number of times; screenshot it (if `picture`)."""
        started = time.monotonic()
        retries = 0
        error: str | None = None
        blocked_before = len(self.guard.blocked)
        ambiguous = False
        went = any(isinstance(a, prof.Goto) and looks_like_sign_in(a.url) for a in step.actions)
        watch_sign_in = not (self.signing_in or went)

        pressed_at: int | None = None  # documents received when a login step's press was done

        def cause() -> str | None:
            """Why the awaited element will not come: the guard stopped a page this step opened, the store asks to
            sign in, or a login press brought the sign-in page back. (A blocked background request is no such sign:
            the page may still show the element.)"""
            stopped = any(e.kind in ("navigation", "form") for e in self.guard.blocked[blocked_before:])
            if stopped:
                return self.blocked_cause(blocked_before)
            if watch_sign_in:
                return self.sign_in_cause()
            if pressed_at is not None and self.signing_in and self.documents > pressed_at:
                return self.sign_in_cause()
            return None

        for action in step.actions:
            while True:
                try:
                    documents = self.documents
                    await unless(self._act(action, retries), cause)
                    if isinstance(action, prof.Click):
                        pressed_at = documents
                    await self.page.wait_for_load_state("load", timeout=self.deadline.remaining_ms())
                    self._check_http()
                    break
                except CutShort as exc:
                    error = str(exc)
                except FlowError as exc:
                    error, ambiguous = str(exc), isinstance(exc, Ambiguous)
                except Exception as exc:  # noqa: BLE001 - Playwright errors become the step's error
                    if self.may_retry(exc, retries):
                        retries += 1
                        continue
                    where = urljoin(self.base_url, action.url) if isinstance(action, prof.Goto) else self.page.url
                    error = f"{describe_action(action)}: {explain(exc, where)}"
                break
            if error:
                # Landing on the sign-in page explains a missing element, unless a profile step went there itself.
                landed = None if ambiguous or (went and not self.signing_in) else self.sign_in_cause()
                error = self.blocked_cause(blocked_before) or landed or error
                break
        return await self.record(step.name, started, error=error, retries=retries, picture=picture)

    def blocked_cause(self, since: int) -> str | None:
        """One line for a step whose request the guard stopped (it shows up later as a missing element): the request,
        the rule, and what to do. A page's own navigation or form explains it better than a background request."""
        kinds = ("navigation", "form", "request")
        stopped = sorted((e for e in self.guard.blocked[since:] if e.kind in kinds), key=lambda e: e.kind == "request")
        if not stopped:
            return None
        entry = stopped[0]
        if NO_REVIEW_STEP in entry.reason:
            advice = "the store may place the order at this step (no review step follows it): end the profile before it"
        else:
            advice = "this step leads to placing an order: end the profile before it"
        return f"the guard blocked {entry.target} ({entry.reason}); {advice}"

    def sign_in_cause(self, *, landed: bool = False) -> str | None:
        """The message for a step that landed on the store's sign-in page (`landed`: the page says it is one)."""
        url = self.page.url
        if not (landed or looks_like_sign_in(url)):
            return None
        shown = diagnose.private(url)
        if self.signing_in or self.has_login:
            return f"still on the sign-in page {shown} after the login steps: check them and the ${{env:…}} values"
        if self.session_file:
            return (
                f"the store shows its sign-in page {shown}: the session in {self.session_file} looks expired; "
                f"renew it with `probe login {self.base_url} --save {self.session_file}`"
            )
        return (
            f"the store shows its sign-in page {shown}: it needs a signed-in session; give --storage-state FILE "
            f"(made with `probe login {self.base_url} --save FILE`) or `login:` steps in the profile"
        )

    async def record(
        self,
        name: str,
        started: float,
        *,
        error: str | None = None,
        retries: int = 0,
        fatal: bool = True,
        picture: bool | str = True,
    ) -> Step:
        """Append a Step with a screenshot (or the picture already taken, or none); FlowError if a fatal step failed.

        A failed step always gets its picture: it is what the report shows about the failure.
        """
        if error is not None and self.deadline.expired():
            # Under a busy machine or a slow store the budget, not the page, is what ran out: say so.
            error = f"{error}; the check's {self.deadline.seconds:g} s time budget ran out (give more with --timeout)"
        shot = picture if isinstance(picture, str) else await self.screenshot(name) if picture or error else None
        error = self.redact(error) if error is not None else None
        entry = Step(
            name=name,
            url=self.redact(self.page.url),
            screenshot=shot,
            duration_s=round(time.monotonic() - started, 3),
            ok=error is None,
            error=error,
            retries=retries,
            masks=self.shot_masks.get(shot, ()) if shot else (),
        )
        self.steps.append(entry)
        if error is not None and fatal:
            raise FlowError(f"step '{name}' failed: {error}")
        return entry

    async def picture_last_step(self, shot: str | None) -> None:
        """Give the last step (recorded without a picture) `shot`, or a screenshot taken now."""
        if not self.steps or self.steps[-1].screenshot is not None:
            return
        last = self.steps[-1]
        shot = shot or await self.screenshot(last.name)
        masks = self.shot_masks.get(shot, ()) if shot else ()
        self.steps[-1] = last.model_copy(update={"screenshot": shot, "masks": masks})
