"""Screenshots that hide the shopper's data and leave the shop's readable: boxes painted by the mask rules, listed."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from probe.models import Mask, MaskKind
from probe.safety.shopper_data import mask_rules

if TYPE_CHECKING:
    from playwright.async_api import Page

COVER_JS = Path(__file__).with_name("screen_mask.js").read_text(encoding="utf-8")
OVERLAY_ID = "__probe_masks__"
REMOVE_JS = "(id) => { const el = document.getElementById(id); if (el) el.remove(); }"
# Playwright's own mask colour, so a masked box looks the same wherever it was painted.
COLOUR = "#FF00FF"
# Inputs are hidden in every screenshot taken while signing in: they hold what was typed.
SIGN_IN_MASK = "input:not([type=hidden]), textarea, select"
USER_RULE = "--mask-selector"


@functools.cache
def _shipped() -> dict[str, Any]:
    rules = mask_rules()
    return {
        "money": rules.keep,
        "text": [{"id": r.id, "kind": r.kind.value, "pattern": r.pattern, "flags": r.flags} for r in rules.text],
        "fields": [{"id": r.id, "kind": r.kind.value, "css": r.css} for r in rules.fields],
        "elements": [{"id": r.id, "kind": r.kind.value, "css": r.css} for r in rules.elements],
        "cells": [{"id": r.id, "kind": r.kind.value, "header": r.header, "flags": r.flags} for r in rules.cells],
    }


def _none() -> dict[str, Any]:
    return {"money": mask_rules().keep, "text": [], "fields": [], "elements": [], "cells": []}


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
    found = await page.evaluate(COVER_JS, [_shipped() if rules else _none(), extra, full_page, OVERLAY_ID, COLOUR])
    return tuple(Mask(kind=MaskKind(f["kind"]), rule=f["rule"], box=tuple(f["box"])) for f in found)


async def uncover(page: Page) -> None:
    """Remove the painted masks again."""
    with contextlib.suppress(Exception):
        await page.evaluate(REMOVE_JS, OVERLAY_ID)


@contextlib.asynccontextmanager
async def covered(
    page: Page, *, rules: bool, selectors: Sequence[str] = (), signing_in: bool = False, full_page: bool = False
) -> AsyncIterator[tuple[Mask, ...]]:
    """The page with its masks painted for the length of the block (a screenshot), and what they cover."""
    masks = await cover(page, rules=rules, selectors=selectors, signing_in=signing_in, full_page=full_page)
    try:
        yield masks
    finally:
        if masks:
            await uncover(page)
