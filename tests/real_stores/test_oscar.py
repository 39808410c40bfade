"""probe check against a real django-oscar + django-oscar-accounts store (scripts/real-stores/oscar), one signed-in
customer per credit situation. What probe must report is derived from what the store itself does when the customer
tries to pay with the credit (giftshop/attempt.py, the store's own views on a throw-away copy of its database), never
from probe's output. Run with `make test-real-stores` (installs the store first)."""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import oscar_store as shop
import pytest

pytestmark = [pytest.mark.real_store, pytest.mark.browser]

PROFILE = shop.SHOP / "profile.yaml"
# situation -> what the shopper tells probe about the credit (the account names say where it came from)
SOURCES = {
    "funded": "refund",
    "empty": "refund",
    "frozen": "refund",
    "expired": "refund",
    "restricted": "refund",
    "none": "refund",
    "code": "gift_card",
}
# Customers whose credit is an account code rather than a listed account: probe is given the code by name.
CODE_ENV = {"code": "GIFTSHOP_CREDIT_CODE"}
# Checks at once: each is a Chromium and a store on 2 shared cores.
PARALLEL = 3


@dataclass
class Run:
    situation: str
    returncode: int
    stdout: str
    stderr: str
    report: dict[str, Any] | None
    out: Path
    db: Path
    seconds: float


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return shop.install()


