"""The guard: installed before the first navigation, it makes sure a probe never places an order."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from probe.models import BlockedRequest, Safety, SeenRequest
from probe.safety.order_body import ROUTE_KEYS
from probe.safety.order_requests import READING_METHODS, Decision, OrderRequestClassifier
from probe.safety.refusal import click_refusal

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Dialog, Frame, Page, Request, Route, WebSocketRoute

# The audit trail keeps this many non-GET requests; a page that sends more gets a count of the rest.
MAX_AUDITED_REQUESTS = 500
MAX_URL_CHARS = 300
MAX_TARGET_CHARS = 500
MASK = "***"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PLAIN_ROUTE = re.compile(r"^[\w./|:-]{0,80}$")
# How long the guard may look at the page that sent a payment step's save before it blocks it anyway.
REVIEW_LOOK_S = 3.0
# Whether the page shows a review step still to come: a list of checkout steps (an <ol>, or a list inside an element
# whose class, id or label says steps, progress, breadcrumb, wizard or checkout) naming a review, confirm, summary or
# preview step after the current one (anywhere in it when none is marked current). Only a step's short name counts.
REVIEW_AHEAD_JS = r"""() => {
  const REVIEW = new RegExp('\\b(review|confirm|confirmation|summary|overview|preview|place order)\\b' +
    '|check your order|überprüfen|bestätigen|récapitulatif|vérifi', 'i');
  const CURRENT = /(^|[\s_-])(active|current|is-active|is-current|selected)($|[\s_-])/i;
  const STEPS = '[class*="step" i], [class*="progress" i], [class*="breadcrumb" i], [class*="wizard" i], ' +
    '[class*="checkout" i], [id*="step" i], [id*="progress" i], [aria-label*="step" i], [aria-label*="progress" i]';
  for (const list of document.querySelectorAll('ol, ul')) {
    if (list.tagName !== 'OL' && !list.closest(STEPS)) continue;
    const items = [...list.querySelectorAll(':scope > li')];
    if (items.length < 2) continue;
    const marked = i => ['step', 'page', 'true'].includes(i.getAttribute('aria-current') || '') ||
      CURRENT.test(typeof i.className === 'string' ? i.className : '') || !!i.querySelector('[aria-current="step"]');
    const current = items.findIndex(marked);
    const names = items.slice(current + 1).map(i => (i.innerText || i.textContent || '').trim());
    if (names.some(n => n.length > 0 && n.length <= 40 && REVIEW.test(n))) return true;
  }
  return false;
}"""


def safe_url(url: str) -> str:
    """A URL fit for the report: no user info or fragment, query values masked except routing ones, no e-mails."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    query = [
        (k, v if k.lower() in ROUTE_KEYS and _PLAIN_ROUTE.match(v) else MASK)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    clean = urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="/*|:"), ""))
    return _EMAIL.sub(MASK, clean)[:MAX_URL_CHARS]


