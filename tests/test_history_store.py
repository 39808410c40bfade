"""The run history's database, on SQLite and on a real PostgreSQL: appends from many processes all land, the
schema is versioned and migrated, and a history that cannot be used is one line and exit 2."""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from typer.testing import CliRunner

from probe.cli import app
from probe.history import schema, sqlite_append
from probe.history import store as store_module
from probe.history.location import chosen, data_folder
from probe.history.records import RunRecord, change_between
from probe.history.sqlite_append import append_if_current
from probe.history.store import History, HistoryError
from probe.history.timeline import read_timeline
from probe.request import history_shown as shown

runner = CliRunner()
START = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)


def run(
    n: int,
    *,
    state: str = "selectable",
    outcome: str = "against_terms",
    target: str = "https://shop.example/",
    source: str = "promotional",
    reason: str | None = None,
    rules: tuple[str, ...] = ("R-promo",),
) -> RunRecord:
    return RunRecord(
        started_at=START + dt.timedelta(hours=n),
        store="https://shop.example",
        target=target,
        walk="shop.yaml",
        credit_source=source,
        gift_card="store-digital",
        intent="own-use",
        option_state=state,
        reason_text=reason,
        outcome=outcome,
        rules=rules,
        probe_version="0.1.0",
        report_path=f"/reports/{n}",
    )


def test_runs_read_back_in_order_each_change_against_the_run_before(history_where: str) -> None:
    with History(history_where) as history:
        assert history.append(run(0)) == run(0)  # the first of its series: nothing before it
        before = history.append(run(1))
        assert before.report_path == "/reports/0" and before.started_at == run(0).started_at
        history.append(
            run(2, state="greyed_out", outcome="cannot_use", reason="Not for gift cards", rules=("R-greyed",))
        )
        history.append(
            run(3, state="greyed_out", outcome="cannot_use", reason="Not  for gift cards", rules=("R-greyed",))
        )
        history.append(run(4, source="refund", outcome="can_use", rules=("R-refund",)))
        assert history.count() == 5
    found = read_timeline(history_where, store="https://shop.example/", credit_source="promotional")
    (series,) = found.series
    assert [r.report_path for r in series.runs] == [f"/reports/{n}" for n in range(4)]
    (change,) = series.changes  # run 3 differs from run 2 only by white space in the reason
    assert (change.before.report_path, change.after.report_path) == ("/reports/1", "/reports/2")
    assert {f.field: (f.before, f.after) for f in change.fields} == {
        "state": ("selectable", "greyed_out"),
        "reason": (None, "Not for gift cards"),
        "verdict": ("against_terms", "cannot_use"),
        "rules": ("R-promo", "R-greyed"),
    }
    assert len(read_timeline(history_where).series) == 2
    assert read_timeline(history_where, store="https://other.example/").series == ()


def _append_many(where: str, worker: int, count: int) -> None:
    with History(where) as history:
        for i in range(count):
            history.append(run(worker * 1000 + i, target=f"https://shop.example/{worker}"))


def test_many_processes_appending_at_once_lose_no_row(history_where: str) -> None:
    workers, each = 4, 25
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_append_many, args=(history_where, w, each)) for w in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * workers
    with History(history_where) as history:
        assert history.count() == workers * each
        runs = history.runs()
    assert len({r.id for r in runs}) == workers * each
    for w in range(workers):
        assert sum(r.target == f"https://shop.example/{w}" for r in runs) == each


def test_threads_sharing_one_history_lose_no_row(history_where: str) -> None:
    with History(history_where) as history:
        threads = [
            threading.Thread(target=lambda w=w: [history.append(run(w * 100 + i)) for i in range(10)]) for w in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert history.count() == 60


def test_an_older_schema_is_migrated_keeping_its_runs(history_where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with History(history_where) as history:
        history.append(run(0))

    def v2(conn: Connection) -> None:
        conn.execute(text("CREATE INDEX probe_runs_outcome ON probe_runs (outcome)"))

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, v2])
    with History(history_where) as history:
        assert history.count() == 1
        with history.engine.connect() as conn:  # type: ignore[union-attr]
            version, _ = schema.read_version(conn)
        assert version == 2
        history.append(run(1))
    with History(history_where) as history:  # already at 2: nothing runs twice
        assert history.count() == 2


