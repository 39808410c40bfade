"""Write a check's report folder: report.json and a self-contained report.html."""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from probe.models import (
    CreditOption,
    CreditSource,
    KnownFrom,
    OptionState,
    OptionVerdict,
    Outcome,
    Report,
    Step,
    StoreAnswer,
    Verdict,
)
from probe.report.crop import option_crop
from probe.version import __version__

TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATE = "report.html.j2"

OUTCOME_WORDS = {
    Outcome.can_use: "Can use",
    Outcome.cannot_use: "Cannot use",
    Outcome.against_terms: "Against the terms",
    Outcome.assume_cannot_use: "Assume it cannot be used",
    Outcome.inconclusive: "Inconclusive",
}
OUTCOME_SENTENCES = {
    Outcome.can_use: "The store offers the credit for this gift card, and the credit is of a kind that can "
    "likely pay for it. Confirm the terms allow buying gift cards with it.",
    Outcome.cannot_use: "This credit cannot pay for this gift card here.",
    Outcome.against_terms: "The checkout lets the credit be chosen, but using it for this purchase goes "
    "against the terms: the terms still govern even where the website allows it.",
    Outcome.assume_cannot_use: "The checkout offers the credit, but where it came from is not known: "
    "assume it cannot be used for gift cards until the terms say otherwise.",
    Outcome.inconclusive: "The probe could not observe the payment options, so it reached no verdict.",
}
STATE_WORDS = {
    OptionState.absent: "Not offered",
    OptionState.selectable: "Selectable",
    OptionState.greyed_out: "Greyed out",
    OptionState.unknown: "Not observed",
}
SOURCE_WORDS = {
    CreditSource.refund: "refund credit",
    CreditSource.gift_card: "gift-card balance",
    CreditSource.return_: "credit for a returned item",
    CreditSource.promotional: "promotional credit",
    CreditSource.rewards: "rewards credit",
    CreditSource.unknown: "source not known",
}
ANSWER_WORDS = {
    StoreAnswer.accepted: "Accepted",
    StoreAnswer.refused: "Refused",
    StoreAnswer.not_tried: "Not tried",
}
KNOWN_WORDS = {
    KnownFrom.cli: "given on the command line",
    KnownFrom.profile: "from the store profile",
    KnownFrom.scenario: "from the scenario",
    KnownFrom.account_page: "read from the account page",
    KnownFrom.option_text: "inferred from the option’s own words",
    KnownFrom.default: "nothing told the probe",
}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@cache
def _assets() -> tuple[str, str, str]:
    """The page's own CSS and script, and a Content-Security-Policy that allows nothing else."""
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    csp = (
        f"default-src 'none'; img-src 'self' file: data:; style-src {_hash(css)}; "
        f"script-src {_hash(script)}; base-uri 'none'; form-action 'none'"
    )
    return css, script, csp


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def _compiled_templates() -> FileSystemBytecodeCache | None:
    """The report's templates kept compiled between runs, in the user's cache folder (Jinja compiles a template to
    Python, a tenth of a check's Python start; each kept one is checked against its template's text and this
    Python). None where the folder cannot be made: each run compiles them then."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(cache_home) / "probe" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=_compiled_templates(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        outcome_words=lambda o: OUTCOME_WORDS[Outcome(o)],
        outcome_sentence=lambda o: OUTCOME_SENTENCES[Outcome(o)],
        state_words=lambda s: STATE_WORDS[OptionState(s)],
        source_words=lambda s: SOURCE_WORDS[CreditSource(s)],
        known_words=lambda k: KNOWN_WORDS[KnownFrom(k)],
        answer_words=lambda a: ANSWER_WORDS[StoreAnswer(a)],
        seconds=_seconds,
    )
    return env


def warm_templates() -> None:
    """Read the page's assets and compile its templates now (a check does it while its browser starts)."""
    _assets()
    _env().get_template(REPORT_TEMPLATE)


def render_page(template: str, **context: Any) -> str:
    css, script, csp = _assets()
    return (
        _env()
        .get_template(template)
        .render(css=Markup(css), script=Markup(script), csp=csp, version=__version__, **context)
    )


def relative_href(path: str | None) -> str | None:
    """A URL for a file inside the report folder, or None for anything that is not a plain relative path."""
    if not path:
        return None
    posix = PurePosixPath(path.replace("\\", "/"))
    if urlsplit(path).scheme or posix.is_absolute() or ".." in posix.parts:
        return None
    return quote(str(posix))


