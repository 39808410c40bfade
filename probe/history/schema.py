"""The history's tables and their versions: each migration takes a database one version up, never edited once out."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
)

from probe.history.sqlite_append import FORMAT as FORMAT
from probe.history.sqlite_append import META as META
from probe.history.sqlite_append import RUNS as RUNS

metadata = MetaData()

meta = Table(
    META,
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

# One row per check: what was probed, what was observed and decided, and where its report is.
runs = Table(
    RUNS,
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("store", String(400), nullable=False),
    Column("target", Text, nullable=False),
    Column("scenario", String(200)),
    Column("walk", Text, nullable=False),
    Column("credit_source", String(32), nullable=False),
    Column("gift_card", String(32), nullable=False),
    Column("intent", String(32), nullable=False),
    Column("option_state", String(32), nullable=False),
    Column("option_label", Text),
    Column("reason_text", Text),
    Column("balance_text", String(200)),
    Column("page_kind", String(32)),
    Column("outcome", String(32), nullable=False),
    Column("deciding_rule", String(64)),
    Column("rules", Text, nullable=False),
    Column("error", Text),
    Column("probe_version", String(64), nullable=False),
    Column("report_path", Text, nullable=False),
    Column("runner", String(255)),
    Index("probe_runs_series", "store", "credit_source", "gift_card", "intent", "started_at"),
)


def _v1(conn: Connection) -> None:
    """Version 1: the meta table and the runs table as first released."""
    metadata.create_all(conn)


# MIGRATIONS[i] takes a database from version i to i + 1. When the tables change, v1 keeps the shape it created
# (copy it here first) and the change is a new function at the end.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1]


def current_version() -> int:
    """The schema version this probe writes."""
    return len(MIGRATIONS)


def read_version(conn: Connection) -> tuple[int | None, list[str]]:
    """The database's schema version (None: no probe meta table, or one of another format), and its tables."""
    tables = inspect(conn).get_table_names()
    if META not in tables:
        return None, tables
    found: dict[str, str] = dict(conn.execute(select(meta.c.key, meta.c.value)).all())
    if found.get("format") != FORMAT or not str(found.get("schema_version", "")).isdigit():
        return None, tables
    return int(found["schema_version"]), tables


def write_version(conn: Connection, version: int, *, first: bool) -> None:
    """Stamp the database with its format and schema version."""
    if first:
        rows = [{"key": "format", "value": FORMAT}, {"key": "schema_version", "value": str(version)}]
        conn.execute(meta.insert(), rows)
    else:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(version)))
