"""Two-step payment variants: the payment step saves the choice (a gift-card code, an account, a card's Apply), the
store answers (the same step with its refusal, an allocation form, a review page), and a later page orders.

Each variant (fixtures/twostep/variants.yaml) names the platform source its flow and words come from; each keeps its
own order counter (GET /v/NAME/orders), which a probe must leave at 0.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, quote

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict, Field
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

HERE = Path(__file__).resolve().parent
VARIANTS_FILE = HERE.parent / "fixtures" / "twostep" / "variants.yaml"
PRICE = Decimal("25.00")
ALLOCATION_COOKIE = "allocation"
ACCOUNT_CODE = "ACCT7Q2M44XZ"
GIFT_CARD_LINE = "eGift Card"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Card(Strict):
    """A gift card or store-credit balance the shopper holds."""

    balance: Decimal


class Account(Strict):
    """An oscar-accounts account linked to the shopper."""

    name: str
    balance: Decimal
    status: Literal["open", "frozen", "restricted"]


class Expect(Strict):
    """What the variant's own checkout does with the credit: what probe must report."""

    state: str
    answer: str
    verdict: str
    reason: str | None
    error: str | None = None


class Variant(Strict):
    """One two-step checkout."""

    name: str = Field(pattern=r"^[a-z0-9-]+$")
    flow: Literal["code", "accounts", "apply", "pay_once"]
    source: str = Field(min_length=8)
    save_path: str
    post_query: str = ""
    credit_source: str
    option_label: str | None = None
    code: str | None = None
    given_code: str | None = None
    card: Card | None = None
    account: Account | None = None
    refusal: str | None = None
    order_endpoint: str | None = None
    expect: Expect

    @property
    def base(self) -> str:
        return f"/v/{self.name}"


class VariantFile(Strict):
    variants: tuple[Variant, ...]


def load_variants(path: Path = VARIANTS_FILE) -> dict[str, Variant]:
    """Every variant by name."""
    data = VariantFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return {v.name: v for v in data.variants}


def money(amount: Decimal) -> str:
    return f"€{amount.quantize(Decimal('0.01')):,.2f}"


class Orders:
    """Each variant's order counter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {}

    def add(self, name: str) -> None:
        with self._lock:
            self.counts[name] = self.counts.get(name, 0) + 1


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates" / "twostep"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _page(template: str, variant: Variant, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(v=variant, money=money, price=PRICE, item=GIFT_CARD_LINE, **context)
    return HTMLResponse(html)


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: vs[0] for k, vs in parse_qs(body, keep_blank_values=True).items()}


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _variant(request: Request) -> Variant:
    variants: dict[str, Variant] = request.app.state.variants
    name = request.path_params["name"]
    if name not in variants:
        raise LookupError(name)
    return variants[name]


# --- the payment step ---------------------------------------------------------------------------------------------


async def payment_step(request: Request) -> Response:
    v = _variant(request)
    message = request.query_params.get("error")
    if v.flow == "code":
        return _page("code.html", v, error=message)
    if v.flow == "apply":
        return _page("apply.html", v, error=message, applied=request.query_params.get("applied") == "1")
    if v.flow == "pay_once":
        return _page("pay_once.html", v)
    allocated = request.cookies.get(ALLOCATION_COOKIE)
    return _page("accounts.html", v, allocation=None, errors=[], allocated=allocated, code=ACCOUNT_CODE)


def _code_answer(v: Variant, code: str) -> str | None:
    """The pretix-like answer to a submitted gift-card code: an error message, or None when it pays."""
    if not code.strip():
        return "Please enter your gift card code."
    if code.strip().upper() != (v.code or "").upper():
        return "This gift card is not known."
    return v.refusal


async def save_payment(request: Request) -> Response:
    """The payment step's own save: it stores the choice (and answers), it never orders."""
    v = _variant(request)
    form = await _form(request)
    if v.flow == "pay_once":
        return await place_order(request)
    if v.flow == "code":
        if form.get("payment") != "giftcard":
            return _see(f"{v.base}/checkout/confirm/?payment=transfer")
        error = _code_answer(v, form.get("giftcard", ""))
        if error:
            return _see(f"{v.base}{v.save_path}?error={quote(error)}")
        return _see(f"{v.base}/checkout/confirm/?payment=giftcard")
    if v.flow == "apply":
        if "apply_store_credit" in form:
            if v.refusal:
                return _see(f"{v.base}{v.save_path}?error={quote(v.refusal)}")
            return _see(f"{v.base}{v.save_path}?applied=1")
        return _see(f"{v.base}/checkout/confirm/?payment=card")
    return await _accounts_post(v, form)


