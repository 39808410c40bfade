"""The report folder, written atomically: a crash leaves the previous report or a complete new one."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from probe.errors import InputError

REPORT_MARKERS = ("report.json", "matrix.json")
STALE_AFTER_S = 6 * 3600  # a staging folder this old belongs to a run that was killed, not one still going


class ReportFolder:
    """A staging folder beside `out`, swapped into place when the report is complete."""

    def __init__(self, out: Path) -> None:
        self.out = out
        if out.exists() and not out.is_dir():
            raise InputError(f"--out {out}: a file is in the way; choose a folder name")
        if out.is_dir() and any(out.iterdir()) and not any((out / m).exists() for m in REPORT_MARKERS):
            raise InputError(
                f"--out {out}: the folder holds files that are not a probe report; choose another --out or empty it"
            )
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            self._remove_stale()
            self.staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        except OSError as exc:
            raise InputError(
                f"--out {out}: cannot write there ({exc.strerror or exc}); choose another folder"
            ) from None

    def _remove_stale(self) -> None:
        """Remove staging folders that killed runs left beside `out` long ago."""
        cutoff = time.time() - STALE_AFTER_S
        for stale in self.out.parent.glob(f".{self.out.name}.*.tmp"):
            try:
                if stale.is_dir() and stale.stat().st_mtime < cutoff:
                    shutil.rmtree(stale, ignore_errors=True)
            except OSError:
                continue

    @property
    def previous(self) -> Path:
        """Where the report this run replaces is kept."""
        return self.out.with_name(self.out.name + ".previous")

    def commit(self) -> Path | None:
        """Move the finished report into place; the one it replaces is kept as `<out>.previous`."""
        kept = None
        if self.out.exists():
            if self.previous.exists():
                shutil.rmtree(self.previous)
            self.out.rename(self.previous)
            kept = self.previous
        self.staging.rename(self.out)
        return kept

    def discard(self) -> None:
        """Remove the staging folder (the run did not finish)."""
        shutil.rmtree(self.staging, ignore_errors=True)
