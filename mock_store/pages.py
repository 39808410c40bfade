"""The pages a shopper walks: home, catalogue, product, cart, checkout steps, account credit."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from mock_store.catalogue import (
    ACCOUNT_EMAIL,
    AMOUNTS,
    BY_SLUG,
    DEFAULT_AMOUNT,
    KIND_NAMES,
    PRODUCTS,
    Cart,
    CartLine,
    first_testids,
)
from mock_store.frames import SHADOWED, provider_origin
from mock_store.payment import CreditOffer, credit_offers, expired
from mock_store.scenarios import Scenario, format_money

SCENARIO_COOKIE = "scenario"
CART_COOKIE = "cart"
SAVED_CARDS = (
    {
        "id": "card-4242",
        "label": "Credit or debit card ending in 4242",
        "detail": "Visa · Jordan Lee · Expires 08/2029",
    },
    {
        "id": "card-0005",
        "label": "Credit or debit card ending in 0005",
        "detail": "Mastercard · Jordan Lee · Expires 02/2028",
    },
)
ADDRESS = {
    "name": "Jordan Lee",
    "lines": ["1200 Harbor Street, Apt 4B", "Seattle, WA 98101", "United States"],
    "phone": "(206) 555-0148",
}
# What the payment page shows of the shopper when a scenario asks for it (ui.shopper_details).
SHOPPER = {
    "name": ADDRESS["name"],
    "street": "1200 Harbor Street",
    "city": ADDRESS["lines"][1],
    "email": "jordan.lee@example.com",
    "phone": "+1 (206) 555-0148",
    "account_code": "ACCT-7Q2X-99KD",
    "echoed_code": "GC-4417-PP09-XQ77",
    "note": "Leave it with the concierge, flat 4B",
}
_order_numbers = itertools.count(1)

router = APIRouter()


def scenario_name(request: Request) -> str:
    """The scenario this request browses under (the middleware chose and validated it)."""
    name = getattr(request.state, "scenario", None)
    return name if isinstance(name, str) else str(request.app.state.scenarios.default)


def current_scenario(request: Request) -> Scenario:
    scenario: Scenario = request.app.state.scenarios.load(scenario_name(request))
    return scenario


def current_cart(request: Request) -> Cart:
    return Cart.decode(request.cookies.get(CART_COOKIE))


def render(request: Request, template: str, **context: Any) -> Response:
    """A page with the shared header context (scenario, cart count)."""
    templates: Jinja2Templates = request.app.state.templates
    base = {
        "scenario_name": scenario_name(request),
        "cart_count": current_cart(request).count,
        "money": money,
        "checkout": request.url.path.startswith("/checkout/"),
    }
    return templates.TemplateResponse(request, template, {**base, **context})


def money(amount: Decimal | int) -> str:
    return format_money(Decimal(amount))


async def form_data(request: Request) -> dict[str, str]:
    """An urlencoded form body as a dict of first values."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(request: Request) -> Response:
    return render(request, "home.html", featured=PRODUCTS[:4], testids={})


@router.get("/gift-cards")
def catalogue(request: Request) -> Response:
    sections = [(kind, title, [p for p in PRODUCTS if p.kind == kind]) for kind, title in KIND_NAMES.items()]
    return render(request, "catalogue.html", sections=sections, testids=first_testids())


@router.get("/gift-cards/{slug}")
def product_page(slug: str, request: Request) -> Response:
    product = BY_SLUG.get(slug)
    if product is None:
        raise HTTPException(404, f"No gift card called '{slug}'.")
    return render(
        request, "product.html", product=product, amounts=AMOUNTS, default_amount=DEFAULT_AMOUNT, email=ACCOUNT_EMAIL
    )


@router.post("/cart/add")
async def cart_add(request: Request) -> Response:
    form = await form_data(request)
    product = BY_SLUG.get(form.get("slug", ""))
    if product is None:
        raise HTTPException(404, "That gift card is no longer available.")
    try:
        amount = int(form.get("amount", DEFAULT_AMOUNT))
        quantity = int(form.get("quantity", "1") or "1")
    except ValueError:
        raise HTTPException(400, "Amount and quantity must be whole numbers.") from None
    if amount not in AMOUNTS or not 1 <= quantity <= 10:
        raise HTTPException(400, "Choose an amount from the list and a quantity from 1 to 10.")
    line = CartLine(
        slug=product.slug,
        amount=amount,
        quantity=quantity,
        recipient_email=form.get("recipient_email", "").strip() if product.digital else "",
        delivery=form.get("delivery", "standard") if not product.digital else "email",
    )
    cart = Cart(lines=[*current_cart(request).lines, line])
    response = see_other("/cart")
    response.set_cookie(CART_COOKIE, cart.encode(), httponly=True, samesite="lax")
    return response


