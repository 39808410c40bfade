"""Payment pages that are long or heavy, generated on request (nothing huge is committed), and served for the bench.

Each page ends in the same greyed-out store credit with its stated reason, so each check must observe `greyed_out`
and read the same reason; only what surrounds the payment choice differs:
- `small`: one saved card, the credit below it (the baseline every other page is a ratio against);
- `cards`: 5,000 saved cards above the credit, a plain <ul> of 5,001 labelled radios (the credit ~100,000 px down);
- `deep`: about 2 MB of DOM, the payment list nested 400 elements deep under 6,000 nested product blocks;
- `frames`: 200 iframes of widgets (reviews, chat, badges) around the payment list.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

REASON = "Store credit can't be used to buy gift cards."
BALANCE = "$20.00 available"
CARDS = 5000
DEEP_BLOCKS = 6000  # product blocks of the deep page, each DEEP_BLOCK_NESTING elements deep
DEEP_BLOCK_NESTING = 12
DEEP_PAYMENT_NESTING = 400  # how deep the payment list itself sits
FRAMES = 200
PAGES = ("small", "cards", "deep", "frames")

HEAD = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<style>body{{font:15px/1.4 Arial,sans-serif;margin:0 20px;color:#222}}
li{{margin:4px 0;padding:6px;border:1px solid #ddd}}
ul{{list-style:none;padding:0}} .widget{{width:300px;height:60px;border:0;display:inline-block}}</style></head>
<body><header>Demo Store</header>{before}<main><h1>Select a payment method</h1>{payment}</main>{after}</body></html>"""
CREDIT = (
    '<li id="credit"><label><input type="radio" name="pay" value="credit" disabled> Store credit</label> '
    f'<span class="balance">{BALANCE}</span> <span class="why">{REASON}</span></li>'
)


def _card(i: int) -> str:
    checked = " checked" if i == 0 else ""
    return f"<li><label><input type='radio' name='pay' value='m{i}'{checked}> Visa ending in {1000 + i}</label></li>"


def _payment(cards: int) -> str:
    """The payment list: `cards` saved cards, then the greyed-out credit, then the order button."""
    methods = "".join(_card(i) for i in range(cards))
    return (
        f'<fieldset><legend>Payment method</legend><ul id="methods">{methods}{CREDIT}</ul></fieldset>'
        '<button type="button" class="place">Place order</button>'
    )


def _nested(inner: str, depth: int, tag: str = "div") -> str:
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


def _deep() -> str:
    """About 2 MB of nested markup: product blocks above the payment list, which is itself nested deep."""
    block = (
        "<article class='product'><h3>Product {i}</h3><p>A description of product {i}, long enough to wrap on a "
        "narrow column and make the page do some layout work.</p><span class='price'>$19.99</span></article>"
    )
    products = "".join(_nested(block.format(i=i), DEEP_BLOCK_NESTING) for i in range(DEEP_BLOCKS))
    return _nested(products, 4, "section")


def _frames() -> str:
    """FRAMES same-origin iframes of widgets (the kind a store embeds: reviews, chat, trust badges)."""
    kinds = ("Reviews ★★★★☆ (1,204)", "Chat with us", "Secure checkout badge", "Recommended for you")
    widget = (
        "<iframe class='widget' title='{kind}' srcdoc=\"<body style='font:13px Arial;margin:4px'>"
        "<b>{kind}</b> <a href='#'>more</a> <button>{i}</button></body>\"></iframe>"
    )
    return "".join(widget.format(kind=kinds[i % len(kinds)], i=i) for i in range(FRAMES))


def page_html(name: str) -> str:
    """The HTML of one bench page by name (one of PAGES)."""
    if name == "small":
        return HEAD.format(before="", payment=_payment(1), after="")
    if name == "cards":
        return HEAD.format(before="", payment=_payment(CARDS), after="")
    if name == "deep":
        payment = _nested(_payment(1), DEEP_PAYMENT_NESTING)
        return HEAD.format(before=_deep(), payment=payment, after="")
    if name == "frames":
        return HEAD.format(before=_frames(), payment=_payment(1), after="")
    raise ValueError(f"no bench page {name!r}; one of {', '.join(PAGES)}")


def app() -> Starlette:
    """The bench pages at /NAME.html, each built once."""
    built = {name: page_html(name) for name in PAGES}

    async def serve(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in built:
            return Response("not found", status_code=404)
        return HTMLResponse(built[name])

    return Starlette(routes=[Route("/{name}.html", serve)])


if __name__ == "__main__":
    for name in PAGES:
        print(f"{name}: {len(page_html(name).encode()) / 1e6:.2f} MB of HTML")
