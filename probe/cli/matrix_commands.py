"""`probe matrix`: many checks at once, and `probe matrix merge` joining the shards of one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from probe.cli.options import (
    ApplyOpt,
    HistoryOpt,
    JsonOpt,
    JunitOpt,
    NoHistoryOpt,
    NotifyOpt,
    StorageStateOpt,
    err,
    fail,
    out,
)
from probe.errors import InputError, ProbeError

if TYPE_CHECKING:
    from probe.report.matrix import MatrixRow


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
        int | None, typer.Option("--workers", min=1, help="Checks run at once (default: one per core, plus one).")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Matrix folder: matrix.html and one report per check.")] = Path(
        "probe-matrix"
    ),
    as_json: JsonOpt = False,
    junit: JunitOpt = None,
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
    apply: ApplyOpt = True,
    storage_state: StorageStateOpt = None,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    notify: NotifyOpt = None,
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
                history=history,
                no_history=no_history,
                notify=notify,
                warn=lambda line: bar.console.print(line, markup=False),
            )
    except ProbeError as exc:
        raise fail(exc) from None
    _print_rows(result.rows, out_dir, as_json)
    if junit is not None:
        from probe.report.junit import write_junit

        write_junit(junit, junit_cases(result), suite_name=spec.name)
    _matrix_done(result.kept, out_dir, result.exit_code)


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
