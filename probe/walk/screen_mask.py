"""Screenshots that hide the shopper's data and leave the shop's readable: boxes painted by the mask rules, listed."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
import weakref
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError

from probe.models import Mask, MaskKind
from probe.safety.shopper_data import mask_rules, origin

if TYPE_CHECKING:
    from playwright.async_api import ElementHandle, Frame, Page

COVER_JS = Path(__file__).with_name("screen_mask.js").read_text(encoding="utf-8")
OVERLAY_ID = "__probe_masks__"
REMOVE_JS = "(id) => { const el = document.getElementById(id); if (el) el.remove(); }"
# Playwright's own mask colour, so a masked box looks the same wherever it was painted.
COLOUR = "#FF00FF"
# Inputs are hidden in every screenshot taken while signing in: they hold what was typed.
SIGN_IN_MASK = "input:not([type=hidden]), textarea, select"
USER_RULE = "--mask-selector"
# How long painting or removing the masks may take: a page whose document never came runs no script at all.
PAINT_TIMEOUT_S = 5.0
# How long the frames of other origins, masked from inside all at once, may take before they are masked whole.
FRAME_PAINT_TIMEOUT_S = 2.0
NAMED_FRAME_JS = "(el, css) => css.some((c) => { try { return el.matches(c); } catch (e) { return false; } })"
# Where a frame's viewport starts on the top page: its element's box, less its border and padding.
FRAME_ORIGIN_JS = """(el) => {
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return [r.left + scrollX + el.clientLeft + (parseFloat(s.paddingLeft) || 0),
          r.top + scrollY + el.clientTop + (parseFloat(s.paddingTop) || 0)];
}"""
# The frames of each page painted from inside, to clean again.
_painted: weakref.WeakKeyDictionary[Page, list[Frame]] = weakref.WeakKeyDictionary()


@functools.cache
def _shipped() -> dict[str, Any]:
    rules = mask_rules()
    return {
        "money": rules.keep,
        "text": [{"id": r.id, "kind": r.kind.value, "pattern": r.pattern, "flags": r.flags} for r in rules.text],
        "fields": [{"id": r.id, "kind": r.kind.value, "css": r.css} for r in rules.fields],
        "elements": [{"id": r.id, "kind": r.kind.value, "css": r.css} for r in rules.elements],
        "cells": [{"id": r.id, "kind": r.kind.value, "header": r.header, "flags": r.flags} for r in rules.cells],
        "frames": [{"id": r.id, "kind": r.kind.value, "css": r.css} for r in rules.frames],
        "sealed": {"id": rules.sealed.id, "kind": rules.sealed.kind.value},
    }


def _none() -> dict[str, Any]:
    return {
        "money": mask_rules().keep,
        "text": [],
        "fields": [],
        "elements": [],
        "cells": [],
        "frames": [],
        "sealed": None,
    }


async def cover(
    page: Page, *, rules: bool, selectors: Sequence[str] = (), signing_in: bool = False, full_page: bool = False
) -> tuple[Mask, ...]:
    """Paint the masks over the page (the shipped rules when `rules`, the user's selectors, every input while
    signing in) and return what was painted; `uncover` removes them."""
    extra = [
        {"id": USER_RULE, "kind": MaskKind.code.value, "css": css, "guard": False, "whole": True} for css in selectors
    ]
    if signing_in:
        extra.append(
            {"id": "sign-in", "kind": MaskKind.input.value, "css": SIGN_IN_MASK, "guard": False, "whole": True}
        )
    if not rules and not extra:
        return ()
    # A page that never made a document (still loading, hung) never runs the script: no picture rather than a wait
    # without end, or an unmasked one.
    found = await _paint(page, [_shipped() if rules else _none(), extra, full_page, OVERLAY_ID, COLOUR])
    return tuple(Mask(kind=MaskKind(f["kind"]), rule=f["rule"], box=tuple(f["box"])) for f in found)


async def _paint(page: Page, args: list[Any]) -> list[dict[str, Any]]:
    """Run the painting script (first inside the frames of other origins it cannot read); once more when the page was
    still navigating (to the next page, or to Chromium's own error page) as it ran."""
    started = time.monotonic()
    read, inside = await _paint_frames(page, args) if args[0]["sealed"] else ([], [])
    args = [*args, read, None]
    try:
        # The frames' time comes out of the page's: painting stays within PAINT_TIMEOUT_S.
        return [*inside, *await _evaluate(page, args, PAINT_TIMEOUT_S - (time.monotonic() - started))]
    except PlaywrightError as exc:
        if "context was destroyed" not in exc.message:
            raise
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state("domcontentloaded", timeout=PAINT_TIMEOUT_S * 1000)
    return await _evaluate(page, [*args[:5], [], None])


async def _evaluate(page: Page, args: list[Any], timeout_s: float = PAINT_TIMEOUT_S) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await asyncio.wait_for(page.evaluate(COVER_JS, args), timeout=timeout_s)
    return found


def _foreign_frames(page: Page) -> list[Frame]:
    """The page's own frames of another origin, which its script cannot read."""
    main = page.main_frame
    return [f for f in main.child_frames if origin(f.url) not in (None, origin(main.url))]


async def _paint_frames(page: Page, args: list[Any]) -> tuple[list[ElementHandle], list[dict[str, Any]]]:
    """Mask the page's frames of another origin from inside, through the driver (a payment or sign-in frame that a
    `frames` row names is left to be masked whole): their elements, and the boxes on the page. A frame that does not
    answer within FRAME_PAINT_TIMEOUT_S is masked whole too."""
    frames = _foreign_frames(page)
    if not frames:
        return [], []
    css = [r["css"] for r in args[0]["frames"]]
    done = await asyncio.gather(
        *(asyncio.wait_for(_paint_inside(f, args, css), FRAME_PAINT_TIMEOUT_S) for f in frames), return_exceptions=True
    )
    read: list[ElementHandle] = []
    found: list[dict[str, Any]] = []
    for frame, result in zip(frames, done, strict=True):
        if isinstance(result, BaseException) or result is None:
            continue
        read.append(result[0])
        found += result[1]
        _painted.setdefault(page, []).append(frame)
    return read, found


async def _paint_inside(
    frame: Frame, args: list[Any], css: list[str]
) -> tuple[ElementHandle, list[dict[str, Any]]] | None:
    element = await frame.frame_element()
    if await element.evaluate(NAMED_FRAME_JS, css):
        return None
    at = await element.evaluate(FRAME_ORIGIN_JS)
    found: list[dict[str, Any]] = await frame.evaluate(COVER_JS, [*args[:2], False, *args[3:5], [], at])
    return element, found


async def uncover(page: Page) -> None:
    """Remove the painted masks again (from the frames painted inside too)."""
    frames = _painted.pop(page, [])
    with contextlib.suppress(Exception):
        await asyncio.wait_for(page.evaluate(REMOVE_JS, OVERLAY_ID), timeout=PAINT_TIMEOUT_S)
    if frames:
        await asyncio.gather(
            *(asyncio.wait_for(f.evaluate(REMOVE_JS, OVERLAY_ID), FRAME_PAINT_TIMEOUT_S) for f in frames),
            return_exceptions=True,
        )


@contextlib.asynccontextmanager
async def covered(
    page: Page, *, rules: bool, selectors: Sequence[str] = (), signing_in: bool = False, full_page: bool = False
) -> AsyncIterator[tuple[Mask, ...]]:
    """The page with its masks painted for the length of the block (a screenshot), and what they cover."""
    masks = await cover(page, rules=rules, selectors=selectors, signing_in=signing_in, full_page=full_page)
    try:
        yield masks
    finally:
        if masks or page in _painted:
            await uncover(page)
