"""Masks hide the shopper's data and leave the shop's readable; the cart as checked is in the report.

The bundled store's `shopper-details` scenario shows a name, an address, an e-mail, a phone, an account code in a table
cell and a gift-card code in an input beside the order summary; it is probed with masking on, as a real store is.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from in_process import Checked, InProcessChecks
from playwright.sync_api import Page, expect

from mock_store.catalogue import PRODUCTS
from mock_store.pages import SHOPPER
from mock_store.server import serve_app_in_thread, static_app
from probe.models import Outcome

pytestmark = pytest.mark.browser

SCENARIO = "shopper-details"
VIEWPORT = {"width": 1280, "height": 900}  # probe's own (probe.run.check.VIEWPORT)
# Each secret on the payment page, by the kind of box that must cover it.
SECRETS = {
    "name": "#shopper-name span",
    "address": "#shopper-address",
    "email": "#shopper-email",
    "phone": "#shopper-phone",
    "account": "#shopper-account-code",
    "code": "#claim-code",
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
SLACK = 2.0  # CSS pixels between the probe's page and the test's (font hinting)
MAGENTA = (255, 0, 255)
PAGES = Path(__file__).resolve().parent / "data" / "cart"
# Where the test leaves one picture per masked kind when asked (MASK_PICTURES=DIR).
PICTURES = os.environ.get("MASK_PICTURES")


@pytest.fixture(scope="module")
def checked(checks: InProcessChecks, tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """The scenario probed with masks on, through probe's own check."""
    return checks.check(scenario=SCENARIO, mask=True, out=tmp_path_factory.mktemp("masks") / "report")


def boxes_on_page(page: Page, css: str) -> list[list[float]]:
    """Every element's box on the page (its text's, for elements that are not fields), in page CSS pixels."""
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        css,
        """els => els.map(el => {
            let r = el.getBoundingClientRect();
            if (!el.matches('input, textarea')) {
                const range = document.createRange(); range.selectNodeContents(el); r = range.getBoundingClientRect();
            }
            return [r.left + scrollX, r.top + scrollY, r.width, r.height];
        })""",
    )


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


def payment_steps(checked: Checked) -> list[dict[str, Any]]:
    """The steps whose picture shows the payment page: the JPEG of the step that reached it, the annotated PNG."""
    steps = json.loads((checked.out / "report.json").read_text(encoding="utf-8"))["steps"]
    shown = [s for s in steps if s["screenshot"] and "/checkout/payment" in (s["url"] or "")]
    assert {Path(s["screenshot"]).suffix for s in shown} == {".jpg", ".png"}, [s["screenshot"] for s in steps]
    return shown


def test_every_secret_is_under_a_box_of_its_kind_and_no_box_touches_the_shop_s_data(
    checked: Checked, page: Page
) -> None:
    assert checked.code == 0, checked.report.observation.error
    open_payment(page)
    for step in payment_steps(checked):
        masks = step["masks"]
        for kind, css in SECRETS.items():
            (secret,) = boxes_on_page(page, css)
            assert any(m["kind"] == kind and covers(m["box"], secret) for m in masks), (step["screenshot"], kind, masks)
        for what, css in SHOP.items():
            for shown in boxes_on_page(page, css):
                hit = [m for m in masks if overlaps(m["box"], shown)]
                assert not hit, f"{step['screenshot']}: a mask box covers the {what}: {hit}"
        assert all(m["rule"] for m in masks)


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


def test_the_picture_shows_the_cart_and_hides_the_shopper(checked: Checked, page: Page) -> None:
    open_payment(page)
    secrets = {kind: boxes_on_page(page, css)[0] for kind, css in SECRETS.items()}
    shop = {what: boxes_on_page(page, css)[0] for what, css in SHOP.items() if what != "credit option"}
    jpeg = next(s for s in payment_steps(checked) if s["screenshot"].endswith(".jpg"))
    stats = region_stats(page, checked.out / jpeg["screenshot"], [*secrets.values(), *shop.values()])
    for kind, seen in zip(secrets, stats[: len(secrets)], strict=True):
        assert seen["masked"] > 0.9, f"the {kind} is readable in {jpeg['screenshot']}: {seen}"
    for what, seen in zip(shop, stats[len(secrets) :], strict=True):
        assert seen["masked"] == 0 and seen["colours"] >= 2, f"the {what} is not readable: {seen}"
    if PICTURES:
        png = next(s for s in payment_steps(checked) if s["screenshot"].endswith(".png"))
        first = {m["kind"]: m["box"] for m in reversed(png["masks"])}
        save_pictures(page, checked, first, shop, Path(PICTURES))


