"""A check outside the browser: prepare the request, assemble the report from what was observed, the exit code."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from probe.decide.choose import Known, decide
from probe.decide.rules import load_table
from probe.detect.cart_words import wrong_item
from probe.errors import InputError
from probe.models import (
    AccountLine,
    Cart,
    CreditSource,
    Discovery,
    GiftCardKind,
    Intent,
    KnownFrom,
    Observation,
    OptionState,
    Outcome,
    PageKind,
    Report,
    RunInfo,
    Safety,
    Step,
    Verdict,
)
from probe.report.diff import diff_reports, load_baseline
from probe.request import CheckRequest
from probe.run.store import scenario_defaults
from probe.version import __version__
from probe.walk.profile import Profile, load_profile, missing_env
from probe.walk.session import load_storage_state

if TYPE_CHECKING:
    from probe.report.annotate import PaymentPicture

Progress = Callable[[str], None]


class Prepared(Known):
    """A request with its files loaded and its defaults filled in (what is known, and how to walk the store)."""

    request: CheckRequest
    profile: Profile
    option_label: str | None
    credit_code_env: str | None = None
    mask: bool
    baseline: Report | None = None
    storage_state: dict[str, Any] | None = None
    discover: bool = False  # a URL with neither a profile nor --payment-page: the walk finds its own way


def prepare(request: CheckRequest) -> Prepared:
    """Load the profile and rules and fill defaults (scenario's `probe:` block, then built-ins)."""
    table = load_table(request.rules)
    profile = load_profile(request.profile)
    missing = missing_env(profile)
    if missing:
        where, name = missing[0]
        shown = request.profile or "(bundled)"
        raise InputError(f"profile {shown}: {where} uses ${{env:{name}}}, which is not set; export {name}=… and rerun")
    code_env = request.credit_code_env or profile.detect.credit_code_env
    if code_env is not None and not os.environ.get(code_env):
        where = "--credit-code-env" if request.credit_code_env else f"profile {request.profile}: detect.credit_code_env"
        raise InputError(f"{where} {code_env}: that environment variable is not set; export {code_env}=… and rerun")
    storage_state = load_storage_state(request.storage_state) if request.storage_state is not None else None
    baseline = load_baseline(request.baseline) if request.baseline is not None else None
    defaults = scenario_defaults(request.scenario) if request.url is None else {}

    def pick(name: str) -> tuple[object, KnownFrom]:
        given = getattr(request, name)
        if given is not None:
            return given, KnownFrom.cli
        if defaults.get(name) is not None:
            return defaults[name], KnownFrom.scenario
        return None, KnownFrom.default

    gift_card, _ = pick("gift_card")
    intent, _ = pick("intent")
    today, _ = pick("today")
    source, source_from = pick("credit_source")
    expires, expires_from = pick("credit_expires")
    return Prepared(
        request=request,
        profile=profile,
        table=table,
        gift_card=GiftCardKind(str(gift_card or GiftCardKind.store_digital.value)),
        intent=Intent(str(intent or Intent.own_use.value)),
        today=today if isinstance(today, dt.date) else dt.date.today(),
        credit_source=CreditSource(str(source)) if source else None,
        source_from=source_from,
        credit_expires=expires if isinstance(expires, dt.date) else None,
        expires_from=expires_from,
        option_label=request.option_label or profile.detect.option_label,
        credit_code_env=code_env,
        mask=request.mask if request.mask is not None else request.url is not None,
        baseline=baseline,
        storage_state=storage_state,
        discover=request.url is not None and request.profile is None and not request.payment_page,
    )


def inconclusive(error: str, page_url: str | None = None) -> Observation:
    """The observation of a probe that could not observe (an HTTP error answer makes the page an error page)."""
    kind = PageKind.error if error.startswith("HTTP ") else None
    return Observation(option_state=OptionState.unknown, error=error, page_url=page_url, page_kind=kind)


def build_report(
    prepared: Prepared,
    *,
    target: str,
    browser: str | None,
    started_at: dt.datetime,
    started: float,
    observation: Observation,
    lines: tuple[AccountLine, ...],
    steps: list[Step],
    safety: object,
    annotated: str | None,
    trace: str | None,
    discovery: Discovery | None = None,
    picture: PaymentPicture | None = None,
    cart: Cart | None = None,
) -> Report:
    """Assemble report.json's model from what the run gathered (never a verdict on a cart without a gift card)."""
    top, context, verdict, verdicts = decide(prepared, observation, lines)
    wrong = wrong_item(cart)
    if wrong is not None:
        top = top.model_copy(update={"error": wrong})
        verdict = Verdict(outcome=Outcome.inconclusive, warnings=(wrong,))
        verdicts = tuple(v.model_copy(update={"verdict": verdict}) for v in verdicts)
    request = prepared.request
    report = Report(
        run=RunInfo(
            target=target,
            scenario=(request.scenario or "default") if request.url is None else None,
            profile=_profile_name(prepared),
            payment_page=request.payment_page,
            browser=browser,
            started_at=started_at,
            duration_s=round(time.monotonic() - started, 3),
            today=prepared.today,
            gift_card=prepared.gift_card,
            intent=prepared.intent,
            probe_version=__version__,
            masked=prepared.mask,
        ),
        observation=top,
        credit=context,
        verdict=verdict,
        verdicts=verdicts,
        cart=cart,
        steps=tuple(steps),
        safety=safety if isinstance(safety, Safety) else Safety(),
        annotated_screenshot=annotated,
        annotated_region=picture.region if annotated and picture else None,
        annotated_note=picture.note if annotated and picture else None,
        trace=trace,
        discovery=discovery,
    )
    if prepared.baseline is None:
        return report
    return report.model_copy(update={"baseline_changes": tuple(diff_reports(prepared.baseline, report))})


def exit_code(outcome: Outcome, expect: Outcome | None) -> int:
    """SPEC.md's exit codes: 3 inconclusive, 1 differs from --expect, else 0."""
    if outcome is Outcome.inconclusive:
        return 3
    if expect is not None and outcome is not expect:
        return 1
    return 0


def _profile_name(prepared: Prepared) -> str:
    """report.json's run.profile: the file given, the bundled one, or the way discovered."""
    if prepared.request.profile:
        return str(prepared.request.profile)
    if prepared.discover:
        return "discovered (discovered-profile.yaml)"
    return f"bundled ({prepared.profile.name})"
