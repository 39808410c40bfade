"""Remote browsers: a Chromium started with remote debugging (CDP) and a Playwright browser server (ws)."""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import playwright
import pytest
from playwright.async_api import async_playwright
from typer.testing import CliRunner

from probe.cli import app
from probe.run.sync import run_sync
from probe.walk.browser import LAUNCH_ARGS, BrowserUnreachable, connect, find_browser

runner = CliRunner()
pytestmark = pytest.mark.browser


class Background:
    """A process whose output lines are read in a thread, so its pipe never fills."""

    def __init__(self, args: list[str], *, stream: str) -> None:
        pipe = {"stdout": subprocess.PIPE, "stderr": subprocess.DEVNULL} if stream == "stdout" else {}
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            args,
            stdin=subprocess.DEVNULL,
            stdout=pipe.get("stdout", subprocess.DEVNULL),
            stderr=pipe.get("stderr", subprocess.PIPE),
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        source = self.proc.stdout if stream == "stdout" else self.proc.stderr
        assert source is not None
        self._source = source
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self._source:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        import time

        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r} within {timeout}s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        self._source.close()


@pytest.fixture
def cdp_endpoint(tmp_path: Path) -> Iterator[str]:
    """A headless Chromium with remote debugging on a free port; its http:// DevTools address."""
    chromium = Background(
        [
            str(find_browser().path),
            "--headless",
            "--no-sandbox",
            "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *LAUNCH_ARGS,
            "about:blank",
        ],
        stream="stderr",
    )
    try:
        found = chromium.wait_for(r"DevTools listening on (ws://[^/\s]+:(\d+)/\S+)")
        yield f"http://127.0.0.1:{found.group(2)}"
    finally:
        chromium.stop()


@pytest.fixture
def ws_endpoint() -> Iterator[str]:
    """A Playwright browser server (launchServer) driving our Chromium; its ws:// address."""
    driver = Path(playwright.__file__).parent / "driver"
    script = (
        "const pw = require(process.argv[1]);"
        "pw.chromium.launchServer({executablePath: process.argv[2], headless: true, args: JSON.parse(process.argv[3])})"
        ".then(s => { console.log('ws: ' + s.wsEndpoint()); process.on('SIGTERM', () => s.close()); });"
    )
    node = driver / ("node.exe" if sys.platform == "win32" else "node")
    server = Background(
        [str(node), "-e", script, str(driver / "package"), str(find_browser().path), json.dumps(list(LAUNCH_ARGS))],
        stream="stdout",
    )
    try:
        yield server.wait_for(r"ws: (ws://\S+)").group(1)
    finally:
        server.stop()


async def _page_title(cdp: str | None = None, ws: str | None = None) -> str:
    async with async_playwright() as pw:
        browser = await connect(pw, cdp=cdp, ws=ws)
        try:
            context = await browser.new_context()
            page = await context.new_page()
            await page.set_content("<title>remote ok</title>")
            title = await page.title()
            await context.close()
            return title
        finally:
            await browser.close()


def test_connect_over_cdp_and_ws(cdp_endpoint: str, ws_endpoint: str) -> None:
    assert run_sync(lambda: _page_title(cdp=cdp_endpoint)) == "remote ok"
    assert run_sync(lambda: _page_title(ws=ws_endpoint)) == "remote ok"


def test_an_endpoint_nobody_answers_is_exit_2(tmp_path: Path) -> None:
    with pytest.raises(BrowserUnreachable, match="--cdp-endpoint http://127.0.0.1:9: cannot connect"):
        run_sync(lambda: _unreachable())
    result = runner.invoke(app, ["check", "--cdp-endpoint", "http://127.0.0.1:9", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2, result.output
    assert "cannot connect" in result.stderr and "Traceback" not in result.stderr
    bad = runner.invoke(app, ["check", "--ws-endpoint", "http://127.0.0.1:9", "--out", str(tmp_path / "r")])
    assert bad.exit_code == 2 and "--ws-endpoint" in bad.stderr


async def _unreachable() -> None:
    async with async_playwright() as pw:
        await connect(pw, cdp="http://127.0.0.1:9", timeout_s=5)


def test_check_over_cdp_reaches_the_verdict_of_a_launched_browser(cdp_endpoint: str, tmp_path: Path) -> None:
    args = ["check", "--scenario", "promo-selectable", "--json"]
    remote = runner.invoke(app, [*args, "--cdp-endpoint", cdp_endpoint, "--out", str(tmp_path / "remote")])
    local = runner.invoke(app, [*args, "--out", str(tmp_path / "local")])
    assert remote.exit_code == local.exit_code == 0, remote.stderr + local.stderr
    got, want = json.loads(remote.stdout), json.loads(local.stdout)
    assert got["run"]["browser"] == f"cdp: {cdp_endpoint}"
    assert got["verdict"]["outcome"] == want["verdict"]["outcome"] == "against_terms"
    assert got["observation"]["option_state"] == want["observation"]["option_state"] == "selectable"
    assert [r["id"] for r in got["verdict"]["rules"]] == [r["id"] for r in want["verdict"]["rules"]]


def test_a_matrix_spreads_its_checks_over_endpoints(cdp_endpoint: str, ws_endpoint: str, tmp_path: Path) -> None:
    spec = tmp_path / "matrix.yaml"
    spec.write_text(
        "targets:\n  - {scenario: default}\n  - {scenario: no-credit}\n"
        f"endpoints: ['{cdp_endpoint}', {{ws: '{ws_endpoint}'}}]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["matrix", str(spec), "--out", str(tmp_path / "m"), "--workers", "2"])
    assert result.exit_code == 0, result.output
    browsers = [
        json.loads((tmp_path / "m" / name / "report.json").read_text())["run"]["browser"]
        for name in ("default", "no-credit")
    ]
    assert browsers == [f"cdp: {cdp_endpoint}", f"ws: {ws_endpoint}"]