def test_a_newer_schema_is_refused_with_one_line(history_where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with History(history_where) as history:
        history.append(run(0))
    monkeypatch.setattr(schema, "MIGRATIONS", [])
    result = runner.invoke(app, ["history", "--history", history_where])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"probe: --history {shown(history_where)}: written by a newer probe (schema 1; this one knows up to 0); "
        "upgrade probe, or give another --history"
    ]


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p.write_text("name,balance\nA,10\n" * 200), "not a probe history (not a SQLite database)"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE orders (id INTEGER)").connection.commit(), "other tables"),
    ],
    ids=["text-file", "another-sqlite-database"],
)
def test_a_file_that_is_not_a_probe_history_is_one_line_exit_2(tmp_path: Path, make: object, needle: str) -> None:
    path = tmp_path / "data.db"
    make(path)  # type: ignore[operator]
    before = path.read_bytes()
    result = runner.invoke(app, ["history", "--history", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and str(path) in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == before  # left as it was


def test_a_history_locked_by_another_program_is_one_line_exit_2(
    history_where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    History(history_where).close()
    monkeypatch.setattr(store_module, "LOCK_WAIT_S", 0.5)
    with _held(history_where):
        started = time.monotonic()
        with pytest.raises(HistoryError) as caught:
            History(history_where)
        assert time.monotonic() - started < 30
    assert str(caught.value) == (
        f"--history {shown(history_where)}: locked by another program for more than 0.5 s; "
        "let it finish (or stop it) and run again"
    )
    with History(history_where) as history:  # free again: opens and appends
        history.append(run(0))


@contextlib.contextmanager
def _held(where: str) -> Iterator[None]:
    """Another program holding the history: SQLite's exclusive lock, or the migration lock on PostgreSQL."""
    if "://" not in where:
        holder = sqlite3.connect(where, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg

    with psycopg.connect(where) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (store_module.MIGRATION_LOCK,))
        yield
        conn.rollback()


def test_a_history_that_does_not_exist_reads_as_empty_and_is_not_made(tmp_path: Path) -> None:
    path = tmp_path / "none" / "history.sqlite"
    result = runner.invoke(app, ["history", "--history", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert '"series": []' in result.stdout
    assert not path.exists()


def test_an_unreachable_server_is_one_line_without_its_password(tmp_path: Path) -> None:
    result = runner.invoke(app, ["history", "--history", "postgresql://probe:s3cret-pw@127.0.0.1:1/history"])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "cannot reach the database" in line, line
    assert "s3cret-pw" not in result.output and "postgresql://probe:***@127.0.0.1:1/history" in line


def test_a_url_of_another_kind_of_database_is_bad_input() -> None:
    result = runner.invoke(app, ["history", "--history", "mysql://db.example/history"])
    assert result.exit_code == 2 and "give a file path (SQLite) or a postgresql:// URL" in result.stderr


def test_the_default_history_is_in_the_data_folder_and_the_tests_never_use_the_real_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # conftest points both the variable and the data folder at this test process's own temporary folder.
    real = Path.home() / ".local" / "share" / "probe"
    assert not Path(os.environ["PROBE_HISTORY"]).is_relative_to(real)
    assert not data_folder().is_relative_to(real)
    monkeypatch.delenv("PROBE_HISTORY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert chosen(None) == str(tmp_path / "probe" / "history.sqlite")
    assert chosen("elsewhere.sqlite") == "elsewhere.sqlite"
    monkeypatch.setenv("PROBE_HISTORY", "from-env.sqlite")
    assert chosen(None) == "from-env.sqlite"


def test_a_change_needs_a_run_before_it() -> None:
    assert change_between(None, run(0)) is None
    assert change_between(run(0), run(1)) is None
    change = change_between(run(0), run(1, outcome="can_use", rules=("R-refund",)))
    assert change is not None and change.summary == "verdict against_terms → can_use; rules R-promo → R-refund"


def test_the_sqlite_append_writes_the_row_history_writes_and_reads(tmp_path: Path) -> None:
    where = str(tmp_path / "history.sqlite")
    shown_where = shown(where)
    assert append_if_current(Path(where), run(0), shown_where) is None  # no file yet: History creates it
    with History(where) as history:
        history.append(run(0))
    assert sqlite_append.SCHEMA_VERSION == schema.current_version()
    before = append_if_current(Path(where), run(1, reason="Not for gift cards", rules=("R-a", "R-b")), shown_where)
    assert before == run(0).model_copy(update={"id": 1})  # the series' run before it, read back
    assert append_if_current(Path(where), run(0, target="https://shop.example/other"), shown_where) == run(
        0, target="https://shop.example/other"
    )  # the first of its series
    with History(where) as history:
        assert history.append(run(2)) == run(1, reason="Not for gift cards", rules=("R-a", "R-b")).model_copy(
            update={"id": 2}
        )
        runs = history.runs()
    assert [(r.id, r.report_path, r.started_at, r.rules) for r in runs] == [  # by time, then id
        (1, "/reports/0", run(0).started_at, ("R-promo",)),
        (3, "/reports/0", run(0).started_at, ("R-promo",)),
        (2, "/reports/1", run(1).started_at, ("R-a", "R-b")),
        (4, "/reports/2", run(2).started_at, ("R-promo",)),
    ]


@pytest.mark.parametrize("kind", ["older-schema", "another-database", "text-file"])
def test_the_sqlite_append_leaves_any_other_file_to_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = tmp_path / "history.sqlite"
    if kind == "older-schema":
        with History(str(path)) as history:
            history.append(run(0))
        monkeypatch.setattr(sqlite_append, "SCHEMA_VERSION", 2)  # this probe would migrate it first
    elif kind == "another-database":
        sqlite3.connect(path).execute("CREATE TABLE orders (id INTEGER)").connection.commit()
    else:
        path.write_text("name,balance\nA,10\n" * 200)
    before = path.read_bytes()
    assert append_if_current(path, run(1), shown(str(path))) is None
    assert path.read_bytes() == before


def test_the_sqlite_append_waits_for_a_lock_then_says_so_in_one_line(history_where: str) -> None:
    if "://" in history_where:
        pytest.skip("the sqlite3 append is for SQLite files")
    History(history_where).close()
    with _held(history_where):
        with pytest.raises(HistoryError) as caught:
            append_if_current(Path(history_where), run(0), shown(history_where), wait_s=0.3)
    assert str(caught.value) == (
        f"--history {shown(history_where)}: locked by another program for more than 0.3 s; "
        "let it finish (or stop it) and run again"
    )
    assert append_if_current(Path(history_where), run(0), shown(history_where)) == run(0)


def test_a_check_records_its_run_without_loading_sqlalchemy_once_the_history_exists(tmp_path: Path) -> None:
    where = tmp_path / "history.sqlite"
    History(str(where)).close()
    code = (
        "import sys, datetime as dt\n"
        "from probe.history.record import Recorder\n"
        "from probe.history.records import RunRecord\n"
        f"r = RunRecord.model_validate_json({run(0).model_dump_json()!r})\n"
        f"Recorder({str(where)!r}, None, print)._append(r)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
    with History(str(where)) as history:
        assert [r.report_path for r in history.runs()] == ["/reports/0"]
