"""Many checks at once: the cells of a matrix file run concurrently, each in its own context of one browser."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from probe.errors import InputError, ProbeError, first_line
from probe.models import Outcome, Report
from probe.request import check_history_options
from probe.run import store
from probe.run.matrix_spec import (
    Cell,
    Endpoint,
    Expectation,
    MatrixSpec,
    Target,
    default_workers,
    expand,
    load_matrix,
)
from probe.run.pipeline import Prepared, Progress, exit_code, prepare
from probe.run.sync import run_sync
from probe.run.walk_share import group_by_walk, share_files, walk_key

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam
    from playwright.async_api import Browser

    from probe.history.record import Recorder
    from probe.report.junit import CheckResult
    from probe.report.matrix import MatrixRow
    from probe.run.check import Walked
    from probe.run.driver import Driver
    from probe.run.shard import Shard
    from probe.walk.browser import BrowserChoice

__all__ = [
    "Cell",
    "CellResult",
    "Endpoint",
    "Expectation",
    "MatrixResult",
    "MatrixSpec",
    "Target",
    "default_workers",
    "expand",
    "junit_cases",
    "load_matrix",
    "prepare_cells",
    "run_cells",
    "run_matrix",
    "run_matrix_sync",
]


@dataclass(frozen=True)
class CellResult:
    """A finished cell: its report (None when the check crashed) and the error that stopped it."""

    cell: Cell
    report: Report | None
    error: str | None = None

    @property
    def outcome(self) -> Outcome:
        return self.report.verdict.outcome if self.report else Outcome.inconclusive

    @property
    def code(self) -> int:
        """This check's exit code, as `probe check --expect` would give it."""
        return 3 if self.report is None else exit_code(self.outcome, self.cell.expected)


@dataclass(frozen=True)
class MatrixResult:
    """What a matrix run found: one result per cell, the rows of the matrix page, and where it was written."""

    spec: MatrixSpec
    results: tuple[CellResult, ...]
    rows: tuple[MatrixRow, ...]
    out: Path
    kept: Path | None

    @property
    def exit_code(self) -> int:
        """3 if any check reached no verdict; else 1 if any differs from its expectation; else 0."""
        codes = {r.code for r in self.results}
        return 3 if 3 in codes else 1 if 1 in codes else 0


def prepare_cells(cells: list[Cell]) -> list[Prepared]:
    """Load every cell's profile and rules before any browser starts; all problems in one InputError."""
    prepared: list[Prepared] = []
    problems: list[str] = []
    for cell in cells:
        try:
            prepared.append(prepare(cell.request))
        except ProbeError as exc:
            problems.extend(f"  {cell.name}: {line.strip()}" for line in str(exc).splitlines())
    if problems:
        raise InputError("matrix: some checks cannot start", lines=problems)
    return prepared


@contextmanager
def _store(cells: list[Cell], store_url: str | None) -> Iterator[str | None]:
    """One bundled store for every scenario target (each browser context picks its scenario by cookie)."""
    if store_url is not None or not any(c.target.scenario for c in cells):
        yield store_url
        return
    with store.serve() as url:
        yield url


@contextlib.asynccontextmanager
async def _store_aside(cells: list[Cell], store_url: str | None) -> AsyncIterator[str | None]:
    """`_store`, started and stopped in a thread, so the event loop goes on starting the browser meanwhile."""
    stack = contextlib.ExitStack()
    starting = asyncio.ensure_future(asyncio.to_thread(stack.enter_context, _store(cells, store_url)))
    try:
        yield await asyncio.shield(starting)
    finally:
        await asyncio.wait([starting])  # a start cut short by Ctrl-C is let finish, then stopped
        await asyncio.to_thread(stack.close)


async def run_cells(
    cells: list[Cell],
    prepared: list[Prepared],
    staging: Path,
    *,
    workers: int,
    endpoints: tuple[Endpoint, ...] = (),
    store_url: str | None = None,
    browser_path: str | None = None,
    progress: Progress = lambda _: None,
    on_done: Callable[[CellResult], None] = lambda _: None,
    recorder: Recorder | None = None,
) -> list[CellResult]:
    """Run the cells, `workers` at a time, each in its own context of one browser per endpoint (or one launched)."""
    from probe.run.driver import driver
    from probe.walk.browser import find_browser

    if workers < 1:
        raise InputError(f"--workers {workers}: give 1 or more")
    if not cells:
        return []
    choice = None if endpoints else find_browser(browser_path)
    # The driver (started early by the command line, when it was) and the browser start while the bundled store does;
    # a browser opened for a run that then fails goes with the driver.
    async with driver() as started:
        opening = asyncio.ensure_future(_open_browsers(started, choice, endpoints, progress))
        try:
            async with _store_aside(cells, store_url) as base_url:
                browsers = await opening
                try:
                    run = _Run(cells, prepared, browsers, endpoints, base_url, staging, progress, on_done, recorder)
                    return await run.all(workers)
                finally:
                    for browser in browsers:
                        await browser.close()
        except BaseException:
            opening.cancel()
            raise


