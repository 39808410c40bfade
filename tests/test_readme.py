"""The README's signed-in walkthrough, followed line by line in a scratch folder against the bundled store."""

from __future__ import annotations

import shlex
import stat
from functools import partial
from pathlib import Path

import pytest
from playwright.async_api import Page
from typer.testing import CliRunner

from mock_store.scenarios import load_scenario
from mock_store.server import serve_in_thread
from probe.cli import app
from probe.run.login import login_session
from probe.run.sync import run_sync

pytestmark = pytest.mark.browser
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
MARKER = "<!-- signed-in walkthrough"
README_STORE = "http://127.0.0.1:8000"


def walkthrough() -> list[str]:
    """The command lines of the README block after the walkthrough marker."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(MARKER) :].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def test_the_readme_walkthrough_gives_the_right_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    account = load_scenario("signed-in").sign_in
    assert account is not None
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert account.email in readme and account.password in readme and "probe store --scenario signed-in" in readme
    home = tmp_path / "home"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "examples").symlink_to(ROOT / "examples")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(scratch)

    async def person(page: Page) -> None:
        """What the README asks of the person in the window: sign in with the account it names."""
        await page.get_by_label("Email address", exact=True).first.fill(account.email)
        await page.get_by_label("Password", exact=True).fill(account.password)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_load_state("load")

    lines = walkthrough()
    assert [line.split()[1] for line in lines] == ["login", "profile", "check"]
    outputs = []
    with serve_in_thread(scenario="signed-in") as store:
        for line in lines:
            args = shlex.split(line.replace(README_STORE, store))
            assert args[0] == "probe"
            args = [str(Path(a).expanduser()) if a.startswith("~") else a for a in args[1:]]
            if args[0] == "login":
                # `probe login`'s own code path, not headed: the person's part is done on the same page.
                save = Path(args[args.index("--save") + 1])
                run_sync(partial(login_session, args[1], save, person, headed=False))
                assert stat.S_IMODE(save.stat().st_mode) == 0o600
                continue
            result = runner.invoke(app, args)
            assert result.exit_code == 0, (line, result.stdout, result.stderr)
            outputs.append(result.stdout)
    assert "FAIL" not in outputs[0] and "ok   payment selection" in outputs[0]
    assert "verdict: can_use (decided by R-refund)" in outputs[1]
    assert "verdict: can_use (decided by R-refund)" in readme