class OrderGuard:
    """Blocks order requests and navigations, refuses order clicks, dismisses dialogs, closes pop-ups; records each."""

    # The one refusal rule for clicks: (role, name, tag, type_) -> reason or None. Trials and apply presses use it.
    click_refusal = staticmethod(click_refusal)

    def __init__(self, extra_endpoints: Iterable[str] = ()) -> None:
        self.classifier = OrderRequestClassifier(extra_endpoints)
        block_urls = tuple(r.url for r in self.classifier.table.rules if r.action == "block" and r.url)
        self.patterns = self.classifier.extra + block_urls
        self.blocked: list[BlockedRequest] = []
        self.requests: list[SeenRequest] = []
        self.requests_omitted = 0
        self._main_page: Page | None = None
        # Whether each document the page loaded showed a review step ahead, by URL (a form post cannot look live).
        self._review_at_load: dict[str, asyncio.Future[bool]] = {}

    def order_url(self, url: str) -> bool:
        """True when opening this URL (a GET or navigation) would itself be an order-placement action."""
        return self.classifier.classify("GET", url).blocked

    def rule_for(self, url: str) -> str | None:
        """The rule that blocks opening this URL (for messages saying which rule stopped a navigation), or None."""
        decision = self.classifier.classify("GET", url)
        return decision.rule if decision.blocked else None

    def record(self, kind: str, target: str, reason: str) -> None:
        """Note something the guard stopped (kept for the report)."""
        entry = BlockedRequest.model_validate({"kind": kind, "target": target[:MAX_TARGET_CHARS], "reason": reason})
        if entry not in self.blocked:
            self.blocked.append(entry)

    def refuse_click(
        self, role: str | None, name: str | None, tag: str | None = None, type_: str | None = None
    ) -> bool:
        """Record and return True when a click on this control must not happen (by the one refusal rule)."""
        why = click_refusal(role, name, tag, type_)
        if why:
            self.record("click", " ".join((name or "").split()), why)
            return True
        return False

    def judge(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        *,
        headers: dict[str, str] | None = None,
        review_ahead: bool = False,
    ) -> Decision:
        """Classify one request; a classifier failure on a non-GET request blocks it (when in doubt, block)."""
        try:
            return self.classifier.classify(method, url, body, content_type, headers=headers, review_ahead=review_ahead)
        except Exception as exc:  # noqa: BLE001 - the guard must answer for every request
            reading = method.upper() in READING_METHODS
            return Decision(not reading, "guard-error", f"could not read the request ({exc.__class__.__name__})")

    def audit(self, method: str, url: str, decision: Decision) -> None:
        """Add a non-GET request to the report's list (capped)."""
        if len(self.requests) >= MAX_AUDITED_REQUESTS:
            self.requests_omitted += 1
            return
        outcome = "blocked" if decision.blocked else "allowed"
        self.requests.append(
            SeenRequest(method=method, url=safe_url(url), outcome=outcome, rule=decision.rule, why=decision.why)
        )

    async def install(self, context: BrowserContext, page: Page) -> None:
        """Attach to a context before its first navigation (every page and pop-up of it, and its WebSockets)."""
        await self.route(context)
        self.watch(context, page)

    async def route(self, context: BrowserContext) -> None:
        """Judge every request and WebSocket frame of the context (its pages made before or after); call before the
        first navigation."""
        await asyncio.gather(
            context.route("**/*", self._route), context.route_web_socket(re.compile(".*"), self._websocket)
        )

    def watch(self, context: BrowserContext, page: Page) -> None:
        """Keep the check on `page`: pop-ups and new tabs of the context are closed, its dialogs answered."""
        self._main_page = page
        context.on("page", self._on_page)
        page.on("dialog", self._on_dialog)
        page.on("domcontentloaded", self._on_load)
        page.on("load", self._on_load)

    async def uninstall(self, context: BrowserContext) -> None:
        """Detach from a context the probe borrowed (a remote browser's own), leaving it as it was.

        The WebSocket route has no unroute; it ends when the probe disconnects from the browser."""
        await context.unroute("**/*", self._route)
        context.remove_listener("page", self._on_page)
        if self._main_page is not None:
            self._main_page.remove_listener("domcontentloaded", self._on_load)
            self._main_page.remove_listener("load", self._on_load)

    async def _route(self, route: Route) -> None:
        request = route.request
        method = request.method.upper()
        reading = method in READING_METHODS
        body = None if reading else request.post_data_buffer
        headers = request.headers
        decision = self.judge(method, request.url, body, headers.get("content-type"), headers=headers)
        if decision.blocked and decision.review_lifts and await self._review_ahead(request):
            decision = self.judge(
                method, request.url, body, headers.get("content-type"), headers=headers, review_ahead=True
            )
        if not reading:
            self.audit(method, request.url, decision)
        if not decision.blocked:
            await route.fallback()
            return
        navigation = request.is_navigation_request()
        kind = "navigation" if navigation else "beacon" if request.resource_type == "ping" else "request"
        if navigation and not reading:
            kind = "form"
        why = f"order request blocked ({decision.rule}): {decision.why}"
        self.record(kind, f"{method} {safe_url(request.url)}", why)
        if navigation:
            # A 204 answer makes the browser stay on the page it was on, instead of an error page.
            await route.fulfill(status=204, body="")
        else:
            await route.abort("blockedbyclient")

    async def _review_ahead(self, request: Request) -> bool:
        """Whether the page that sent `request` shows a review step still to come (False when it cannot be read).

        A script's request is judged by the page as it is now; a form post or navigation by the page as it loaded (a
        frame that is navigating cannot be read)."""
        try:
            frame = request.frame
        except Exception:  # noqa: BLE001 - a service worker's request has no page
            return False
        if not request.is_navigation_request():
            return await self._look(frame)
        at_load = self._review_at_load.get(frame.url)
        if at_load is None:
            return False
        try:
            return await asyncio.wait_for(asyncio.shield(at_load), REVIEW_LOOK_S)
        except Exception:  # noqa: BLE001 - a look that did not finish is no review step
            return False

    async def _look(self, frame: Frame) -> bool:
        try:
            return bool(await asyncio.wait_for(frame.evaluate(REVIEW_AHEAD_JS), REVIEW_LOOK_S))
        except Exception:  # noqa: BLE001 - a page that cannot be read offers no review step: block
            return False

    async def look(self, page: Page) -> bool:
        """Look now whether `page` shows a review step still to come, and judge its next form post by it.

        The guard looks each time a document loads; a page that draws its step list later needs this before a submit."""
        self._review_at_load[page.url] = seen = asyncio.ensure_future(self._look(page.main_frame))
        return await seen

    def _on_load(self, page: Page) -> None:
        """Look, once the page's document has loaded, whether it shows a review step ahead (kept for its form posts)."""
        if len(self._review_at_load) > MAX_AUDITED_REQUESTS:
            self._review_at_load.clear()
        self._review_at_load[page.url] = asyncio.ensure_future(self._look(page.main_frame))

    def _websocket(self, ws: WebSocketRoute) -> None:
        """Forward WebSocket frames, except a page-to-server frame whose body speaks of ordering."""
        server = ws.connect_to_server()

        def from_page(message: str | bytes) -> None:
            data = message.encode() if isinstance(message, str) else message
            # Only the frame decides: the socket's URL was already judged when it opened.
            decision = self.judge("POST", "ws://frame/", data, "application/json")
            if decision.blocked:
                self.record("websocket", safe_url(ws.url), f"frame dropped ({decision.rule}): {decision.why}")
                return
            server.send(message)

        ws.on_message(from_page)

    async def _on_page(self, page: Page) -> None:
        if page is self._main_page:
            return
        self.record("popup", page.url or "about:blank", "pop-up or new tab closed; the probe stays on its page")
        await page.close()

    async def _on_dialog(self, dialog: Dialog) -> None:
        if dialog.type == "beforeunload":
            # Dismissing would keep the probe on a page it means to leave; leaving never orders anything.
            self.record("dialog", f"{dialog.type}: {dialog.message}", "leave-page prompt answered: leave")
            await dialog.accept()
            return
        self.record("dialog", f"{dialog.type}: {dialog.message}", "dialog dismissed")
        await dialog.dismiss()

    def safety(self) -> Safety:
        """The report's safety section."""
        return Safety(
            blocked=tuple(self.blocked),
            order_patterns=self.patterns,
            requests=tuple(self.requests),
            requests_omitted=self.requests_omitted,
        )
