"""The guard: installed before the first navigation, it makes sure a probe never places an order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from probe.models import BlockedRequest, Safety

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Dialog, Page, Route

# Order-placement endpoints of common storefronts, matched against the full URL.
DEFAULT_ORDER_ENDPOINTS = (
    r"place[-_]?order",
    r"submit[-_]?(order|payment)",
    r"complete[-_]?(order|purchase|checkout|payment)",
    r"confirm[-_]?(order|purchase|payment)",
    r"/checkout/(submit|complete|confirm|process|pay)\b",
    r"/orders?/(create|new|submit|place)\b",
    r"[?&]wc-ajax=checkout\b",
    r"/wc/store(/v\d+)?/checkout\b",
    r"/V1/(guest-)?carts/[^/]+/payment-information",
    r"/checkouts?/(?:[^/?#]+/){1,2}(processing|complete)\b",
    r"/(buy|pay)[-_]?now\b",
    r"/payment/(submit|process|authorize|capture)\b",
)

# Names of controls the probe refuses to click, whatever a profile or page says.
FORBIDDEN_CONTROL = re.compile(
    r"place\s+(your\s+|my\s+|the\s+)?order|buy\s+now|pay\s+now|complete\s+(your\s+|my\s+|the\s+)?"
    r"(purchase|order|payment|checkout)|submit\s+(your\s+|my\s+)?(order|payment)|"
    r"\bconfirm\b(?!\s+(your\s+)?(address|email|e-mail|shipping|delivery|details))|"
    r"^\s*pay\b|\bpay\s+(\$|€|£|\d)|\bcheckout\s+now\b|\bpurchase\b\s*$|\border\s+now\b",
    re.IGNORECASE,
)


def forbidden_control(name: str | None) -> bool:
    """True when a control's name looks like placing an order or paying."""
    return bool(name) and FORBIDDEN_CONTROL.search(" ".join((name or "").split())) is not None


class OrderGuard:
    """Blocks order-placement requests and navigations, dismisses dialogs, closes pop-ups; records each."""

    def __init__(self, extra_endpoints: Iterable[str] = ()) -> None:
        self.patterns = tuple(DEFAULT_ORDER_ENDPOINTS) + tuple(extra_endpoints)
        self._regex = re.compile("|".join(f"(?:{p})" for p in self.patterns), re.IGNORECASE)
        # The built-in patterns read the same as JavaScript regexes, so the browser side picks out the few requests
        # to stop and every other request goes by untouched; a profile's own patterns are Python regexes, so with
        # them every request is shown to the guard.
        self._route_on: re.Pattern[str] | str = self._regex if self.patterns == DEFAULT_ORDER_ENDPOINTS else "**/*"
        self.blocked: list[BlockedRequest] = []
        self._main_page: Page | None = None

    def order_url(self, url: str) -> bool:
        """True when a URL looks like an order-placement endpoint."""
        return self._regex.search(url) is not None

    def record(self, kind: str, target: str, reason: str) -> None:
        """Note something the guard stopped (kept for the report)."""
        entry = BlockedRequest.model_validate({"kind": kind, "target": target[:500], "reason": reason})
        if entry not in self.blocked:
            self.blocked.append(entry)

    def refuse_click(self, name: str) -> bool:
        """Record and return True when a click on a control so named must not happen."""
        if forbidden_control(name):
            self.record("click", name, "named like placing an order or paying")
            return True
        return False

    async def install(self, context: BrowserContext, page: Page) -> None:
        """Attach to a context before its first navigation."""
        self._main_page = page
        await context.route(self._route_on, self._route)
        context.on("page", self._on_page)
        page.on("dialog", self._on_dialog)

    async def _route(self, route: Route) -> None:
        request = route.request
        if self.order_url(request.url):
            kind = "navigation" if request.is_navigation_request() else "request"
            if request.method == "POST" and request.resource_type == "document":
                kind = "form"
            self.record(kind, f"{request.method} {request.url}", "order-placement endpoint")
            if request.is_navigation_request():
                # A 204 answer makes the browser stay on the page it was on, instead of an error page.
                await route.fulfill(status=204, body="")
            else:
                await route.abort("blockedbyclient")
            return
        await route.fallback()

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
        return Safety(blocked=tuple(self.blocked), order_patterns=self.patterns)
