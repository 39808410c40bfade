"""What a check loads before its work: the report's templates kept compiled between runs, checked against their
text; what only some checks need is not made by every one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).parents[1] / "probe" / "report" / "templates"

RENDER = """
import sys
from probe.report import render
render.TEMPLATES = __import__("pathlib").Path(sys.argv[1])
render.warm_templates()
print(render.render_page("page.html.j2", who="shopper"), end="")
"""


def _render(templates: Path, cache_home: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run(
        [sys.executable, "-c", RENDER, str(templates)], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def _templates(tmp_path: Path, page: str) -> Path:
    """A template folder with the report's assets, an unused report template and `page` as page.html.j2."""
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    for asset in ("report.css", "report.js"):
        (templates / asset).write_text((TEMPLATES / asset).read_text(encoding="utf-8"), encoding="utf-8")
    (templates / "report.html.j2").write_text("unused", encoding="utf-8")
    (templates / "page.html.j2").write_text(page, encoding="utf-8")
    return templates


def test_compiled_templates_are_kept_and_a_changed_template_is_compiled_anew(tmp_path: Path) -> None:
    templates = _templates(tmp_path, "Hello {{ who }}")
    cache_home = tmp_path / "cache"
    assert _render(templates, cache_home) == "Hello shopper"
    kept = sorted((cache_home / "probe" / "templates").iterdir())
    assert len(kept) == 2  # report.html.j2 (warmed) and page.html.j2 (rendered)
    assert _render(templates, cache_home) == "Hello shopper"
    _templates(tmp_path, "Goodbye {{ who }}")
    assert _render(templates, cache_home) == "Goodbye shopper"


def test_a_cache_folder_that_cannot_be_made_still_renders(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    assert _render(_templates(tmp_path, "Hello {{ who }}"), blocked) == "Hello shopper"


def test_a_plain_check_does_not_compile_what_only_pressing_a_credit_needs() -> None:
    code = (
        "import re, probe.detect.apply as a\n"
        "print(a._deducted.cache_info().currsize, bool(a._deducted().search('Store credit -$20.00')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "True"]


LEAVE = """
import atexit, sys, threading, time
from pathlib import Path

import pytest
from probe.entry import leave

def write_late():
    time.sleep(0.3)
    Path(sys.argv[1]).write_text("written", encoding="utf-8")

threading.Thread(target=write_late).start()
atexit.register(lambda: print("exit handler ran", flush=False))
print("report", end=" ")
leave(eval(sys.argv[2]))
"""


@pytest.mark.parametrize(
    ("code", "status", "stderr"), [("None", 0, ""), ("3", 3, ""), ("'bad input'", 1, "bad input\n")]
)
def test_a_finished_check_leaves_with_its_code_its_output_flushed_and_its_threads_done(
    tmp_path: Path, code: str, status: int, stderr: str
) -> None:
    """Leaving without the interpreter's teardown still does what the check relies on: sys.exit's code, exit
    handlers run, buffered output written, a thread still writing a file allowed to finish."""
    late = tmp_path / "late.txt"
    done = subprocess.run([sys.executable, "-c", LEAVE, str(late), code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (status, "report exit handler ran\n", stderr)
    assert late.read_text(encoding="utf-8") == "written"


def test_the_collector_held_off_while_loading_is_back_once_the_check_is_loaded() -> None:
    """`probe check` holds Python's garbage collector off while it loads its code; the check's warm-up gives it
    back (what was loaded frozen out of later collections), and a process that never held it keeps it as it was."""
    code = (
        "import gc\n"
        "from probe.run import collector, warm\n"
        "warm._load(); untouched = gc.isenabled(), gc.get_freeze_count()\n"
        "collector.hold(); held = gc.isenabled()\n"
        "warm._load(); print(untouched[0], untouched[1] == 0, held, gc.isenabled(), gc.get_freeze_count() > 10000)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True", "False", "True", "True"]
