"""A run appended to a SQLite history that is already at this probe's schema, through Python's own sqlite3: a check
records its run without loading the database library (SQLAlchemy's import is a third of a check's Python start).

Everything else goes through `History` (store.py), which creates, migrates and explains: a new file, an older or
newer schema, a file that is not a probe history, PostgreSQL, any database error but a lock. The row written here is
the row `History.append` writes (its columns are RunRecord's fields; times are UTC in SQLAlchemy's SQLite format).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from probe.errors import InputError
from probe.history.records import RunRecord

FORMAT = "probe run history"
META = "probe_history_meta"
RUNS = "probe_runs"
# The schema version this probe writes: schema.current_version(), the number of its migrations (a test holds them
# equal). Kept here so that appending needs no SQLAlchemy.
SCHEMA_VERSION = 1
# How long a writer waits for another to let go of the database before the history is called locked ("a few
# seconds": a run appends one row, a migration a few tables; anything holding it longer is stuck or another program).
LOCK_WAIT_S = 5.0
# Pause between tries when the database answers "busy" without waiting (SQLite does so in some WAL races).
RETRY_PAUSE_S = 0.05
# How SQLAlchemy's SQLite dialect stores a DateTime (it keeps no zone: every time in the history is UTC).
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"


class HistoryError(InputError):
    """A history that cannot be used: not a probe history, from a newer probe, locked, unreachable. Exit 2."""


def locked_error(shown: str, waited_s: float) -> HistoryError:
    return HistoryError(
        f"--history {shown}: locked by another program for more than {waited_s:g} s; "
        "let it finish (or stop it) and run again"
    )


def is_locked(message: str) -> bool:
    """Whether a database error says another writer holds the database (SQLite busy or locked)."""
    message = message.lower()
    return "database is locked" in message or "database table is locked" in message or "busy" in message


def utc(moment: dt.datetime) -> dt.datetime:
    """A time in UTC (SQLite keeps no zone: every time in the history is UTC)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def record_from_row(row: Mapping[Any, Any]) -> RunRecord:
    """A history row (as either way of reading gives it) as a RunRecord."""
    values = dict(row)
    values["rules"] = tuple(json.loads(values["rules"] or "[]"))
    started = values["started_at"]
    values["started_at"] = utc(dt.datetime.fromisoformat(started) if isinstance(started, str) else started)
    return RunRecord.model_validate(values)


def row_values(record: RunRecord) -> dict[str, Any]:
    """The columns of `record`'s row (its id is the database's)."""
    values = record.model_dump(exclude={"id"})
    values["rules"] = json.dumps(list(record.rules))
    values["started_at"] = utc(record.started_at)
    return values


def append_if_current(path: Path, record: RunRecord, shown: str, *, wait_s: float = LOCK_WAIT_S) -> RunRecord | None:
    """Append `record` to the SQLite history at `path` when it is a probe history at this schema; return the run of
    the same series before it (or the record itself when first). None: not done here (no such file, another schema,
    not a probe history, a database error): `History` takes it from there. A database held by another writer for
    more than `wait_s` raises HistoryError, as `History` does."""
    if not path.is_file():
        return None
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return _append(path, record, wait_s)
        except sqlite3.Error as exc:
            if not is_locked(str(exc)):
                return None
            if time.monotonic() + RETRY_PAUSE_S >= deadline:
                raise locked_error(shown, wait_s) from None
            time.sleep(RETRY_PAUSE_S)


def _append(path: Path, record: RunRecord, wait_s: float) -> RunRecord | None:
    conn = sqlite3.connect(path, timeout=wait_s, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
        conn.execute("PRAGMA synchronous = NORMAL")
        # The write lock at once, as History takes it: read-then-insert never meets another writer half way.
        conn.execute("BEGIN IMMEDIATE")
        try:
            found = dict(conn.execute(f"SELECT key, value FROM {META}").fetchall())  # noqa: S608 - constant names
            if found.get("format") != FORMAT or found.get("schema_version") != str(SCHEMA_VERSION):
                conn.execute("ROLLBACK")
                return None
            previous = conn.execute(
                f"SELECT * FROM {RUNS} WHERE store = ? AND target = ? AND credit_source = ? AND gift_card = ? "  # noqa: S608
                "AND intent = ? ORDER BY started_at DESC, id DESC LIMIT 1",
                record.series,
            ).fetchone()
            values = row_values(record)
            values["started_at"] = values["started_at"].strftime(STORED_TIME)
            names = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            conn.execute(f"INSERT INTO {RUNS} ({names}) VALUES ({marks})", tuple(values.values()))  # noqa: S608
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        return record_from_row(previous) if previous is not None else record
    finally:
        conn.close()