@router.post("/cart/remove")
async def cart_remove(request: Request) -> Response:
    form = await form_data(request)
    lines = list(current_cart(request).lines)
    index = int(form["index"]) if form.get("index", "").isdigit() else -1
    if 0 <= index < len(lines):
        del lines[index]
    response = see_other("/cart")
    response.set_cookie(CART_COOKIE, Cart(lines=lines).encode(), httponly=True, samesite="lax")
    return response


@router.get("/cart")
def cart_page(request: Request) -> Response:
    return render(request, "cart.html", cart=current_cart(request))


@router.get("/checkout/address")
def checkout_address(request: Request) -> Response:
    cart = current_cart(request)
    if not cart.lines:
        return see_other("/cart")
    return render(request, "address.html", cart=cart, address=ADDRESS)


def _payment_choices(scenario: Scenario, cart: Cart) -> tuple[list[CreditOffer], dict[str, str]]:
    offers = credit_offers(scenario, cart.kinds)
    labels = {card["id"]: card["label"] for card in SAVED_CARDS}
    labels.update({o.dom_id: o.line.label for o in offers if o.state == "selectable"})
    return offers, labels


@router.get("/checkout/payment")
def checkout_payment(request: Request) -> Response:
    cart = current_cart(request)
    if not cart.lines:
        return see_other("/cart")
    scenario = current_scenario(request)
    offers, _ = _payment_choices(scenario, cart)
    return render(
        request,
        "payment.html",
        cart=cart,
        offers=offers,
        ui=scenario.ui,
        cards=SAVED_CARDS,
        shopper=SHOPPER,
        shadowed=SHADOWED,
        provider=provider_origin(request),
        code_error=request.query_params.get("code") == "invalid",
    )


@router.get("/api/checkout/totals")
async def checkout_totals(request: Request) -> dict[str, Any]:
    """The totals update the payment page asks for: which credit rows it greys, answered after ui.disable_after_ms."""
    cart = current_cart(request)
    scenario = current_scenario(request)
    offers, _ = _payment_choices(scenario, cart)
    if scenario.ui.disable_after_ms:
        await asyncio.sleep(scenario.ui.disable_after_ms / 1000)
    return {"greyed": [f"{o.dom_id}-row" for o in offers if o.late_disable]}


@router.post("/checkout/apply-code")
async def checkout_apply_code(request: Request) -> Response:
    await form_data(request)
    return see_other("/checkout/payment?code=invalid")


@router.get("/checkout/review")
def checkout_review(request: Request) -> Response:
    cart = current_cart(request)
    if not cart.lines:
        return see_other("/cart")
    _, labels = _payment_choices(current_scenario(request), cart)
    payment = request.query_params.get("payment", SAVED_CARDS[0]["id"])
    if payment not in labels:
        return see_other("/checkout/payment")
    return render(request, "review.html", cart=cart, address=ADDRESS, payment=payment, payment_label=labels[payment])


@router.post("/checkout/place-order")
async def checkout_place_order(request: Request) -> Response:
    form = await form_data(request)
    cart = current_cart(request)
    if not cart.lines:
        return see_other("/cart")
    number = f"112-{next(_order_numbers):07d}"
    request.app.state.orders.append(
        {
            "order": number,
            "scenario": scenario_name(request),
            "payment": form.get("payment", ""),
            "items": [line.model_dump() for line in cart.lines],
            "total": str(cart.subtotal),
            "placed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    )
    response = see_other(f"/checkout/thank-you?order={number}")
    response.delete_cookie(CART_COOKIE)
    return response


@router.get("/checkout/thank-you")
def thank_you(request: Request) -> Response:
    return render(request, "thank_you.html", order=request.query_params.get("order", ""))


@router.get("/account")
def account(request: Request) -> Response:
    return see_other("/account/credit")


@router.get("/account/credit")
def account_credit(request: Request) -> Response:
    scenario = current_scenario(request)
    today = scenario.probe.today
    usable = [line for line in scenario.credit_lines if not expired(line, today)]
    total = sum((line.amount for line in usable), Decimal(0))
    return render(request, "account_credit.html", lines=scenario.credit_lines, total=total, today=today)
