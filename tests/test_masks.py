"""Masks hide the shopper's data and leave the shop's readable; the cart as checked is in the report.

The bundled store's `shopper-details` scenario shows, beside the order summary, a name, an address, an e-mail, a
phone, a typed delivery note, an account code in a table cell, a gift-card code in an input and saved cards; a gift
recipient in an open shadow root; a delivery contact in a same-origin frame; and a card field served from another
origin, as a payment provider's is. It is probed with masking on, as a real store is.

PROBE_WRITE_MASK_PICTURES=1 also writes one small picture per masked kind to docs/masks/<kind>.png
(`make mask-pictures`).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from in_process import Checked, InProcessChecks
from playwright.sync_api import Page, expect

from mock_store.catalogue import PRODUCTS
from mock_store.frames import FRAMED, SHADOWED
from mock_store.pages import SHOPPER
from mock_store.server import serve_app_in_thread, static_app
from probe.models import MaskKind, Outcome
from probe.walk.screen_mask import OVERLAY_ID, cover, uncover

pytestmark = pytest.mark.browser

SCENARIO = "shopper-details"
VIEWPORT = {"width": 1280, "height": 900}  # probe's own (probe.run.check.VIEWPORT)


@dataclass(frozen=True)
class Spot:
    """Where a datum is on the page: an element (found through open shadow roots), only `text` of it if given, inside
    the same-origin `frame` if given."""

    css: str
    text: str | None = None
    frame: str | None = None


CONTACT_FRAME = "#contact-frame"
# Each secret on the payment page, by the kind of box that must cover it.
SECRETS: dict[str, tuple[Spot, ...]] = {
    "name": (
        Spot("#shopper-name span"),
        Spot("#shadow-name", SHADOWED["shadow_name"]),
        Spot("#frame-name", FRAMED["frame_name"], CONTACT_FRAME),
    ),
    "address": (Spot("#shopper-address"),),
    "email": (Spot("#shopper-email"), Spot("#shadow-email"), Spot("#frame-email", frame=CONTACT_FRAME)),
    "phone": (Spot("#shopper-phone"),),
    "card": (Spot("#card-frame"), Spot(".pay-label", "ending in 4242"), Spot(".pay-label", "ending in 0005")),
    "code": (
        Spot("#claim-code"),
        Spot("#shadow-code", SHADOWED["shadow_code"]),
        Spot("#frame-code", FRAMED["frame_code"], CONTACT_FRAME),
    ),
    "account": (Spot("#shopper-account-code"),),
    "input": (Spot("#order-note"),),
}
# What the reviewer must read: the cart line, its prices, shipping, the total, the credit's balance.
SHOP = {
    "cart line": ".summary-items li",
    "items": ".totals div:nth-child(1)",
    "shipping": ".totals div:nth-child(2)",
    "total": ".totals .total",
    "account balance": "#shopper-accounts td:last-child",
    "credit option": "#credit-options",
}
EVERY_SECRET = [*SHOPPER.values(), *FRAMED.values(), *SHADOWED.values()]
SLACK = 2.0  # CSS pixels between the probe's page and the test's (font hinting)
MAGENTA = (255, 0, 255)
PAGES = Path(__file__).resolve().parent / "data" / "cart"
# Asked for by `make mask-pictures`: one picture per masked kind, in docs/masks.
WRITE_PICTURES = os.environ.get("PROBE_WRITE_MASK_PICTURES") == "1"
PICTURES = Path(__file__).resolve().parents[1] / "docs" / "masks"
PICTURE_MAX_BYTES = 150_000


@pytest.fixture(scope="module")
def checked(checks: InProcessChecks, tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """The scenario probed with masks on, through probe's own check."""
    return checks.check(scenario=SCENARIO, mask=True, out=tmp_path_factory.mktemp("masks") / "report")


