"""The payment-step picture with each credit option outlined and labelled with its state: the viewport-sized part of
the page around the options (their labels and the payment heading in view), so its cost does not grow with the page;
the whole page on request (--full-page)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.async_api import Locator, Page

from probe.models import Mask, Observation, OptionState

if TYPE_CHECKING:
    from playwright._impl._api_structures import Clip

COLOURS = {
    OptionState.selectable: "#1a7f37",
    OptionState.greyed_out: "#b35900",
    OptionState.absent: "#6e7781",
    OptionState.unknown: "#cf222e",
}
OVERLAY_ID = "__probe_annotation__"
DRAW_JS = """
([id, boxes, words]) => {
  const root = document.createElement("div");
  root.id = id;
  root.setAttribute("aria-hidden", "true");
  root.style.cssText = "position:absolute;left:0;top:0;width:0;height:0;z-index:2147483647;pointer-events:none";
  for (const b of boxes) {
    const frame = document.createElement("div");
    frame.style.cssText = `position:absolute;left:${b.x - 4}px;top:${b.y - 4}px;width:${b.w + 8}px;` +
      `height:${b.h + 8}px;border:3px solid ${b.colour};border-radius:4px;box-sizing:border-box`;
    const tag = document.createElement("div");
    tag.textContent = b.text;
    tag.style.cssText = `position:absolute;left:${b.x - 4}px;top:${Math.max(0, b.y - 26)}px;background:${b.colour};` +
      "color:#fff;font:bold 13px/20px Arial,sans-serif;padding:1px 6px;border-radius:3px;white-space:nowrap";
    root.append(frame, tag);
  }
  document.documentElement.appendChild(root);
  // What the region around the options needs: the page's size, the viewport's, and the nearest heading above the
  // options (the nearest payment heading when there is one).
  const doc = document.documentElement, body = document.body;
  const top = Math.min(...boxes.map((b) => b.y));
  const payment = words ? new RegExp(words, "i") : null;
  let heading = null, paymentHeading = null;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6, legend, [role=heading]")) {
    const r = h.getBoundingClientRect();
    const y = r.top + scrollY;
    if (!r.width || !r.height || y + r.height > top + 1) continue;
    const found = [r.left + scrollX, y, r.width, r.height];
    if (!heading || y > heading[1]) heading = found;
    const named = payment && payment.test(h.textContent || "");
    if (named && (!paymentHeading || y > paymentHeading[1])) paymentHeading = found;
  }
  return {
    page: [Math.max(doc.scrollWidth, body ? body.scrollWidth : 0, doc.clientWidth),
           Math.max(doc.scrollHeight, body ? body.scrollHeight : 0, doc.clientHeight)],
    viewport: [innerWidth, innerHeight],
    scroll: [scrollX, scrollY],
    heading: paymentHeading || heading,
  };
}
"""
REMOVE_JS = "(id) => { const el = document.getElementById(id); if (el) el.remove(); }"
SCROLL_JS = "([x, y]) => window.scrollTo(x, y)"


Rect = tuple[float, float, float, float]
# The picture is at most this many viewport heights tall, whatever the page's length: options farther apart than
# that are said in a note (--full-page shows the whole page).
MAX_SCREENS = 3
# Room kept above the topmost option for its state tag (drawn 26 px above its outline), and around everything else.
TAG_ROOM = 32
MARGIN = 16


@dataclass(frozen=True)
class PaymentPicture:
    """What the annotated picture shows: `region` of the page (x, y, width, height in page pixels; None: the whole
    page), and what it leaves out, when it does."""

    region: tuple[int, int, int, int] | None = None
    note: str | None = None
    masks: tuple[Mask, ...] = ()  # the shopper's data painted over in it


# The page with the shopper's data painted over for the length of a block (Walker.masked): over the whole page with
# full_page=True, else over the viewport.
Masking = Callable[..., AbstractAsyncContextManager[tuple[Mask, ...]]]


def picture_region(
    boxes: Sequence[Rect],
    heading: Rect | None,
    page: tuple[float, float],
    viewport: tuple[float, float],
    scroll: tuple[float, float] = (0, 0),
) -> PaymentPicture:
    """The region of the page around the options `boxes` (page pixels): at least a viewport, the payment `heading`
    above them when it fits, at most MAX_SCREENS viewports tall; a note when the options lie farther apart."""
    vw, vh = viewport
    pw, ph = max(page[0], 1), max(page[1], 1)
    if not boxes:
        x, y = _clamp(scroll[0], min(vw, pw), pw), _clamp(scroll[1], min(vh, ph), ph)
        return PaymentPicture(_whole(x, y, min(vw, pw), min(vh, ph)))
    cap = MAX_SCREENS * vh
    top = min(b[1] for b in boxes) - TAG_ROOM
    bottom = max(b[1] + b[3] for b in boxes) + MARGIN
    left = min(b[0] for b in boxes) - MARGIN
    right = max(b[0] + b[2] for b in boxes) + MARGIN
    note = None
    if bottom - top > cap:
        shown = sum(1 for b in boxes if b[1] + b[3] + MARGIN <= top + cap)
        note = (
            f"the {len(boxes)} credit options lie {bottom - top:,.0f} px apart, more than the picture's "
            f"{MAX_SCREENS} screens ({cap:,.0f} px): it outlines the first {shown}; --full-page pictures the whole page"
        )
        bottom = top + cap
    elif heading is not None and bottom - (heading[1] - MARGIN) <= cap:
        top = min(top, heading[1] - MARGIN)
    height = min(max(bottom - top, vh), ph)
    # A short region grows to a viewport: a third of what it gains above the options, the rest below (their reasons).
    y = _clamp(top - (height - (bottom - top)) / 3, height, ph)
    width = min(max(right - left, vw), pw)
    x = _clamp(min(left, right - width), width, pw)
    return PaymentPicture(_whole(x, y, width, height), note)


def _clamp(start: float, size: float, total: float) -> float:
    """`start` moved so that [start, start + size] lies within [0, total]."""
    return max(0.0, min(start, total - size))


def _whole(x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
    """Whole pixels, so a box's page position minus the region's origin is its place on the picture."""
    return (int(x), int(y), max(1, round(w)), max(1, round(h)))


def _masking(masked: Masking | None, *, full_page: bool) -> AbstractAsyncContextManager[tuple[Mask, ...]]:
    return masked(full_page=full_page) if masked is not None else contextlib.nullcontext(())


async def annotated_screenshot(
    page: Page,
    observation: Observation,
    path: Path,
    masked: Masking | None = None,
    *,
    full_page: bool = False,
    heading_words: str = "",
) -> PaymentPicture:
    """Outline each credit option with its state, picture the region around them (the whole page with
    `full_page`), the shopper's data painted over by `masked`, and remove the outline again; returns what the
    picture shows and the masks painted on it. `heading_words`: a payment heading's words (a regular expression) to keep
    in view, else the nearest heading above the options."""
    boxes = [
        {
            "x": option.box[0],
            "y": option.box[1],
            "w": option.box[2],
            "h": option.box[3],
            "colour": COLOURS[option.option_state],
            "text": f"{option.option_state.value}: {option.label[:48]}",
        }
        for option in observation.credit_options
        if option.box is not None
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    seen = await page.evaluate(DRAW_JS, [OVERLAY_ID, boxes, heading_words])
    try:
        if full_page:
            async with _masking(masked, full_page=True) as masks:
                await page.screenshot(path=str(path), full_page=True)
            return PaymentPicture(masks=masks)
        rects = [option.box for option in observation.credit_options if option.box is not None]
        heading = tuple(seen["heading"]) if seen["heading"] else None
        picture = picture_region(rects, heading, seen["page"], seen["viewport"], seen["scroll"])
        masks = await _picture_region(page, path, picture.region or (0, 0, 1, 1), seen, masked)
        return replace(picture, masks=masks)
    finally:
        await page.evaluate(REMOVE_JS, OVERLAY_ID)


async def _picture_region(
    page: Page, path: Path, region: tuple[int, int, int, int], seen: dict[str, Any], masked: Masking | None
) -> tuple[Mask, ...]:
    """Picture `region` of the page, masked. A region no larger than the viewport is scrolled into view (its masks
    painted there) and taken from it, the page scrolled back after: Chromium paints that much and no more. A taller
    one is clipped from the page, which makes Chromium lay out the page at its full length: it costs more."""
    x, y, w, h = region
    vw, vh = seen["viewport"]
    if w > vw or h > vh:
        clip: Clip = {"x": x, "y": y, "width": w, "height": h}
        async with _masking(masked, full_page=True) as masks:
            await page.screenshot(path=str(path), full_page=True, clip=clip)
        return masks
    await page.evaluate(SCROLL_JS, [x, y])
    try:
        # Where the page let itself be scrolled: at its end it may stop short of (x, y).
        sx, sy = await page.evaluate("() => [scrollX, scrollY]")
        clip = {"x": x - sx, "y": y - sy, "width": w, "height": h}
        async with _masking(masked, full_page=False) as masks:
            await page.screenshot(path=str(path), clip=clip)
        return masks
    finally:
        await page.evaluate(SCROLL_JS, seen["scroll"])


async def outlined_screenshot(
    page: Page, boxes: Sequence[dict[str, object]], path: Path, mask: Sequence[Locator] = (), heading_words: str = ""
) -> None:
    """A full-page screenshot with boxes outlined and labelled (x, y, w, h, colour, text), `mask` painted over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.evaluate(DRAW_JS, [OVERLAY_ID, list(boxes), heading_words])
    try:
        await page.screenshot(path=str(path), full_page=True, mask=list(mask))
    finally:
        await page.evaluate(REMOVE_JS, OVERLAY_ID)
