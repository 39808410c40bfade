"""Observe a payment page as it is: settle, find every credit option, classify each, read reason and balance."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from probe.detect.answered import answer_options
from probe.detect.apply import press_apply
from probe.detect.frames import frames_to_scan
from probe.detect.label_split import split_label
from probe.detect.page_evidence import Findings, first_notice, page_findings, with_store_applied
from probe.detect.place import find_place, what_to_do
from probe.detect.reason import pick_reason
from probe.detect.reply import Context
from probe.detect.scan import FrameScan, Handles, open_credit_details, options_of, scan_frame
from probe.detect.scanned import ScannedOption
from probe.detect.settle import settle
from probe.detect.signals import classify, gather
from probe.detect.trial import run_trial
from probe.detect.vocabulary import NO_METHODS_TEXT, credit_patterns, scan_words, source_hint
from probe.errors import InputError, regex_problem
from probe.models import CreditOption, Evidence, Note, Observation, OptionState, PageKind, StoreAnswer
from probe.money import parse_balance
from probe.safety.mask import mask_observation
from probe.timing import DEFAULT_TIMING, Timing


@dataclass
class Found:
    """One scanned credit option with its elements, and what observing it showed."""

    frame: Frame
    option: ScannedOption
    handles: Handles
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    message: str | None = None
    box: tuple[float, float, float, float] | None = None  # where the shopper met it, before any trial or press


async def _box(f: Found, scroll: tuple[float, float]) -> tuple[float, float, float, float] | None:
    """Where the option sits on the full-page screenshot (its tile, scrolled into page coordinates)."""
    try:
        box = await f.handles.tile.bounding_box()
    except PlaywrightError:
        return None
    if box is None:
        return None
    return (box["x"] + scroll[0], box["y"] + scroll[1], box["width"], box["height"])


async def _rebuilt(found: list[Found]) -> bool:
    """Whether the page replaced an observed option while it was being observed (an SPA re-rendering its list)."""
    for f in found:
        try:
            if not await f.handles.control.evaluate("(e) => e.isConnected"):
                return True
        except PlaywrightError:
            return True
    return False


def _unknown(page: Page, error: str, found: Findings) -> Observation:
    return Observation(
        option_state=OptionState.unknown,
        error=error,
        evidence=tuple(found.evidence),
        notes=tuple(found.notes),
        page_url=page.url,
    )


async def observe(
    page: Page,
    *,
    option_label: str | None = None,
    timeout_s: float = 10.0,
    apply: bool = True,
    timing: Timing = DEFAULT_TIMING,
    submit: Context | None = None,
) -> Observation:
    """Observe the page as it is and describe each credit option on it.

    With `apply`, a credit's own apply / use / select control is pressed to hear the store's answer, then undone; a
    credit that takes effect only once submitted (a code, its own form button) is submitted and the page the store
    answers with is read (`submit`: the code, the guard's record, a way to picture the answer), then the step is
    opened again.
    """
    problem = regex_problem(option_label) if option_label else None
    if problem:
        raise InputError(f"--option-label {option_label!r}: {problem}")
    ctx = submit or Context()
    ctx.apply = apply
    return await _observe(page, option_label, timeout_s, timing, again=True, apply=apply, submit=ctx)


async def _try(page: Page, f: Found, credit: list[str], timing: Timing, *, apply: bool) -> None:
    """Try the option as a shopper would (a click, its own apply button) and keep what the page answered."""
    trial = await run_trial(page, f.frame, f.option, f.handles, credit, timing, apply=apply)
    f.evidence.extend(trial.evidence)
    f.notes.extend(trial.notes)
    f.message = trial.message
    blocked = f.option.invisible or f.option.disabled_by_page or f.option.apply_submits
    if f.handles.apply is not None and f.option.apply and not blocked and not apply:
        f.notes.append(
            Note(signal="apply_press", value=f"not pressed {f.option.apply!r}: apply presses are off (--no-apply)")
        )
    elif f.handles.apply is not None and f.option.apply and not blocked:
        answer = await press_apply(page, f.frame, f.handles.apply, f.option.apply, timing)
        f.evidence.extend(answer.evidence)
        f.notes.extend(answer.notes)
        if answer.message:
            f.message = answer.message
    if trial.balance and not f.option.balance:
        f.option = f.option.model_copy(update={"balance": trial.balance})
        f.notes.append(Note(signal="balance_revealed", value=f"{trial.balance} shown once selected"))


async def _observe(
    page: Page,
    option_label: str | None,
    timeout_s: float,
    timing: Timing,
    *,
    again: bool,
    apply: bool = True,
    submit: Context | None = None,
) -> Observation:
    credit = credit_patterns(option_label)
    ctx = submit or Context(apply=apply)
    ctx.credit = credit
    start = time.monotonic()
    found_on_page = Findings()
    if page.url.startswith("chrome-error://"):
        return _unknown(page, "the browser shows an error page: the payment page did not load", found_on_page)
    settled = await settle(page, timeout_s=timeout_s, credit=credit, timing=timing)
    warnings = (settled.warning,) if settled.warning else ()
    if settled.warning:
        found_on_page.note("settle_capped", settled.warning)
    if settled.saw_busy:
        found_on_page.note("settle", "waited out: " + "; ".join(settled.saw_busy))
    if not settled.ok:
        return _unknown(page, f"the page did not settle within {timeout_s:g} s ({settled.why})", found_on_page)
    found_on_page.note("settle", f"settled after {settled.waited_s:.2f} s")
    # The frames that can hold credit (one read from the main frame rules out its own origin's frames that name
    # none), all at once: each costs round trips, which overlap this way.
    words = scan_words(credit)
    frames = await frames_to_scan(page, words)
    for opened in await asyncio.gather(*(open_credit_details(frame, credit) for frame in frames)):
        for summary in opened:
            found_on_page.note("collapsed", f"opened the closed <details> {summary!r}, as a shopper can")
    scans = [s for s in await asyncio.gather(*(scan_frame(frame, words) for frame in frames)) if s is not None]
    if not scans:
        return _unknown(page, "the page could not be read", found_on_page)
    main = scans[0].page
    found = [Found(frame, option, handles) for frame, option, handles in options_of(scans)]
    shown_names = {f.option.name.lower() for f in found if not f.option.invisible}
    found = [f for f in found if not (f.option.invisible and f.option.name.lower() in shown_names)]
    for f in found:
        f.evidence = gather(f.option)
        f.box = await _box(f, main.scroll)
        if time.monotonic() - start < timeout_s + timing.trials_extra_s:
            await _try(page, f, credit, timing, apply=apply)
    if again and await _rebuilt(found):
        later = await _observe(page, option_label, timeout_s, timing, again=False, apply=apply, submit=ctx)
        note = Note(
            signal="re_rendered", value="the page rebuilt its payment options while observed; observed them again"
        )
        return later.model_copy(update={"notes": (note, *later.notes)})
    scroll = main.scroll
    options: list[CreditOption] = []
    conflicts: list[str] = []
    credit_rx = [re.compile(p, re.IGNORECASE) for p in credit]
    for f in found:
        state, said = classify(f.evidence)
        conflicts.extend(f"{f.option.name}: {c}" for c in said)
        label, reason_in_label = split_label(f.option.name, credit_rx)
        options.append(
            CreditOption(
                label=label,
                option_state=state,
                reason_text=pick_reason(f.option, state, f.message) or reason_in_label,
                balance_text=f.option.balance,
                balance=parse_balance(f.option.balance),
                source_hint=source_hint(f"{f.option.name} {f.option.tile_text}"),
                evidence=tuple(f.evidence),
                notes=tuple(f.notes),
                # An applied credit's block may be gone (the store hides it once used): keep where it was.
                box=await _box(f, scroll) or f.box,
            )
        )
    options = await answer_options(page, [(f.option, f.handles) for f in found], options, ctx, timing)
    options = with_store_applied(options, scans, scroll)
    visible = [o for o in options if o.option_state is not OptionState.absent]
    for hidden in (o for o in options if o.option_state is OptionState.absent):
        why = next((ev.value for ev in hidden.evidence if ev.points_to is OptionState.absent), "not shown")
        found_on_page.seen(
            "hidden_markup",
            f"{hidden.label!r} exists in the markup but is {why}",
            None if visible else OptionState.absent,
        )
    page_findings(scans, found_on_page, has_options=bool(visible))
    if not visible:
        # Absence needs proof of place: a sign-in page, an empty basket or an error page offers no credit either.
        place = await find_place(page, no_methods=NO_METHODS_TEXT, title=main.title, heading=main.heading)
        found_on_page.note("page_kind", f"{place.kind}: {'; '.join(place.evidence)}")
        if place.kind is not PageKind.payment:
            unknown = _unknown(page, what_to_do(place), found_on_page)
            return mask_observation(unknown.model_copy(update={"page_kind": place.kind, "warnings": tuple(warnings)}))
    secrets = [v for s in scans for v in s.page.secrets] + ([ctx.code] if ctx.code else [])
    observation = _summarise(page, visible, found_on_page, conflicts, scans)
    if warnings:
        observation = observation.model_copy(update={"warnings": tuple(warnings)})
    return mask_observation(observation, secrets)


def _summarise(
    page: Page, options: list[CreditOption], found: Findings, conflicts: list[str], scans: list[FrameScan]
) -> Observation:
    """The observation: the first option's state on top, every option listed; with none, absent and why."""
    if not options:
        if not any(ev.points_to is OptionState.absent for ev in found.evidence):
            found.seen("no_credit_option", "no control on the page is named like store credit", OptionState.absent)
        return Observation(
            option_state=OptionState.absent,
            answer=StoreAnswer.not_tried,
            answer_why="no credit option on the page: nothing to submit",
            page_kind=PageKind.payment,
            reason_text=first_notice(scans),
            evidence=tuple(found.evidence),
            notes=tuple(found.notes),
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
        evidence=(*found.evidence, *first.evidence),
        notes=(*found.notes, *first.notes),
        credit_options=tuple(options),
        conflicts=tuple(conflicts),
        page_url=page.url,
        **first.answer_fields(),
    )
