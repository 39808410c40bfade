"""The run history end to end, on SQLite and on a real PostgreSQL: a store that changes its policy between two
checks shows up in `probe history`, on the history page (in Chromium) and in one webhook post; an unchanged run posts
nothing; the cells of a matrix run by parallel workers all land."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from in_process import InProcessChecks
from typer.testing import CliRunner

from mock_store.app import create_app
from mock_store.server import serve_app_in_thread
from probe.cli import app
from probe.history.records import RunRecord
from probe.history.store import History
from probe.run.matrix import MatrixSpec, run_matrix_sync

pytestmark = pytest.mark.browser
runner = CliRunner()


class Webhook:
    """A local webhook: what was posted to /hook (200) and to /broken (answered 500)."""

    def __init__(self) -> None:
        posts: list[dict[str, Any]] = []
        self.posts = posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                posts.append({"path": self.path, "body": body, "type": self.headers["Content-Type"]})
                self.send_response(500 if self.path == "/broken" else 200)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, path: str) -> list[dict[str, Any]]:
        return [p for p in self.posts if p["path"] == path]


@pytest.fixture(scope="module")
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


@pytest.fixture(scope="module")
def shop() -> Iterator[tuple[str, Any]]:
    """The mock store served at one URL, whose policy the test switches (its default scenario)."""
    store = create_app("promo-selectable")
    with serve_app_in_thread(store, name="changing shop") as url:
        yield url + "/", store


def test_a_policy_change_is_in_the_history_the_page_and_one_post(
    checks: InProcessChecks, shop: tuple[str, Any], webhook: Webhook, history_where: str, tmp_path: Path
) -> None:
    url, store = shop
    hook = f"{webhook.url}/hook"
    before = len(webhook.to("/hook"))
    options = {"credit_source": "promotional", "history": history_where, "notify": hook}

    store.state.scenarios.default = "promo-selectable"
    first = checks.check(url, out=tmp_path / "r1", **options)
    assert (first.report.observation.option_state.value, first.report.verdict.outcome.value) == (
        "selectable",
        "against_terms",
    )
    assert len(webhook.to("/hook")) == before  # nothing to compare the first run with

    store.state.scenarios.default = "promo-aria-disabled"
    second = checks.check(url, out=tmp_path / "r2", **options)
    assert second.report.observation.option_state.value == "greyed_out"
    posts = webhook.to("/hook")[before:]
    assert len(posts) == 1
    post = posts[0]
    assert post["type"] == "application/json"
    text, change = post["body"]["text"], post["body"]["change"]
    assert "state selectable → greyed_out" in text and "verdict against_terms → cannot_use" in text
    assert (tmp_path / "r2" / "report.html").as_uri() in text
    fields = {f["field"]: (f["before"], f["after"]) for f in change["fields"]}
    assert fields["state"] == ("selectable", "greyed_out")
    assert fields["verdict"] == ("against_terms", "cannot_use")
    assert "rules" in fields
    assert change["before"]["report_path"] == str((tmp_path / "r1").resolve())
    assert change["after"]["report_path"] == str((tmp_path / "r2").resolve())
    assert change["target"] == url and change["credit_source"] == "promotional"

    checks.check(url, out=tmp_path / "r3", **options)  # the same again: no post
    assert len(webhook.to("/hook")) == before + 1

    # probe history, as JSON and as the table
    args = ["history", url, "--credit-source", "promotional", "--history", history_where]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    (series,) = json.loads(result.stdout)["series"]
    assert [r["outcome"] for r in series["runs"]] == ["against_terms", "cannot_use", "cannot_use"]
    (found,) = series["changes"]
    assert (found["before"]["report_path"], found["after"]["report_path"]) == (
        str((tmp_path / "r1").resolve()),
        str((tmp_path / "r2").resolve()),
    )
    page_dir = tmp_path / "page"
    result = runner.invoke(app, ["history", url, "--history", history_where, "--html", str(page_dir)])
    assert result.exit_code == 0, result.output
    table = result.stdout
    assert table.count("◆") == 2  # the changed run's row, and the change's line
    assert "state selectable → greyed_out" in table
    assert (tmp_path / "r1" / "report.html").as_uri() in table and (tmp_path / "r2" / "report.html").as_uri() in table

    # the history page, as a reviewer sees it in Chromium
    seen = checks.call(_read_page(checks, page_dir / "history.html"))
    assert seen["runs"] == ["run against_terms", "run cannot_use changed", "run cannot_use"]
    assert seen["changes"] == 1 and "state: selectable → greyed_out" in seen["change_text"]
    assert seen["before_title"] == "probe report" or seen["before_title"]  # the linked report opens
    assert seen["before_href"].endswith("r1/report.html") and seen["after_href"].endswith("r2/report.html")
    assert seen["strip_links"] == [str((tmp_path / f"r{n}" / "report.html").resolve()) for n in (1, 2, 3)]
    assert seen["scripts"] == 0 and seen["external"] == []


async def _read_page(checks: InProcessChecks, page_path: Path) -> dict[str, Any]:
    from urllib.parse import unquote, urlsplit

    context = await checks.browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(page_path.as_uri())
        runs = await page.locator(".strip li").evaluate_all("els => els.map(e => e.className)")
        change = page.locator(".change")
        links = await page.locator(".strip a").evaluate_all("els => els.map(a => a.href)")
        external = await page.evaluate("[...document.querySelectorAll('[src],link[href]')].map(e => e.src || e.href)")
        seen = {
            "runs": runs,
            "changes": await change.count(),
            "change_text": " ".join((await change.first.inner_text()).split()),
            "before_href": await change.locator("a.before").evaluate("a => a.href"),
            "after_href": await change.locator("a.after").evaluate("a => a.href"),
            "strip_links": [unquote(urlsplit(link).path) for link in links],
            "scripts": await page.locator("script").count(),
            "external": external,
        }
        await change.locator("a.before").click()
        await page.wait_for_load_state()
        seen["before_title"] = await page.title()
        return seen
    finally:
        await context.close()


def test_the_page_escapes_what_the_store_wrote(checks: InProcessChecks, tmp_path: Path) -> None:
    from probe.history.page import write_page
    from probe.history.timeline import timeline

    def record(n: int, reason: str) -> RunRecord:
        return RunRecord.model_validate(
            {
                "started_at": f"2026-12-0{n}T06:00:00+00:00",
                "store": "https://shop.example",
                "target": "https://shop.example/<b>x</b>",
                "walk": "shop.yaml",
                "credit_source": "promotional",
                "gift_card": "store-digital",
                "intent": "own-use",
                "option_state": "greyed_out",
                "reason_text": reason,
                "outcome": "cannot_use",
                "probe_version": "0.1.0",
                "report_path": str(tmp_path / f"r{n}"),
                "id": n,
            }
        )

    hostile = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"
    page = write_page(timeline("h.sqlite", [record(1, "Not for gift cards"), record(2, hostile)]), tmp_path / "p")
    assert "<script>document" not in page.read_text()

    async def read() -> tuple[str, str, int]:
        context = await checks.browser.new_context()
        try:
            tab = await context.new_page()
            await tab.goto(page.as_uri())
            return await tab.title(), await tab.locator(".change").inner_text(), await tab.locator("img").count()
        finally:
            await context.close()

    title, change_text, images = checks.call(read())
    assert title == "probe run history" and images == 0
    assert hostile in change_text  # shown as the words it is


def test_parallel_matrix_workers_all_land(history_where: str, tmp_path: Path, webhook: Webhook) -> None:
    spec = MatrixSpec.model_validate(
        {
            "name": "history",
            "targets": [{"scenario": s} for s in ("promo-selectable", "promo-aria-disabled", "default")],
            "credit_sources": ["promotional", "refund", "rewards", "unknown"],
        }
    )
    before = len(webhook.posts)
    result = run_matrix_sync(spec, tmp_path / "m", workers=3, history=history_where, notify=f"{webhook.url}/hook")
    assert len(result.results) == 12 and all(r.report is not None for r in result.results)
    with History(history_where) as history:
        assert history.count() == 12
        runs = history.runs()
    assert {(r.target, r.credit_source) for r in runs} == {
        (f"scenario {s}", c)
        for s in ("promo-selectable", "promo-aria-disabled", "default")
        for c in ("promotional", "refund", "rewards", "unknown")
    }
    assert {Path(r.report_path).parent for r in runs} == {(tmp_path / "m").resolve()}
    assert all((Path(r.report_path) / "report.json").is_file() for r in runs)
    assert len(webhook.posts) == before  # every series' first run: nothing changed


def test_check_with_a_bad_history_writes_its_report_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database, just notes\n" * 100)
    out = tmp_path / "r"
    result = runner.invoke(app, ["check", "--scenario", "promo-selectable", "--history", str(bad), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        f"probe: --history {bad}: not a probe history (not a SQLite database); give another file"
    )
    assert (out / "report.json").is_file() and (out / "report.html").is_file()


def test_a_failed_post_is_told_and_changes_nothing_else(tmp_path: Path, webhook: Webhook) -> None:
    where = str(tmp_path / "history.sqlite")
    out = tmp_path / "r"
    with History(where) as history:  # an earlier run of the same check that saw the option greyed out
        history.append(
            RunRecord(
                started_at="2026-12-01T06:00:00+00:00",  # type: ignore[arg-type]
                store="bundled mock store",
                target="scenario promo-selectable",
                scenario="promo-selectable",
                walk="bundled (mock-store)",
                credit_source="promotional",
                gift_card="store-digital",
                intent="own-use",
                option_state="greyed_out",
                outcome="cannot_use",
                rules=("R-greyed",),
                probe_version="0.1.0",
                report_path=str(tmp_path / "earlier"),
            )
        )
    args = ["check", "--scenario", "promo-selectable", "--out", str(out), "--history", where]
    result = runner.invoke(app, [*args, "--notify", f"{webhook.url}/broken"])
    assert result.exit_code == 0, result.output  # the verdict's exit code, not the post's
    assert len(webhook.to("/broken")) == 1
    host = webhook.url.removeprefix("http://")
    assert f"the webhook at {host} did not take the change (HTTP 500" in result.stderr
    assert "state greyed_out → selectable" in result.stderr
    with History(where) as history:
        assert history.count() == 2  # the run is recorded all the same
    assert (out / "report.json").is_file()


def test_notify_needs_the_history_and_a_web_address(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--no-history", "--notify", "http://127.0.0.1:9/hook"])
    assert result.exit_code == 2 and "drop --no-history" in result.stderr
    result = runner.invoke(app, ["check", "--notify", "hooks.example/x"])
    assert result.exit_code == 2 and "--notify 'hooks.example/x': not an http(s):// address" in result.stderr