# Chromium's JPEGs carry their frame header within the first few hundred bytes; this reads well past it.
JPEG_HEAD_BYTES = 64 * 1024
# JPEG start-of-frame markers (C0-CF but C4 Huffman tables, C8 reserved, CC arithmetic coding).
JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG file, read from its header; None when it is neither or unreadable."""
    try:
        with path.open("rb") as fh:
            head = fh.read(JPEG_HEAD_BYTES)
    except OSError:
        return None
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR" and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
    elif head[:2] == b"\xff\xd8":
        found = _jpeg_size(head)
        if found is None:
            return None
        width, height = found
    else:
        return None
    return (width, height) if width and height else None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a JPEG's start-of-frame segment, walking the segments after the SOI marker."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if marker in JPEG_FRAMES:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float
    state: OptionState
    tag_y: float
    tag_w: float
    tag_h: float
    font: float


@dataclass(frozen=True)
class _Annotated:
    src: str
    width: int
    height: int
    boxes: tuple[_Box, ...]
    overlaid: bool


def _boxes(options: Sequence[CreditOption], width: int, height: int) -> tuple[_Box, ...]:
    font = max(12.0, width / 70)
    boxes = []
    for option in options:
        if option.box is None:
            continue
        x, y, w, h = option.box
        if x < 0 or y < 0 or w <= 0 or h <= 0 or x + w > width or y + h > height:
            continue
        tag_w = font * 0.62 * len(STATE_WORDS[option.option_state]) + 8
        tag_h = font * 1.35
        tag_y = y - tag_h if y >= tag_h else y + h
        boxes.append(_Box(x, y, w, h, option.option_state, tag_y, tag_w, tag_h, font))
    return tuple(boxes)


def _annotation(report: Report, folder: Path | None) -> _Annotated | None:
    """The payment-step picture: the probe's annotated screenshot as it is, or else the last step's
    screenshot with the detector's boxes drawn over it (when they fit)."""
    src = relative_href(report.annotated_screenshot)
    if src is not None:
        return _Annotated(src, 0, 0, (), overlaid=False)
    shot = next((s.screenshot for s in reversed(report.steps) if relative_href(s.screenshot)), None)
    if folder is None or shot is None or report.observation.option_state == OptionState.unknown:
        return None
    size = image_size(folder / shot)
    boxes = _boxes(report.observation.credit_options, *size) if size else ()
    if not size or not boxes:
        return None
    return _Annotated(relative_href(shot) or "", size[0], size[1], boxes, overlaid=True)


@dataclass(frozen=True)
class _OptionRow:
    option: CreditOption
    verdict: Verdict | None
    chosen: bool


def _option_rows(report: Report) -> list[_OptionRow]:
    by_label: dict[str, OptionVerdict] = {}
    for ov in report.verdicts:
        by_label.setdefault(ov.option_label, ov)
    chosen_label = report.observation.option_label
    rows = []
    for option in report.observation.credit_options:
        found = by_label.get(option.label)
        rows.append(_OptionRow(option, found.verdict if found else None, option.label == chosen_label))
    return rows


@dataclass(frozen=True)
class _StepView:
    step: Step
    src: str | None
    link: bool


def _step_views(steps: Sequence[Step]) -> list[_StepView]:
    web = ("http", "https")
    return [_StepView(s, relative_href(s.screenshot), urlsplit(s.url or "").scheme in web) for s in steps]


def render_html(report: Report, folder: Path | None = None) -> str:
    """The report as one self-contained HTML page; `folder` holds the screenshots, to outline options on."""
    verdict = report.verdict
    deciding = next((r for r in verdict.rules if r.deciding), None) or next(
        (r for r in verdict.rules if r.id == verdict.deciding_rule), None
    )
    return render_page(
        REPORT_TEMPLATE,
        report=report,
        run=report.run,
        observation=report.observation,
        credit=report.credit,
        cart=report.cart,
        verdict=verdict,
        deciding=deciding,
        deciding_id=deciding.id if deciding else verdict.deciding_rule,
        annotated=_annotation(report, folder),
        crop=option_crop(report, relative_href(report.annotated_screenshot)),
        answer_picture=relative_href(report.observation.answer_picture),
        option_rows=_option_rows(report),
        extra_verdicts=report.verdicts if len(report.verdicts) > 1 else (),
        other_verdicts=[v for v in report.verdicts if v.option_label != report.observation.option_label],
        steps=_step_views(report.steps),
        safety=report.safety,
        trace=relative_href(report.trace),
    )


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_report(report: Report, folder: Path) -> None:
    """Write folder/report.json and folder/report.html beside the screenshots already there."""
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "report.json", report.model_dump_json(indent=2))
    write_atomic(folder / "report.html", render_html(report, folder))