async def _open_browsers(
    started: Driver,
    choice: BrowserChoice | None,
    endpoints: tuple[Endpoint, ...],
    progress: Progress,
) -> list[Browser]:
    """The launched Chromium (the one launched ahead, when it is that one), or one browser per remote endpoint."""
    from probe.walk.browser import connect

    if choice is not None:
        progress(f"launching {choice.path}")
        return [await started.launch(choice)]
    pw = await started.playwright()
    browsers = []
    for endpoint in endpoints:
        progress(f"connecting to {endpoint.cdp or endpoint.ws}")
        browsers.append(await connect(pw, cdp=endpoint.cdp, ws=endpoint.ws))
    return browsers


@dataclass
class _Run:
    """The cells of a matrix and what they run in: one walk per group of equal walks, each decided per cell."""

    cells: list[Cell]
    prepared: list[Prepared]
    browsers: list[Browser]
    endpoints: tuple[Endpoint, ...]
    base_url: str | None
    staging: Path
    progress: Progress
    on_done: Callable[[CellResult], None]
    recorder: Recorder | None = None

    async def all(self, workers: int) -> list[CellResult]:
        """Every cell's result, in the cells' order, `workers` walks at a time."""
        groups = group_by_walk([walk_key(p) for p in self.prepared])
        self.progress(f"{len(self.cells)} checks, {len(groups)} distinct walks")
        gate = asyncio.Semaphore(workers)

        async def one(g: int, members: list[int]) -> list[CellResult]:
            cells, ons = [self.cells[i] for i in members], self.group_prepared(g, members)
            async with gate:
                walked = await _walk(
                    cells, ons[0], self.browsers[g % len(self.browsers)], self.base_url, self.staging, self.progress
                )
            return await _decide_group(cells, ons, walked, self.staging, self.on_done, self.recorder)

        done = await asyncio.gather(*(one(g, members) for g, members in enumerate(groups)))
        by_index = {i: r for members, rs in zip(groups, done, strict=True) for i, r in zip(members, rs, strict=True)}
        return [by_index[i] for i in range(len(self.cells))]

    def group_prepared(self, g: int, members: list[int]) -> list[Prepared]:
        """The `g`th group's prepared checks, pointed at its remote browser (round-robin over the endpoints)."""
        ons = [self.prepared[i] for i in members]
        if not self.endpoints:
            return ons
        endpoint = self.endpoints[g % len(self.endpoints)]
        remote = {"cdp_endpoint": endpoint.cdp, "ws_endpoint": endpoint.ws}
        return [on.model_copy(update={"request": on.request.model_copy(update=remote)}) for on in ons]


async def _walk(
    cells: list[Cell],
    prepared: Prepared,
    browser: Browser,
    base_url: str | None,
    staging: Path,
    progress: Progress,
) -> Walked | str:
    """Walk once for `cells` (equal walks), into the first cell's folder; the error line if the walk crashed."""
    from probe.run.check import walk_in_browser

    first = cells[0]
    folder = staging / first.name
    folder.mkdir(parents=True, exist_ok=True)
    url = first.target.url or base_url or ""
    cookies: list[SetCookieParam] = []
    if first.target.scenario is not None:
        cookies.append(store.scenario_cookie(first.target.scenario, url))
    for cell in cells:
        progress(f"{cell.name}: started" + (f" (walks with {first.name})" if cell is not first else ""))
    try:
        return await walk_in_browser(
            prepared, browser, url, folder, lambda line: progress(f"{first.name}: {line}"), cookies
        )
    except Exception as exc:  # noqa: BLE001 - one crashed walk must not stop the others
        return first_line(exc)


