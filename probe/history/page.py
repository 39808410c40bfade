"""`probe history --html DIR`: one self-contained page (no script, no remote file): per store a strip of runs
coloured by verdict, each linking to its report, and every change called out with both reports."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from probe.errors import InputError
from probe.history.records import RunRecord
from probe.history.timeline import Timeline

TEMPLATES = Path(__file__).parent / "templates"
PAGE = "history.html"


def report_link(run: RunRecord, folder: Path) -> str:
    """The run's report.html as the page links it: relative to the page's folder (both move together), else file://."""
    target = run.report_html
    try:
        return Path(os.path.relpath(target, folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return target.as_uri()


def write_page(timeline: Timeline, folder: Path) -> Path:
    """Write history.html into `folder` (made if missing); return its path."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
    html = env.get_template("history.html.j2").render(
        timeline=timeline,
        stores=timeline.stores(),
        link=lambda run: report_link(run, folder),
        written=dt.datetime.now(dt.UTC),
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / PAGE).write_text(html, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"--html {folder}: cannot write there ({exc.strerror or exc}); choose another folder"
        ) from None
    return folder / PAGE
