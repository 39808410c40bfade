"""probe on the real EverShop store of scripts/real-stores/evershop (npm, pinned; PostgreSQL of its own): the store's
hand-written profile, the walk without a profile, and `probe discover --save` replayed, all reach EverShop's payment
methods and report the same thing. EverShop has no store credit, so what the store really does is list none: the
verdict is `absent`. The store's own order table proves nothing was ordered. Run with `make test-real-stores`."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import evershop_store as shop
import pytest

pytestmark = [pytest.mark.real_store, pytest.mark.browser]

PROFILE = shop.SHOP / "profile.yaml"
TIMEOUT = "150"


@pytest.fixture(scope="module")
def installed() -> float:
    return shop.install()


@pytest.fixture(scope="module")
def store(installed: float, tmp_path_factory: pytest.TempPathFactory) -> Iterator[shop.Served]:
    """One store for the module: every walk has a browser context (and so a cart) of its own."""
    with shop.serving(tmp_path_factory.mktemp("evershop")) as served:
        yield served


def seen(report: dict[str, Any]) -> tuple[str, str, str | None]:
    return report["verdict"]["outcome"], report["observation"]["option_state"], report["observation"]["page_kind"]


@pytest.fixture(scope="module")
def hand(store: shop.Served, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("hand")
    code, report, err = shop.probe(
        "check", store.url, "--profile", str(PROFILE), "--out", str(out), "--json", "--timeout", TIMEOUT
    )
    assert report, err[-1500:]
    return {"code": code, "report": report}


def test_the_store_s_profile_reaches_payment_and_finds_no_credit(hand: dict[str, Any], store: shop.Served) -> None:
    report = hand["report"]
    assert report["observation"]["error"] is None
    # What EverShop really does: its payment step lists its payment methods (Cash on Delivery here) and no credit.
    assert seen(report) == ("cannot_use", "absent", "payment")
    assert hand["code"] == 0
    assert shop.orders(store.db) == 0


def test_without_a_profile_the_walk_finds_the_same_way(
    hand: dict[str, Any], store: shop.Served, tmp_path: Path
) -> None:
    carts = shop.carts(store.db)
    code, found, err = shop.probe("check", f"{store.url}/", "--out", str(tmp_path), "--json", "--timeout", TIMEOUT)
    assert found, err[-1500:]
    assert found["discovery"]["failure"] is None, found["observation"]["error"]
    assert found["discovery"]["platform"] == "EverShop"
    assert seen(found) == seen(hand["report"]), (found["observation"], hand["report"]["observation"])
    assert code == hand["code"]
    assert shop.carts(store.db) == carts + 1  # the gift card really went into a cart of the store's
    assert shop.orders(store.db) == 0
    _record("discovered walk", found["run"]["duration_s"], hand["report"]["run"]["duration_s"])


def test_the_saved_way_passes_profile_check_and_replays_to_the_same_verdict(
    hand: dict[str, Any], store: shop.Served, tmp_path: Path
) -> None:
    saved = tmp_path / "shop.yaml"
    code, _, err = shop.probe(
        "discover", f"{store.url}/", "--save", str(saved), "--out", str(tmp_path / "found"), "--timeout", TIMEOUT
    )
    assert code == 0, err[-1500:]
    checked, _, err = shop.probe("profile", "check", str(saved))
    assert checked == 0, err[-1500:]
    code, replay, err = shop.probe(
        "check", store.url, "--profile", str(saved), "--out", str(tmp_path / "replay"), "--json", "--timeout", TIMEOUT
    )
    assert replay, err[-1500:]
    assert seen(replay) == seen(hand["report"])
    assert code == hand["code"]
    assert shop.orders(store.db) == 0
    _record("saved way replayed", replay["run"]["duration_s"], hand["report"]["run"]["duration_s"])


def test_the_store_s_order_table_is_empty_after_every_walk(store: shop.Served, installed: float) -> None:
    assert shop.orders(store.db) == 0
    _record("install (npm ci + evershop build + seed; 0 when installed)", installed, None)


def _record(what: str, seconds: float, hand_s: float | None) -> None:
    """Append a line to .real-stores/evershop/results.md, which `make test-real-stores` prints."""
    ratio = f" (the store's profile: {hand_s:.1f} s, {seconds / hand_s:.1f}x)" if hand_s else ""
    line = f"- evershop {what}: {seconds:.1f} s{ratio} [{time.strftime('%Y-%m-%d %H:%M')}]\n"
    with open(shop.STATE / "results.md", "a") as sink:
        sink.write(line)
    print(line.strip())
    json.dumps(line)
