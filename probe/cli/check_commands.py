"""`probe check` and its companions: diff, verdict, rules, store, open, doctor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from probe.cli.options import (
    ApplyOpt,
    CdpOpt,
    CreditCodeEnvOpt,
    ExpiresOpt,
    FullPageOpt,
    GiftCardOpt,
    HistoryOpt,
    IntentOpt,
    JsonOpt,
    JunitOpt,
    NoHistoryOpt,
    NotifyOpt,
    RulesOpt,
    SourceOpt,
    StorageStateOpt,
    TodayOpt,
    WsOpt,
    err,
    fail,
    out,
    parse_date,
)
from probe.errors import InputError, ProbeError, regex_problem
from probe.models import CreditSource, GiftCardKind, Intent, OptionState, Outcome, Verdict


def check(
    url: Annotated[str | None, typer.Argument(help="Store URL; without it the bundled mock store is probed.")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help="Bundled-store scenario.")] = None,
    profile: Annotated[Path | None, typer.Option("--profile", help="Store profile (YAML).", dir_okay=False)] = None,
    payment_page: Annotated[
        bool,
        typer.Option("--payment-page", help="URL already shows payment selection: observe it, navigate nowhere."),
    ] = False,
    gift_card: GiftCardOpt = None,
    credit_source: SourceOpt = None,
    credit_expires: ExpiresOpt = None,
    intent: IntentOpt = None,
    today: TodayOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Report folder.")] = Path("probe-report"),
    as_json: JsonOpt = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds the whole probe may take.")] = 60.0,
    expect: Annotated[
        Outcome | None,
        typer.Option("--expect", help="Exit 1 unless the verdict is this.", case_sensitive=False),
    ] = None,
    trace: Annotated[bool, typer.Option("--trace", help="Keep a Playwright trace (trace.zip).")] = False,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window.")] = False,
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
    option_label: Annotated[
        str | None,
        typer.Option("--option-label", metavar="REGEX", help="The store's own name for its credit."),
    ] = None,
    rules: RulesOpt = None,
    mask: Annotated[
        bool | None,
        typer.Option(
            "--mask/--no-mask",
            help="Mask the shopper's data (names, addresses, e-mail, phone, cards, codes) in screenshots.",
        ),
    ] = None,
    mask_selector: Annotated[
        list[str] | None, typer.Option("--mask-selector", help="Extra CSS selector to mask (repeatable).")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", metavar="FILE", help="Earlier report.json: list what changed, exit 1 on a change."),
    ] = None,
    cdp_endpoint: CdpOpt = None,
    ws_endpoint: WsOpt = None,
    junit: JunitOpt = None,
    apply: ApplyOpt = True,
    full_page: FullPageOpt = False,
    credit_code_env: CreditCodeEnvOpt = None,
    storage_state: StorageStateOpt = None,
    use_existing_context: Annotated[
        bool,
        typer.Option(
            "--use-existing-context",
            help="With --cdp-endpoint: use the remote browser's own context (its cookies) instead of a new one.",
        ),
    ] = False,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    notify: NotifyOpt = None,
) -> None:
    """Drive a gift-card checkout to payment selection, observe the store-credit option, give a verdict."""
    from probe.request import build_request, option_names
    from probe.run.pipeline import exit_code
    from probe.run.sync import check_sync

    given = {name: value for name, value in locals().items() if name in option_names()}
    try:
        if option_label is not None:
            _check_regex(option_label, "--option-label")
        dates = {
            "credit_expires": parse_date(credit_expires, "--credit-expires"),
            "today": parse_date(today, "--today"),
        }
        request = build_request({**given, **dates}, what="probe check")
        report, kept = check_sync(request, progress=lambda line: err.print(f"[dim]… {escape(line)}[/dim]"))
    except ProbeError as exc:
        raise fail(exc) from None
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _print_verdict(report.verdict, report.observation.option_state, report.observation.option_label)
    if kept is not None:
        err.print(f"previous report kept at {kept}", markup=False)
    err.print(f"report: {(out / 'report.html').resolve().as_uri()}", markup=False)
    code = exit_code(report.verdict.outcome, expect)
    if code == 3:
        err.print(f"probe: inconclusive: {report.observation.error or 'could not observe'}", markup=False)
    elif code == 1 and expect is not None:
        err.print(f"probe: expected {expect.value}, got {report.verdict.outcome.value}", markup=False)
    if baseline is not None:
        _print_changes(report.baseline_changes, f"since {baseline}", to_stderr=as_json)
        code = 1 if code == 0 and report.baseline_changes else code
    if junit is not None:
        from probe.report.junit import CheckResult, write_junit

        name = url or f"scenario {scenario or 'default'}"
        write_junit(junit, [CheckResult(name=name, report=report, expected=expect, report_path=str(out))])
    raise typer.Exit(code)


def _print_changes(changes: tuple[str, ...] | list[str], since: str, *, to_stderr: bool = False) -> None:
    console = err if to_stderr else out
    if not changes:
        console.print(f"no change {since}", markup=False)
        return
    console.print(f"{len(changes)} change{'s' if len(changes) != 1 else ''} {since}:", markup=False)
    for line in changes:
        console.print(f"  {line}", markup=False)


def diff(
    old: Annotated[Path, typer.Argument(help="Earlier report.json or matrix.json (or its folder).")],
    new: Annotated[Path, typer.Argument(help="Later report.json or matrix.json (or its folder).")],
    as_json: JsonOpt = False,
) -> None:
    """What changed between two reports, by observation and verdict; exit 1 on a change, 0 when the same."""
    import json

    from probe.report.diff import diff_paths

    try:
        changes = diff_paths(old, new)
    except ProbeError as exc:
        raise fail(exc) from None
    if as_json:
        typer.echo(json.dumps({"changed": bool(changes), "changes": changes}, indent=2))
    else:
        _print_changes(changes, f"from {old} to {new}")
    raise typer.Exit(1 if changes else 0)


def _check_regex(value: str, option: str) -> None:
    problem = regex_problem(value)
    if problem:
        raise InputError(f"{option} {value!r}: {problem}; escape special characters")


def _print_verdict(verdict: Verdict, state: OptionState | None = None, label: str | None = None) -> None:
    if state is not None:
        out.print(f"option: {label or '(no credit option)'} — {state.value}", markup=False)
    out.print(
        f"verdict: {verdict.outcome.value}"
        + (f" (decided by {verdict.deciding_rule})" if verdict.deciding_rule else ""),
        markup=False,
    )
    for rule in verdict.rules:
        out.print(f"  {rule.id}: {rule.why}", markup=False)
    for warning in verdict.warnings:
        out.print(f"warning: {warning}", markup=False)
    for advice in verdict.advice:
        out.print(f"advice: {advice}", markup=False)


def verdict(
    option_state: Annotated[
        OptionState, typer.Option("--option-state", help="What checkout showed.", case_sensitive=False)
    ],
    credit_source: SourceOpt = None,
    credit_expires: ExpiresOpt = None,
    gift_card: GiftCardOpt = None,
    intent: IntentOpt = None,
    today: TodayOpt = None,
    rules: RulesOpt = None,
    as_json: JsonOpt = False,
    balance: Annotated[
        str | None,
        typer.Option("--balance", help="The balance shown, as the store prints it: 0, £0.00, $150.00."),
    ] = None,
) -> None:
    """The decision table alone, no browser: what the rules say for these facts."""
    from probe.decide.rules import evaluate, load_table
    from probe.models import Facts
    from probe.money import balance_argument

    try:
        facts = Facts(
            balance_text=balance.strip() if balance is not None else None,
            balance=balance_argument(balance) if balance is not None else None,
            option_state=option_state,
            credit_source=credit_source or CreditSource.unknown,
            credit_expires=parse_date(credit_expires, "--credit-expires"),
            gift_card=gift_card or GiftCardKind.store_digital,
            intent=intent or Intent.own_use,
            today=parse_date(today, "--today") or dt.date.today(),
        )
        result = evaluate(facts, load_table(rules))
    except ProbeError as exc:
        raise fail(exc) from None
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        _print_verdict(result)


def rules_command(rules: RulesOpt = None, as_json: JsonOpt = False) -> None:
    """The decision table, readable (or as JSON)."""
    from probe.decide.rules import describe_table, load_table

    try:
        table = load_table(rules)
    except ProbeError as exc:
        raise fail(exc) from None
    if as_json:
        typer.echo(table.model_dump_json(indent=2))
    else:
        typer.echo(describe_table(table))


def store(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0 = any free one).")] = 8000,
    scenario: Annotated[str, typer.Option("--scenario", help="Default scenario.")] = "default",
    list_: Annotated[bool, typer.Option("--list", help="List the bundled scenarios and exit.")] = False,
) -> None:
    """Serve the bundled mock store."""
    from probe.run import store as bundled

    if list_:
        for name in bundled.scenario_names():
            typer.echo(name)
        return
    try:
        bundled.load(scenario)
    except ProbeError as exc:
        raise fail(exc) from None
    err.print(f"mock store on http://{host}:{port}/ (scenario '{scenario}'); Ctrl-C stops it", markup=False)
    bundled.serve_forever(host, port, scenario)


def open_report(
    folder: Annotated[Path, typer.Argument(help="Report folder.")] = Path("probe-report"),
) -> None:
    """Open a report in the default browser, or print its file:// URL where there is none."""
    import webbrowser

    page = folder / "report.html"
    if not page.is_file():
        page = folder / "matrix.html"
    if not page.is_file():
        raise fail(InputError(f"{folder}: no report.html or matrix.html there; run `probe check --out {folder}` first"))
    uri = page.resolve().as_uri()
    try:
        opened = webbrowser.open(uri)
    except webbrowser.Error:
        opened = False
    typer.echo(uri)
    if not opened:
        err.print("no browser to open it here; open the URL above", markup=False)


def doctor(
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the exit code.")] = False,
) -> None:
    """Which browser would be used and why; what to do when none is found."""
    from probe.walk.browser import find_browser, playwright_browsers_dir

    try:
        choice = find_browser(browser_path)
    except ProbeError as exc:
        if not quiet:
            err.print(f"probe: {exc}", markup=False)
            err.print(f"  looked in: --browser-path, $PROBE_BROWSER_PATH, {playwright_browsers_dir()}, PATH")
        raise typer.Exit(exc.exit_code) from None
    if quiet:
        return
    out.print(f"browser: {choice.path}", markup=False)
    out.print(f"version: {choice.version()}", markup=False)
    out.print(f"source:  {choice.source} ({choice.why})", markup=False)