BOX_JS = """(els, text) => els.flatMap((el) => {
    let r = el.getBoundingClientRect();
    if (!el.matches('input, textarea, iframe')) {
        const range = el.ownerDocument.createRange();
        range.selectNodeContents(el);
        if (text) {
            const walk = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let node = walk.nextNode();
            while (node && !node.nodeValue.includes(text)) node = walk.nextNode();
            if (!node) return [];
            const at = node.nodeValue.indexOf(text);
            range.setStart(node, at);
            range.setEnd(node, at + text.length);
        }
        r = range.getBoundingClientRect();
    }
    const view = el.ownerDocument.defaultView;
    return [[r.left + view.scrollX, r.top + view.scrollY, r.width, r.height]];
})"""
ELEMENT_BOX_JS = (
    "el => { const r = el.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }"
)
# Where a frame's document starts on the page: its box, less its border and padding.
FRAME_ORIGIN_JS = """(el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return [r.left + scrollX + el.clientLeft + parseFloat(s.paddingLeft),
            r.top + scrollY + el.clientTop + parseFloat(s.paddingTop)];
}"""


def spot_boxes(page: Page, spot: Spot) -> list[list[float]]:
    """The spot's boxes on the page (its text's, for elements that are not fields or frames), in page CSS pixels."""
    if spot.frame is None:
        return page.locator(spot.css).evaluate_all(BOX_JS, spot.text)  # type: ignore[no-any-return]
    x, y = page.locator(spot.frame).evaluate(FRAME_ORIGIN_JS)
    inner = page.frame_locator(spot.frame).locator(spot.css).evaluate_all(BOX_JS, spot.text)
    return [[bx + x, by + y, w, h] for bx, by, w, h in inner]


def one_box(page: Page, spot: Spot) -> list[float]:
    found = spot_boxes(page, spot)
    assert len(found) == 1, f"{spot} is not on the page once: {found}"
    return found[0]


def boxes_on_page(page: Page, css: str) -> list[list[float]]:
    return spot_boxes(page, Spot(css))


def overlaps(a: list[float], b: list[float]) -> bool:
    return (
        a[0] < b[0] + b[2] - SLACK
        and b[0] < a[0] + a[2] - SLACK
        and a[1] < b[1] + b[3] - SLACK
        and b[1] < a[1] + a[3] - SLACK
    )


def covers(outer: list[float], inner: list[float]) -> bool:
    return (
        outer[0] <= inner[0] + SLACK
        and outer[1] <= inner[1] + SLACK
        and outer[0] + outer[2] >= inner[0] + inner[2] - SLACK
        and outer[1] + outer[3] >= inner[1] + inner[3] - SLACK
    )


def open_payment(page: Page) -> None:
    """The scenario's payment page with the probe's cart (its bundled profile's card and amount) and viewport."""
    page.set_viewport_size(VIEWPORT)  # type: ignore[arg-type]
    page.goto(f"/gift-cards?scenario={SCENARIO}")
    product = next(p for p in PRODUCTS if p.kind == "store-digital")
    form = {"slug": product.slug, "amount": "50", "quantity": "1", "recipient_email": "r@example.com"}
    assert page.request.post("/cart/add", form=form).ok
    page.goto("/checkout/payment?address=home")
    expect(page.get_by_role("heading", name="Select a payment method")).to_be_visible()
    expect(page.frame_locator(CONTACT_FRAME).locator("#frame-code")).to_be_visible()


def payment_steps(checked: Checked) -> list[dict[str, Any]]:
    """The steps whose picture shows the payment page: the JPEG of the step that reached it, the annotated PNG."""
    steps = json.loads((checked.out / "report.json").read_text(encoding="utf-8"))["steps"]
    shown = [s for s in steps if s["screenshot"] and "/checkout/payment" in (s["url"] or "")]
    assert {Path(s["screenshot"]).suffix for s in shown} == {".jpg", ".png"}, [s["screenshot"] for s in steps]
    return shown


def in_picture(box: list[float]) -> bool:
    """Whether the payment step's pictures show the box: both (the step's JPEG, the annotated PNG) are its first
    screen."""
    return box[1] + box[3] <= VIEWPORT["height"]


