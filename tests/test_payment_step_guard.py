"""A two-step checkout in a real browser: the payment step's own save goes through, the order never does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from test_guard_browser import guarded_page
from test_profile_check import failed_line, run_check, write_profile

from mock_store.server import serve_app_in_thread
from probe.run.sync import run_sync

pytestmark = pytest.mark.browser

# The step list as the mock store's _steps.html draws it (an ordered list, the current step marked).
STEPS = (
    "<ol class='checkout-steps' aria-label='Checkout steps'><li class='done'>1. Shipping address</li>"
    "<li class='current' aria-current='step'>2. Payment method</li><li>3. Review your order</li></ol>"
)
FORM = (
    "<h1>Payment</h1><form method='post' action='/checkout/payment/'>"
    "<label><input type='radio' name='payment_method' value='gift_card' checked> Gift card</label>"
    "<label>Gift card code <input name='gift_card_code'></label>"
    "<button type='submit'>Continue</button></form>"
)
REVIEW = (
    "<h1>Review your order</h1><form method='post' action='/checkout/place-order'>"
    "<button type='submit'>Place order</button></form>"
)
SAVES: list[dict[str, str]] = []
ORDERS: list[str] = []


def page(body: str) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><html><body>{body}</body></html>")


async def save_payment(request: Request) -> Response:
    SAVES.append(dict(parse_qsl((await request.body()).decode())))
    return RedirectResponse("/checkout/review", status_code=303)


async def place_order(request: Request) -> Response:
    ORDERS.append(request.url.path)
    return page("<h1>Thank you</h1>")


@pytest.fixture(scope="module")
def two_step_store() -> Iterator[str]:
    routes = [
        Route("/", lambda r: page("<h1>Shop</h1>")),
        Route("/with-steps", lambda r: page(STEPS + FORM)),
        Route("/without-steps", lambda r: page(FORM)),
        Route("/checkout/payment/", save_payment, methods=["POST"]),
        Route(
            "/checkout/review",
            lambda r: page(STEPS.replace("current", "x").replace("<li>3", "<li class='current'>3") + REVIEW),
        ),
        Route("/checkout/place-order", place_order, methods=["POST"]),
    ]
    with serve_app_in_thread(Starlette(routes=routes), name="two-step store") as url:
        yield url


def continue_profile(tmp_path: Path, start: str) -> Path:
    return write_profile(
        tmp_path,
        f"  - name: payment\n    actions:\n      - {{action: goto, url: {start}}}\n"
        "      - {action: fill, locator: {label: Gift card code}, value: GIFT-0000-1111}\n"
        "  - name: continue\n    actions:\n      - {action: click, locator: {role: button, name: Continue}}\n"
        "      - {action: wait_for, locator: {role: heading, name: Review your order}}\n",
    )


def test_continue_on_a_payment_step_with_a_review_step_ahead_saves_the_choice(
    tmp_path: Path, two_step_store: str
) -> None:
    SAVES.clear()
    code, stdout, _ = run_check(tmp_path, continue_profile(tmp_path, "/with-steps"), f"{two_step_store}/")
    assert code == 0, stdout
    assert "FAIL" not in stdout and "ok   continue" in stdout
    assert SAVES == [{"payment_method": "gift_card", "gift_card_code": "GIFT-0000-1111"}]
    assert ORDERS == []


def test_a_payment_step_with_no_review_step_is_blocked_with_one_line_saying_what_to_do(
    tmp_path: Path, two_step_store: str
) -> None:
    SAVES.clear()
    code, stdout, _ = run_check(
        tmp_path, continue_profile(tmp_path, "/without-steps"), f"{two_step_store}/", "--timeout", "20"
    )
    assert code == 1
    line = failed_line(stdout)
    assert line.startswith("the guard blocked POST") and "/checkout/payment/" in line
    assert "(general-url-last-segment)" in line and "no review step" in line
    assert "may place the order at this step" in line and "end the profile before it" in line
    assert "leads to placing an order" not in line
    assert SAVES == [] and ORDERS == []


async def _continue_on_late_steps(url: str, look: bool) -> tuple[str, list[str]]:
    async with guarded_page() as (page, guard):
        await page.goto(f"{url}/without-steps", wait_until="load")
        assert not await guard.look(page)
        # The page draws its step list after it has loaded (as a script-built checkout does).
        await page.evaluate("html => document.body.insertAdjacentHTML('afterbegin', html)", STEPS)
        if look:
            assert await guard.look(page)
        await page.get_by_role("button", name="Continue").click()
        if look:
            await page.wait_for_url("**/checkout/review")
        else:
            await asyncio.wait_for(_until(lambda: bool(guard.blocked)), 30)
        return page.url, [r.rule for r in guard.safety().requests]


async def _until(done: Callable[[], bool]) -> None:
    while not done():
        await asyncio.sleep(0.05)


def test_a_step_list_drawn_after_load_counts_once_the_guard_has_looked(two_step_store: str) -> None:
    SAVES.clear()
    url, rules = run_sync(lambda: _continue_on_late_steps(two_step_store, look=False))
    assert url.endswith("/without-steps") and rules == ["general-url-last-segment"] and SAVES == []
    url, rules = run_sync(lambda: _continue_on_late_steps(two_step_store, look=True))
    assert url.endswith("/checkout/review") and rules == ["general-payment-step"] and len(SAVES) == 1
    assert ORDERS == []
