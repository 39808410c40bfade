"""The other shops, served under /shops/NAME/: catalogue, search, basket, a checkout of their own shape, payment.

State lives in one cookie per shop (its path is the shop's), so one server holds every shop side by side and
each browser context starts empty. Orders are logged (GET /shops/api/orders) so tests prove none was placed.
"""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import jinja2
from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from mock_store.app import OrderLog
from mock_store.shops.variants import VARIANTS, Variant

HERE = Path(__file__).resolve().parent
PREFIX = "/shops"
LATE_S = 1.0  # how long a late shop takes to answer the add to cart and to send its payment methods


@dataclass(frozen=True)
class Item:
    """Something a shop sells."""

    slug: str
    word: str  # the key of its name in the shop's words
    blurb: str  # the key of its blurb, or ""
    category: str
    price: int | None  # None: a gift card, priced by the amount chosen
    gift: bool = False


ITEMS = (
    Item("digital-gift-card", "digital", "digital_blurb", "gifts", None, gift=True),
    Item("printed-gift-card", "printed", "printed_blurb", "gifts", None, gift=True),
    Item("gift-wrap", "wrap", "", "gifts", 4),
    Item("copper-kettle", "kettle", "", "kitchen", 39),
    Item("hand-trowel", "trowel", "", "garden", 12),
)


def items_of(v: Variant) -> list[Item]:
    """What the shop sells: a shop that sells no gift card has none."""
    return [i for i in ITEMS if not (i.gift and v.fault == "no-gift")]