def test_every_secret_is_under_a_box_of_its_kind_and_no_box_touches_the_shop_s_data(
    checked: Checked, page: Page
) -> None:
    assert checked.code == 0, checked.report.observation.error
    assert {k.value for k in MaskKind} == set(SECRETS), "every kind of mask has its datum on the page"
    open_payment(page)
    shown = {kind for kind, spots in SECRETS.items() for spot in spots if in_picture(one_box(page, spot))}
    assert shown == set(SECRETS), "each kind is in the pictures"
    for step in payment_steps(checked):
        masks = step["masks"]
        for kind, spots in SECRETS.items():
            for spot in spots:
                secret = one_box(page, spot)
                if in_picture(secret):
                    hit = any(m["kind"] == kind and covers(m["box"], secret) for m in masks)
                    assert hit, (step["screenshot"], kind, spot, secret, masks)
        for what, css in SHOP.items():
            for shown in boxes_on_page(page, css):
                hit = [m for m in masks if overlaps(m["box"], shown)]
                assert not hit, f"{step['screenshot']}: a mask box covers the {what}: {hit}"
        assert all(m["rule"] for m in masks)


def test_a_card_field_from_another_origin_is_masked_whole_and_says_why(checked: Checked, page: Page) -> None:
    open_payment(page)
    frame = one_box(page, Spot("#card-frame"))
    png = next(s for s in payment_steps(checked) if s["screenshot"].endswith(".png"))
    why = [(m["kind"], m["rule"]) for m in png["masks"] if covers(m["box"], frame)]
    assert why == [("card", "payment-provider-frame")], why
    # The frame is truly of another origin: the page cannot read it, so no rule could have looked inside.
    assert page.locator("#card-frame").evaluate("el => el.contentDocument") is None


def test_a_frame_of_another_origin_is_masked_from_inside_and_one_that_names_a_provider_whole(
    checks: InProcessChecks, store_url: str
) -> None:
    other = store_url.replace("127.0.0.1", "localhost")
    assert other != store_url

    async def look() -> dict[str, Any]:
        page = await checks.browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
        try:
            await page.goto(f"{store_url}/?scenario={SCENARIO}")
            await page.evaluate(ADD_FRAMES_JS, [f"{other}/checkout/contact-frame", f"{other}/provider/card-field"])
            masks = await cover(page, rules=True, full_page=True)
            boxes = {css: await page.locator(css).evaluate(ELEMENT_BOX_JS) for css in ("#chat", "#pay", "#chat-note")}
            chat = page.frame_locator("#chat")
            painted = await chat.locator(f"#{OVERLAY_ID} > div").count()
            await uncover(page)
            left = await chat.locator(f"#{OVERLAY_ID}").count()
            return {"masks": masks, "boxes": boxes, "painted": painted, "left": left}
        finally:
            await page.close()

    seen = checks.call(look())
    chat, pay, note = (seen["boxes"][css] for css in ("#chat", "#pay", "#chat-note"))
    inside = sorted((m.kind.value, m.rule) for m in seen["masks"] if covers(chat, list(m.box)))
    # The chat frame's name, e-mail and code, each boxed where it is on the page; the frame itself is not hidden.
    assert inside == [("code", "code-after-words"), ("email", "email"), ("name", "name-after-words")], inside
    assert seen["painted"] == 3 and seen["left"] == 0, "painted inside the frame, and removed again"
    assert not [m for m in seen["masks"] if overlaps(list(m.box), note)], "the page's own words around it stay"
    whole = [(m.kind.value, m.rule) for m in seen["masks"] if covers(list(m.box), pay)]
    assert whole == [("card", "payment-provider-frame")], whole


