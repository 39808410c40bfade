"""The payment-step screenshot with each credit option outlined and labelled with its state."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from playwright.async_api import Locator, Page

from probe.models import Observation, OptionState

COLOURS = {
    OptionState.selectable: "#1a7f37",
    OptionState.greyed_out: "#b35900",
    OptionState.absent: "#6e7781",
    OptionState.unknown: "#cf222e",
}
OVERLAY_ID = "__probe_annotation__"
DRAW_JS = """
([id, boxes]) => {
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
}
"""
REMOVE_JS = "(id) => { const el = document.getElementById(id); if (el) el.remove(); }"


async def annotated_screenshot(page: Page, observation: Observation, path: Path, mask: Sequence[Locator] = ()) -> None:
    """Outline each credit option with its state, take a full-page screenshot (`mask` painted over), and remove
    the outline again."""
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
    await outlined_screenshot(page, boxes, path, mask)


async def outlined_screenshot(
    page: Page, boxes: Sequence[dict[str, object]], path: Path, mask: Sequence[Locator] = ()
) -> None:
    """A full-page screenshot with boxes outlined and labelled (x, y, w, h, colour, text), `mask` painted over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.evaluate(DRAW_JS, [OVERLAY_ID, list(boxes)])
    try:
        await page.screenshot(path=str(path), full_page=True, mask=list(mask))
    finally:
        await page.evaluate(REMOVE_JS, OVERLAY_ID)
