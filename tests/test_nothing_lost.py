"""Nothing lost: reports are swapped in whole, earlier ones are kept, Ctrl-C leaves no browser behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hostile_app import Hostile, serve_hostile
from processes import alive, descendants, kill
from typer.testing import CliRunner

from probe.cli import app
from probe.errors import InputError
from probe.report.folder import ReportFolder

pytestmark = pytest.mark.browser

runner = CliRunner()
PROBE = Path(sys.executable).with_name("probe")


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[str, Hostile]]:
    with serve_hostile() as served:
        yield served
        assert served[1].ordered() == []


def old_report(out: Path) -> bytes:
    """A finished earlier report in `out`; returns its report.json bytes."""
    out.mkdir(parents=True)
    (out / "report.json").write_text('{"schema_version": 1, "marker": "the earlier report"}')
    (out / "report.html").write_text("<p>earlier</p>")
    return (out / "report.json").read_bytes()


def leftovers(parent: Path, name: str) -> list[str]:
    """Staging folders a run left beside its --out."""
    return [p.name for p in parent.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp")]


def test_a_second_run_keeps_the_first_and_says_where(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "report"
    first = runner.invoke(app, ["check", store_url, "--out", str(out), "--json", "--timeout", "60"])
    assert first.exit_code == 0, first.stderr
    first_json = (out / "report.json").read_text()
    second = runner.invoke(app, ["check", store_url, "--out", str(out), "--json", "--timeout", "60"])
    assert second.exit_code == 0, second.stderr
    kept = tmp_path / "report.previous"
    assert f"previous report kept at {kept}" in second.stderr
    assert (kept / "report.json").read_text() == first_json
    assert json.loads((out / "report.json").read_text()) == json.loads(second.stdout)
    assert json.loads(first_json)["run"]["started_at"] != json.loads(second.stdout)["run"]["started_at"]
    # Screenshots travel with their report.
    for step in json.loads(first_json)["steps"]:
        if step["screenshot"]:
            assert (kept / step["screenshot"]).is_file()
    assert leftovers(tmp_path, "report") == []
    assert httpx.get(f"{store_url}/api/orders").json()["orders"] == []


def test_a_folder_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["check", "https://store.example/", "--out", str(out), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"--out {out}: the folder holds files that are not a probe report" in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert (out / "notes.txt").read_text() == "mine"
    assert leftovers(tmp_path, "documents") == []


def test_an_unfinished_run_leaves_the_previous_report(tmp_path: Path) -> None:
    out = tmp_path / "report"
    before = old_report(out)
    folder = ReportFolder(out)
    (folder.staging / "report.json").write_text('{"half": ')
    folder.discard()
    assert (out / "report.json").read_bytes() == before
    assert leftovers(tmp_path, "report") == []
    with pytest.raises(InputError, match="a file is in the way"):
        ReportFolder(out / "report.json")


def _start_hanging_probe(url: str, out: Path, *, own_group: bool) -> tuple[subprocess.Popen[str], dict[int, str]]:
    """`probe check` on a page that never answers; returns once its Chromium runs."""
    proc = subprocess.Popen(
        [str(PROBE), "check", f"{url}/hang", "--payment-page", "--timeout", "120", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=own_group,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "opening the payment page" in line:
            break
    family: dict[int, str] = {}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        family = descendants(proc.pid)
        if any("chrom" in name for name in family.values()):
            break
        time.sleep(0.2)
    assert any("chrom" in name for name in family.values()), family
    return proc, family


@pytest.mark.parametrize("group", [False, True], ids=["probe-only", "process-group"])
def test_ctrl_c_closes_the_browser_and_keeps_the_old_report(
    hostile: tuple[str, Hostile], tmp_path: Path, group: bool
) -> None:
    out = tmp_path / "report"
    before = old_report(out)
    proc, family = _start_hanging_probe(hostile[0], out, own_group=group)
    try:
        time.sleep(1)
        if group:
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode != 0
        assert "Traceback" not in err
        stray: set[int] = set(family)
        deadline = time.monotonic() + 10
        while stray and time.monotonic() < deadline:
            stray = alive(stray)
            time.sleep(0.2)
        assert not stray, {pid: family[pid] for pid in stray}
    finally:
        kill(alive(set(family)))
        if proc.poll() is None:
            proc.kill()
    assert (out / "report.json").read_bytes() == before
    assert not (tmp_path / "report.previous").exists()
    assert leftovers(tmp_path, "report") == []


def test_a_killed_run_leaves_the_old_report_whole(hostile: tuple[str, Hostile], tmp_path: Path) -> None:
    out = tmp_path / "report"
    before = old_report(out)
    proc, family = _start_hanging_probe(hostile[0], out, own_group=True)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        kill(alive(set(family)))
    assert (out / "report.json").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json"]


@pytest.mark.parametrize("given_by", ["--browser-path", "PROBE_BROWSER_PATH"])
def test_a_browser_that_dies_as_it_starts_gives_an_inconclusive_report(tmp_path: Path, given_by: str) -> None:
    """The browser launched ahead (chosen by the environment) and the one a check launches itself alike."""
    dies = tmp_path / "chromium"
    dies.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n")
    dies.chmod(0o755)
    out = tmp_path / "report"
    args = [str(PROBE), "check", "https://shop.example/", "--payment-page", "--out", str(out), "--timeout", "30"]
    env = dict(os.environ)
    if given_by == "--browser-path":
        args += ["--browser-path", str(dies)]
    else:
        env["PROBE_BROWSER_PATH"] = str(dies)
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("probe: inconclusive: the browser did not start (")
    assert f"run `{dies} --headless about:blank` to see why" in last
    report = json.loads((out / "report.json").read_text())
    assert report["verdict"]["outcome"] == "inconclusive"
    assert report["steps"] == []
    assert report["safety"]["order_placed"] is False
    assert (out / "report.html").is_file()