ADD_FRAMES_JS = """([chat, pay]) => {
    const note = document.createElement('p'); note.id = 'chat-note'; note.textContent = 'Questions? Ask us below.';
    note.style.cssText = 'position:absolute;left:20px;top:300px;margin:0;background:#fff';
    document.body.append(note);
    const made = [['chat', chat, 20, 330, 360, 96], ['pay', pay, 20, 450, 320, 40]].map(([id, src, x, y, w, h]) => {
        const f = document.createElement('iframe'); f.id = id; f.src = src;
        if (id === 'pay') f.title = 'Secure card payment input frame';
        f.style.cssText = `position:absolute;left:${x}px;top:${y}px;width:${w}px;height:${h}px;border:0`;
        document.body.append(f);
        return new Promise((done) => { f.onload = done; });
    });
    return Promise.all(made);
}"""


def region_stats(page: Page, picture: Path, boxes: list[list[float]]) -> list[dict[str, float]]:
    """For each box of a picture: the share of its pixels in the mask colour, and how many other colours it has."""
    data = "data:image/png;base64," + base64.b64encode(picture.read_bytes()).decode()
    page.goto("about:blank")
    return page.evaluate(  # type: ignore[no-any-return]
        """async ([src, boxes, mask]) => {
            const img = new Image(); img.src = src; await img.decode();
            const canvas = document.createElement("canvas");
            canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
            const ctx = canvas.getContext("2d"); ctx.drawImage(img, 0, 0);
            return boxes.map(([x, y, w, h]) => {
                const d = ctx.getImageData(Math.round(x) + 2, Math.round(y) + 2, Math.max(1, Math.round(w) - 4),
                                           Math.max(1, Math.round(h) - 4)).data;
                let masked = 0; const colours = new Set();
                for (let i = 0; i < d.length; i += 4) {
                    const near = Math.abs(d[i] - mask[0]) < 40 && d[i + 1] < 60 && Math.abs(d[i + 2] - mask[2]) < 40;
                    if (near) masked += 1; else colours.add((d[i] >> 4) * 256 + (d[i + 1] >> 4) * 16 + (d[i + 2] >> 4));
                }
                return {masked: masked / (d.length / 4), colours: colours.size};
            });
        }""",
        [data, boxes, list(MAGENTA)],
    )


def test_the_pictures_show_the_cart_and_hide_the_shopper(checked: Checked, page: Page) -> None:
    open_payment(page)
    every = [(kind, one_box(page, spot)) for kind, spots in SECRETS.items() for spot in spots]
    secrets = [(kind, box) for kind, box in every if in_picture(box)]
    shop = {what: boxes_on_page(page, css)[0] for what, css in SHOP.items() if what != "credit option"}
    summary, form = (page.locator(css).evaluate(ELEMENT_BOX_JS) for css in (".order-summary", "#payment-form"))
    for step in payment_steps(checked):
        picture = checked.out / step["screenshot"]
        stats = region_stats(page, picture, [*(box for _, box in secrets), *shop.values()])
        for (kind, box), seen in zip(secrets, stats[: len(secrets)], strict=True):
            assert seen["masked"] > 0.9, f"a {kind} at {box} is readable in {step['screenshot']}: {seen}"
        for what, seen in zip(shop, stats[len(secrets) :], strict=True):
            assert seen["masked"] == 0 and seen["colours"] >= 2, f"the {what} is not readable: {seen}"
    if WRITE_PICTURES:
        png = next(s for s in payment_steps(checked) if s["screenshot"].endswith(".png"))
        write_pictures(page, checked.out / png["screenshot"], secrets, summary, form)


