"""The report of a real `probe check`, opened from file:// in Chromium: what a reviewer sees, masks, trace, JUnit,
`probe open`, and page text that must stay text."""

from __future__ import annotations

import base64
import json
import webbrowser
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from typer.testing import CliRunner

from mock_store.server import serve_app_in_thread
from probe.cli import app
from probe.walk.profile import BUNDLED_PROFILE

pytestmark = pytest.mark.browser

runner = CliRunner()
MASK = (255, 0, 255)  # Playwright's default mask colour, #FF00FF
SELECTABLE = (0x1A, 0x7F, 0x37)  # probe.report.annotate's outline colours
GREYED = (0xB3, 0x59, 0x00)
HOSTILE = '<img src=x onerror="window.__pwned=1">Store credit'

# A payment page with personal data on it; its credit option's label is page text that looks like markup.
PAYMENT_PAGE = """<!doctype html><html><head><title>Checkout</title></head>
<body style="font:18px sans-serif;margin:24px">
<h1>Payment</h1>
<p>Hello, <span id="greeting">Jordan</span> · signed in as <span id="email">jordan.lee@example.com</span></p>
<fieldset id="payment" style="width:560px"><legend>Choose how to pay</legend>
<label><input type="radio" name="pay" value="card" checked> Card <span id="card">4111 1111 1111 1111</span></label>
<br><br>
<label id="credit"><input type="radio" name="pay" value="credit"> {label}</label>
<span id="balance" style="margin-left:12px">$25.00</span>
</fieldset>
<p id="member" style="margin-top:24px">Member number M-77881</p>
</body></html>"""


