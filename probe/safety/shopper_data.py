"""What counts as the shopper's data (probe/data/masks.yaml): the rules behind screenshot masks and masked cart text."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field

from probe.errors import load_yaml_model
from probe.models import Frozen, MaskKind
from probe.safety.mask import MASK, mask_text

SHIPPED = Path(__file__).parents[1] / "data" / "masks.yaml"


class _Rule(Frozen):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    kind: MaskKind
    source: str = Field(min_length=1)


class TextRule(_Rule):
    """A pattern over the page's visible text; its group (if it has one) is what gets masked."""

    pattern: str
    flags: Literal["", "i"] = ""

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE if self.flags == "i" else 0)


class CssRule(_Rule):
    """Fields (by their value) or whole elements, by a CSS selector."""

    css: str


class CellRule(_Rule):
    """Table cells under a column header that matches."""

    header: str
    flags: Literal["", "i"] = ""


class MaskRules(Frozen):
    """The shipped mask rules, by what they look at."""

    keep: str
    text: tuple[TextRule, ...]
    fields: tuple[CssRule, ...]
    elements: tuple[CssRule, ...]
    cells: tuple[CellRule, ...]
    frames: tuple[CssRule, ...]
    sealed: _Rule


@functools.cache
def mask_rules() -> MaskRules:
    """The shipped rules, validated once."""
    return load_yaml_model(SHIPPED, MaskRules, what="mask rules")


def _hide(match: re.Match[str]) -> str:
    """The match masked: its first group alone when the pattern has one (the words before it stay)."""
    if match.re.groups and match.group(1) is not None:
        offset = match.start(0)
        start, end = match.start(1) - offset, match.end(1) - offset
        whole = match.group(0)
        return whole[:start] + MASK + whole[end:]
    return MASK


def mask_shopper_text(text: str) -> str:
    """Page text with the shopper's data masked as the screenshots mask it (for text a report shows, e.g. the cart)."""
    for rule in mask_rules().text:
        text = rule.compiled().sub(_hide, text)
    return mask_text(text)


def origin(url: str) -> tuple[str, str] | None:
    """A frame's origin by its URL; None for about:blank and about:srcdoc, which take their parent's. A page's script
    reads the frames of its own origin (their data is masked from the page); another origin's it cannot."""
    if url.startswith("about:"):
        return None
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
