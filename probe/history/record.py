"""What the run layer calls once a report is written: append the run to the history, and post to the webhook
when its observation or verdict differs from the series' run before it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from probe.history.location import chosen
from probe.history.notify import message, post
from probe.history.records import Change, RunRecord, change_between, record_of
from probe.history.sqlite_append import HistoryError, append_if_current
from probe.models import Report
from probe.request import history_shown, validate_history

if TYPE_CHECKING:
    from probe.history.store import History


class Recorder:
    """The history of one command (a check, or every cell of a matrix), opened on first use and shared by threads.

    `record` raises HistoryError when the history cannot be used; a matrix keeps the first (`failed`) and goes on.
    """

    def __init__(self, history: str | None, notify: str | None, warn: Callable[[str], None]) -> None:
        self.where, self.notify, self.warn = history, notify, warn
        self._history: History | None = None
        self._lock = threading.Lock()
        self.failed: HistoryError | None = None

    def _open(self) -> History:
        from probe.history.store import History  # the database library: loaded only when it is needed

        with self._lock:
            if self.failed is not None:
                raise self.failed
            if self._history is None:
                try:
                    self._history = History(self.where)
                except HistoryError as exc:
                    self.failed = exc
                    raise
            return self._history

    def record(self, report: Report, report_dir: Path) -> Change | None:
        """Append the run whose report is in `report_dir`; the change it brought (posted when asked), if any."""
        record = record_of(report, report_dir)
        try:
            before = self._append(record)
        except HistoryError as exc:
            self.failed = self.failed or exc
            raise
        change = change_between(before if before is not record else None, record)
        if change is None:
            return None
        self.warn(f"history: {record.target} changed since {before.started_at:%Y-%m-%d %H:%M}: {change.summary}")
        if self.notify is not None:
            problem = post(self.notify, message(change))
            if problem is not None:
                host = urlsplit(self.notify).netloc
                self.warn(f"history: the webhook at {host} did not take the change ({problem}); the run is recorded")
        return change

    def _append(self, record: RunRecord) -> RunRecord:
        """Append through sqlite3 alone when the history is a SQLite file at this schema, else through History."""
        if self._history is None and self.failed is None:
            where = validate_history(chosen(self.where))
            if "://" not in where:
                before = append_if_current(Path(where).expanduser(), record, history_shown(where))
                if before is not None:
                    return before
        return self._open().append(record)

    def close(self) -> None:
        if self._history is not None:
            self._history.close()