def write_pictures(
    page: Page, png: Path, secrets: list[tuple[str, list[float]]], summary: list[float], form: list[float]
) -> None:
    """docs/masks/<kind>.png: the annotated payment picture cut to the payment form's rows where the kind shows,
    beside the order summary cut from the same picture."""
    PICTURES.mkdir(parents=True, exist_ok=True)
    src = "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode()
    for kind in SECRETS:
        boxes = [box for k, box in secrets if k == kind]
        top = max(min(b[1] for b in boxes) - 36, 0)
        bottom = min(max(max(b[1] + b[3] for b in boxes) + 24, top + summary[3]), VIEWPORT["height"])
        parts = [(form[0], top, form[2], bottom - top), tuple(summary)]
        cuts = "".join(
            f'<div style="width:{w}px;height:{h}px;background:url({src}) -{x}px -{y}px no-repeat;'
            'flex:none;outline:1px solid #888"></div>'
            for x, y, w, h in parts
        )
        page.set_content(
            f'<div id="cut" style="display:flex;gap:16px;align-items:flex-start;padding:8px;'
            f'background:#fff;width:max-content">{cuts}</div>'
        )
        page.evaluate("() => Promise.all(Array.from(document.images).map((i) => i.decode()))")
        out = PICTURES / f"{kind}.png"
        page.locator("#cut").screenshot(path=str(out))
        assert out.stat().st_size < PICTURE_MAX_BYTES, f"{out} is {out.stat().st_size} bytes"


def test_the_cart_as_checked_is_in_the_report_and_no_secret_is(checked: Checked, page: Page) -> None:
    cart = checked.report.cart
    assert cart is not None
    assert [(i.name, i.quantity, i.amount) for i in cart.items] == [("Everymart eGift Card", 1, 50.0)]
    assert (cart.total, cart.currency) == (50.0, "$")
    said = "\n".join(checked.progress)
    assert said, "the check said what it was doing"
    for name, text in (
        ("report.json", (checked.out / "report.json").read_text(encoding="utf-8")),
        ("report.html", (checked.out / "report.html").read_text(encoding="utf-8")),
        ("the progress lines", said),
    ):
        for secret in EVERY_SECRET:
            assert secret not in text and secret.replace(" ", "") not in text, f"{name} shows {secret!r}"
    page.goto((checked.out / "report.html").resolve().as_uri())
    header = page.locator("#cart")
    expect(header).to_contain_text("Everymart eGift Card")
    expect(header.locator("#cart-total")).to_have_text("$50.00")
    expect(page.locator("#masked-note")).to_be_visible()


def test_the_bundled_demo_is_not_masked(checks: InProcessChecks, tmp_path: Path) -> None:
    done = checks.check(scenario=SCENARIO, out=tmp_path / "report")
    assert done.report.run.masked is False
    assert all(step.masks == () for step in done.report.steps)
    assert done.report.cart is not None and done.report.cart.items[0].name == "Everymart eGift Card"


@pytest.fixture(scope="module")
def cart_pages() -> Iterator[str]:
    """tests/data/cart: payment pages with an order summary, on a real uvicorn."""
    with serve_app_in_thread(static_app(PAGES), name="cart pages") as url:
        yield url


def test_a_cart_without_a_gift_card_gets_no_verdict(checks: InProcessChecks, cart_pages: str, tmp_path: Path) -> None:
    done = checks.check(f"{cart_pages}/headphones.html", payment_page=True, out=tmp_path / "r")
    report = done.report
    assert report.observation.option_state.value == "selectable"  # what was seen stays as seen
    assert report.verdict.outcome is Outcome.inconclusive and done.code == 3
    assert all(v.verdict.outcome is Outcome.inconclusive for v in report.verdicts)
    assert report.observation.error is not None
    assert report.observation.error.startswith("the cart holds “Wireless Headphones”, not a gift card")
    assert report.cart is not None and [i.name for i in report.cart.items] == ["Wireless Headphones"]


def test_a_gift_card_cart_on_a_page_gets_its_verdict(checks: InProcessChecks, cart_pages: str, tmp_path: Path) -> None:
    done = checks.check(f"{cart_pages}/gift-card-euro.html", payment_page=True, out=tmp_path / "r")
    cart = done.report.cart
    assert cart is not None
    assert [(i.name, i.quantity, i.amount) for i in cart.items] == [("Gift card €25", 2, 50.0)]
    assert (cart.total, cart.currency) == (54.9, "€")
    assert done.report.verdict.outcome is not Outcome.inconclusive
