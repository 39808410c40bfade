"""Parts of the payment page that live in their own documents: a contact card in a same-origin frame, and a card field
hosted by a payment provider, served to the page from another origin (the other name of the loopback address)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

router = APIRouter()

# What the frames show of the shopper (ui.shopper_details): never the shop's data, and each a kind masks must hide.
FRAMED = {
    "frame_name": "Avery Quinn",
    "frame_email": "avery.quinn@example.org",
    "frame_code": "VC-8812-KQ44-Z7P1",
    "card_number": "4111 1111 1111 1111",
}
# What the page's shadow root shows of the shopper.
SHADOWED = {
    "shadow_name": "Morgan Blake",
    "shadow_email": "morgan.blake@example.net",
    "shadow_code": "GC-5530-RW81-TT26",
}
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def provider_origin(request: Request) -> str:
    """The same server under the loopback's other name: another origin to the browser, as a payment provider's is."""
    host = request.url.hostname or ""
    other = LOOPBACK_NAMES[1] if host != LOOPBACK_NAMES[1] else LOOPBACK_NAMES[0]
    port = f":{request.url.port}" if request.url.port else ""
    return f"{request.url.scheme}://{other}{port}"


def _page(request: Request, template: str) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, {"framed": FRAMED})


@router.get("/checkout/contact-frame")
def contact_frame(request: Request) -> Response:
    """The delivery contact, shown in a frame of the store's own origin."""
    return _page(request, "frames/contact.html")


@router.get("/provider/card-field")
def provider_card_field(request: Request) -> Response:
    """A payment provider's hosted card field, as the payment page embeds it from the provider's origin."""
    return _page(request, "frames/card_field.html")
