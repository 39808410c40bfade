"""Sharded matrices: `--shard i/n` splits the cells across machines; `probe matrix merge` joins them as one run."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from probe.cli import app
from probe.errors import InputError
from probe.run.shard import Shard, parse_shard

runner = CliRunner()

MATRIX = """
name: sharded policy
targets:
  - {scenario: default}
  - {scenario: promo-selectable}
  - {scenario: no-credit}
credit_sources: [promotional]
today: 2026-11-25
expect:
  - {scenario: default, outcome: cannot_use}
"""


@pytest.mark.parametrize("cells", [0, 1, 2, 5, 7, 24, 25])
@pytest.mark.parametrize("total", [1, 2, 3, 4, 7])
def test_shards_are_contiguous_balanced_and_cover_every_cell(cells: int, total: int) -> None:
    spans = [Shard(i, total).span(cells) for i in range(1, total + 1)]
    assert spans[0][0] == 0 and spans[-1][1] == cells
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    sizes = [stop - start for start, stop in spans]
    assert max(sizes) - min(sizes) <= 1
    assert sizes == sorted(sizes, reverse=True), "the larger parts come first, as Playwright Test splits"


@pytest.mark.parametrize("text", ["", "1", "0/2", "3/2", "1/0", "a/b", "-1/2", "1/2/3"])
def test_a_bad_shard_is_bad_input(text: str) -> None:
    with pytest.raises(InputError, match="--shard"):
        parse_shard(text)


def test_a_bad_shard_on_the_command_line_is_one_line_and_exit_2(tmp_path: Path) -> None:
    spec = tmp_path / "m.yaml"
    spec.write_text(textwrap.dedent(MATRIX), encoding="utf-8")
    result = runner.invoke(app, ["matrix", str(spec), "--shard", "3/2", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--shard 3/2" in lines[0], result.output


PORT = re.compile(r"127\.0\.0\.1:\d+")  # each run starts the bundled store on a free port of its own


def _rows(folder: Path) -> list[dict[str, Any]]:
    data = json.loads(PORT.sub("STORE", (folder / "matrix.json").read_text(encoding="utf-8")))
    assert "shard" not in data, "a merged or unsharded matrix.json does not say it is a shard"
    return list(data["rows"])


def _cases(junit: Path, out: Path) -> list[dict[str, Any]]:
    root = ET.parse(junit).getroot()
    cases = []
    for case in root.iter("testcase"):
        attrs = {k: v for k, v in case.attrib.items() if k != "time"}
        children = [(child.tag, dict(child.attrib), re.sub(r"\d+\.\d+ ?s", "", child.text or "")) for child in case]
        cases.append({"attrs": attrs, "children": PORT.sub("STORE", str(children).replace(str(out), "OUT"))})
    return cases


@pytest.mark.browser
def test_two_shards_merged_equal_the_unsharded_run(tmp_path: Path) -> None:
    spec = tmp_path / "m.yaml"
    spec.write_text(textwrap.dedent(MATRIX), encoding="utf-8")
    whole = runner.invoke(
        app, ["matrix", str(spec), "--out", str(tmp_path / "whole"), "--junit", str(tmp_path / "w.xml")]
    )
    parts = [
        runner.invoke(app, ["matrix", str(spec), "--shard", f"{i}/2", "--out", str(tmp_path / f"part{i}")])
        for i in (1, 2)
    ]
    assert [len(_part_rows(tmp_path / f"part{i}")) for i in (1, 2)] == [2, 1]
    merged = runner.invoke(
        app,
        ["matrix", "merge", str(tmp_path / "part2"), str(tmp_path / "part1"), "--out", str(tmp_path / "merged")]
        + ["--junit", str(tmp_path / "m.xml")],
    )
    assert whole.exit_code == merged.exit_code == max(p.exit_code for p in parts), merged.output
    assert _rows(tmp_path / "merged") == _rows(tmp_path / "whole")
    assert [r["name"] for r in _rows(tmp_path / "whole")] == [
        "default-promotional",
        "promo-selectable-promotional",
        "no-credit-promotional",
    ]
    for row in _rows(tmp_path / "merged"):
        assert (tmp_path / "merged" / row["report_dir"] / "report.json").is_file()
        if row["thumbnail"]:
            assert (tmp_path / "merged" / row["thumbnail"]).is_file()
    html = [PORT.sub("STORE", (tmp_path / f / "matrix.html").read_text(encoding="utf-8")) for f in ("merged", "whole")]
    assert html[0] == html[1]
    assert _cases(tmp_path / "m.xml", tmp_path / "merged") == _cases(tmp_path / "w.xml", tmp_path / "whole")

    missing = runner.invoke(app, ["matrix", "merge", str(tmp_path / "part1"), "--out", str(tmp_path / "bad")])
    assert missing.exit_code == 2 and "missing [2]" in missing.output
    not_a_shard = runner.invoke(
        app, ["matrix", "merge", str(tmp_path / "whole"), str(tmp_path / "part1"), "--out", str(tmp_path / "bad")]
    )
    assert not_a_shard.exit_code == 2 and "not from a sharded run" in not_a_shard.output


def _part_rows(folder: Path) -> list[dict[str, Any]]:
    data = json.loads((folder / "matrix.json").read_text(encoding="utf-8"))
    assert data["shard"]["total"] == 2 and data["shard"]["cells"] == 3
    return list(data["rows"])
