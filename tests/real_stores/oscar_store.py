"""The real django-oscar + django-oscar-accounts store of scripts/real-stores/oscar, for tests: install it, ask it
what it does with each customer's credit (through its own views), serve throw-away copies of it, read its orders."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "scripts" / "real-stores" / "oscar"
STATE = Path(os.environ.get("GIFTSHOP_STATE", ROOT / ".real-stores" / "oscar"))
PYTHON = STATE / "venv" / "bin" / "python"
SEEDED = STATE / "seeded.sqlite3"
# Django's development server starts in seconds; three minutes means it will not (a bound, not a wait).
START_TIMEOUT_S = 180


def install() -> dict[str, Any]:
    """Run the repo's install script (a no-op when installed) and return the seed's manifest."""
    subprocess.run(["sh", str(SHOP / "install.sh")], check=True, env={**os.environ, "GIFTSHOP_STATE": str(STATE)})
    manifest: dict[str, Any] = json.loads((STATE / "customers.json").read_text())
    return manifest


def shop_env(db: Path) -> dict[str, str]:
    return {**os.environ, "GIFTSHOP_STATE": str(STATE), "GIFTSHOP_DB": str(db), "PYTHONWARNINGS": "ignore"}


def store_answers(work: Path) -> dict[str, Any]:
    """What the store does when each customer tries to pay with their credit (giftshop/attempt.py, on copies)."""
    done = subprocess.run(
        [str(PYTHON), "-m", "giftshop.attempt", str(SEEDED), str(work)],
        cwd=SHOP,
        env=shop_env(work),
        capture_output=True,
        text=True,
        check=True,
    )
    answers: dict[str, Any] = json.loads(done.stdout)
    return answers


@dataclass(frozen=True)
class Expected:
    """What probe must report for one customer, derived from the store's own answer."""

    option_state: str
    outcome: str
    reason_words: tuple[str, ...]
    why: str


def expected(answer: dict[str, Any], code_given: bool) -> Expected:
    """The store's answer as the probe should report it: placed -> selectable; refused beside the credit ->
    greyed_out with the store's words; never listed (and no code given) -> absent."""
    select = answer.get("select")
    if select is None or (answer["code_used"] == "look-up" and not code_given):
        said = "; ".join(answer["order_refused_with"]) or "nothing"
        return Expected("absent", "cannot_use", (), f"no credit listed; placing the order: {said}")
    if not select["accepted"]:
        return Expected("greyed_out", "cannot_use", tuple(select["errors"]), f"Select account: {select['errors']}")
    if answer["orders_placed"] == 1:
        return Expected("selectable", "can_use", (), f"allocated {select['proposed']}, order placed")
    words = tuple(select["help"]) + tuple(select["said"]) + tuple(answer["allocate"]["errors"])
    return Expected("greyed_out", "cannot_use", words, f"allocation {select['proposed']} refused: {words}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    url: str
    db: Path
    process: subprocess.Popen[bytes]
    log: BinaryIO


def start(db: Path) -> Served:
    """Start Django's development server for the store on a copy `db` of the seeded database."""
    shutil.copyfile(SEEDED, db)
    port = free_port()
    log = open(db.with_suffix(".log"), "wb")  # noqa: SIM115 (closed by stop)
    process = subprocess.Popen(
        [str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=SHOP,
        env=shop_env(db),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return Served(f"http://127.0.0.1:{port}", db, process, log)


def wait_up(served: Served) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"the store exited: {served.db.with_suffix('.log').read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(served.url + "/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        time.sleep(0.3)
    raise RuntimeError(f"the store did not answer within {START_TIMEOUT_S} s")


def stop(served: Served) -> None:
    served.process.terminate()
    try:
        served.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait()
    served.log.close()


@contextlib.contextmanager
def serving(db: Path) -> Iterator[Served]:
    """The store on its own copy `db` of the seeded database, for as long as the block runs."""
    served = start(db)
    try:
        wait_up(served)
        yield served
    finally:
        stop(served)


def orders(db: Path) -> int:
    """Rows in the store's own order table."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        (count,) = connection.execute("select count(*) from order_order").fetchone()
        return int(count)


def accounts(db: Path) -> dict[str, tuple[str, Decimal]]:
    """Account name -> (code, balance) of the customers' accounts, from the store's table."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("select name, code, balance from oscar_accounts_account where code is not null")
        return {name: (code, Decimal(str(balance))) for name, code, balance in rows}


def probe_check(
    url: str, profile: Path, out: Path, env: dict[str, str], *extra: str
) -> subprocess.CompletedProcess[str]:
    """`probe check URL --profile … --json` as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "probe", "check", url, "--profile", str(profile), "--out", str(out), "--json", *extra],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
