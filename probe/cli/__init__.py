"""The command line: parse, call the core, turn errors into a one-line message and an exit code."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from probe.errors import InputError, ProbeError, regex_problem
from probe.models import CreditSource, GiftCardKind, Intent, OptionState, Outcome, Verdict

if TYPE_CHECKING:
    from probe.report.matrix import MatrixRow


class OneLineErrors(TyperGroup):
    """Usage errors (a bad option value, a missing argument) as one line on stderr, exit 2, like every other error."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        forward = {"windows_expand_args": windows_expand_args, **extra}
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **forward)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **forward)
        except Exception as exc:
            if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":
                exc.show()  # type: ignore[attr-defined]
                sys.exit(exc.exit_code)
            ctx = getattr(exc, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            message = " ".join(exc.format_message().split())
            err.print(f"probe: {message}{hint}", markup=False)
            sys.exit(exc.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    name="probe",
    cls=OneLineErrors,
    help="Find out, in a real browser, whether a store's checkout lets store credit pay for a gift card.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


@app.callback()
def root() -> None:
    """probe: observe a gift-card checkout's store-credit option and explain the verdict."""


def fail(exc: ProbeError) -> typer.Exit:
    """Print a ProbeError to stderr and return the Exit to raise."""
    err.print(f"probe: {exc}", markup=False)
    return typer.Exit(exc.exit_code)


GiftCardOpt = Annotated[
    GiftCardKind | None, typer.Option("--gift-card", help="Kind of gift card bought.", case_sensitive=False)
]
SourceOpt = Annotated[
    CreditSource | None,
    typer.Option("--credit-source", help="Where the credit came from.", case_sensitive=False),
]
ExpiresOpt = Annotated[
    str | None, typer.Option("--credit-expires", metavar="YYYY-MM-DD", help="The credit's expiry date.")
]
IntentOpt = Annotated[Intent | None, typer.Option("--intent", help="What the gift card is for.", case_sensitive=False)]
TodayOpt = Annotated[str | None, typer.Option("--today", metavar="YYYY-MM-DD", help="Date to judge expiry against.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the JSON alone on stdout.")]
RulesOpt = Annotated[
    Path | None,
    typer.Option("--rules", help="Your own decision table (YAML).", dir_okay=False),
]

CdpOpt = Annotated[
    str | None,
    typer.Option("--cdp-endpoint", metavar="URL", help="Use a running Chromium's DevTools endpoint (no launch)."),
]
WsOpt = Annotated[
    str | None,
    typer.Option("--ws-endpoint", metavar="URL", help="Use a running Playwright browser server (no launch)."),
]
ApplyOpt = Annotated[
    bool,
    typer.Option(
        "--apply/--no-apply", help="Press a credit's own apply / use / select control to hear the store's answer."
    ),
]
StorageStateOpt = Annotated[
    Path | None,
    typer.Option(
        "--storage-state",
        metavar="FILE",
        help="Signed-in session (Playwright storage-state JSON, from `probe login URL --save FILE`).",
        dir_okay=False,
    ),
]
JunitOpt = Annotated[
    Path | None, typer.Option("--junit", metavar="FILE", help="Also write JUnit XML there.", dir_okay=False)
]


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or a clear error."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: not a date; write it as YYYY-MM-DD, e.g. 2026-12-31") from None


@app.command()
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
        typer.Option("--mask/--no-mask", help="Mask balances, cards, e-mails and names in screenshots."),
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
    storage_state: StorageStateOpt = None,
    use_existing_context: Annotated[
        bool,
        typer.Option(
            "--use-existing-context",
            help="With --cdp-endpoint: use the remote browser's own context (its cookies) instead of a new one.",
        ),
    ] = False,
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


@app.command()
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


@app.command()
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


@app.command("rules")
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


@app.command()
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


@app.command("open")
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


@app.command()
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


@app.command()
def matrix(
    file: Annotated[Path, typer.Argument(help="Matrix file (YAML), or `merge` followed by shard folders.")],
    folders: Annotated[
        list[Path] | None, typer.Argument(help="With `merge`: the --out folders of the shards to join.")
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option("--shard", metavar="I/N", help="Run part I of N of the cells (one part per CI machine)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Checks run at once (default: one per core).")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Matrix folder: matrix.html and one report per check.")] = Path(
        "probe-matrix"
    ),
    as_json: JsonOpt = False,
    junit: JunitOpt = None,
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
    apply: ApplyOpt = True,
    storage_state: StorageStateOpt = None,
) -> None:
    """Run many checks at once (targets × credit sources × gift cards × intents), one report each and a matrix page.

    `probe matrix merge DIR... --out DIR` joins the folders of `--shard i/n` runs into one matrix page, matrix.json
    and (with --junit) one JUnit file, as one unsharded run would have written them.

    Exit 0 when every check reached a verdict matching its expectation; 3 when any reached none (this wins);
    else 1 when any differs from its expectation; 2 for bad input.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from probe.run.matrix import Cell, CellResult, junit_cases, load_matrix, run_matrix_sync
    from probe.run.shard import parse_shard

    if str(file) == "merge" and not file.is_file():
        _merge(folders or [], out_dir, as_json, junit)
        return
    if folders:
        raise fail(
            InputError(
                f"matrix {file}: give one matrix file (extra: {folders[0]}); to join shards use "
                "`probe matrix merge DIR... --out DIR`"
            )
        )

    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )
    task = bar.add_task("checks", total=None)

    def started(cells: list[Cell]) -> None:
        bar.update(task, total=len(cells))

    def done(result: CellResult) -> None:
        expected = result.cell.expected
        shown = result.outcome.value + (f" (expected {expected.value})" if expected and result.code == 1 else "")
        bar.console.print(f"{result.cell.name}: {shown}", markup=False)
        bar.advance(task)

    try:
        part = parse_shard(shard) if shard is not None else None
        spec = load_matrix(file)
        with bar:
            result = run_matrix_sync(
                spec,
                out_dir,
                workers=workers,
                browser_path=browser_path,
                on_start=started,
                on_done=done,
                no_apply=not apply,
                storage_state=storage_state,
                shard=part,
            )
    except ProbeError as exc:
        raise fail(exc) from None
    _print_rows(result.rows, out_dir, as_json)
    if junit is not None:
        from probe.report.junit import write_junit

        write_junit(junit, junit_cases(result), suite_name=spec.name)
    _matrix_done(result.kept, out_dir, result.exit_code)


@app.command()
def login(
    url: Annotated[str, typer.Argument(help="The store's sign-in page (or any page of it).")],
    save: Annotated[Path, typer.Option("--save", metavar="FILE", help="Where to save the session (0600).")],
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
) -> None:
    """Open a browser window to sign in to a store; press Enter here to save the session for --storage-state."""
    import asyncio

    from probe.run.login import login_session

    async def wait_for_person(_page: object) -> None:
        err.print("sign in in the browser window, then press Enter here to save the session…", markup=False)
        await asyncio.to_thread(sys.stdin.readline)

    try:
        cookies = asyncio.run(
            login_session(
                url, save, wait_for_person, browser_path=browser_path, progress=lambda m: err.print(m, markup=False)
            )
        )
    except ProbeError as exc:
        raise fail(exc) from None
    err.print(f"saved the session ({cookies} cookies) to {save}; it signs in as you: keep it private", markup=False)
    err.print(f"use it: probe check {url} --profile PROFILE --storage-state {save}", markup=False)


profile_app = typer.Typer(help="Store profiles: check one, its reference and schema, one from a recording.")
app.add_typer(profile_app, name="profile")


@profile_app.command("schema")
def profile_schema_command() -> None:
    """Print the profile's JSON Schema (for editors: `# yaml-language-server: $schema=FILE`)."""
    from probe.walk.profile_ref import schema_text

    typer.echo(schema_text().rstrip())


@profile_app.command("reference")
def profile_reference_command(
    write: Annotated[
        bool, typer.Option("--write", help="Rewrite docs/profile.md and docs/profile.schema.json.")
    ] = False,
    check_only: Annotated[
        bool, typer.Option("--check", help="Exit 1 when the checked-in docs are out of date.")
    ] = False,
) -> None:
    """Print the profile reference (Markdown), generated from the profile's models."""
    from probe.walk.profile_ref import reference, stale_files, write_reference

    if check_only:
        stale = stale_files()
        for path in stale:
            err.print(f"{path}: out of date; run `probe profile reference --write`", markup=False)
        raise typer.Exit(1 if stale else 0)
    if write:
        for path in write_reference():
            err.print(f"wrote {path}", markup=False)
        return
    typer.echo(reference().rstrip())


@profile_app.command("check")
def profile_check_command(
    file: Annotated[Path, typer.Argument(help="Profile (YAML).", dir_okay=False)],
    url: Annotated[
        str | None, typer.Argument(help="Store URL: walk the steps there (guarded, nothing observed).")
    ] = None,
    storage_state: StorageStateOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the steps' screenshots.")] = Path(
        "probe-profile-check"
    ),
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds the whole walk may take.")] = 60.0,
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
) -> None:
    """Validate a profile; with a URL, walk it and stop at the first failing step with a screenshot and its cause.

    Exit 0 when valid (and every step worked), 1 when a step failed, 2 for an invalid profile or bad input.
    """
    import asyncio

    from probe.run.profile_check import validate, walk_profile

    try:
        profile = validate(file)
        if url is None:
            out.print(
                f"{file}: valid profile '{profile.name}' ({len(profile.login)} login steps, "
                f"{len(profile.steps)} steps)",
                markup=False,
            )
            return
        result = asyncio.run(
            walk_profile(
                profile,
                url,
                out=out_dir,
                storage_state=storage_state,
                timeout_s=timeout,
                browser_path=browser_path,
                progress=lambda line: err.print(f"[dim]… {escape(line)}[/dim]"),
            )
        )
    except ProbeError as exc:
        raise fail(exc) from None
    for step in result.steps:
        mark = "ok  " if step.ok else "FAIL"
        out.print(f"{mark} {step.name} ({step.duration_s:.1f} s)", markup=False)
        if step.error:
            out.print(f"     {step.error}", markup=False)
            if step.screenshot:
                out.print(f"     screenshot: {(result.folder / step.screenshot).resolve()}", markup=False)
    raise typer.Exit(1 if result.failed else 0)


