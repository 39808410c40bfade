"""The chosen credit option cut out of the annotated picture, for the verdict at the top of report.html: a reviewer
sees the option as the store showed it (its state, balance and reason) without scrolling to the picture."""

from __future__ import annotations

from dataclasses import dataclass

from probe.models import Report

# Room kept above the option for its state tag, below it for a reason printed under it, and at its sides.
ABOVE = 32
BELOW = 48
SIDE = 10


@dataclass(frozen=True)
class Crop:
    """Part of the annotated picture (picture pixels): `x`, `y`, `w`, `h` of a picture `width` x `height`."""

    src: str
    x: int
    y: int
    w: int
    h: int
    width: int
    height: int


def option_crop(report: Report, src: str | None) -> Crop | None:
    """The chosen option's part of the annotated picture, when the picture's region and the option's box are known
    (None for a whole-page picture, or an option the picture leaves out)."""
    region = report.annotated_region
    label = report.observation.option_label
    box = next((o.box for o in report.observation.credit_options if o.label == label and o.box), None)
    if src is None or region is None or box is None:
        return None
    rx, ry, width, height = region
    left, top = max(0, int(box[0] - rx - SIDE)), max(0, int(box[1] - ry - ABOVE))
    right, bottom = min(width, int(box[0] + box[2] - rx + SIDE)), min(height, int(box[1] + box[3] - ry + BELOW))
    if right <= left or bottom <= top:
        return None
    return Crop(src, left, top, right - left, bottom - top, width, height)
