"""probe's speed and memory as ratios (not pass/fail): run it with `make bench` or `.venv/bin/python bench/run.py`.

(a) `probe check --payment-page` on a local page vs a bare Playwright script that launches the same Chromium,
    opens the same page, takes one screenshot and closes; run alternately, median ratio (target <= 1.3).
(b) a 24-check `probe matrix` (12 bundled scenarios x 2 credit sources) vs one `probe check` (target <= 6 on 2
    cores) and vs bench/bare_walk.py, bare Playwright walking the same 24 flows in one process (target <= 1.5).
(c) peak memory (RSS of the whole process tree, sampled from /proc) of (b)'s matrix vs one check (target <= 1.5).
(d) observe() on a page with 5,000 payment methods vs the same page with one (bench/big_page.py; target <= 2).
Every (a)-(c) figure is wall-clock of a fresh process, as a user starting the command would see it. Each ratio
is measured within one run, so a busy machine inflates both sides; the summary prints the load average too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mock_store.server import serve_app_in_thread, static_app

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "fixtures" / "pages"
PAGE = "shopify-tiles-css-greyed.html"
BIN = Path(sys.executable).parent
PROBE = str(BIN / "probe") if (BIN / "probe").exists() else "probe"

BARE = """
import sys
from playwright.sync_api import sync_playwright
from probe.walk.browser import LAUNCH_ARGS, find_browser

with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(sys.argv[1])
    page.screenshot(path=sys.argv[2])
    browser.close()
"""


@contextmanager
def serve_pages() -> Iterator[str]:
    """The fixture payment pages on a free loopback port."""
    with serve_app_in_thread(static_app(PAGES), name="fixture pages") as url:
        yield url


def _tree_rss(root: int) -> int:
    """Resident memory of `root` and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
            fields = stat[stat.rindex(")") + 2 :].split()
            pid, ppid, pages = int(entry), int(fields[1]), int(fields[21])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def measure(cmd: list[str], *, expect_codes: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall-clock seconds and peak process-tree RSS of one command run to completion."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in expect_codes:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{stderr[-2000:]}")
    return elapsed, peak


@dataclass(frozen=True)
class Figure:
    """One ratio, its target, and how it was measured."""

    name: str
    ratio: float
    target: float
    detail: str


FIGURES: list[Figure] = []


def report(figure: Figure) -> None:
    FIGURES.append(figure)
    met = "met" if figure.ratio <= figure.target else "NOT met"
    print(f"{figure.name}: ratio {figure.ratio:.2f} (target <= {figure.target:g}, {met}; {figure.detail})", flush=True)


def figure_a(rounds: int, work: Path) -> None:
    bare = work / "bare.py"
    bare.write_text(BARE, encoding="utf-8")
    ratios, probe_times, bare_times = [], [], []
    with serve_pages() as base:
        url = f"{base}/{PAGE}"
        for i in range(rounds):
            check = [PROBE, "check", url, "--payment-page", "--out", str(work / "a-report"), "--json"]
            bare_cmd = [sys.executable, str(bare), url, str(work / "bare.png")]
            # Alternate which goes first, so neither always meets a warm cache.
            pair = (check, bare_cmd) if i % 2 == 0 else (bare_cmd, check)
            first, _ = measure(pair[0], expect_codes=(0, 1, 3))
            second, _ = measure(pair[1], expect_codes=(0, 1, 3))
            t_probe, t_bare = (first, second) if i % 2 == 0 else (second, first)
            probe_times.append(t_probe)
            bare_times.append(t_bare)
            ratios.append(t_probe / t_bare)
    report(
        Figure(
            "(a) check vs bare Playwright screenshot",
            statistics.median(ratios),
            1.3,
            f"probe {statistics.median(probe_times):.2f} s, bare {statistics.median(bare_times):.2f} s, "
            f"median of {rounds} alternating rounds",
        )
    )


MATRIX = """name: bench 24 checks
targets:
{targets}
credit_sources: [refund, promotional]
"""


def figures_bc(work: Path, workers: int | None) -> None:
    from mock_store.scenarios import list_scenarios

    names = list_scenarios()[:12]
    spec = work / "matrix.yaml"
    spec.write_text(MATRIX.format(targets="\n".join(f"  - {{scenario: {n}}}" for n in names)), encoding="utf-8")
    one_cmd = [PROBE, "check", "--scenario", "default", "--out", str(work / "one"), "--json"]
    matrix_cmd = [PROBE, "matrix", str(spec), "--out", str(work / "matrix"), "--json"]
    if workers:
        matrix_cmd += ["--workers", str(workers)]
    bare_cmd = [sys.executable, str(ROOT / "bench" / "bare_walk.py"), str(workers or os.cpu_count() or 1)]
    bare_cmd += [n for n in names for _ in ("refund", "promotional")]
    one_time, one_rss = measure(one_cmd, expect_codes=(0, 1, 3))
    matrix_time, matrix_rss = measure(matrix_cmd, expect_codes=(0, 1, 3))
    bare_time, _ = measure(bare_cmd)
    cells = 2 * len(names)
    report(
        Figure(
            f"(b) {cells}-check matrix vs one check",
            matrix_time / one_time,
            6,
            f"matrix {matrix_time:.1f} s, one check {one_time:.1f} s, workers {workers or 'one per core'}",
        )
    )
    report(
        Figure(
            f"(b) {cells}-check matrix vs bare Playwright walking the same {cells} flows",
            matrix_time / bare_time,
            1.5,
            f"matrix {matrix_time:.1f} s, bare walk {bare_time:.1f} s",
        )
    )
    report(
        Figure(
            "(c) peak RSS, matrix vs one check",
            matrix_rss / one_rss,
            1.5,
            f"matrix {matrix_rss / 2**20:.0f} MiB, one check {one_rss / 2**20:.0f} MiB",
        )
    )


def figure_d() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "big_page.py")], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/big_page.py exited {done.returncode}:\n{done.stderr[-2000:]}")
    words = done.stdout.split()
    small, big = float(words[words.index("small") + 1]), float(words[words.index("big") + 1])
    detail = f"big {big:.2f} s, small {small:.2f} s"
    report(Figure("(d) observe() 5,000 payment methods vs one", big / small, 2, detail))


def summary() -> None:
    load = " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])
    print(f"\nsummary: {os.cpu_count()} cores, load average {load} (a busy machine inflates both sides of a ratio)")
    for f in FIGURES:
        print(f"  {'met    ' if f.ratio <= f.target else 'NOT met'} {f.ratio:6.2f} <= {f.target:<4g} {f.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds for (a)")
    parser.add_argument("--workers", type=int, default=None, help="--workers for the matrix of (b)")
    parser.add_argument("--only", choices=("a", "bc", "d"), default=None, help="run one part")
    args = parser.parse_args()
    if not Path("/proc/self/stat").exists():
        raise SystemExit("bench/run.py samples memory from /proc: run it on Linux")
    with tempfile.TemporaryDirectory(prefix="probe-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "a"):
            figure_a(args.rounds, work)
        if args.only in (None, "bc"):
            figures_bc(work, args.workers)
        if args.only in (None, "d"):
            figure_d()
    summary()


if __name__ == "__main__":
    main()
