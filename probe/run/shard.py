"""Matrices past one machine: `--shard i/n` runs one contiguous part of the cells; `merge` joins the parts' folders."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from probe.errors import InputError
from probe.models import Outcome, Report
from probe.report.matrix import MatrixFile, MatrixRow, ShardInfo, write_matrix

SHARD_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `total`."""

    index: int
    total: int

    def span(self, cells: int) -> tuple[int, int]:
        """The cells this shard runs, [start, stop): contiguous and balanced, as Playwright Test's --shard splits."""
        size, extra = divmod(cells, self.total)
        start = size * (self.index - 1) + min(extra, self.index - 1)
        return start, start + size + (1 if self.index - 1 < extra else 0)


def parse_shard(text: str) -> Shard:
    """'2/3' -> Shard(2, 3), or InputError saying what a shard looks like."""
    match = SHARD_PATTERN.match(text)
    if match is None:
        raise InputError(f"--shard {text!r}: give the part to run as INDEX/TOTAL, e.g. --shard 1/4")
    index, total = int(match.group(1)), int(match.group(2))
    if total < 1 or not 1 <= index <= total:
        raise InputError(f"--shard {text}: INDEX must be 1..TOTAL and TOTAL at least 1, e.g. --shard 1/{max(total, 2)}")
    return Shard(index, total)


@dataclass(frozen=True)
class Merged:
    """A merged matrix: its rows in the unsharded order, each cell's report (None where the check crashed)."""

    name: str
    rows: tuple[MatrixRow, ...]
    reports: tuple[Report | None, ...]

    @property
    def exit_code(self) -> int:
        """As the unsharded run: 3 if any check reached no verdict; else 1 if any differs from expected; else 0."""
        if any(r.outcome is Outcome.inconclusive for r in self.rows):
            return 3
        return 1 if any(r.expected is not None and r.outcome is not r.expected for r in self.rows) else 0


def _read_part(folder: Path) -> tuple[MatrixFile, ShardInfo]:
    path = folder / "matrix.json"
    if not path.is_file():
        raise InputError(f"{folder}: no matrix.json there; give the --out folders of `probe matrix --shard` runs")
    try:
        data = MatrixFile.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise InputError(f"{path}: not a matrix.json probe wrote ({exc.errors()[0]['msg']})") from None
    if data.shard is None:
        raise InputError(f"{path}: not from a sharded run; run each part with `probe matrix FILE --shard i/n`")
    return data, data.shard


def merge_parts(folders: list[Path], staging: Path) -> Merged:
    """Check that `folders` are every shard of one matrix, copy their report folders into `staging`, join the rows."""
    if not folders:
        raise InputError("matrix merge: give the shard folders to join, e.g. probe matrix merge part-1 part-2")
    parts = [(folder, *_read_part(folder)) for folder in folders]
    first = parts[0][2]
    for folder, _, info in parts:
        if (info.total, info.cells, info.name) != (first.total, first.cells, first.name):
            raise InputError(
                f"{folder}: shard of another matrix ({info.name!r}, {info.total} shards, {info.cells} checks; "
                f"{folders[0]} holds {first.name!r}, {first.total} shards, {first.cells} checks)"
            )
    have = sorted(info.index for _, _, info in parts)
    if have != list(range(1, first.total + 1)):
        missing = sorted(set(range(1, first.total + 1)) - set(have)) or "none"
        raise InputError(
            f"matrix merge: need each of shards 1..{first.total} exactly once; got {have} (missing {missing})"
        )
    rows: list[MatrixRow] = []
    reports: list[Report | None] = []
    for folder, data, _ in sorted(parts, key=lambda p: p[2].first):
        for row in data.rows:
            source = folder / row.report_dir
            if source.is_dir():
                shutil.copytree(source, staging / row.report_dir, dirs_exist_ok=True)
            report_json = source / "report.json"
            reports.append(Report.model_validate_json(report_json.read_bytes()) if report_json.is_file() else None)
            rows.append(row)
    if len(rows) != first.cells:
        raise InputError(f"matrix merge: the shards hold {len(rows)} checks, the matrix has {first.cells}")
    write_matrix(rows, staging)
    return Merged(first.name, tuple(rows), tuple(reports))
