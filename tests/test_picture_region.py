"""The annotated picture is the region around the credit options, not the page: its geometry, and the report of a
payment page whose greyed-out credit sits below 5,000 saved cards, opened in Chromium as a reviewer opens it."""

from __future__ import annotations

import base64
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from in_process import Checked, InProcessChecks
from playwright.sync_api import Page

from mock_store.server import serve_app_in_thread
from probe.models import OptionState
from probe.report.annotate import MAX_SCREENS, TAG_ROOM, picture_region
from probe.report.render import image_size

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = (1280.0, 900.0)
GREYED = (0xB3, 0x59, 0x00)  # probe.report.annotate's outline colour for greyed_out


def inside(box: tuple[float, float, float, float], region: tuple[int, int, int, int] | None) -> bool:
    assert region is not None
    x, y, w, h = box
    rx, ry, rw, rh = region
    return rx <= x and ry <= y - TAG_ROOM + 6 and x + w <= rx + rw and y + h <= ry + rh


def test_a_page_no_longer_than_the_viewport_is_pictured_whole() -> None:
    picture = picture_region([(35.0, 183.0, 1209.0, 35.0)], (20.0, 60.0, 400.0, 30.0), (1280, 900), VIEWPORT)
    assert picture.region == (0, 0, 1280, 900) and picture.note is None


def test_an_option_at_the_bottom_of_a_long_page_is_pictured_in_one_viewport_with_room_above() -> None:
    box = (35.0, 195_144.0, 1209.0, 35.0)
    heading = (20.0, 60.0, 400.0, 30.0)  # far above: left out rather than stretching the picture
    picture = picture_region([box], heading, (1280, 195_300), VIEWPORT)
    assert picture.region is not None and picture.region[2:] == (1280, 900)
    assert inside(box, picture.region) and picture.note is None
    # The page ends 121 px below the option: the region ends with the page, not past it.
    assert picture.region[1] + picture.region[3] <= 195_300


def test_the_payment_heading_is_in_view_when_it_fits_and_options_far_apart_are_said() -> None:
    first, second = (30.0, 5000.0, 600.0, 40.0), (30.0, 6200.0, 600.0, 40.0)
    with_heading = picture_region([first, second], (30.0, 4700.0, 300.0, 30.0), (1280, 20_000), VIEWPORT)
    assert with_heading.region is not None and with_heading.region[1] <= 4700
    assert inside(first, with_heading.region) and inside(second, with_heading.region) and with_heading.note is None
    assert with_heading.region[3] <= MAX_SCREENS * VIEWPORT[1]

    far = (30.0, 9000.0, 600.0, 40.0)
    capped = picture_region([first, far], None, (1280, 20_000), VIEWPORT)
    assert capped.region is not None and capped.region[3] == MAX_SCREENS * VIEWPORT[1]
    assert inside(first, capped.region) and not inside(far, capped.region)
    assert capped.note and "2 credit options" in capped.note and "--full-page" in capped.note


def test_a_wide_option_right_of_the_viewport_is_in_the_picture() -> None:
    box = (1500.0, 400.0, 300.0, 40.0)
    picture = picture_region([box], None, (2000, 3000), VIEWPORT)
    assert inside(box, picture.region)


def _long_pages() -> ModuleType:
    """bench/long_pages.py, which generates the bench's long pages (bench/ is no package)."""
    spec = importlib.util.spec_from_file_location("long_pages", ROOT / "bench" / "long_pages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cards_run(checks: InProcessChecks, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checked]:
    """`probe check --payment-page` on the bench page of 5,000 saved cards above a greyed-out store credit."""
    pages = _long_pages()
    with serve_app_in_thread(pages.app(), name="long pages") as url:
        out = tmp_path_factory.mktemp("cards") / "report"
        yield checks.check(f"{url}/cards.html", payment_page=True, out=out, mask=False)


@pytest.mark.browser
def test_the_reviewer_sees_the_greyed_balance_and_its_reason_in_the_first_screen(
    cards_run: Checked, page: Page
) -> None:
    report = cards_run.report
    assert report.observation.option_state is OptionState.greyed_out, report.observation
    (credit,) = report.observation.credit_options
    assert credit.box is not None and credit.box[1] > 100_000, "the credit sits at the bottom of a long page"
    region, png = report.annotated_region, cards_run.out / "payment-annotated.png"
    assert report.annotated_screenshot == "payment-annotated.png" and inside(credit.box, region)
    assert region is not None and image_size(png) == region[2:], "the picture is the region, no more"
    assert png.stat().st_size < 400_000

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto((cards_run.out / "report.html").resolve().as_uri())
    reason = page.locator("#reason")
    assert "can't be used to buy gift cards" in reason.inner_text()
    # The verdict shows the credit cut out of the annotated picture: outline, balance and reason, in the first screen.
    crop = page.locator("#option-crop")
    crop_box, reason_box = crop.bounding_box(), reason.bounding_box()
    assert crop_box and reason_box and reason_box["y"] + reason_box["height"] <= 900
    assert crop_box["y"] + crop_box["height"] <= 900, f"the credit's picture ends at {crop_box}, below the first screen"
    cx, cy, cw, ch = (float(v) for v in (crop.get_attribute("viewBox") or "").split())
    x, y = credit.box[0] - region[0], credit.box[1] - region[1]
    assert cx <= x - 3 and cy <= y and x + 40 <= cx + cw and y + credit.box[3] <= cy + ch, "the crop shows the option"
    assert crop.locator("image").get_attribute("href") == "payment-annotated.png"
    # ...and it is outlined there in the greyed-out colour: the pixel on the outline, left of the option.
    colour = page.evaluate(
        """async ([src, x, y]) => {
            const img = new Image(); img.src = src; await img.decode();
            const canvas = document.createElement("canvas");
            canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
            const ctx = canvas.getContext("2d"); ctx.drawImage(img, 0, 0);
            return Array.from(ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data).slice(0, 3);
        }""",
        [
            "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode(),
            credit.box[0] - region[0] - 3,
            credit.box[1] - region[1] + credit.box[3] / 2,
        ],
    )
    assert all(abs(a - b) <= 12 for a, b in zip(colour, GREYED, strict=True)), colour
