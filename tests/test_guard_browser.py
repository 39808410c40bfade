"""The guard in a real Chromium against a real uvicorn server: a page that sends real platforms' order requests."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from order_corpus import Shape, load_corpus
from playwright.async_api import Page, async_playwright
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from mock_store.server import serve_app_in_thread
from probe.models import Safety
from probe.run.sync import run_sync
from probe.walk.browser import LAUNCH_ARGS, find_browser
from probe.walk.guard import OrderGuard

pytestmark = pytest.mark.browser

SHAPES = load_corpus()
CASE_HEADER = "x-corpus-case"
SETTLE_MS = 1500  # beacons and keepalive fetches leave after the page's own promises settle

# Channels other than fetch: each (path, must arrive?) is sent by the page in its own way.
EXTRA = {
    "beacon-order": ("/api/submit-order", False),
    "keepalive-order": ("/orders", False),
    "xhr-graphql": ("/graphql-xhr", False),
    "form-place-order": ("/checkout/preview/", False),
    "iframe-form-add-to-cart": ("/cart/add", True),
    "beacon-analytics": ("/collect-beacon", True),
}
CHECKOUT_COMPLETE = json.dumps({"query": 'mutation { checkoutComplete(id: "Q2hlY2tvdXQ6MQ==") { order { id } } }'})

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Checkout</title></head><body>
<h1>Payment</h1>
<iframe name="sink" title="sink"></iframe>
<form id="place" method="post" action="/checkout/preview/">
<input type="hidden" name="action" value="place_order"></form>
<form id="add" method="post" action="/cart/add" target="sink"><input type="hidden" name="slug" value="brand"></form>
<script>
const cases = __CASES__;
const decode = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
window.addEventListener("load", async () => {
  const sent = cases.map((c) => fetch(c.path, {
    method: c.method,
    headers: Object.assign({"__HEADER__": String(c.index)}, c.headers, c.type ? {"content-type": c.type} : {}),
    body: c.body === null ? undefined : decode(c.body),
  }).catch(() => null));
  navigator.sendBeacon("/api/submit-order", "x");
  navigator.sendBeacon("/collect-beacon", JSON.stringify({event: "begin_checkout"}));
  fetch("/orders", {method: "POST", keepalive: true, body: "{}", headers: {"content-type": "application/json"}})
    .catch(() => null);
  const xhr = new XMLHttpRequest();
  xhr.open("POST", "/graphql-xhr");
  xhr.setRequestHeader("content-type", "application/json");
  xhr.send(__XHR__);
  await Promise.allSettled(sent);
  document.getElementById("add").submit();
  setTimeout(() => { document.getElementById("place").submit(); window.__sent = true; }, 300);
});
</script></body></html>"""


@dataclass
class Received:
    """What reached the server: corpus cases by number, and the other channels by path."""

    cases: set[int] = field(default_factory=set)
    paths: list[str] = field(default_factory=list)


def local_path(shape: Shape) -> str:
    """The shape's path and query, sent to the test server instead of the platform's host."""
    parts = urlsplit(shape.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_html() -> str:
    cases = []
    for index, shape in enumerate(SHAPES):
        body, content_type = shape.request()
        cases.append(
            {
                "index": index,
                "method": shape.method,
                "path": local_path(shape),
                "type": content_type,
                "headers": shape.headers,
                "body": base64.b64encode(body).decode() if body is not None and shape.method != "GET" else None,
            }
        )
    return (
        PAGE.replace("__CASES__", json.dumps(cases))
        .replace("__HEADER__", CASE_HEADER)
        .replace("__XHR__", json.dumps(CHECKOUT_COMPLETE))
    )


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Received]]:
    received = Received()

    async def shop(request: Request) -> Response:
        return HTMLResponse(page_html())

    async def anything(request: Request) -> Response:
        case = request.headers.get(CASE_HEADER)
        if case is not None:
            received.cases.add(int(case))
        elif request.method != "GET" or request.url.path != "/favicon.ico":
            received.paths.append(request.url.path)
        await request.body()
        return Response("{}", media_type="application/json")

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    app = Starlette(routes=[Route("/shop", shop), Route("/{path:path}", anything, methods=methods)])
    with serve_app_in_thread(app, name="order page") as url:
        yield url, received


