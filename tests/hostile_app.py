"""A small hostile store for tests: dialogs, pop-ups, self-ordering pages, hangs, loops, errors, huge pages.

Every request it receives is logged (method and path), so a test can prove that nothing reached an order endpoint.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_store.server import serve_app_in_thread

PAGES = Path(__file__).parent.parent / "fixtures" / "hostile"

# The payment selection every hostile page wraps: a card, and store credit shown but greyed out.
PAYMENT = """<h1>Payment</h1>
<fieldset id="payment"><legend>Choose how to pay</legend>
<label><input type="radio" name="pay" value="card" checked> Credit or debit card</label><br>
<label style="color:#999"><input type="radio" name="pay" value="credit" disabled> Store credit ($25.00)</label>
<p class="reason">Store credit cannot be used to buy gift cards.</p>
</fieldset>"""

# What an error page looks like to a careless reader: a payment heading and no credit option at all.
ERROR_BODY = """<h1>Payment</h1><fieldset><legend>Choose how to pay</legend>
<label><input type="radio" name="pay" checked> Credit or debit card</label></fieldset>
<p>Something went wrong.</p>"""


def page(body: str, script: str = "", title: str = "Checkout") -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body>{body}<script>{script}</script></body></html>"
    )


ORDER_PATHS = (
    "/checkout/place-order",
    "/order/place",
    "/api/place-order",
    "/api/submit-order",
    "/orders",
    "/graphql",
    "/checkout/preview",
)

SCRIPTS = {
    # Dialogs of every kind, as soon as the page runs.
    "dialogs": "alert('Hello from the store'); confirm('Place your order now?'); prompt('Your e-mail?');",
    # Pop-ups and a new tab.
    "popups": "window.open('/popup-ad', 'ad'); const a = document.createElement('a');"
    " a.href = '/popup-tab'; a.target = '_blank'; document.body.append(a); a.click();",
    # A form that submits an order on its own.
    "autosubmit": "const f = document.createElement('form'); f.method = 'post'; f.action = '/checkout/place-order';"
    " f.innerHTML = '<input name=confirm value=1>'; document.body.append(f);"
    " setTimeout(() => f.submit(), 50);",
    # The page sends itself to an order URL.
    "selfnav": "setTimeout(() => { location.href = '/order/place?auto=1'; }, 50);",
    # The page calls an order endpoint in the background.
    "fetch": "fetch('/api/place-order', {method: 'POST', body: '{}'}).catch(() => {});"
    " navigator.sendBeacon && navigator.sendBeacon('/api/submit-order', 'x');",
    # A script that creates an order with a plain REST call as soon as the page loads.
    "orders": "fetch('/orders', {method: 'POST', headers: {'content-type': 'application/json'},"
    " body: JSON.stringify({items: [{sku: 'GC-50', qty: 1}]})}).catch(() => {});",
    # A GraphQL mutation that completes the checkout (Saleor's checkoutComplete), sent with fetch.
    "graphql": "fetch('/graphql', {method: 'POST', headers: {'content-type': 'application/json'},"
    " body: JSON.stringify({query: 'mutation { checkoutComplete(id: \"Q2hlY2tvdXQ6MQ==\") { order { id } } }'})})"
    ".catch(() => {});",
    # django-oscar's preview page: a form whose only sign of ordering is its body, action=place_order.
    "oscar": "const f = document.createElement('form'); f.method = 'post'; f.action = '/checkout/preview/';"
    " f.innerHTML = '<input name=action value=place_order>'; document.body.append(f);"
    " setTimeout(() => f.submit(), 50);",
}


@dataclass
class Hostile:
    """The app's state: its request log, a stop flag for hanging handlers, per-path hit counts."""

    log: list[str] = field(default_factory=list)
    stopping: bool = False
    hits: dict[str, int] = field(default_factory=dict)

    def ordered(self) -> list[str]:
        """Requests that reached one of the order endpoints the hostile pages call (must stay empty)."""
        return [line for line in self.log if line.split(" ", 1)[1].startswith(ORDER_PATHS)]

    async def hold(self) -> None:
        """Wait until the server stops (a response that never comes)."""
        while not self.stopping:
            await asyncio.sleep(0.05)