def save_pictures(
    page: Page, checked: Checked, secrets: dict[str, list[float]], shop: dict[str, list[float]], folder: Path
) -> None:
    """One picture per masked kind: the annotated payment picture cut to one box of that kind and the order
    summary."""
    folder.mkdir(parents=True, exist_ok=True)
    png = checked.out / "payment-annotated.png"
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto("about:blank")
    page.set_content(f'<img id="p" src="data:image/png;base64,{base64.b64encode(png.read_bytes()).decode()}">')
    page.locator("#p").evaluate("img => img.decode()")
    page.add_style_tag(content="body{margin:0}")
    summary = shop["cart line"], shop["total"]
    for kind, box in secrets.items():
        left = min(box[0], *(b[0] for b in summary)) - 160
        top = min(box[1], *(b[1] for b in summary)) - 40
        right = max(box[0] + box[2], *(b[0] + b[2] for b in summary)) + 16
        bottom = max(box[1] + box[3], *(b[1] + b[3] for b in summary)) + 16
        clip = {"x": max(left, 0), "y": max(top, 0), "width": right - max(left, 0), "height": bottom - max(top, 0)}
        page.screenshot(path=str(folder / f"masked-{kind}.png"), clip=clip)  # type: ignore[arg-type]


def test_the_cart_as_checked_is_in_the_report_and_no_secret_is(checked: Checked, page: Page) -> None:
    cart = checked.report.cart
    assert cart is not None
    assert [(i.name, i.quantity, i.amount) for i in cart.items] == [("Everymart eGift Card", 1, 50.0)]
    assert (cart.total, cart.currency) == (50.0, "$")
    for name in ("report.json", "report.html"):
        text = (checked.out / name).read_text(encoding="utf-8")
        for key, secret in SHOPPER.items():
            assert secret not in text, f"{name} shows the shopper's {key}"
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


SHOPPER_TEXT = {
    "a greeting's name": ("Hello, Jordan", "Jordan"),
    "a delivery name": ("Ship to: Jordan Lee", "Jordan Lee"),
    "a phone": ("Phone: +1 (206) 555-0148", "555-0148"),
    "a street": ("1200 Harbor Street", "Harbor"),
    "a city and ZIP": ("Seattle, WA 98101", "98101"),
    "an account code": ("Account code: ACCT-7Q2X-99KD", "7Q2X"),
    "a generated code": ("Code GK7UQ8WA5TQZ", "GK7UQ8WA5TQZ"),
}
SHOP_TEXT = [
    "$25 eGift Card",
    "Order total: $50.00",
    "Shipping & handling: $4.99",
    "Gift card €25 × 2",
    "Refund credit - order 100022",
    "Promotional credit can't be used to buy gift cards.",
    "Welcome Gift Card",
    "2026-12-31",
]


@pytest.mark.parametrize(("text", "secret"), SHOPPER_TEXT.values(), ids=SHOPPER_TEXT.keys())
def test_shopper_text_is_masked(text: str, secret: str) -> None:
    from probe.safety.shopper_data import mask_shopper_text

    assert secret not in mask_shopper_text(text)


@pytest.mark.parametrize("text", SHOP_TEXT)
def test_shop_text_stays(text: str) -> None:
    from probe.safety.shopper_data import mask_shopper_text

    assert mask_shopper_text(text) == text


def test_cart_rows_read_and_judged() -> None:
    from probe.detect.cart_words import Row, cart_from_rows, wrong_item

    cart = cart_from_rows([Row(name="2 × Gift card €25", amount="50,00 €", quantity="2 × Gift card €25")], "54,90 €")
    assert cart is not None and cart.items[0].name == "Gift card €25" and cart.items[0].quantity == 2
    assert wrong_item(cart) is None
    book = cart_from_rows([Row(name="A book for jordan.lee@example.com", amount="$12.00")], None)
    assert book is not None and "jordan.lee@example.com" not in book.items[0].name
    assert (wrong_item(book) or "").startswith("the cart holds “A book for •••”, not a gift card")
    assert cart_from_rows([], None) is None
    assert wrong_item(None) is None and wrong_item(cart_from_rows([], "$5.00")) is None
