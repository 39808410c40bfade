"""One check, end to end: request -> walk (guarded) -> observe -> rules -> report."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field

from probe import __version__
from probe.credit import AccountLine, match_line, resolve, source_from_words
from probe.diff import diff_reports, load_baseline
from probe.errors import InputError
from probe.models import (
    CreditContext,
    CreditOption,
    CreditSource,
    Evidence,
    Facts,
    GiftCardKind,
    Intent,
    KnownFrom,
    Observation,
    OptionState,
    OptionVerdict,
    Outcome,
    Report,
    RunInfo,
    Step,
    Verdict,
)
from probe.profile import Profile, load_profile
from probe.rules import RuleTable, evaluate, load_table
from probe.timing import Timing

Progress = Callable[[str], None]


class CheckRequest(BaseModel):
    """Everything one check needs, validated before a browser starts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = None
    scenario: str | None = None
    profile: Path | None = None
    payment_page: bool = False
    gift_card: GiftCardKind | None = None
    credit_source: CreditSource | None = None
    credit_expires: dt.date | None = None
    intent: Intent | None = None
    today: dt.date | None = None
    out: Path = Path("probe-report")
    timeout_s: float = Field(default=60.0, gt=0)
    trace: bool = False
    headed: bool = False
    browser_path: str | None = None
    option_label: str | None = None
    rules: Path | None = None
    mask: bool | None = None
    mask_selectors: tuple[str, ...] = ()
    cdp_endpoint: str | None = None
    ws_endpoint: str | None = None
    baseline: Path | None = None
    timing: Timing = Timing()


class Prepared(BaseModel):
    """A request with its files loaded and its defaults filled in."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    request: CheckRequest
    profile: Profile
    table: RuleTable
    gift_card: GiftCardKind
    intent: Intent
    today: dt.date
    credit_source: CreditSource | None
    source_from: KnownFrom
    credit_expires: dt.date | None
    expires_from: KnownFrom
    option_label: str | None
    mask: bool
    baseline: Report | None = None


def validate_url(url: str) -> str:
    """A URL the browser can open, or InputError."""
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return url
    if parsed.scheme == "file" and parsed.path:
        return url
    raise InputError(
        f"URL {url!r}: not an http(s):// or file:// address; give a full URL such as https://store.example/"
    )


def validate_endpoints(cdp: str | None, ws: str | None) -> None:
    """At most one remote browser, each an address Playwright can connect to, or InputError."""
    if cdp is not None and ws is not None:
        raise InputError("--cdp-endpoint and --ws-endpoint: give one or the other, not both")
    for option, value, schemes in (
        ("--cdp-endpoint", cdp, ("http", "https", "ws", "wss")),
        ("--ws-endpoint", ws, ("ws", "wss")),
    ):
        if value is not None:
            parsed = urlparse(value)
            if parsed.scheme not in schemes or not parsed.netloc:
                raise InputError(
                    f"{option} {value!r}: not a {'/'.join(s + '://' for s in schemes)} address; "
                    "e.g. http://127.0.0.1:9222 or ws://127.0.0.1:3000/"
                )


def prepare(request: CheckRequest) -> Prepared:
    """Load the profile and rules and fill defaults (scenario's `probe:` block, then built-ins)."""
    if request.url is not None:
        validate_url(request.url)
        if request.scenario is not None:
            raise InputError("--scenario chooses a bundled-store scenario; it cannot be used with a URL")
    elif request.payment_page:
        raise InputError("--payment-page needs a URL: the page that already shows the payment selection")
    validate_endpoints(request.cdp_endpoint, request.ws_endpoint)
    table = load_table(request.rules)
    profile = load_profile(request.profile)
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
        mask=request.mask if request.mask is not None else request.url is not None,
        baseline=baseline,
    )


def scenario_defaults(name: str | None) -> dict[str, object]:
    """The bundled scenario's `probe:` block (what the probe is told about it)."""
    from mock_store.scenarios import ScenarioError, list_scenarios, load_scenario
    from probe.errors import suggest

    if name is None:
        name = "default"
    names = list_scenarios()
    if name not in names:
        raise InputError(f"--scenario {name}: no such bundled scenario{suggest(name, names)}; see `probe store --list`")
    try:
        scenario = load_scenario(name)
    except ScenarioError as exc:
        raise InputError(str(exc)) from None
    probe_block = getattr(scenario, "probe", None)
    return probe_block.model_dump() if probe_block is not None else {}


