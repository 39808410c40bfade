"""Many checks at once: the matrix file, its expansion into cells, and running them concurrently in one browser."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from probe.check import CheckRequest, Prepared, Progress, exit_code, prepare
from probe.errors import InputError, ProbeError, load_yaml_model
from probe.models import CreditSource, GiftCardKind, Intent, Outcome, Report

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam
    from playwright.async_api import Browser

    from probe.junit import CheckResult
    from probe.report import MatrixRow


class Target(BaseModel):
    """What one line of the matrix probes: a bundled-store scenario, or a store URL with its profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str | None = None
    url: str | None = None
    profile: Path | None = None
    payment_page: bool = False
    option_label: str | None = None
    credit_expires: dt.date | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Target:
        if (self.scenario is None) == (self.url is None):
            raise ValueError("give either `scenario` (the bundled store) or `url` (with a `profile`), not both")
        if self.option_label is not None:
            try:
                re.compile(self.option_label)
            except re.error as exc:
                raise ValueError(f"option_label: not a valid regular expression ({exc})") from None
        return self

    @property
    def label(self) -> str:
        """The scenario name or the URL, as rows and expectations name it."""
        return self.scenario or self.url or ""


class Expectation(BaseModel):
    """The outcome expected for every cell that matches all the keys given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str | None = None
    url: str | None = None
    credit_source: CreditSource | None = None
    gift_card: GiftCardKind | None = None
    intent: Intent | None = None
    outcome: Outcome


class Endpoint(BaseModel):
    """A browser that already runs: a Chromium DevTools endpoint or a Playwright server (a bare string is `cdp`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cdp: str | None = None
    ws: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, data: Any) -> Any:
        return {"cdp": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_of(self) -> Endpoint:
        if (self.cdp is None) == (self.ws is None):
            raise ValueError("give either `cdp` or `ws`")
        return self


class MatrixSpec(BaseModel):
    """A matrix file: targets × credit sources × gift-card kinds × intents, with optional expectations."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "probe matrix"
    targets: tuple[Target, ...]
    credit_sources: tuple[CreditSource, ...] = ()
    gift_cards: tuple[GiftCardKind, ...] = ()
    intents: tuple[Intent, ...] = ()
    today: dt.date | None = None
    timeout: float = Field(default=60.0, gt=0)
    rules: Path | None = None
    expect: tuple[Expectation, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()

    @field_validator("targets")
    @classmethod
    def _some(cls, targets: tuple[Target, ...]) -> tuple[Target, ...]:
        if not targets:
            raise ValueError("list at least one target: {scenario: NAME} or {url: URL, profile: FILE}")
        return targets


@dataclass(frozen=True)
class Cell:
    """One check of the matrix: its folder name, what it probes, and what it should find."""

    name: str
    target: Target
    credit_source: CreditSource | None
    gift_card: GiftCardKind | None
    intent: Intent | None
    expected: Outcome | None
    request: CheckRequest


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


def load_matrix(path: Path) -> MatrixSpec:
    """Read and validate a matrix file; paths in it are taken relative to the file's folder."""
    spec = load_yaml_model(path, MatrixSpec, what="matrix")
    base = path.parent

    def near(p: Path | None) -> Path | None:
        return p if p is None or p.is_absolute() else base / p

    return spec.model_copy(
        update={
            "rules": near(spec.rules),
            "targets": tuple(t.model_copy(update={"profile": near(t.profile)}) for t in spec.targets),
        }
    )


def default_workers() -> int:
    """How many checks run at once unless told: one per core."""
    return max(1, os.cpu_count() or 1)


def _slug(text: str) -> str:
    text = re.sub(r"^[a-z]+://", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "check"


def expand(spec: MatrixSpec, out: Path, **request_options: Any) -> list[Cell]:
    """Every cell of the matrix in order, each with its request; InputError for expectations that match nothing."""
    cells: list[Cell] = []
    used: set[str] = set()
    hits = [0] * len(spec.expect)
    for target in spec.targets:
        for source in spec.credit_sources or (None,):
            for kind in spec.gift_cards or (None,):
                for intent in spec.intents or (None,):
                    parts = [target.label, source, kind, intent]
                    name = "-".join(_slug(str(p)) for p in parts if p is not None)
                    unique, n = name, 2
                    while unique in used:
                        unique, n = f"{name}-{n}", n + 1
                    used.add(unique)
                    expected = _expected(spec, target, source, kind, intent, hits)
                    request = CheckRequest(
                        url=target.url,
                        scenario=target.scenario,
                        profile=target.profile,
                        payment_page=target.payment_page,
                        option_label=target.option_label,
                        credit_expires=target.credit_expires,
                        credit_source=source,
                        gift_card=kind,
                        intent=intent,
                        today=spec.today,
                        timeout_s=spec.timeout,
                        rules=spec.rules,
                        out=out / unique,
                        **request_options,
                    )
                    cells.append(Cell(unique, target, source, kind, intent, expected, request))
    unused = [f"  expect.{i}: matches no check of the matrix" for i, n in enumerate(hits) if n == 0]
    if unused:
        raise InputError(f"matrix {spec.name!r}: {len(unused)} expectation(s) match nothing", lines=unused)
    return cells


def _expected(
    spec: MatrixSpec,
    target: Target,
    source: CreditSource | None,
    kind: GiftCardKind | None,
    intent: Intent | None,
    hits: list[int],
) -> Outcome | None:
    found: Outcome | None = None
    for i, e in enumerate(spec.expect):
        keys: list[tuple[object, object]] = [(e.scenario, target.scenario), (e.url, target.url)]
        keys += [(e.credit_source, source), (e.gift_card, kind), (e.intent, intent)]
        if all(want is None or want == have for want, have in keys):
            hits[i] += 1
            if found is not None and found is not e.outcome:
                raise InputError(
                    f"matrix {spec.name!r}: expect.{i} says {e.outcome.value} for a check an earlier "
                    f"expectation says is {found.value}; make them agree"
                )
            found = e.outcome
    return found


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
    from mock_store.server import serve_in_thread

    with serve_in_thread(scenario="default") as url:
        yield url


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
) -> list[CellResult]:
    """Run the cells, `workers` at a time, each in its own context of one browser per endpoint (or one launched)."""
    from playwright.async_api import async_playwright

    from probe.browser import connect, find_browser, launch

    if workers < 1:
        raise InputError(f"--workers {workers}: give 1 or more")
    choice = None if endpoints else find_browser(browser_path)
    gate = asyncio.Semaphore(workers)
    with _store(cells, store_url) as base_url:
        async with async_playwright() as pw:
            if choice is not None:
                progress(f"launching {choice.path}")
                browsers: list[Browser] = [await launch(pw, choice)]
            else:
                browsers = []
                for endpoint in endpoints:
                    progress(f"connecting to {endpoint.cdp or endpoint.ws}")
                    browsers.append(await connect(pw, cdp=endpoint.cdp, ws=endpoint.ws))
            try:

                async def one(i: int) -> CellResult:
                    cell = cells[i]
                    async with gate:
                        browser, on = browsers[i % len(browsers)], prepared[i]
                        if endpoints:
                            endpoint = endpoints[i % len(endpoints)]
                            remote = {"cdp_endpoint": endpoint.cdp, "ws_endpoint": endpoint.ws}
                            on = on.model_copy(update={"request": on.request.model_copy(update=remote)})
                        result = await _run_cell(cell, on, browser, base_url, staging, progress)
                    on_done(result)
                    return result

                return list(await asyncio.gather(*(one(i) for i in range(len(cells)))))
            finally:
                for browser in browsers:
                    await browser.close()


async def _run_cell(
    cell: Cell,
    prepared: Prepared,
    browser: Browser,
    base_url: str | None,
    staging: Path,
    progress: Progress,
) -> CellResult:
    from probe.report import write_report
    from probe.runner import check_in_browser

    folder = staging / cell.name
    folder.mkdir(parents=True, exist_ok=True)
    url = cell.target.url or base_url or ""
    cookies: list[SetCookieParam] = []
    if cell.target.scenario is not None:
        from mock_store.pages import SCENARIO_COOKIE

        cookies.append({"name": SCENARIO_COOKIE, "value": cell.target.scenario, "url": url})
    progress(f"{cell.name}: started")
    try:
        report = await check_in_browser(
            prepared, browser, url, folder, lambda line: progress(f"{cell.name}: {line}"), cookies
        )
        await asyncio.to_thread(write_report, report, folder)
    except Exception as exc:  # noqa: BLE001 - one crashed check must not stop the others
        text = str(exc).strip()
        return CellResult(cell, None, text.splitlines()[0] if text else exc.__class__.__name__)
    return CellResult(cell, report)


def row_of(result: CellResult) -> MatrixRow:
    """The matrix page's row for one finished cell; paths relative to the matrix folder."""
    from probe.report import MatrixRow

    cell, report = result.cell, result.report
    thumbnail = None
    if report is not None:
        shots = [s.screenshot for s in report.steps if s.screenshot]
        shot = report.annotated_screenshot or (shots[-1] if shots else None)
        thumbnail = f"{cell.name}/{shot}" if shot else None
    expected = cell.expected
    return MatrixRow(
        name=cell.name,
        target=report.run.target if report else cell.target.label,
        scenario=cell.target.scenario,
        credit_source=report.credit.source if report else cell.credit_source or CreditSource.unknown,
        gift_card=report.run.gift_card if report else cell.gift_card or GiftCardKind.store_digital,
        intent=report.run.intent if report else cell.intent or Intent.own_use,
        outcome=result.outcome,
        expected=expected,
        matched=result.outcome is expected if expected else result.outcome is not Outcome.inconclusive,
        report_dir=cell.name,
        thumbnail=thumbnail,
        error=result.error or (report.observation.error if report else None),
    )


async def run_matrix(
    spec: MatrixSpec,
    out: Path,
    *,
    workers: int | None = None,
    store_url: str | None = None,
    browser_path: str | None = None,
    progress: Progress = lambda _: None,
    on_start: Callable[[list[Cell]], None] = lambda _: None,
    on_done: Callable[[CellResult], None] = lambda _: None,
) -> MatrixResult:
    """Expand, prepare and run the matrix; write one report folder per check and the matrix page under `out`."""
    from probe.folder import ReportFolder
    from probe.report import write_matrix

    cells = expand(spec, out, browser_path=browser_path)
    prepared = prepare_cells(cells)
    on_start(cells)
    folder = ReportFolder(out)
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
        )
        rows = tuple(row_of(r) for r in results)
        write_matrix(rows, folder.staging)
    except BaseException:
        folder.discard()
        raise
    return MatrixResult(spec, tuple(results), rows, out, folder.commit())


def run_matrix_sync(spec: MatrixSpec, out: Path, **options: Any) -> MatrixResult:
    """run_matrix from synchronous code, even where an event loop already runs (then in a thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run_matrix(spec, out, **options))
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="probe-matrix") as pool:
        return pool.submit(asyncio.run, run_matrix(spec, out, **options)).result()


def junit_cases(result: MatrixResult) -> list[CheckResult]:
    """One JUnit test case per check of the matrix."""
    from probe.junit import CheckResult

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
