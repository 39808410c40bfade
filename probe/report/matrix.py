"""The matrix page: one row per check of a matrix run (matrix.json) and the grid that links to each report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from probe.models import CreditSource, Frozen, GiftCardKind, Intent, Outcome, Report
from probe.report.render import relative_href, render_page, write_atomic


class MatrixRow(Frozen):
    """One check of a matrix run, as the matrix page shows it; paths are relative to the matrix folder."""

    name: str
    target: str
    scenario: str | None = None
    credit_source: CreditSource
    gift_card: GiftCardKind
    intent: Intent
    outcome: Outcome
    expected: Outcome | None = None
    matched: bool
    report_dir: str
    thumbnail: str | None = None
    error: str | None = None


class ShardInfo(Frozen):
    """Which part of a matrix a sharded run holds: shard `index` of `total`, from cell `first` of `cells`."""

    index: int
    total: int
    first: int
    cells: int
    name: str


class MatrixFile(Frozen):
    """The contents of matrix.json (`shard` only in a sharded run's folder)."""

    schema_version: int = 1
    rows: tuple[MatrixRow, ...]
    shard: ShardInfo | None = None


def matrix_row(
    report: Report | None,
    *,
    name: str,
    report_dir: str,
    target: str,
    scenario: str | None = None,
    credit_source: CreditSource | None = None,
    gift_card: GiftCardKind | None = None,
    intent: Intent | None = None,
    expected: Outcome | None = None,
    error: str | None = None,
) -> MatrixRow:
    """The matrix page's row for one check (None: it crashed); `report_dir` is relative to the matrix folder.

    Without an expectation a check matches when it reached a verdict: an inconclusive check never matches.
    """
    outcome = report.verdict.outcome if report else Outcome.inconclusive
    shot = None
    if report is not None:
        shots = [s.screenshot for s in report.steps if s.screenshot]
        shot = report.annotated_screenshot or (shots[-1] if shots else None)
    return MatrixRow(
        name=name,
        target=report.run.target if report else target,
        scenario=scenario,
        credit_source=report.credit.source if report else credit_source or CreditSource.unknown,
        gift_card=report.run.gift_card if report else gift_card or GiftCardKind.store_digital,
        intent=report.run.intent if report else intent or Intent.own_use,
        outcome=outcome,
        expected=expected,
        matched=outcome is expected if expected else outcome is not Outcome.inconclusive,
        report_dir=report_dir,
        thumbnail=f"{report_dir.rstrip('/')}/{shot}" if shot else None,
        error=error or (report.observation.error if report else None),
    )


@dataclass(frozen=True)
class _MatrixCell:
    row: MatrixRow
    href: str | None
    thumb: str | None


def render_matrix_html(rows: Sequence[MatrixRow]) -> str:
    """The matrix page: scenario/target × credit source, each check a card linking to its report."""
    cells = [
        _MatrixCell(r, relative_href(f"{r.report_dir.rstrip('/')}/report.html"), relative_href(r.thumbnail))
        for r in rows
    ]
    lines: list[str] = list(dict.fromkeys(r.scenario or r.target for r in rows))
    sources: list[CreditSource] = [s for s in CreditSource if any(r.credit_source == s for r in rows)]
    grid: dict[tuple[str, CreditSource], list[_MatrixCell]] = {(ln, s): [] for ln in lines for s in sources}
    for cell in cells:
        grid[(cell.row.scenario or cell.row.target, cell.row.credit_source)].append(cell)
    counts = {
        "checks": len(rows),
        "matched": sum(r.matched for r in rows),
        "mismatched": sum(not r.matched for r in rows),
        "inconclusive": sum(r.outcome == Outcome.inconclusive for r in rows),
    }
    return render_page("matrix.html.j2", cells=cells, lines=lines, sources=sources, grid=grid, counts=counts)


def write_matrix(rows: Sequence[MatrixRow], folder: Path, shard: ShardInfo | None = None) -> None:
    """Write folder/matrix.json and folder/matrix.html (a shard's matrix.json also says which part it holds)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = MatrixFile(rows=tuple(rows), shard=shard)
    write_atomic(folder / "matrix.json", data.model_dump_json(indent=2, exclude={"shard"} if shard is None else None))
    write_atomic(folder / "matrix.html", render_matrix_html(rows))
