"""Seed the EverShop store of tests/real_stores into a fresh PostgreSQL and dump it: `python3 seed.py APP OUT.sql`.

A throw-away PostgreSQL (Debian's initdb/pg_ctl, run as `postgres` when this runs as root) gets an empty database;
the store itself (APP/node_modules/@evershop/evershop, started with `evershop start`) creates its tables; its own
`evershop user:create` makes an administrator, and its own admin REST API (POST /api/products, /api/shippingZones,
/api/shippingProviders/core/*, /api/settings) adds what a shop owner would: an eGift card (a product that needs no
shipping), a shipping zone with a rate, and Cash on Delivery switched on. EverShop has no store credit or gift-card
balance of its own, so there is none to seed. The database is then dumped (pg_dump, plain SQL) for the tests to
restore into servers of their own. Standard library only."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ADMIN_EMAIL = "admin@giftshop.example"
# The product a shopper looks for; `url_key` makes its page /egift-card.
GIFT_CARD = {
    "name": "eGift Card",
    "sku": "EGIFT-50",
    "url_key": "egift-card",
    "price": 50,
    "qty": 1000,
    "manage_stock": 0,
    "stock_availability": 1,
    "status": 1,
    "visibility": 1,
    "group_id": 1,
    "weight": 0,
    "no_shipping_required": 1,
    "meta_title": "eGift Card",
    "short_description": "A gift card delivered by e-mail, spendable on anything in the shop.",
    # The page builder's rows (as the admin's editor saves them); the store's search reads this text too.
    "description": [
        {
            "id": "r_gift",
            "size": 1,
            "className": "md:grid-cols-1",
            "columns": [
                {
                    "id": "c_gift",
                    "size": 1,
                    "data": {
                        "time": 1700000000000,
                        "version": "2.31.0",
                        "blocks": [
                            {
                                "id": "p_gift",
                                "type": "paragraph",
                                "data": {"text": "A digital gift card, sent by e-mail, for anything in the shop."},
                            }
                        ],
                    },
                }
            ],
        }
    ],
}
START_WAIT_S = 300


def pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        sys.exit("seed: PostgreSQL's initdb not found; install Debian's postgresql (scripts/ensure-postgres.sh)")
    return Path(initdb).parent


def as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def postgres() -> Iterator[int]:
    """A throw-away PostgreSQL on a free port (user `probe`, trust on loopback), with an empty database `shop`."""
    bin_dir = pg_bin()
    root = Path(tempfile.mkdtemp(prefix="evershop-seed-pg-"))
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data, port = root / "data", free_port()
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    run = {"check": True, "env": env, "stdout": subprocess.DEVNULL}
    subprocess.run(as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "probe", "-A", "trust"]), **run)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", options, "-w", "-t", "60"]
    subprocess.run(as_server_user([*ctl, "start"]), **run)
    try:
        subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "probe", "shop"], **run)
        yield port
    finally:
        subprocess.run(as_server_user([*ctl, "-m", "fast", "stop"]), env=env, check=False, stdout=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


def store_env(db_port: int, port: int) -> dict[str, str]:
    """The environment `evershop start` reads: the database, its port and address, the admin API's token secrets."""
    return {
        **os.environ,
        "DB_HOST": "127.0.0.1",
        "DB_PORT": str(db_port),
        "DB_USER": "probe",
        "DB_PASSWORD": "",
        "DB_NAME": "shop",
        "DB_SSLMODE": "disable",
        "PORT": str(port),
        "EVERSHOP_HOME_URL": f"http://127.0.0.1:{port}",
        "JWT_ADMIN_SECRET": secrets.token_hex(16),
        "JWT_ADMIN_REFRESH_SECRET": secrets.token_hex(16),
        "SUPPRESS_NO_CONFIG_WARNING": "1",
    }


def call(base: str, path: str, body: dict[str, object], token: str | None = None) -> dict[str, object]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(base + path, json.dumps(body).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            answer: dict[str, object] = json.load(response)
    except urllib.error.HTTPError as exc:
        sys.exit(f"seed: POST {path} answered {exc.code}: {exc.read().decode()[:400]}")
    return answer


def data(answer: dict[str, object]) -> dict[str, object]:
    got = answer.get("data")
    assert isinstance(got, dict), answer
    return got


def seed(base: str, app: Path, env: dict[str, str]) -> None:
    password = secrets.token_urlsafe(12) + "a1"
    cli = str(app / "node_modules" / "@evershop" / "evershop" / "dist" / "bin" / "evershop.js")
    subprocess.run(
        ["node", cli, "user:create", "--name", "Shop Owner", "--email", ADMIN_EMAIL, "--password", password],
        cwd=app,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    token = str(data(call(base, "/api/user/tokens", {"email": ADMIN_EMAIL, "password": password}))["accessToken"])
    data(call(base, "/api/products", GIFT_CARD, token))
    zone = data(call(base, "/api/shippingZones", {"name": "United States", "country": "US"}, token))
    method = data(call(base, "/api/shippingProviders/core/methods", {"name": "Standard shipping"}, token))
    rate = {"method_id": str(method["uuid"]), "zone_id": str(zone["uuid"]), "cost": 5}
    data(call(base, "/api/shippingProviders/core/rates", rate, token))
    call(base, "/api/settings", {"codPaymentStatus": 1, "codDisplayName": "Cash on Delivery"}, token)
    # The product's address (/egift-card) is written by the store's event process a moment later: wait for it.
    wait_for(f"{base}/{GIFT_CARD['url_key']}")


def wait_for(url: str) -> None:
    deadline = time.monotonic() + START_WAIT_S
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(1)
    sys.exit(f"seed: {url} did not answer within {START_WAIT_S} s")


def wait_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_WAIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"seed: the store exited:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(base + "/", timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.5)
    sys.exit(f"seed: the store did not answer within {START_WAIT_S} s")


def main(app: Path, out: Path) -> None:
    with postgres() as db_port:
        port = free_port()
        env = store_env(db_port, port)
        base = f"http://127.0.0.1:{port}"
        log = out.with_suffix(".log")
        cli = str(app / "node_modules" / "@evershop" / "evershop" / "dist" / "bin" / "evershop.js")
        with open(log, "wb") as sink:
            # Its own session: `evershop start` forks an event and a cron process, stopped with it as a group.
            store = subprocess.Popen(
                ["node", cli, "start"], cwd=app, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                wait_up(base, store, log)
                seed(base, app, env)
            finally:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(store.pid, signal.SIGTERM)
                store.wait(timeout=30)
        dump = [str(pg_bin() / "pg_dump"), "-h", "127.0.0.1", "-p", str(db_port), "-U", "probe", "--no-owner", "shop"]
        with open(out, "wb") as sink:
            subprocess.run(dump, check=True, stdout=sink)


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
