"""The real EverShop store of scripts/real-stores/evershop, for tests: install it, serve it on a PostgreSQL of its
own (the seeded dump restored into a fresh database), read its own order table, run probe against it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import postgres

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "scripts" / "real-stores" / "evershop"
STATE = Path(os.environ.get("EVERSHOP_STATE", ROOT / ".real-stores" / "evershop"))
APP = STATE / "app"
SEEDED = STATE / "seeded.sql"
CLI = APP / "node_modules" / "@evershop" / "evershop" / "dist" / "bin" / "evershop.js"
# `evershop start` checks its migrations and compiles nothing; three minutes means it will not (a bound, not a wait).
START_TIMEOUT_S = 180


def install() -> float:
    """Run the repo's install script (a no-op when installed); the seconds it took."""
    started = time.monotonic()
    subprocess.run(["sh", str(SHOP / "install.sh")], check=True, env={**os.environ, "EVERSHOP_STATE": str(STATE)})
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def restore(maintenance_url: str) -> str:
    """A fresh database on the server holding the seeded store; its URL."""
    url = postgres.fresh_database(maintenance_url)
    psql = postgres.binaries()
    assert psql is not None
    subprocess.run(
        [str(psql / "psql"), "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-f", str(SEEDED), url],
        check=True,
        capture_output=True,
    )
    return url


@dataclass
class Served:
    url: str
    db: str
    process: subprocess.Popen[bytes]
    log: BinaryIO


def _env(db: str, port: int) -> dict[str, str]:
    rest = db.removeprefix("postgresql://")
    user_host, name = rest.rsplit("/", 1)
    user, host_port = user_host.split("@")
    host, db_port = host_port.split(":")
    return {
        **os.environ,
        "DB_HOST": host,
        "DB_PORT": db_port,
        "DB_USER": user,
        "DB_PASSWORD": "",
        "DB_NAME": name,
        "DB_SSLMODE": "disable",
        "PORT": str(port),
        "EVERSHOP_HOME_URL": f"http://127.0.0.1:{port}",
        "SUPPRESS_NO_CONFIG_WARNING": "1",
    }


def wait_up(served: Served, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"the store exited: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(served.url + "/", timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"the store did not answer within {START_TIMEOUT_S} s")


@contextlib.contextmanager
def serving(work: Path) -> Iterator[Served]:
    """The store on a PostgreSQL server and database of its own, for as long as the block runs."""
    with postgres.server() as maintenance:
        db = restore(maintenance)
        port = free_port()
        log_path = work / "evershop.log"
        log = open(log_path, "wb")  # noqa: SIM115 (closed below)
        # Its own session: `evershop start` forks an event and a cron process; they stop with it, as a group.
        process = subprocess.Popen(
            ["node", str(CLI), "start"],
            cwd=APP,
            env=_env(db, port),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        served = Served(f"http://127.0.0.1:{port}", db, process, log)
        try:
            wait_up(served, log_path)
            yield served
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()


def orders(db: str) -> int:
    """Rows in the store's own order table."""
    import psycopg

    with psycopg.connect(db) as conn:
        row = conn.execute('select count(*) from "order"').fetchone()
        assert row is not None
        return int(row[0])


def carts(db: str) -> int:
    """Carts that hold an item: proof a walk really put the gift card in."""
    import psycopg

    with psycopg.connect(db) as conn:
        row = conn.execute("select count(distinct cart_id) from cart_item").fetchone()
        assert row is not None
        return int(row[0])


def probe(*args: str, timeout: float = 300) -> tuple[int, dict[str, Any], str]:
    """`probe ARGS` as a user runs it, in its own process: exit code, the JSON report (with --json), stderr."""
    done = subprocess.run([sys.executable, "-m", "probe", *args], capture_output=True, text=True, timeout=timeout)
    report: dict[str, Any] = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
    return done.returncode, report, done.stderr