async def _accounts_post(v: Variant, form: dict[str, str]) -> Response:
    """oscar-accounts' PaymentDetailsView.post: select_account, allocate, remove_allocation."""
    account = v.account
    assert account is not None
    action = form.get("action")
    if action == "select_account":
        error = None
        if form.get("code", "").replace("-", "").upper() != ACCOUNT_CODE:
            error = "No account found with this code"
        elif account.status == "frozen":
            error = "This account is no longer open"
        elif account.balance == 0:
            error = "This account is empty"
        if error:
            return _page("accounts.html", v, allocation=None, errors=[error], allocated=None, code=ACCOUNT_CODE)
        return _page("accounts.html", v, allocation=_allocation(account), errors=[], allocated=None, code=ACCOUNT_CODE)
    if action == "allocate":
        most = _allocation(account)["max"]
        try:
            amount = Decimal(form.get("amount", "0") or "0")
        except ArithmeticError:
            amount = Decimal(0)
        if amount < Decimal("0.01") or amount > most:
            errors = [f"The maximum allocation is {money(most)}"]
            return _page("accounts.html", v, allocation=_allocation(account), errors=errors, allocated=None, code="")
        response = _see(f"{v.base}{v.save_path}")
        response.set_cookie(ALLOCATION_COOKIE, f"{amount:.2f}", httponly=True, samesite="lax")
        return response
    if action == "remove_allocation":
        response = _see(f"{v.base}{v.save_path}")
        response.delete_cookie(ALLOCATION_COOKIE)
        return response
    return _see(f"{v.base}/checkout/preview/")


def _allocation(account: Account) -> dict[str, Any]:
    restricted = account.status == "restricted"
    most = Decimal(0) if restricted else min(account.balance, PRICE)
    help_text = "Restrictions apply to which products can be paid for" if restricted else ""
    return {"max": most, "help": help_text, "account": account}


# --- the review page and the order ---------------------------------------------------------------------------------


async def review(request: Request) -> Response:
    v = _variant(request)
    payment = request.query_params.get("payment") or ("account" if v.flow == "accounts" else "card")
    return _page("review.html", v, payment=payment, allocated=request.cookies.get(ALLOCATION_COOKIE))


async def place_order(request: Request) -> Response:
    """The one request that orders: counted, so a test can prove it never came."""
    v = _variant(request)
    request.app.state.orders.add(v.name)
    return HTMLResponse(f"<h1>Thank you</h1><p>Order {request.app.state.orders.counts[v.name]} placed.</p>")


async def orders(request: Request) -> Response:
    v = _variant(request)
    return JSONResponse({"variant": v.name, "orders": request.app.state.orders.counts.get(v.name, 0)})


def create_twostep_app(path: Path = VARIANTS_FILE) -> Starlette:
    """The variants' store: /v/NAME/<the variant's payment step>, its review page, its order counter."""
    variants = load_variants(path)
    routes = [Route("/v/{name}/orders", orders)]
    for save_path in sorted({v.save_path for v in variants.values()}):
        routes.append(Route("/v/{name}" + save_path, payment_step, methods=["GET"]))
        routes.append(Route("/v/{name}" + save_path, save_payment, methods=["POST"]))
    routes += [
        Route("/v/{name}/checkout/confirm/", review, methods=["GET"]),
        Route("/v/{name}/checkout/preview/", review, methods=["GET"]),
        Route("/v/{name}/checkout/confirm/", place_order, methods=["POST"]),
        Route("/v/{name}/checkout/preview/", place_order, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.state.variants = variants
    app.state.orders = Orders()
    return app