@asynccontextmanager
async def guarded_page() -> AsyncIterator[tuple[Page, OrderGuard]]:
    """A page in a fresh Chromium whose context the guard watches from before its first navigation."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
        try:
            context = await browser.new_context(service_workers="block")
            page = await context.new_page()
            guard = OrderGuard()
            await guard.install(context, page)
            yield page, guard
        finally:
            await browser.close()


async def _visit(url: str) -> Safety:
    async with guarded_page() as (page, guard):
        await page.goto(url + "/shop", wait_until="load")
        await page.wait_for_function("() => window.__sent === true", timeout=30_000)
        await page.wait_for_timeout(SETTLE_MS)
        assert page.url.endswith("/shop"), "the blocked form post must leave the page where it was"
        return guard.safety()


@pytest.fixture(scope="module")
def visited(server: tuple[str, Received]) -> tuple[Safety, Received]:
    url, received = server
    return run_sync(lambda: _visit(url)), received


@pytest.mark.parametrize("index", range(len(SHAPES)), ids=[s.id for s in SHAPES])
def test_corpus_request_sent_by_a_page_reaches_the_server_only_if_ordinary(
    visited: tuple[Safety, Received], index: int
) -> None:
    _, received = visited
    shape = SHAPES[index]
    arrived = index in received.cases
    # The page sends every shape with no review step on it: a payment step's save that needs one is blocked there.
    assert arrived == shape.passes_without_review, f"{shape.method} {local_path(shape)}: arrived={arrived}"


@pytest.mark.parametrize("channel", sorted(EXTRA))
def test_beacons_keepalive_xhr_and_form_posts_pass_the_guard_too(
    visited: tuple[Safety, Received], channel: str
) -> None:
    _, received = visited
    path, must_arrive = EXTRA[channel]
    assert (path in received.paths) == must_arrive, received.paths


def test_the_audit_lists_every_non_get_request_with_its_rule(visited: tuple[Safety, Received]) -> None:
    safety, _ = visited
    listed = {(r.method, urlsplit(r.url).path, r.outcome) for r in safety.requests}
    for shape in SHAPES:
        if shape.method != "GET":
            outcome = "allowed" if shape.passes_without_review else "blocked"
            assert (shape.method, urlsplit(shape.url).path, outcome) in listed, shape.id
    assert ("POST", "/checkout/preview/", "blocked") in listed
    assert all(r.rule for r in safety.requests)
    assert any(b.kind == "form" and "/checkout/preview/" in b.target for b in safety.blocked)
    assert any(b.kind == "beacon" and "/api/submit-order" in b.target for b in safety.blocked)
    assert safety.order_placed is False


# Issue 20's three requests as the page sent them, and the rule safety.requests must name for each.
ISSUE_20 = {
    "WooCommerce: Store API checkout through ?rest_route= (as api-fetch sends it, with _locale)": (
        "blocked",
        "woo-store-api-checkout",
    ),
    "WooCommerce: no-JavaScript Update totals form post": ("allowed", "woo-update-totals"),
    "WooCommerce: Store API calc totals sent as a PUT override header": ("allowed", "woo-store-api-checkout-update"),
}


@pytest.mark.parametrize("name", sorted(ISSUE_20))
def test_the_audit_names_the_rule_for_the_query_route_and_the_two_ordinary_requests(
    visited: tuple[Safety, Received], name: str
) -> None:
    safety, _ = visited
    shape = next(s for s in SHAPES if s.id == name)
    outcome, rule = ISSUE_20[name]
    path = urlsplit(shape.url).path
    query_route = "rest_route=" in shape.url
    seen = [r for r in safety.requests if urlsplit(r.url).path == path and ("rest_route=" in r.url) == query_route]
    assert (outcome, rule) in {(r.outcome, r.rule) for r in seen}, seen