def decide(
    prepared: Prepared, observation: Observation, lines: tuple[AccountLine, ...]
) -> tuple[Observation, CreditContext, Verdict, tuple[OptionVerdict, ...]]:
    """Pick the option the report is about, resolve each option's credit context, and run the rules."""
    observation = with_unoffered_lines(observation, lines)
    options = observation.credit_options
    contexts = [
        resolve(
            option,
            lines,
            given_source=None,
            given_source_from=KnownFrom.default,
            given_expires=None,
            given_expires_from=KnownFrom.default,
        )
        for option in options
    ]
    wanted = prepared.credit_source
    chosen: int | None = 0 if options else None
    if wanted is not None and options:
        chosen = next((i for i, c in enumerate(contexts) if c.source is wanted), None)
        if chosen is None:
            chosen = next((i for i, c in enumerate(contexts) if c.source is CreditSource.unknown), None)

    def facts(state: OptionState, context: CreditContext) -> Facts:
        return Facts(
            option_state=state,
            credit_source=context.source,
            credit_expires=context.expires,
            gift_card=prepared.gift_card,
            intent=prepared.intent,
            today=prepared.today,
            balance_text=context.amount_text,
        )

    verdicts = []
    for i, (option, context) in enumerate(zip(options, contexts, strict=True)):
        if i == chosen:
            contexts[i] = context = _given(prepared, option, lines)
        verdicts.append(
            OptionVerdict(
                option_label=option.label,
                credit_source=context.source,
                verdict=evaluate(facts(option.option_state, context), prepared.table),
            )
        )
    if chosen is not None:
        option = options[chosen]
        top = observation.model_copy(
            update={
                "option_state": option.option_state,
                "option_label": option.label,
                "reason_text": option.reason_text,
                "balance_text": option.balance_text,
                "evidence": option.evidence,
            }
        )
        return top, contexts[chosen], verdicts[chosen].verdict, tuple(verdicts)
    context = _given(prepared, None, lines)
    if options and observation.option_state is not OptionState.unknown:
        # Several options, none of them the credit asked about: that credit is not offered.
        shown = ", ".join(o.label for o in options)
        top = observation.model_copy(
            update={
                "option_state": OptionState.absent,
                "option_label": None,
                "reason_text": None,
                "balance_text": None,
                "evidence": (
                    Evidence(
                        signal="no option for the credit source",
                        value=f"{wanted} credit not among: {shown}",
                        points_to=OptionState.absent,
                    ),
                ),
            }
        )
    else:
        top = observation
    return top, context, evaluate(facts(top.option_state, context), prepared.table), tuple(verdicts)


def with_unoffered_lines(observation: Observation, lines: tuple[AccountLine, ...]) -> Observation:
    """Credit lines the account lists but checkout does not offer are options too: absent ones."""
    if observation.option_state is OptionState.unknown or not lines:
        return observation
    offered = observation.credit_options
    missing = [line for line in lines if not any(match_line(o.label, (line,)) for o in offered)]
    if not missing:
        return observation
    reason = observation.reason_text if not offered else None
    extra = tuple(
        CreditOption(
            label=line.label,
            option_state=OptionState.absent,
            reason_text=reason,
            source_hint=source_from_words(line.source_text),
            evidence=(
                Evidence(
                    signal="account_line_not_offered",
                    value=f"the account lists {line.label!r} ({line.balance or 'no balance shown'}) "
                    "but checkout offers no such payment option",
                    points_to=OptionState.absent,
                    weight=2,
                ),
                *(() if offered else observation.evidence),
            ),
        )
        for line in missing
    )
    return observation.model_copy(update={"credit_options": (*offered, *extra)})


def _given(prepared: Prepared, option: object, lines: tuple[AccountLine, ...]) -> CreditContext:
    return resolve(
        option if isinstance(option, CreditOption) else None,
        lines,
        given_source=prepared.credit_source,
        given_source_from=prepared.source_from,
        given_expires=prepared.credit_expires,
        given_expires_from=prepared.expires_from,
    )


def inconclusive(error: str, page_url: str | None = None) -> Observation:
    """The observation of a probe that could not observe."""
    return Observation(option_state=OptionState.unknown, error=error, page_url=page_url)


@contextmanager
def target_url(request: CheckRequest, scenario: str | None, progress: Progress) -> Iterator[str]:
    """The URL to probe: the one given, or the bundled store started on a free loopback port."""
    if request.url is not None:
        yield request.url
        return
    from mock_store.server import serve_in_thread

    with serve_in_thread(scenario=scenario or "default") as base_url:
        progress(f"bundled store serving scenario '{scenario or 'default'}' at {base_url}")
        yield base_url


def run_sync(request: CheckRequest, progress: Progress = lambda _: None) -> tuple[Report, Path | None]:
    """Run a check to completion from synchronous code, even where an event loop already runs."""
    from probe.runner import run_check

    prepared = prepare(request)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run_check(prepared, progress))
    result: list[tuple[Report, Path | None]] = []
    errors: list[BaseException] = []

    def in_thread() -> None:
        try:
            result.append(asyncio.run(run_check(prepared, progress)))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(exc)

    import threading

    worker = threading.Thread(target=in_thread, name="probe-check")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
    return result[0]


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
) -> Report:
    """Assemble report.json's model from what the run gathered."""
    from probe.models import Safety

    top, context, verdict, verdicts = decide(prepared, observation, lines)
    if observation.warnings:
        verdict = verdict.model_copy(update={"warnings": (*verdict.warnings, *observation.warnings)})
    request = prepared.request
    report = Report(
        run=RunInfo(
            target=target,
            scenario=(request.scenario or "default") if request.url is None else None,
            profile=str(request.profile) if request.profile else f"bundled ({prepared.profile.name})",
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
        steps=tuple(steps),
        safety=safety if isinstance(safety, Safety) else Safety(),
        annotated_screenshot=annotated,
        trace=trace,
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
