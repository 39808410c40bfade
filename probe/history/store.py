"""The history database: opened (created, migrated) safely under concurrent writers; runs appended and read."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, create_engine, event, func, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from probe.errors import first_line
from probe.history import schema
from probe.history.location import chosen, database_url
from probe.history.records import RunRecord
from probe.history.sqlite_append import (
    LOCK_WAIT_S,
    RETRY_PAUSE_S,
    HistoryError,
    is_locked,
    locked_error,
    record_from_row,
    row_values,
)
from probe.request import history_shown as shown

T = TypeVar("T")

# The PostgreSQL advisory lock key that serialises migrations (and appends within one series, keyed below).
MIGRATION_LOCK = zlib.crc32(b"probe history migration")


class History:
    """One open history: `append` a run (getting the series' run before it), `runs` to read them back."""

    def __init__(self, where: str | None = None, *, create: bool = True) -> None:
        self.where = chosen(where)
        self.shown = shown(self.where)
        url = database_url(self.where)
        self.sqlite = url.get_backend_name() == "sqlite"
        if self.sqlite:
            path = Path(url.database or "")
            if path.is_dir():
                raise HistoryError(
                    f"--history {self.shown}: a folder; give a file path such as {path / 'history.sqlite'}"
                )
            if not path.is_file() and not create:
                self.engine: Engine | None = None
                return
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryError(
                    f"--history {self.shown}: cannot create its folder ({exc.strerror or exc})"
                ) from None
            self.engine = create_engine(url, connect_args={"timeout": LOCK_WAIT_S})
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            options = f"-c lock_timeout={int(LOCK_WAIT_S * 1000)}"
            self.engine = create_engine(url, connect_args={"connect_timeout": int(LOCK_WAIT_S), "options": options})
        try:
            self._transaction(self._migrate)
            if self.sqlite:
                self._wal()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def append(self, record: RunRecord) -> RunRecord:
        """Add a run; return the run of the same series recorded before it (or the record itself when first)."""

        def write(conn: Connection) -> RunRecord:
            if not self.sqlite:
                # One series' appends one after the other, so each sees the run before it.
                key = zlib.crc32("\x1f".join(record.series).encode())
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
            previous = conn.execute(_series_query(record).limit(1)).mappings().first()
            conn.execute(schema.runs.insert().values(**row_values(record)))
            return record_from_row(previous) if previous is not None else record

        return self._transaction(write)

    def last(self, record: RunRecord) -> RunRecord | None:
        """The latest run of `record`'s series."""
        found = self._transaction(lambda conn: conn.execute(_series_query(record).limit(1)).mappings().first())
        return record_from_row(found) if found is not None else None

    def runs(
        self, *, store: str | None = None, credit_source: str | None = None, gift_card: str | None = None
    ) -> list[RunRecord]:
        """Every run (of a store when given: its origin or a target URL), oldest first."""
        if self.engine is None:
            return []
        query = select(schema.runs)
        if store is not None:
            parts = urlsplit(store)
            origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else store
            query = query.where((schema.runs.c.store == origin) | (schema.runs.c.target == store))
        if credit_source is not None:
            query = query.where(schema.runs.c.credit_source == credit_source)
        if gift_card is not None:
            query = query.where(schema.runs.c.gift_card == gift_card)
        query = query.order_by(schema.runs.c.started_at, schema.runs.c.id)
        rows = self._transaction(lambda conn: conn.execute(query).mappings().all())
        return [record_from_row(row) for row in rows]

    def count(self) -> int:
        """How many runs the history holds."""
        if self.engine is None:
            return 0
        query = select(func.count()).select_from(schema.runs)
        return int(self._transaction(lambda conn: conn.execute(query).scalar_one()))

    def _migrate(self, conn: Connection) -> None:
        """Create or upgrade the tables in the transaction that checks the version (one migrator at a time)."""
        if not self.sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        version, tables = schema.read_version(conn)
        current = schema.current_version()
        if version is None:
            foreign = [t for t in tables if t != schema.META]
            if schema.META in tables or (self.sqlite and foreign) or schema.RUNS in tables:
                raise HistoryError(
                    f"--history {self.shown}: not a probe history (it holds other tables: "
                    f"{', '.join(sorted(tables)[:5])}); give another file or a new path"
                )
        elif version > current:
            raise HistoryError(
                f"--history {self.shown}: written by a newer probe (schema {version}; this one knows up to "
                f"{current}); upgrade probe, or give another --history"
            )
        start = version or 0
        if start == current:
            return
        for migrate in schema.MIGRATIONS[start:]:
            migrate(conn)
        schema.write_version(conn, current, first=version is None)

    def _wal(self) -> None:
        """Write-ahead logging, so readers never wait for the writer: set once the file is known to be a history
        (it changes the file's header), outside a transaction (SQLite's rule for it)."""
        assert self.engine is not None
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
        except DBAPIError as exc:
            raise HistoryError(self._problem(exc)) from None
        except Exception as exc:  # noqa: BLE001 - the DBAPI's own error, not wrapped on a raw connection
            raise HistoryError(f"--history {self.shown}: {first_line(exc)}; check the file, or give another") from None
        finally:
            raw.close()

    def _transaction(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction; a database busy with another writer is waited for (and tried again)
        up to LOCK_WAIT_S, then the history is called locked. Database errors become one-line HistoryErrors."""
        assert self.engine is not None
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                with self.engine.begin() as conn:
                    return work(conn)
            except DBAPIError as exc:
                if _locked(exc):
                    if time.monotonic() + RETRY_PAUSE_S < deadline:
                        time.sleep(RETRY_PAUSE_S)
                        continue
                    raise locked_error(self.shown, LOCK_WAIT_S) from None
                raise HistoryError(self._problem(exc)) from None
            except SQLAlchemyError as exc:
                raise HistoryError(self._problem(exc)) from None

    def _problem(self, exc: SQLAlchemyError) -> str:
        cause = first_line(getattr(exc, "orig", None) or exc)
        if self.sqlite and "not a database" in cause:
            return f"--history {self.shown}: not a probe history (not a SQLite database); give another file"
        if not self.sqlite and ("connect" in cause or "connection" in cause):
            return f"--history {self.shown}: cannot reach the database ({cause}); check the URL and the server"
        return f"--history {self.shown}: {cause}; check the database, or give another --history"


def _series_query(record: RunRecord) -> Any:
    runs = schema.runs
    return (
        select(runs)
        .where(runs.c.store == record.store, runs.c.target == record.target)
        .where(runs.c.credit_source == record.credit_source, runs.c.gift_card == record.gift_card)
        .where(runs.c.intent == record.intent)
        .order_by(runs.c.started_at.desc(), runs.c.id.desc())
    )


def _locked(exc: DBAPIError) -> bool:
    """Whether the database refused because another writer holds it (SQLite busy/locked, PostgreSQL lock timeout)."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "55P03":
        return True
    return is_locked(str(orig))


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Transactions begun by probe (below), and a busy wait for another writer."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(LOCK_WAIT_S * 1000)}")
        cursor.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable at each checkpoint, never corrupt
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Every transaction takes the write lock at once: read-then-insert never meets another writer half way."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")