@pytest.fixture(scope="module")
def answers(manifest: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return shop.store_answers(tmp_path_factory.mktemp("attempts") / "attempt.sqlite3")


@pytest.fixture(scope="module")
def codes() -> dict[str, tuple[str, Decimal]]:
    return shop.accounts(shop.SEEDED)


@pytest.fixture(scope="module")
def runs(
    manifest: dict[str, Any], codes: dict[str, tuple[str, Decimal]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Run]:
    """probe check for every customer, each against its own throw-away copy of the store (oscar-accounts blocks an
    address after three refused look-ups in a row: customers checked side by side must not share a store)."""
    base = tmp_path_factory.mktemp("oscar")

    def check(situation: str) -> Run:
        with shop.serving(base / f"{situation}.sqlite3") as served:
            customer = manifest["customers"][situation]
            env = {"GIFTSHOP_EMAIL": customer["email"], "GIFTSHOP_PASSWORD": manifest["password"]}
            extra = ["--credit-source", SOURCES[situation]]
            if situation in CODE_ENV:
                env[CODE_ENV[situation]] = codes[customer["account"]][0]
                extra += ["--credit-code-env", CODE_ENV[situation]]
            out = base / f"{situation}-report"
            started = time.monotonic()
            done = shop.probe_check(served.url, PROFILE, out, env, *extra)
            seconds = time.monotonic() - started
            report = json.loads(done.stdout) if done.stdout.strip().startswith("{") else None
            return Run(situation, done.returncode, done.stdout, done.stderr, report, out, served.db, seconds)

    with ThreadPoolExecutor(PARALLEL) as pool:
        return {run.situation: run for run in pool.map(check, manifest["customers"])}


@pytest.fixture(scope="module")
def table(answers: dict[str, Any], runs: dict[str, Run]) -> str:
    """situation | expected (the store's answer) | got | time, kept beside the store for the make target to show."""
    lines = ["| situation | expected (store's own order attempt) | got (probe) | time |", "|---|---|---|---|"]
    for situation, run in runs.items():
        want = shop.expected(answers[situation], situation in CODE_ENV)
        got = f"no report (exit {run.returncode})"
        if run.report:
            o = run.report["observation"]
            got = f"{o['option_state']} / {run.report['verdict']['outcome']}; reason {o['reason_text']!r}"
            got += f"; balance {o['balance_text']!r}"
        lines.append(
            f"| {situation} | {want.option_state} / {want.outcome} ({want.why}) | {got} | {run.seconds:.0f} s |"
        )
    text = "\n".join(lines) + "\n"
    (shop.STATE / "results.md").write_text(text)
    return text


SITUATIONS = list(SOURCES)


def test_the_store_answers_as_oscar_accounts_does(answers: dict[str, Any]) -> None:
    """The store is the real thing: the funded account pays, empty and frozen ones are refused in oscar-accounts'
    words, the restricted one may allocate nothing to the gift card, the expired one is not listed."""
    assert answers["funded"]["orders_placed"] == 1 and answers["funded"]["debited"] == "25.00"
    assert answers["empty"]["select"]["errors"] == ["This account is empty"]
    assert answers["frozen"]["select"]["errors"] == ["This account is no longer open"]
    assert answers["restricted"]["select"]["proposed"] == "0.00" and answers["restricted"]["orders_placed"] == 0
    assert answers["expired"]["accounts_listed"] == 0 and answers["expired"]["orders_placed"] == 0
    assert answers["none"]["accounts_listed"] == 0 and answers["none"]["orders_placed"] == 0
    assert answers["code"]["orders_placed"] == 1


@pytest.mark.parametrize("situation", SITUATIONS)
def test_probe_reports_what_the_store_does(
    situation: str, answers: dict[str, Any], runs: dict[str, Run], table: str
) -> None:
    run = runs[situation]
    want = shop.expected(answers[situation], situation in CODE_ENV)
    assert run.report is not None, f"exit {run.returncode}: {run.stderr[-800:]}"
    observation = run.report["observation"]
    got = (observation["option_state"], run.report["verdict"]["outcome"])
    assert got == (want.option_state, want.outcome), f"store: {want.why}\n{table}"
    if want.reason_words:
        reason = observation["reason_text"] or ""
        assert any(words.rstrip(".") in reason for words in want.reason_words), (reason, want.reason_words)
    assert run.returncode == 0, run.stderr[-800:]


MONEY = re.compile(r"^\s*(?:£\s*)?(\d{1,3}(?:,\d{3})*|\d+)\.(\d{2})\s*(?:£|GBP)?\s*$")


@pytest.mark.parametrize("situation", SITUATIONS)
def test_a_balance_is_the_accounts_money(
    situation: str,
    manifest: dict[str, Any],
    answers: dict[str, Any],
    codes: dict[str, tuple[str, Decimal]],
    runs: dict[str, Run],
) -> None:
    """A balance read is the account's balance (or the allocation the store proposed), in money format: never the
    order number in the account's name ("Refund credit - order 100022")."""
    report = runs[situation].report
    assert report is not None
    text = report["observation"]["balance_text"]
    if text is None:
        return
    match = MONEY.match(text)
    assert match, f"not a money amount: {text!r}"
    amount = Decimal(match.group(1).replace(",", "") + "." + match.group(2))
    name = manifest["customers"][situation]["account"]
    allowed = {codes[name][1]} if name in codes else set()
    if "proposed" in answers[situation].get("select", {}):
        allowed.add(Decimal(answers[situation]["select"]["proposed"]))
    assert amount in allowed, (text, allowed)


@pytest.mark.parametrize("situation", SITUATIONS)
def test_no_account_code_is_written(
    situation: str, codes: dict[str, tuple[str, Decimal]], runs: dict[str, Run]
) -> None:
    """No customer's account code in the report, its html, the terminal or any text the check wrote."""
    run = runs[situation]
    texts = [run.stdout, run.stderr] + [
        p.read_text(errors="replace")
        for p in run.out.rglob("*")
        if p.is_file() and p.suffix in {".json", ".html", ".txt", ".xml"}
    ]
    for code, _ in codes.values():
        assert not any(code in text for text in texts), f"an account code stands in {situation}'s output"


@pytest.mark.parametrize("situation", SITUATIONS)
def test_nothing_is_ordered(situation: str, runs: dict[str, Run]) -> None:
    run = runs[situation]
    assert shop.orders(run.db) == 0
    assert run.report is None or run.report["safety"]["order_placed"] is False