def _state(request: Request, v: Variant) -> dict[str, Any]:
    raw = request.cookies.get(f"shop-{v.name}")
    if not raw:
        return {"cart": []}
    try:
        state = json.loads(base64.urlsafe_b64decode(raw.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return {"cart": []}
    return state if isinstance(state, dict) else {"cart": []}


def _save(response: Response, v: Variant, state: dict[str, Any]) -> Response:
    raw = base64.urlsafe_b64encode(json.dumps(state).encode()).decode()
    response.set_cookie(f"shop-{v.name}", raw, path=f"{PREFIX}/{v.name}", httponly=True, samesite="lax")
    return response


def _variant(name: str) -> Variant:
    v = VARIANTS.get(name)
    if v is None:
        raise HTTPException(404, f"no shop called {name}")
    return v


def _fields(v: Variant, step: str) -> list[dict[str, Any]]:
    """The fields of a checkout step (name, label, input type, autocomplete)."""
    w = v.words
    contact: list[dict[str, Any]] = [{"name": "mail", "label": w["email"], "kind": "email", "autocomplete": "email"}]
    address: list[dict[str, Any]] = [
        {"name": "given", "label": w["first"], "kind": "text", "autocomplete": "given-name"},
        {"name": "family", "label": w["last"], "kind": "text", "autocomplete": "family-name"},
        {"name": "line1", "label": w["street"], "kind": "text", "autocomplete": "address-line1"},
        {"name": "zip", "label": w["postcode"], "kind": "text", "autocomplete": "postal-code"},
        {"name": "town", "label": w["city"], "kind": "text", "autocomplete": "address-level2"},
        {
            "name": "land",
            "label": w["country"],
            "kind": "select",
            "options": ["Deutschland", "Österreich"] if v.lang == "de" else ["United Kingdom", "United States"],
        },
        {"name": "tel", "label": w["phone"], "kind": "tel", "autocomplete": "tel", "required": False},
    ]
    chosen = {"contact": contact, "address": address, "details": contact + address}.get(step, [])
    return [{"required": True, "value": "", "options": [], **f} for f in chosen]


STEPS = {"multi": ("contact", "address", "shipping"), "single": ("details",), "one-page": ("details",)}


def create_shops_app() -> FastAPI:
    """Every shop of VARIANTS under /shops/NAME/, one server."""
    app = FastAPI(title="other shops", docs_url=None, redoc_url=None, openapi_url=None)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates = Jinja2Templates(env=env)
    orders = OrderLog()
    app.state.orders = orders

    def page(request: Request, v: Variant, template: str, status: int = 200, **context: Any) -> Response:
        state = _state(request, v)
        base = {
            "v": v,
            "w": v.words,
            "root": f"{PREFIX}/{v.name}",
            "count": len(state["cart"]),
            "consented": bool(state.get("consent")),
            "here": request.url.path,
        }
        return templates.TemplateResponse(request, template, {**base, **context}, status_code=status)

    def shown(v: Variant, item: Item) -> dict[str, Any]:
        w = v.words
        price = v.money(item.price) if item.price else f"{v.money(v.amounts[0])} – {v.money(v.amounts[-1])}"
        return {"slug": item.slug, "name": w[item.word], "blurb": w.get(item.blurb, ""), "price": price}

    def lines(v: Variant, state: dict[str, Any]) -> list[str]:
        return [f"{v.words[line['word']]} · {v.money(line['amount'])}" for line in state["cart"]]

    def go(v: Variant, where: str) -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/{v.name}/{where}", status_code=303)

    @app.get(PREFIX + "/api/orders")
    def api_orders() -> dict[str, Any]:
        return {"orders": orders.all()}

    @app.get(PREFIX + "/notes/")
    def not_a_shop() -> HTMLResponse:
        return HTMLResponse(
            "<!doctype html><html lang=en><head><title>Field notes</title></head><body><h1>Field notes</h1>"
            "<p>Birds seen this spring along the river: heron, kingfisher, wagtail.</p></body></html>"
        )

    @app.get(PREFIX + "/{name}/")
    def home(name: str, request: Request) -> Response:
        v = _variant(name)
        if v.fault == "challenge":
            return page(
                request,
                v,
                "note.html",
                403,
                heading="Just a moment…",
                text=v.words["challenge"],
                login=False,
                challenge=True,
            )
        featured = [shown(v, i) for i in items_of(v) if not i.gift]
        return page(request, v, "home.html", featured=featured)

    @app.post(PREFIX + "/{name}/consent")
    async def consent(name: str, request: Request) -> Response:
        v = _variant(name)
        form = await _form(request)
        state = {**_state(request, v), "consent": str(form.get("choice", ""))}
        back = str(form.get("back") or f"{PREFIX}/{v.name}/")
        target = back if back.startswith(f"{PREFIX}/{v.name}/") else f"{PREFIX}/{v.name}/"
        return _save(RedirectResponse(target, status_code=303), v, state)

    @app.get(PREFIX + "/{name}/c/{category}")
    def category(name: str, category: str, request: Request) -> Response:
        v = _variant(name)
        found = [shown(v, i) for i in items_of(v) if i.category == category]
        return page(request, v, "listing.html", heading=v.words.get(category, category), products=found)

    @app.get(PREFIX + "/{name}/search")
    def search(name: str, request: Request, q: str = "") -> Response:
        v = _variant(name)
        asked = q.strip().lower()
        found = [shown(v, i) for i in items_of(v) if asked and _matches(asked, v.words[i.word].lower(), i.slug)]
        return page(request, v, "listing.html", heading=v.words["results"], products=found)

    @app.get(PREFIX + "/{name}/p/{slug}")
    def product(name: str, slug: str, request: Request) -> Response:
        v = _variant(name)
        item = next((i for i in items_of(v) if i.slug == slug), None)
        if item is None:
            raise HTTPException(404, "no such product")
        return page(request, v, "product.html", p={**shown(v, item), "gift": item.gift}, message=None, missing=False)

    @app.post(PREFIX + "/{name}/basket/add")
    async def add(name: str, request: Request) -> Response:
        v = _variant(name)
        form = await _form(request)
        item = next((i for i in items_of(v) if i.slug == form.get("slug")), None)
        if item is None:
            raise HTTPException(404, "no such product")
        if v.fault == "sign-in-wall":
            return go(v, "account/login?next=" + quote(f"p/{item.slug}"))
        state = _state(request, v)
        if v.fault == "stuck-cart":
            return go(v, f"p/{item.slug}")
        if item.gift and v.recipient and not (form.get("to_name") and form.get("to_mail")):
            p = {**shown(v, item), "gift": True}
            return page(request, v, "product.html", 400, p=p, message=v.words["needed"], missing=True)
        amount = int(str(form.get("value") or v.amounts[0])) if item.gift else item.price or 0
        state["cart"] = [*state["cart"], {"word": item.word, "amount": amount}]
        if request.headers.get("x-requested-with") == "fetch":
            if v.late:
                await asyncio.sleep(LATE_S)
            answer = JSONResponse({"count": len(state["cart"]), "lines": lines(v, state)})
            return _save(answer, v, state)
        return _save(go(v, "basket"), v, state)

    @app.get(PREFIX + "/{name}/basket")
    def basket(name: str, request: Request) -> Response:
        v = _variant(name)
        state = _state(request, v)
        total = v.money(sum(line["amount"] for line in state["cart"]))
        return page(request, v, "basket.html", lines=lines(v, state), total=total)

    @app.get(PREFIX + "/{name}/account/login")
    def login_page(name: str, request: Request) -> Response:
        v = _variant(name)
        return page(
            request,
            v,
            "note.html",
            heading=v.words["sign_in"],
            text=v.words["sign_in_first"],
            login=True,
            challenge=False,
        )

    @app.post(PREFIX + "/{name}/account/login")
    def login(name: str, request: Request) -> Response:
        v = _variant(name)
        return page(request, v, "fork.html", 401, guest=v.fork == "guest", first=STEPS[v.checkout][0], message="✗")

    @app.get(PREFIX + "/{name}/checkout")
    def checkout(name: str, request: Request) -> Response:
        v = _variant(name)
        if not _state(request, v)["cart"]:
            return go(v, "basket")
        first = STEPS[v.checkout][0]
        if v.fork == "none":
            return go(v, f"checkout/{first}")
        return page(request, v, "fork.html", guest=v.fork == "guest", first=first, message=None)

    @app.get(PREFIX + "/{name}/checkout/payment")
    def payment(name: str, request: Request) -> Response:
        v = _variant(name)
        state = _state(request, v)
        if not state["cart"] or not state.get("ship"):
            return go(v, "basket")
        total = v.money(sum(line["amount"] for line in state["cart"]))
        return page(request, v, "payment.html", lines=lines(v, state), total=total)

    @app.get(PREFIX + "/{name}/checkout/methods")
    async def methods(name: str, request: Request) -> Response:
        """A one-page checkout's payment methods, sent once the address is saved (a moment late in a late shop)."""
        v = _variant(name)
        state = _state(request, v)
        if v.checkout != "one-page" or not state["cart"] or not state.get("ship"):
            raise HTTPException(409, "no address saved yet")
        if v.late:
            await asyncio.sleep(LATE_S)
        return page(request, v, "methods.html", heading=1)

    @app.post(PREFIX + "/{name}/checkout/place-order")
    def place_order(name: str, request: Request) -> Response:
        v = _variant(name)
        orders.append({"shop": v.name, "cart": _state(request, v)["cart"]})
        return page(request, v, "note.html", heading="✓", text="Thank you", **_no())

    @app.get(PREFIX + "/{name}/checkout/{step}")
    def step_page(name: str, step: str, request: Request) -> Response:
        v = _variant(name)
        if step == "closed":
            return page(request, v, "note.html", heading="✗", text=v.words["closed"], **_no())
        if step not in STEPS[v.checkout]:
            raise HTTPException(404, "no such step")
        if not _state(request, v)["cart"]:
            return go(v, "basket")
        return _step(request, v, step, {}, 200)

    @app.post(PREFIX + "/{name}/checkout/{step}")
    async def step_post(name: str, step: str, request: Request) -> Response:
        v = _variant(name)
        if step not in STEPS[v.checkout]:
            raise HTTPException(404, "no such step")
        form = {k: val.strip() for k, val in (await _form(request)).items()}
        bad = {f["name"]: v.words["needed"] for f in _fields(v, step) if f["required"] and not form.get(f["name"])}
        if "zip" in form and form["zip"] and v.fault == "address-refused":
            bad["zip"] = v.words["refused_postcode"]
        shipping = step in ("shipping", "details")
        if shipping and form.get("ship") not in ("standard", "express"):
            bad["ship"] = v.words["needed"]
        fetched = request.headers.get("x-requested-with") == "fetch"
        if bad:
            if fetched:
                return JSONResponse({"bad": bad}, status_code=422)
            return _step(request, v, step, bad, 422)
        state = {**_state(request, v), step: True}
        if shipping:
            state["ship"] = form["ship"]
        steps = STEPS[v.checkout]
        following = steps[steps.index(step) + 1] if step != steps[-1] else "payment"
        if following == "payment" and v.fault == "closed":
            following = "closed"
        if fetched:  # a one-page checkout saves its address in place and asks for the payment methods next
            return _save(JSONResponse({"next": f"{PREFIX}/{v.name}/checkout/methods"}), v, state)
        return _save(go(v, f"checkout/{following}"), v, state)

    def _step(request: Request, v: Variant, step: str, bad: dict[str, str], status: int) -> Response:
        w = v.words
        heading = {"contact": w["contact"], "address": w["address"], "shipping": w["shipping"]}.get(step, w["address"])
        if v.checkout == "one-page":
            heading = w["checkout"]
        message = next(iter(bad.values()), None)
        return page(
            request,
            v,
            "step.html",
            status,
            heading=heading,
            step=step,
            fields=_fields(v, step),
            shipping=step in ("shipping", "details"),
            bad=bad,
            message=message,
        )

    return app


def _no() -> dict[str, Any]:
    return {"login": False, "challenge": False}


def _matches(asked: str, name: str, slug: str) -> bool:
    """Whether a search finds a product: every word asked is in its name or its address."""
    return all(word in name or word in slug for word in asked.replace("-", " ").split())


async def _form(request: Request) -> dict[str, str]:
    """A posted form's fields (the first value of each), parsed from the url-encoded body."""
    body = (await request.body()).decode("utf-8", "replace")
    return {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}
