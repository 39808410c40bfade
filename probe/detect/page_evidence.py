"""What the page around the options says: credit the store applied by itself, notices, header balances, code boxes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from probe.detect.scan import FrameScan
from probe.detect.scanned import ScannedText
from probe.detect.signals import Weight
from probe.detect.vocabulary import source_hint
from probe.models import CreditOption, Evidence, Note, OptionState
from probe.money import parse_balance

_AMOUNT = re.compile(r"[-\u2212\u2013]?\s?[$€£¥]\s?[\d.,]+")
TEXT_ONLY = ("notice", "balance_mention", "mention")


@dataclass
class Findings:
    """Page-level evidence (it points to a state) and notes (it does not), kept apart as they are gathered."""

    evidence: list[Evidence] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def note(self, signal: str, value: str) -> None:
        """Something done or seen that points to no state."""
        self.notes.append(Note(signal=signal, value=value))

    def seen(self, signal: str, value: str, points_to: OptionState | None) -> None:
        """A signal that points to a state when there is one to point to, else a note."""
        if points_to is None:
            self.note(signal, value)
        else:
            self.evidence.append(Evidence(signal=signal, value=value, points_to=points_to))


def with_store_applied(
    options: list[CreditOption], scans: list[FrameScan], scroll: tuple[float, float]
) -> list[CreditOption]:
    """Add credit the store applied by itself (a totals line, 'covered by store credit') as selectable."""
    applied = [(s, t) for s in scans for t in s.page.texts if t.kind == "applied"]
    shown = [i for i, o in enumerate(options) if o.option_state is not OptionState.absent]
    for scan, text in applied:
        ev = Evidence(
            signal="applied_by_store", value=text.text, points_to=OptionState.selectable, weight=Weight.IN_USE
        )
        if shown:
            o = options[shown[0]]
            if o.option_state is OptionState.selectable:
                options[shown[0]] = o.model_copy(update={"evidence": (*o.evidence, ev)})
            continue
        options.append(_applied_option(text, ev, scan, scroll))
        shown = [len(options) - 1]
    return options


def _applied_option(text: ScannedText, ev: Evidence, scan: FrameScan, scroll: tuple[float, float]) -> CreditOption:
    box = None
    if text.box:
        x, y, w, h = text.box
        box = (x + scan.offset[0] + scroll[0], y + scan.offset[1] + scroll[1], w, h)
    return CreditOption(
        label=_AMOUNT.sub("", text.text).strip(" :") or text.text,
        option_state=OptionState.selectable,
        balance_text=text.balance,
        balance=parse_balance(text.balance),
        source_hint=source_hint(text.text),
        evidence=(ev,),
        box=box,
    )


def page_findings(scans: list[FrameScan], found: Findings, *, has_options: bool) -> None:
    """Texts of credit with no control to choose, and boxes to redeem a code: evidence of absence when no option is."""
    absent = None if has_options else OptionState.absent
    for s in scans:
        for t in s.page.texts:
            if t.kind == "no_methods":
                found.seen("no_payment_methods", t.text, absent)
            elif t.kind == "header_balance":
                found.seen(
                    "balance_not_offered", f"{t.text} (shown in the page header, not offered as a way to pay)", absent
                )
            elif t.kind in TEXT_ONLY and not has_options:
                found.seen(f"credit_{t.kind}", f"{t.text} (text only, no control to choose)", absent)
        if not has_options:
            for box in s.page.code_boxes:
                found.seen("redeem_box_only", f"a box to redeem a code: {box!r}", absent)
        for decoy in s.page.decoys:
            found.note("not_credit", f"ignored {decoy}")


def first_notice(scans: list[FrameScan]) -> str | None:
    """The first notice of credit on the page (a reason stated with no option to choose)."""
    return next((t.text for s in scans for t in s.page.texts if t.kind == "notice"), None)
