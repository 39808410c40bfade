"""Proof of place: is the page payment selection, or a sign-in page, an empty basket, an error page, something else?"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from probe.detect.vocabulary import ERROR_PAGE_WORDS, LOGIN_URL_WORDS, place_words
from probe.models import PageKind

HTTP_ERROR = 400
# The main document's HTTP status, as the browser recorded it (0 when unknown, e.g. file://).
STATUS_JS = """() => { const n = performance.getEntriesByType("navigation")[0];
  return n && typeof n.responseStatus === "number" ? n.responseStatus : 0; }"""

PLACE_JS = Path(__file__).with_name("place.js").read_text(encoding="utf-8")

ERROR_PAGE = re.compile(ERROR_PAGE_WORDS, re.IGNORECASE)
LOGIN_URL = re.compile(LOGIN_URL_WORDS, re.IGNORECASE)


@dataclass
class Place:
    """Where the probe stands, and the evidence for it."""

    kind: PageKind
    evidence: list[str] = field(default_factory=list)


async def _frame_place(frame: Frame, no_methods: str) -> dict[str, object] | None:
    try:
        found: dict[str, object] = await frame.evaluate(PLACE_JS, place_words(no_methods))
    except PlaywrightError:
        return None
    return found


async def http_status(page: Page) -> int:
    """The main document's HTTP status (0 when the browser does not know it)."""
    try:
        return int(await page.evaluate(STATUS_JS))
    except (PlaywrightError, ValueError, TypeError):
        return 0


async def find_place(page: Page, *, no_methods: str, title: str, heading: str) -> Place:
    """Weigh the page's evidence: payment methods shown beat everything; then sign-in, empty basket, error."""
    looks_like_error = (heading or title) if ERROR_PAGE.search(f"{title} | {heading}") else None
    status = await http_status(page)
    if status >= HTTP_ERROR:
        return Place(PageKind.error, [f"the page answered HTTP {status}"])
    payment: list[str] = []
    password = False
    sign_in: list[str] = []
    empty: list[str] = []
    for frame in page.frames:
        found = await _frame_place(frame, no_methods)
        if not found:
            continue
        payment += [str(p) for p in found["payment"]]  # type: ignore[attr-defined]
        password = password or bool(found["password"])
        sign_in += [str(s) for s in found["sign_in_words"]]  # type: ignore[attr-defined]
        empty += [str(e) for e in found["empty_words"]]  # type: ignore[attr-defined]
    if payment:
        return Place(PageKind.payment, payment[:6])
    if password and (sign_in or LOGIN_URL.search(page.url)):
        return Place(PageKind.sign_in, ["a password field", *sign_in[:1]])
    if LOGIN_URL.search(page.url):
        return Place(PageKind.sign_in, [f"the address is a sign-in page ({page.url})"])
    if empty:
        return Place(PageKind.empty_cart, empty[:1])
    if looks_like_error:
        return Place(PageKind.error, [looks_like_error])
    return Place(PageKind.other, ["no payment method of any kind is shown"])


def what_to_do(place: Place) -> str:
    """One line: what the probe found instead of payment selection, and what to do about it."""
    seen = f" ({place.evidence[0]})" if place.evidence else ""
    if place.kind is PageKind.sign_in:
        return (
            f"the store asked to sign in{seen}: give --storage-state FILE (see probe login), "
            "or a profile with login steps"
        )
    if place.kind is PageKind.empty_cart:
        return f"the basket is empty{seen}: put the gift card in the basket first (profile steps, a signed-in session)"
    if place.kind is PageKind.error:
        return f"the store showed an error page{seen}: check the URL and that the store is up, then run again"
    return (
        f"this is not the payment selection{seen}: give the URL of the payment step, or a profile whose steps reach it"
    )