async def _decide_group(
    cells: list[Cell],
    prepared: list[Prepared],
    walked: Walked | str,
    staging: Path,
    on_done: Callable[[CellResult], None],
    recorder: Recorder | None = None,
) -> list[CellResult]:
    """Each cell's report from the one walk they share: its own verdict, the walk's screenshots in its folder."""
    from probe.report.render import write_report

    walk_folder = staging / cells[0].name
    errors: dict[str, str] = {}
    for cell in cells[1:]:
        try:
            # Before any report is written there: the walk's folder then holds the walk's files alone (those of a
            # crashed walk too, as a check that crashed alone would have left them).
            await asyncio.to_thread(share_files, walk_folder, staging / cell.name)
        except OSError as exc:
            errors[cell.name] = f"could not copy the walk's screenshots: {first_line(exc)}"
    results: list[CellResult] = []
    for cell, on in zip(cells, prepared, strict=True):
        result = CellResult(cell, None, walked if isinstance(walked, str) else errors.get(cell.name))
        if not isinstance(walked, str) and result.error is None:
            try:
                report = walked.report(on)
                await asyncio.to_thread(write_report, report, staging / cell.name)
                result = CellResult(cell, report)
            except Exception as exc:  # noqa: BLE001 - one crashed check must not stop the others
                result = CellResult(cell, None, first_line(exc))
        if recorder is not None and result.report is not None:
            # Into the history as each check ends (its report's final place); a history that cannot be used is
            # kept by the recorder and told once the matrix is written.
            with contextlib.suppress(ProbeError):
                await asyncio.to_thread(recorder.record, result.report, cell.request.out)
        on_done(result)
        results.append(result)
    return results


def row_of(result: CellResult) -> MatrixRow:
    """The matrix page's row for one finished cell; paths relative to the matrix folder."""
    from probe.report.matrix import matrix_row

    cell = result.cell
    return matrix_row(
        result.report,
        name=cell.name,
        report_dir=cell.name,
        target=cell.target.label,
        scenario=cell.target.scenario,
        credit_source=cell.credit_source,
        gift_card=cell.gift_card,
        intent=cell.intent,
        expected=cell.expected,
        error=result.error,
    )


async def run_matrix(
    spec: MatrixSpec,
    out: Path,
    *,
    workers: int | None = None,
    store_url: str | None = None,
    browser_path: str | None = None,
    no_apply: bool = False,
    storage_state: Path | None = None,
    progress: Progress = lambda _: None,
    on_start: Callable[[list[Cell]], None] = lambda _: None,
    on_done: Callable[[CellResult], None] = lambda _: None,
    shard: Shard | None = None,
    history: str | None = None,
    no_history: bool = False,
    notify: str | None = None,
    warn: Progress | None = None,
) -> MatrixResult:
    """Expand, prepare and run the matrix (or its `shard`); write a report folder per check and the matrix page;
    append each check to the run history (HistoryError, once all is written, when it cannot be used)."""
    from probe.history.record import Recorder
    from probe.report.folder import ReportFolder
    from probe.report.matrix import ShardInfo, write_matrix

    check_history_options(history, no_history, notify)

    cells = expand(spec, out, no_apply=no_apply, storage_state=storage_state, browser_path=browser_path)
    info = None
    if shard is not None:
        start, stop = shard.span(len(cells))
        info = ShardInfo(index=shard.index, total=shard.total, first=start, cells=len(cells), name=spec.name)
        cells = cells[start:stop]
    prepared = prepare_cells(cells)
    on_start(cells)
    folder = ReportFolder(out)
    recorder = None if no_history else Recorder(history, notify, warn or progress)
    try:
        results = await run_cells(
            cells,
            prepared,
            folder.staging,
            workers=workers or default_workers(),
            endpoints=spec.endpoints,
            store_url=store_url,
            browser_path=browser_path,
            progress=progress,
            on_done=on_done,
            recorder=recorder,
        )
        rows = tuple(row_of(r) for r in results)
        write_matrix(rows, folder.staging, info)
    except BaseException:
        folder.discard()
        raise
    finally:
        if recorder is not None:
            recorder.close()
    result = MatrixResult(spec, tuple(results), rows, out, folder.commit())
    if recorder is not None and recorder.failed is not None:
        raise recorder.failed
    return result


def run_matrix_sync(spec: MatrixSpec, out: Path, **options: Any) -> MatrixResult:
    """run_matrix from synchronous code, even where an event loop already runs (then in a thread)."""
    return run_sync(lambda: run_matrix(spec, out, **options))


def junit_cases(result: MatrixResult) -> list[CheckResult]:
    """One JUnit test case per check of the matrix."""
    from probe.report.junit import CheckResult

    return [
        CheckResult(
            name=r.cell.name,
            report=r.report,
            expected=r.cell.expected,
            error=r.error,
            report_path=str(result.out / r.cell.name),
        )
        for r in result.results
    ]