@profile_app.command("from-codegen")
def profile_from_codegen(
    script: Annotated[Path, typer.Argument(help="Script recorded by `playwright codegen --target python`.")],
    name: Annotated[str | None, typer.Option("--name", help="The profile's name (default: the script's).")] = None,
    save: Annotated[Path | None, typer.Option("--out", "-o", help="Write the profile there, not to stdout.")] = None,
) -> None:
    """Turn a recorded script into a profile (read, never run); order clicks refused, passwords as ${env:…}."""
    from probe.walk.codegen import convert_file

    try:
        result = convert_file(script, name)
    except ProbeError as exc:
        raise fail(exc) from None
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    if save is None:
        typer.echo(result.yaml_text, nl=False)
    else:
        save.write_text(result.yaml_text, encoding="utf-8")
        err.print(f"wrote {save}", markup=False)
    if result.env:
        err.print(f"before running it: export {'=… '.join(result.env)}=…", markup=False)


def _merge(folders: list[Path], out_dir: Path, as_json: bool, junit: Path | None) -> None:
    """`probe matrix merge`: the shards' folders joined into one matrix folder (and JUnit file)."""
    from probe.report.folder import ReportFolder
    from probe.report.junit import CheckResult, write_junit
    from probe.run.shard import merge_parts

    folder = ReportFolder(out_dir)
    try:
        merged = merge_parts(folders, folder.staging)
    except ProbeError as exc:
        folder.discard()
        raise fail(exc) from None
    except BaseException:
        folder.discard()
        raise
    kept = folder.commit()
    _print_rows(merged.rows, out_dir, as_json)
    if junit is not None:
        cases = [
            CheckResult(
                name=row.name,
                report=report,
                expected=row.expected,
                error=row.error if report is None else None,
                report_path=str(out_dir / row.name),
            )
            for row, report in zip(merged.rows, merged.reports, strict=True)
        ]
        write_junit(junit, cases, suite_name=merged.name)
    _matrix_done(kept, out_dir, merged.exit_code)


def _print_rows(rows: Sequence[MatrixRow], out_dir: Path, as_json: bool) -> None:
    """A matrix run's (or merge's) result: matrix.json on stdout with --json, else a line per check."""
    if as_json:
        typer.echo((out_dir / "matrix.json").read_text(encoding="utf-8").rstrip())
        return
    for row in rows:
        mark = "ok  " if row.matched else "FAIL"
        expected = f" (expected {row.expected.value})" if row.expected and not row.matched else ""
        out.print(f"{mark} {row.name}: {row.outcome.value}{expected}", markup=False)


def _matrix_done(kept: Path | None, out_dir: Path, code: int) -> None:
    """Where the matrix page is (and the previous one kept), then the matrix's exit code."""
    if kept is not None:
        err.print(f"previous matrix kept at {kept}", markup=False)
    err.print(f"matrix: {(out_dir / 'matrix.html').resolve().as_uri()}", markup=False)
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
