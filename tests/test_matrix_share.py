"""Matrix cells that differ only in what is known about the credit walk the store once and are decided apart."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mock_store.app import create_app
from mock_store.server import serve_app_in_thread
from probe.request import CheckRequest
from probe.run.matrix import MatrixSpec, expand, prepare_cells, run_matrix_sync
from probe.run.walk_share import DECISION_ONLY_REQUEST, group_by_walk, profile_variables, walk_key
from probe.walk.profile import load_profile

# Report fields that differ between two runs of the same check: when it ran, how long it took, and the notes on
# how observing went (how long settling waited, what it waited out: a loaded machine changes them).
TIMING = {"started_at", "duration_s", "notes"}
SHOPS = Path(__file__).resolve().parents[1] / "mock_store" / "shops" / "profiles"


class CountingStore:
    """The real mock store behind an ASGI wrapper that counts each request it answers, by method and path."""

    def __init__(self) -> None:
        self.app = create_app()
        self.seen: Counter[tuple[str, str]] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen[(scope["method"], scope["path"])] += 1
        await self.app(scope, receive, send)

    def take(self) -> Counter[tuple[str, str]]:
        """The requests counted since the last take."""
        seen, self.seen = self.seen, Counter()
        return seen


@pytest.fixture(scope="module")
def counting() -> Iterator[tuple[CountingStore, str]]:
    store = CountingStore()
    with serve_app_in_thread(store, name="counting mock store") as url:
        yield store, url


def _untimed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _untimed(v) for k, v in value.items() if k not in TIMING}
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return value


def _matrix(tmp_path: Path, url: str, name: str, **dims: Any) -> dict[str, Any]:
    spec = MatrixSpec.model_validate({"targets": [{"scenario": "default"}], "today": "2026-11-25", **dims})
    out = tmp_path / name
    result = run_matrix_sync(spec, out, workers=2, store_url=url)
    assert all(r.report is not None for r in result.results), [r.error for r in result.results]
    rows = json.loads((out / "matrix.json").read_text(encoding="utf-8"))["rows"]
    reports = {r["name"]: json.loads((out / r["report_dir"] / "report.json").read_text()) for r in rows}
    for report_dir, report in ((r["report_dir"], reports[r["name"]]) for r in rows):
        shots = [s["screenshot"] for s in report["steps"] if s["screenshot"]] + [report["annotated_screenshot"]]
        assert shots and all((out / report_dir / shot).is_file() for shot in shots), report_dir
        assert (out / report_dir / "report.html").is_file()
    return {"rows": rows, "reports": reports}


# --- which cells share a walk (no browser) --------------------------------------------------------------------


def test_only_what_reaches_the_browser_splits_a_walk(tmp_path: Path) -> None:
    spec = MatrixSpec.model_validate(
        {
            "targets": [{"scenario": "default"}, {"scenario": "no-credit"}, {"scenario": "default", "apply": False}],
            "credit_sources": ["refund", "promotional"],
            "gift_cards": ["store-digital", "store-physical"],
            "intents": ["own-use", "resale"],
        }
    )
    cells = expand(spec, tmp_path)
    groups = group_by_walk([walk_key(p) for p in prepare_cells(cells)])
    # The bundled profile clicks the card `gift-card-${gift_card}`: the kind reaches the store, the rest does not.
    assert len(groups) == 3 * 2
    for members in groups:
        named = [cells[i] for i in members]
        assert len({(c.target, c.gift_card) for c in named}) == 1
        assert {(c.credit_source, c.intent) for c in named} == {
            (s, i) for s in spec.credit_sources for i in spec.intents
        }


def test_a_profile_that_names_the_credit_source_walks_once_per_source(tmp_path: Path) -> None:
    bundled = (Path(__file__).resolve().parents[1] / "probe" / "data" / "mock_store.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "profile.yaml"
    profile.write_text(bundled.replace("start_url: /", 'start_url: "/?from=${credit_source}"'), encoding="utf-8")
    spec = MatrixSpec.model_validate(
        {"targets": [{"scenario": "default", "profile": profile}], "credit_sources": ["refund", "promotional"]}
    )
    keys = [walk_key(p) for p in prepare_cells(expand(spec, tmp_path))]
    assert group_by_walk(keys) == [[0], [1]]


def test_a_url_without_a_profile_finds_its_way_once_per_gift_card_kind(tmp_path: Path) -> None:
    spec = MatrixSpec.model_validate(
        {
            "targets": [{"url": "http://shop.example/"}],
            "credit_sources": ["refund", "promotional"],
            "gift_cards": ["store-digital", "store-physical"],
        }
    )
    cells = expand(spec, tmp_path)
    prepared = prepare_cells(cells)
    assert all(p.discover for p in prepared)
    # The kind is what the walk looks for, whatever the profile it carries unused would say of ${gift_card}.
    plain = load_profile(SHOPS / "atelier.yaml")
    assert "gift_card" not in profile_variables(plain)
    for ons in (prepared, [p.model_copy(update={"profile": plain}) for p in prepared]):
        groups = group_by_walk([walk_key(p) for p in ons])
        assert [[cells[i].gift_card for i in g] for g in groups] == [["store-digital"] * 2, ["store-physical"] * 2]


def test_the_decision_only_fields_are_fields_of_the_request() -> None:
    assert DECISION_ONLY_REQUEST <= set(CheckRequest.model_fields)


# --- in a real browser, against a real store that counts what it is asked ---------------------------------------


@pytest.mark.browser
def test_two_credit_sources_walk_the_store_once_and_report_as_two_checks(
    tmp_path: Path, counting: tuple[CountingStore, str]
) -> None:
    store, url = counting
    store.take()
    refund = _matrix(tmp_path, url, "refund", credit_sources=["refund"])
    one_walk = store.take()
    promotional = _matrix(tmp_path, url, "promotional", credit_sources=["promotional"])
    store.take()
    both = _matrix(tmp_path, url, "both", credit_sources=["refund", "promotional"])
    assert one_walk[("GET", "/checkout/payment")] == 1
    assert one_walk[("GET", "/account/credit")] == 1
    assert store.take() == one_walk, "two cells that differ only in the credit source walk the store once"
    assert both["rows"] == refund["rows"] + promotional["rows"]
    for alone in (refund, promotional):
        for name, report in alone["reports"].items():
            assert _untimed(both["reports"][name]) == _untimed(report), name
    sources = [both["reports"][r["name"]]["credit"]["source"] for r in both["rows"]]
    assert sources == ["refund", "promotional"]
    assert [r["outcome"] for r in both["rows"]] == ["can_use", "cannot_use"]


@pytest.mark.browser
def test_gift_card_kinds_reach_the_store_so_each_walks_its_own(
    tmp_path: Path, counting: tuple[CountingStore, str]
) -> None:
    store, url = counting
    store.take()
    kinds = _matrix(tmp_path, url, "kinds", credit_sources=["refund"], gift_cards=["store-digital", "store-physical"])
    assert store.take()[("GET", "/checkout/payment")] == 2
    assert [r["gift_card"] for r in kinds["rows"]] == ["store-digital", "store-physical"]


@pytest.mark.browser
def test_a_failed_shared_walk_leaves_every_cell_inconclusive_with_its_report(tmp_path: Path) -> None:
    spec = MatrixSpec.model_validate(
        {"targets": [{"url": "http://127.0.0.1:9/"}], "credit_sources": ["refund", "promotional"], "timeout": 20}
    )
    result = run_matrix_sync(spec, tmp_path / "m", workers=2)
    assert result.exit_code == 3
    assert [r.outcome.value for r in result.results] == ["inconclusive", "inconclusive"]
    errors = set()
    for cell_result, source in zip(result.results, ("refund", "promotional"), strict=True):
        report = json.loads((tmp_path / "m" / cell_result.cell.name / "report.json").read_text())
        assert report["credit"]["source"] == source
        assert report["verdict"]["outcome"] == "inconclusive"
        errors.add(report["observation"]["error"])
        shots = [s["screenshot"] for s in report["steps"] if s["screenshot"]]
        assert shots and all((tmp_path / "m" / cell_result.cell.name / s).is_file() for s in shots)
    assert len(errors) == 1 and "http://127.0.0.1:9/" in errors.pop()
