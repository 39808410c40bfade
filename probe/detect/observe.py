"""Observe a payment page as it is: settle, find every credit option, classify each, read reason and balance."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import ElementHandle, Frame, Page
from playwright.async_api import Error as PlaywrightError

from probe.detect.apply import press_apply
from probe.detect.label_split import split_label
from probe.detect.place import find_place, what_to_do
from probe.detect.settle import settle
from probe.detect.signals import classify, gather
from probe.detect.trial import run_trial
from probe.detect.vocabulary import (
    APPLIED_TEXT,
    DECOY_PATTERNS,
    NO_METHODS_TEXT,
    REASON_WORDS,
    credit_patterns,
    source_hint,
    strip_balance,
)
from probe.errors import InputError, regex_problem
from probe.models import CreditOption, Evidence, Observation, OptionState, PageKind
from probe.money import parse_balance
from probe.safety.mask import mask_observation
from probe.timing import DEFAULT_TIMING, Timing

SCAN_JS = (Path(__file__).with_name("scan.js")).read_text(encoding="utf-8")
_REASON = re.compile(REASON_WORDS, re.IGNORECASE)
_MONEY_ONLY = re.compile(r"^[^a-z]*$|^(available|balance|you have|your balance)\b", re.IGNORECASE)
OFFSET_JS = """(el) => { const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
  return [r.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft),
          r.top + parseFloat(cs.borderTopWidth) + parseFloat(cs.paddingTop)]; }"""


@dataclass
class Found:
    """One scanned credit option with the handles a trial needs."""

    frame: Frame
    item: dict[str, Any]
    control: ElementHandle
    target: ElementHandle
    select: ElementHandle | None
    boxed: ElementHandle
    apply: ElementHandle | None = None
    evidence: list[Evidence] = field(default_factory=list)
    message: str | None = None


@dataclass
class FrameScan:
    frame: Frame
    data: dict[str, Any]
    found: list[Found]
    offset: tuple[float, float]


async def _frame_offset(frame: Frame) -> tuple[float, float]:
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


async def _scan(frame: Frame, opts: dict[str, Any]) -> FrameScan | None:
    try:
        handle = await frame.evaluate_handle(SCAN_JS, opts)
        data = await (await handle.get_property("data")).json_value()
        rows = await (await handle.get_property("elements")).get_properties()
        found: list[Found] = []
        for index in range(len(data["items"])):
            parts = list((await rows[str(index)].get_properties()).values())
            els = [p.as_element() for p in parts]
            control, target, select, boxed, apply = els[0], els[1], els[2], els[3], els[4]
            assert control is not None and target is not None and boxed is not None
            found.append(Found(frame, data["items"][index], control, target, select, boxed, apply))
    except PlaywrightError:
        return None
    return FrameScan(frame, data, found, await _frame_offset(frame))


def _pick_reason(f: Found, state: OptionState) -> str | None:
    """The store's stated reason: a refusal message, the description or title, else helper text that reads like one.

    Pure balance phrases ("$10.00 available") are not reasons: they are cut off, and the amount stays in balance_text.
    """
    item = f.item
    if f.message:
        return strip_balance(f.message) or f.message
    explicit = [c for c in (strip_balance(t) for t in (item["described"], item["title"]) if t) if c]
    helpers = [c for c in (strip_balance(_without_name(h, item["name"])) for h in item["helpers"] if h) if c]
    for text in explicit:
        if _REASON.search(text):
            return text
    for text in helpers:
        if _REASON.search(text):
            return text
    if state is OptionState.selectable:
        return None
    if explicit:
        return explicit[0]
    if state is OptionState.greyed_out:
        return next((h for h in helpers if not _MONEY_ONLY.search(h)), None)
    return None


def _without_name(text: str, name: str) -> str:
    """Helper text without the option's own name in front (a tile's heading read along with its description)."""
    name = name.strip()
    rest = text[len(name) :].lstrip(" :-\u2013\u2014") if name and text.lower().startswith(name.lower()) else text
    return rest if re.search(r"[a-z]{3}", rest, re.IGNORECASE) else text


async def _box(f: Found, scroll: tuple[float, float]) -> tuple[float, float, float, float] | None:
    try:
        box = await f.boxed.bounding_box()
    except PlaywrightError:
        return None
    if box is None:
        return None
    return (box["x"] + scroll[0], box["y"] + scroll[1], box["width"], box["height"])


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


async def _open_credit_details(frame: Frame, credit: list[str]) -> list[str]:
    """Open closed <details> that hold credit words: a shopper can open them, so what they hold is on offer."""
    try:
        opened: list[str] = await frame.evaluate(OPEN_DETAILS_JS, credit)
    except PlaywrightError:
        return []
    return opened


async def _rebuilt(found: list[Found]) -> bool:
    """Whether the page replaced an observed option while it was being observed (an SPA re-rendering its list)."""
    for f in found:
        try:
            if not await f.control.evaluate("(e) => e.isConnected"):
                return True
        except PlaywrightError:
            return True
    return False


def _unknown(page: Page, error: str, evidence: list[Evidence]) -> Observation:
    return Observation(option_state=OptionState.unknown, error=error, evidence=tuple(evidence), page_url=page.url)


async def observe(
    page: Page,
    *,
    option_label: str | None = None,
    timeout_s: float = 10.0,
    apply: bool = True,
    timing: Timing = DEFAULT_TIMING,
) -> Observation:
    """Observe the page as it is (no navigation) and describe each credit option on it.

    With `apply`, a credit's own apply / use / select control is pressed to hear the store's answer, then undone.
    """
    problem = regex_problem(option_label) if option_label else None
    if problem:
        raise InputError(f"--option-label {option_label!r}: {problem}")
    return await _observe(page, option_label, timeout_s, timing, again=True, apply=apply)


async def _observe(
    page: Page, option_label: str | None, timeout_s: float, timing: Timing, *, again: bool, apply: bool = True
) -> Observation:
    credit = credit_patterns(option_label)
    start = time.monotonic()
    if page.url.startswith("chrome-error://"):
        return _unknown(page, "the browser shows an error page: the payment page did not load", [])
    settled = await settle(page, timeout_s=timeout_s, credit=credit, timing=timing)
    evidence: list[Evidence] = []
    warnings = (settled.warning,) if settled.warning else ()
    if settled.warning:
        evidence.append(Evidence(signal="settle_capped", value=settled.warning, weight=0))
    if settled.saw_busy:
        evidence.append(Evidence(signal="settle", value="waited out: " + "; ".join(settled.saw_busy)))
    if not settled.ok:
        return _unknown(page, f"the page did not settle within {timeout_s:g} s ({settled.why})", evidence)
    evidence.append(Evidence(signal="settle", value=f"settled after {settled.waited_s:.2f} s", weight=0))
    for frame in page.frames:
        for summary in await _open_credit_details(frame, credit):
            evidence.append(
                Evidence(
                    signal="collapsed", value=f"opened the closed <details> {summary!r}, as a shopper can", weight=0
                )
            )
    opts = {
        "credit": credit,
        "decoy": list(DECOY_PATTERNS),
        "reason": REASON_WORDS,
        "applied": APPLIED_TEXT,
        "noMethods": NO_METHODS_TEXT,
    }
    scans = [s for s in [await _scan(frame, opts) for frame in page.frames] if s is not None]
    if not scans:
        return _unknown(page, "the page could not be read", evidence)
    main = scans[0].data
    found = [f for s in scans for f in s.found]
    shown_names = {f.item["name"].lower() for f in found if not f.item["invisible"]}
    found = [f for f in found if not (f.item["invisible"] and f.item["name"].lower() in shown_names)]
    for f in found:
        f.evidence = gather(f.item)
        if time.monotonic() - start < timeout_s + timing.trials_extra_s:
            trial = await run_trial(page, f.frame, f.item, f.control, f.target, f.select, credit, timing, apply=apply)
            f.evidence.extend(trial.evidence)
            if trial.restored:
                f.evidence.append(trial.restored)
            f.message = trial.message
            blocked = f.item["invisible"] or f.item["native_disabled"] or f.item["inert"]
            if f.apply is not None and apply and f.item["apply"] and not blocked:
                answer = await press_apply(page, f.frame, f.apply, f.item["apply"])
                f.evidence.extend(answer.evidence)
                if answer.message:
                    f.message = answer.message
            if trial.balance and not f.item["balance"]:
                f.item["balance"] = trial.balance
                f.evidence.append(
                    Evidence(signal="balance_revealed", value=f"{trial.balance} shown once selected", weight=0)
                )
    if again and await _rebuilt(found):
        later = await _observe(page, option_label, timeout_s, timing, again=False, apply=apply)
        note = Evidence(
            signal="re_rendered", value="the page rebuilt its payment options while observed; observed them again"
        )
        return later.model_copy(update={"evidence": (note, *later.evidence)})
    scroll = (float(main["scroll"][0]), float(main["scroll"][1]))
    options: list[CreditOption] = []
    conflicts: list[str] = []
    credit_rx = [re.compile(p, re.IGNORECASE) for p in credit]
    for f in found:
        state, said = classify(f.evidence)
        conflicts.extend(f"{f.item['name']}: {c}" for c in said)
        label, reason_in_label = split_label(f.item["name"], credit_rx)
        options.append(
            CreditOption(
                label=label,
                option_state=state,
                reason_text=_pick_reason(f, state) or reason_in_label,
                balance_text=f.item["balance"],
                balance=parse_balance(f.item["balance"]),
                source_hint=source_hint(f"{f.item['name']} {f.item['tile_text']}"),
                evidence=tuple(f.evidence),
                box=await _box(f, scroll),
            )
        )
    options = _with_store_applied(options, scans, scroll)
    visible = [o for o in options if o.option_state is not OptionState.absent]
    for hidden in (o for o in options if o.option_state is OptionState.absent):
        why = next((ev.value for ev in hidden.evidence if ev.points_to is OptionState.absent), "not shown")
        points = None if visible else OptionState.absent
        evidence.append(
            Evidence(
                signal="hidden_markup", value=f"{hidden.label!r} exists in the markup but is {why}", points_to=points
            )
        )
    options = visible
    evidence.extend(_page_evidence(scans, has_options=bool(visible)))
    if not options:
        # Absence needs proof of place: a sign-in page, an empty basket or an error page offers no credit either.
        place = await find_place(page, no_methods=NO_METHODS_TEXT, title=main["title"], heading=main["heading"])
        evidence.append(Evidence(signal="page_kind", value=f"{place.kind}: {'; '.join(place.evidence)}", weight=0))
        if place.kind is not PageKind.payment:
            unknown = _unknown(page, what_to_do(place), evidence)
            return mask_observation(unknown.model_copy(update={"page_kind": place.kind, "warnings": tuple(warnings)}))
    secrets = [v for s in scans for v in s.data["secrets"]]
    observation = _summarise(page, options, evidence, conflicts, scans)
    if warnings:
        observation = observation.model_copy(update={"warnings": tuple(warnings)})
    return mask_observation(observation, secrets)


def _with_store_applied(
    options: list[CreditOption], scans: list[FrameScan], scroll: tuple[float, float]
) -> list[CreditOption]:
    """Add credit the store applied by itself (a totals line, 'covered by store credit') as selectable."""
    applied = [(s, t) for s in scans for t in s.data["texts"] if t["kind"] == "applied"]
    if not applied:
        return options
    shown = [i for i, o in enumerate(options) if o.option_state is not OptionState.absent]
    for scan, text in applied:
        ev = Evidence(signal="applied_by_store", value=text["text"], points_to=OptionState.selectable, weight=6)
        if shown:
            i = shown[0]
            o = options[i]
            if o.option_state is OptionState.selectable:
                options[i] = o.model_copy(update={"evidence": (*o.evidence, ev)})
            continue
        box = None
        if text.get("box"):
            x, y, w, h = text["box"]
            box = (x + scan.offset[0] + scroll[0], y + scan.offset[1] + scroll[1], w, h)
        label = re.sub(r"[-\u2212\u2013]?\s?[$€£¥]\s?[\d.,]+", "", text["text"]).strip(" :") or text["text"]
        options.append(
            CreditOption(
                label=label,
                option_state=OptionState.selectable,
                balance_text=text.get("balance"),
                balance=parse_balance(text.get("balance")),
                source_hint=source_hint(text["text"]),
                evidence=(ev,),
                box=box,
            )
        )
        shown = [len(options) - 1]
    return options


def _page_evidence(scans: list[FrameScan], *, has_options: bool) -> list[Evidence]:
    out: list[Evidence] = []
    absent = None if has_options else OptionState.absent
    for s in scans:
        d = s.data
        for t in d["texts"]:
            if t["kind"] == "no_methods":
                out.append(Evidence(signal="no_payment_methods", value=t["text"], points_to=absent))
            elif t["kind"] == "header_balance":
                out.append(
                    Evidence(
                        signal="balance_not_offered",
                        value=f"{t['text']} (shown in the page header, not offered as a way to pay)",
                        points_to=absent,
                    )
                )
            elif t["kind"] in ("notice", "balance_mention", "mention") and not has_options:
                out.append(
                    Evidence(
                        signal=f"credit_{t['kind']}",
                        value=f"{t['text']} (text only, no control to choose)",
                        points_to=absent,
                    )
                )
        for box in d["code_boxes"]:
            if not has_options:
                out.append(
                    Evidence(signal="redeem_box_only", value=f"a box to redeem a code: {box!r}", points_to=absent)
                )
        for decoy in d["decoys"]:
            out.append(Evidence(signal="not_credit", value=f"ignored {decoy}", weight=0))
    return out


def _summarise(
    page: Page, options: list[CreditOption], evidence: list[Evidence], conflicts: list[str], scans: list[FrameScan]
) -> Observation:
    if not options:
        if not any(ev.points_to is OptionState.absent for ev in evidence):
            evidence.append(
                Evidence(
                    signal="no_credit_option",
                    value="no control on the page is named like store credit",
                    points_to=OptionState.absent,
                )
            )
        notice = next((t["text"] for s in scans for t in s.data["texts"] if t["kind"] == "notice"), None)
        return Observation(
            option_state=OptionState.absent,
            page_kind=PageKind.payment,
            reason_text=notice,
            evidence=tuple(evidence),
            conflicts=tuple(conflicts),
            page_url=page.url,
        )
    first = options[0]
    return Observation(
        option_state=first.option_state,
        option_label=first.label,
        reason_text=first.reason_text,
        balance_text=first.balance_text,
        balance=first.balance,
        page_kind=PageKind.payment,
        evidence=(*evidence, *first.evidence),
        credit_options=tuple(options),
        conflicts=tuple(conflicts),
        page_url=page.url,
    )
