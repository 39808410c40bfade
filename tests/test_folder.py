"""The report folder: staged beside --out, swapped in whole, leftovers of killed runs cleaned up."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from probe.errors import InputError
from probe.report.folder import STALE_AFTER_S, ReportFolder


def test_commit_swaps_in_the_new_report_and_keeps_the_old(tmp_path: Path) -> None:
    out = tmp_path / "report"
    first = ReportFolder(out)
    (first.staging / "report.json").write_text("1")
    assert first.commit() is None
    second = ReportFolder(out)
    (second.staging / "report.json").write_text("2")
    assert not second.staging.name.startswith("report")  # hidden beside --out until complete
    kept = second.commit()
    assert kept == tmp_path / "report.previous"
    assert (out / "report.json").read_text() == "2"
    assert (kept / "report.json").read_text() == "1"
    assert not list(tmp_path.glob(".report.*.tmp"))


def test_discard_leaves_the_previous_report_alone(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.json").write_text("old")
    folder = ReportFolder(out)
    folder.discard()
    assert (out / "report.json").read_text() == "old"
    assert not folder.staging.exists()


def test_old_leftover_staging_folders_are_removed_recent_ones_kept(tmp_path: Path) -> None:
    out = tmp_path / "report"
    old = tmp_path / ".report.abc123.tmp"
    recent = tmp_path / ".report.def456.tmp"
    other = tmp_path / ".elsewhere.abc123.tmp"
    for folder in (old, recent, other):
        folder.mkdir()
        (folder / "report.json").write_text("partial")
    long_ago = time.time() - STALE_AFTER_S - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))
    ReportFolder(out).discard()
    assert not old.exists()
    assert recent.exists()  # may belong to a run still going
    assert other.exists()  # another report's


def test_a_folder_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not a probe report"):
        ReportFolder(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