@dataclass(frozen=True)
class Run:
    code: int
    out: Path
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads((self.out / "report.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def check(out: Path, *args: str) -> Run:
    result = runner.invoke(app, ["check", "--out", str(out), *args])
    assert "Traceback" not in result.output, result.output
    return Run(result.exit_code, out, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def page_server() -> Iterator[str]:
    """A small store of one payment page, on a real uvicorn server."""

    async def pay(request: Request) -> Response:
        return HTMLResponse(PAYMENT_PAGE.format(label=HOSTILE.replace("<", "&lt;").replace(">", "&gt;")))

    with serve_app_in_thread(Starlette(routes=[Route("/pay", pay)]), name="page server") as url:
        yield url


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The embedded default (bundled store, default scenario), judged two weeks before its refund credit expires."""
    base = tmp_path_factory.mktemp("default")
    return check(
        base / "report", "--today", "2027-02-15", "--expect", "can_use", "--trace", "--junit", str(base / "junit.xml")
    )


@pytest.fixture(scope="module")
def greyed_run(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A greyed-out promotional credit on the session's store, expected (wrongly) to be usable."""
    base = tmp_path_factory.mktemp("greyed")
    url = f"{store_url}/scenario/promo-aria-disabled"
    args = (
        "--today",
        "2026-11-25",
        "--expect",
        "can_use",
        "--junit",
        str(base / "j.xml"),
        "--profile",
        str(BUNDLED_PROFILE),
    )
    return check(base / "report", url, *args)


def pixels(page: Page, png: Path, points: list[tuple[float, float]]) -> list[tuple[int, int, int]]:
    """The RGB colour of a PNG at each (x, y), decoded by Chromium from a data: URL (so no canvas taint)."""
    data = "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode()
    page.goto("about:blank")
    found = page.evaluate(
        """async ([src, points]) => {
            const img = new Image(); img.src = src; await img.decode();
            const canvas = document.createElement("canvas");
            canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
            const ctx = canvas.getContext("2d"); ctx.drawImage(img, 0, 0);
            return points.map(([x, y]) => Array.from(ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data));
        }""",
        [data, points],
    )
    return [(r, g, b) for r, g, b, _ in found]


def on_picture(report: dict[str, Any], box: list[float]) -> tuple[float, float, float, float]:
    """An option's box (page pixels) on the annotated picture, which shows the region `annotated_region` of the page."""
    rx, ry, rw, rh = report["annotated_region"]
    x, y, w, h = box
    assert rx <= x and ry <= y and x + w <= rx + rw and y + h <= ry + rh, (
        f"{box} is not within {report['annotated_region']}"
    )
    return x - rx, y - ry, w, h


def near(colour: tuple[int, int, int], want: tuple[int, int, int], slack: int = 12) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour, want, strict=True))


def open_report(page: Page, folder: Path) -> list[str]:
    """Open folder/report.html from file://; returns every URL the page requests."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((folder / "report.html").resolve().as_uri())
    page.wait_for_load_state("load")
    return requests


def assert_images_loaded(page: Page) -> None:
    sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.getAttribute('src'), i.naturalWidth])")
    assert sizes, "the report shows no screenshot"
    assert all(width > 0 for _, width in sizes), sizes


def test_default_report_shows_the_verdict_warning_and_outlined_payment_step(default_run: Run, page: Page) -> None:
    assert default_run.code == 0, default_run.stderr
    report = default_run.report
    requests = open_report(page, default_run.out)
    card = page.locator("#verdict")
    assert card.locator(".outcome").inner_text() == "Can use"
    assert "R-refund" in page.locator("#deciding-rule").inner_text()
    assert page.locator("#reason").inner_text() == "the store stated none"
    assert "use it before 2027-03-01" in page.locator("#warnings").inner_text()
    other = page.locator("#other-options").inner_text()
    assert "Promotional credit" in other and "Cannot use" in other
    assert page.locator("#no-order").is_visible()
    table = page.locator("#requests")
    assert table.is_visible()
    add = table.locator("tbody tr", has_text="/cart/add")
    assert add.count() >= 1 and "allowed" in add.first.inner_text()
    assert page.locator("#order-requests-blocked").count() == 0
    assert page.locator("#masked-note").count() == 0  # the bundled store is not masked
    assert page.locator("#steps figure").count() == len(report["steps"]) >= 5
    assert_images_loaded(page)
    assert page.locator("#annotated-screenshot").get_attribute("src") == report["annotated_screenshot"]

    thumb = page.locator("#steps a.thumb").first
    small = thumb.locator("img").bounding_box()
    thumb.click()
    viewer = page.locator("#viewer")
    assert viewer.is_visible()
    enlarged = viewer.locator(".viewer-body img")
    page.wait_for_function("() => document.querySelector('#viewer img')?.complete")
    big = enlarged.bounding_box()
    assert small and big and big["width"] > 2 * small["width"]
    assert "1. account credit" in viewer.locator(".viewer-caption").inner_text()
    viewer.locator("[data-close]").click()
    assert not viewer.is_visible()
    assert requests and all(url.startswith("file://") for url in requests), requests

    # The annotated picture outlines the selectable refund credit in green at its box's left edge.
    refund = next(o for o in report["observation"]["credit_options"] if o["label"] == "Refund credit")
    x, y, w, h = on_picture(report, refund["box"])
    edge, inside = pixels(page, default_run.out / "payment-annotated.png", [(x - 3, y + h / 2), (x + w / 2, y + 2)])
    assert near(edge, SELECTABLE), edge
    assert not near(inside, SELECTABLE), inside


def test_greyed_report_states_the_reason_and_outlines_the_greyed_option(greyed_run: Run, page: Page) -> None:
    assert greyed_run.code == 1, greyed_run.stderr
    assert "expected can_use, got cannot_use" in greyed_run.stderr
    open_report(page, greyed_run.out)
    assert page.locator("#verdict .outcome").inner_text() == "Cannot use"
    assert "R-greyed" in page.locator("#deciding-rule").inner_text()
    assert "isn't valid for gift card purchases" in page.locator("#reason").inner_text()
    assert "Greyed out" in page.locator("#verdict").inner_text()
    other = page.locator("#other-options").inner_text()
    assert "Refund credit" in other and "Can use" in other
    assert "painted over in magenta" in page.locator("#masked-note").inner_text()  # a URL is masked by default
    assert_images_loaded(page)
    promo = greyed_run.report["observation"]["credit_options"][0]
    x, y, _, h = on_picture(greyed_run.report, promo["box"])
    (edge,) = pixels(page, greyed_run.out / "payment-annotated.png", [(x - 3, y + h / 2)])
    assert near(edge, GREYED), edge


def test_trace_is_a_playwright_trace_linked_from_the_report(default_run: Run, page: Page) -> None:
    trace = default_run.out / "trace.zip"
    with zipfile.ZipFile(trace) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
    assert any(n.endswith(".trace") for n in names) and any(n.endswith(".network") for n in names), names
    assert default_run.report["trace"] == "trace.zip"
    open_report(page, default_run.out)
    href = page.locator("#trace-link").get_attribute("href")
    assert href and (default_run.out / href).resolve() == trace.resolve()


def test_junit_has_one_case_per_check_and_a_failure_when_the_expectation_differs(
    default_run: Run, greyed_run: Run
) -> None:
    passed = ET.parse(default_run.out.parent / "junit.xml").getroot()
    cases = passed.findall(".//testcase")
    assert len(cases) == 1 and passed.get("tests") == "1" and passed.get("failures") == "0"
    assert cases[0].find("failure") is None and cases[0].find("error") is None
    failed = ET.parse(greyed_run.out.parent / "j.xml").getroot()
    (case,) = failed.findall(".//testcase")
    failure = case.find("failure")
    assert failure is not None and failure.get("message") == "expected can_use, got cannot_use"
    assert "R-greyed" in (failure.text or "")
    assert failed.get("failures") == "1"


def masked_at(page: Page, page_url: str, png: Path, ids: list[str]) -> list[bool]:
    """For each element id on the served page, whether the screenshot shows the mask colour at its centre."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page_url)
    points = []
    for element_id in ids:
        box = page.locator(f"#{element_id}").bounding_box()
        assert box, element_id
        points.append((box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
    return [near(c, MASK, slack=2) for c in pixels(page, png, points)]


@pytest.fixture(scope="module")
def plain_run(page_server: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The served payment page probed with masking turned off."""
    return check(tmp_path_factory.mktemp("plain") / "r", f"{page_server}/pay", "--payment-page", "--no-mask")


def test_real_stores_are_masked_by_default_and_mask_selector_adds(
    page_server: str, plain_run: Run, page: Page, tmp_path: Path
) -> None:
    url = f"{page_server}/pay"
    run = check(tmp_path / "masked", url, "--payment-page", "--mask-selector", "#member")
    assert run.code == 0, run.stderr
    ids = ["greeting", "email", "card", "balance", "member"]
    # The shopper's name, e-mail and card and what --mask-selector names are hidden; the credit's balance is the
    # shop's and stays readable.
    hidden = [True, True, True, False, True]
    assert masked_at(page, url, run.out / run.report["steps"][-1]["screenshot"], ids) == hidden
    assert masked_at(page, url, run.out / "payment-annotated.png", ids) == hidden

    assert plain_run.code == 0, plain_run.stderr
    shot = plain_run.out / plain_run.report["steps"][-1]["screenshot"]
    assert masked_at(page, url, shot, ids) == [False] * 5


def test_page_text_that_looks_like_markup_stays_text(plain_run: Run, page: Page) -> None:
    assert plain_run.code == 0, plain_run.stderr
    assert plain_run.report["observation"]["option_label"] == HOSTILE
    requests = open_report(page, plain_run.out)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert page.get_by_text(HOSTILE).first.is_visible()
    assert all(url.startswith("file://") for url in requests), requests


def test_open_prints_the_url_where_no_browser_opens_it(default_run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def no_browser(url: str, *args: object, **kwargs: object) -> bool:
        asked.append(url)
        return False

    monkeypatch.setattr(webbrowser, "open", no_browser)
    result = runner.invoke(app, ["open", str(default_run.out)])
    uri = (default_run.out / "report.html").resolve().as_uri()
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == uri
    assert asked == [uri]
    assert "no browser" in result.stderr


def test_open_a_folder_without_a_report_is_bad_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["open", str(tmp_path)])
    assert result.exit_code == 2
    assert "no report.html" in result.stderr and str(tmp_path) in result.stderr
    assert result.stdout == ""