def create_app(state: Hostile) -> ASGIApp:
    async def pay(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in SCRIPTS:
            return HTMLResponse(page("<p>no such page</p>"), status_code=404)
        return HTMLResponse(page(PAYMENT, SCRIPTS[kind]))

    async def plain(request: Request) -> Response:
        """The payment page; `?credit=open` is the same store after a policy change: the credit selectable."""
        if request.query_params.get("credit") == "open":
            opened = PAYMENT.replace(" disabled", "").replace(' style="color:#999"', "")
            return HTMLResponse(
                page(opened.replace('<p class="reason">Store credit cannot be used to buy gift cards.</p>', ""))
            )
        return HTMLResponse(page(PAYMENT))

    async def popup(request: Request) -> Response:
        return HTMLResponse(page("<h1>Special offer!</h1>", title="Ad"))

    async def hang(request: Request) -> Response:
        await state.hold()
        return HTMLResponse(page(PAYMENT))

    async def trickle(request: Request) -> Response:
        async def body() -> AsyncIterator[bytes]:
            yield ("<!doctype html><html><body>" + ERROR_BODY).encode()
            await state.hold()

        return StreamingResponse(body(), media_type="text/html")

    async def loop(request: Request) -> Response:
        n = int(request.query_params.get("n", "0"))
        return RedirectResponse(f"/loop?n={n + 1}", status_code=302)

    async def status(request: Request) -> Response:
        code = int(request.path_params["code"])
        return HTMLResponse(page(ERROR_BODY, title=f"Error {code}"), status_code=code)

    async def huge(request: Request) -> Response:
        count = int(request.query_params.get("n", "3000"))
        options = "".join(
            f"<label><input type='radio' name='pay' value='m{i}'> Payment method {i}</label><br>" for i in range(count)
        )
        return HTMLResponse(page(PAYMENT.replace("</fieldset>", options + "</fieldset>")))

    async def flaky(request: Request) -> Response:
        """The first request for a key never answers; later ones get the payment page."""
        key = request.path_params["key"]
        state.hits[key] = state.hits.get(key, 0) + 1
        if state.hits[key] == 1:
            await state.hold()
        return HTMLResponse(page(PAYMENT))

    async def store(request: Request) -> Response:
        """A two-page store for profile walks: a start page that objects to being left, and links onward."""
        script = "window.addEventListener('beforeunload', e => { e.preventDefault(); e.returnValue = ''; });"
        links = "<a href='/pay/plain'>Go to checkout</a> <a href='/status/503'>Broken checkout</a>"
        return HTMLResponse(page(f"<h1>Gift cards</h1><input aria-label='Amount'>{links}", script, "Store"))

    async def anything(request: Request) -> Response:
        return HTMLResponse(page("<p>not here</p>"), status_code=404)

    app = Starlette(
        routes=[
            Route("/pay/plain", plain),
            Route("/pay/{kind}", pay),
            Route("/popup-ad", popup),
            Route("/popup-tab", popup),
            Route("/hang", hang),
            Route("/trickle", trickle),
            Route("/loop", loop),
            Route("/status/{code:int}", status),
            Route("/huge", huge),
            Route("/flaky/{key}", flaky),
            Route("/", store),
            Route("/{path:path}", anything, methods=["GET", "POST", "PUT", "PATCH"]),
        ]
    )

    async def logged(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state.log.append(f"{scope['method']} {scope['path']}")
        await app(scope, receive, send)

    return logged


@contextmanager
def serve_hostile() -> Iterator[tuple[str, Hostile]]:
    """The hostile app under uvicorn in a thread on a free loopback port; yields its base URL and state."""
    state = Hostile()
    # Hanging and trickling pages hold connections open: give them a second to end when the server stops.
    with serve_app_in_thread(create_app(state), name="hostile", log_level="critical", shutdown_s=1) as url:
        try:
            yield url, state
        finally:
            state.stopping = True


def refused_url() -> str:
    """A loopback URL where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/checkout"
