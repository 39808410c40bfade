"""Run the in-page scanner in each frame and hand back validated options with their elements by name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import ElementHandle, Frame, JSHandle
from playwright.async_api import Error as PlaywrightError
from pydantic import ValidationError

from probe.detect.scanned import ScannedOption, ScannedPage

HERE = Path(__file__).parent
# The scanner's pieces, in the order they run: tools, then controls, options and texts of one document.
PIECES = ("scan_tools.js", "scan_controls.js", "scan_options.js", "scan_texts.js")
SCAN_JS = (
    "(vocab) => {\n"
    + "\n".join((HERE / piece).read_text(encoding="utf-8") for piece in PIECES)
    + "\nreturn scanPage();\n}"
)
OFFSET_JS = """(el) => { const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
  return [r.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft),
          r.top + parseFloat(cs.borderTopWidth) + parseFloat(cs.paddingTop)]; }"""
OPEN_DETAILS_JS = r"""
(credit) => {
  const rx = credit.map((p) => new RegExp(p, "i"));
  const opened = [];
  for (const d of document.querySelectorAll("details:not([open])")) {
    const text = (d.textContent || "").replace(/\s+/g, " ").trim();
    if (text.length > 1500 || !rx.some((r) => r.test(text))) continue;
    const s = d.querySelector("summary");
    if (s && getComputedStyle(s).display === "none") continue;
    d.open = true;
    opened.push(((s && s.textContent) || "").replace(/\s+/g, " ").trim().slice(0, 80));
  }
  return opened;
}
"""


class ScanError(Exception):
    """The scanner returned something ScannedPage does not accept: a bug in the scanner, never the page's fault."""


@dataclass(frozen=True)
class Handles:
    """An option's elements, by what the detector does with them."""

    control: ElementHandle  # the choice itself: its state is read here
    target: ElementHandle  # what a shopper clicks: the control, its visible label or tile, or its <select>
    select: ElementHandle | None  # the <select> of an <option>
    tile: ElementHandle  # the box drawn around the option on the annotated screenshot
    apply: ElementHandle | None  # its own apply / use / select button


@dataclass
class FrameScan:
    """One frame's validated scan, its options' handles in the same order, and where the frame sits on the page."""

    frame: Frame
    page: ScannedPage
    handles: list[Handles]
    offset: tuple[float, float]


async def _handles(row: JSHandle) -> Handles:
    named = {name: handle.as_element() for name, handle in (await row.get_properties()).items()}
    control, target, tile = named.get("control"), named.get("target"), named.get("tile")
    if control is None or target is None or tile is None:
        raise ScanError("an option came back without its control, target or tile element")
    return Handles(control, target, named.get("select"), tile, named.get("apply"))


async def frame_offset(frame: Frame) -> tuple[float, float]:
    """Where the frame's content starts, in the main frame's viewport."""
    x = y = 0.0
    child = frame
    while child.parent_frame is not None:
        try:
            owner = await child.frame_element()
            dx, dy = await owner.evaluate(OFFSET_JS)
        except PlaywrightError:
            break
        x, y = x + dx, y + dy
        child = child.parent_frame
    return x, y


async def scan_frame(frame: Frame, words: dict[str, str | list[str]]) -> FrameScan | None:
    """Scan one frame with the vocabulary's words, or None when the frame cannot be read (gone, cross-origin…)."""
    try:
        handle = await frame.evaluate_handle(SCAN_JS, words)
        raw = await (await handle.get_property("data")).json_value()
        try:
            page = ScannedPage.model_validate(raw)
        except ValidationError as exc:
            raise ScanError(f"the page scanner's report does not validate: {exc}") from exc
        rows = await (await handle.get_property("elements")).get_properties()
        handles = [await _handles(rows[str(i)]) for i in range(len(page.items))]
    except PlaywrightError:
        return None
    return FrameScan(frame, page, handles, await frame_offset(frame))


async def open_credit_details(frame: Frame, credit: list[str]) -> list[str]:
    """Open closed <details> that hold credit words: a shopper can open them, so what they hold is on offer."""
    try:
        opened: list[str] = await frame.evaluate(OPEN_DETAILS_JS, credit)
    except PlaywrightError:
        return []
    return opened


def options_of(scans: list[FrameScan]) -> list[tuple[Frame, ScannedOption, Handles]]:
    """Every frame's options in page order, each with its frame and elements."""
    return [(s.frame, option, h) for s in scans for option, h in zip(s.page.items, s.handles, strict=True)]
