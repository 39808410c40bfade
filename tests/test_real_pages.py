"""Saved checkout pages of real shops (../shared/real-pages) through `probe check URL --payment-page`, in-process."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from in_process import InProcessChecks
from recording import Write, recording

from mock_store.server import serve_app_in_thread, static_app
from probe.report.render import image_size
from probe.request import CheckRequest, option_names
from probe.walk.guard import OrderGuard

pytestmark = pytest.mark.browser

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "real-pages"
LABELS: dict[str, dict[str, Any]] = (
    json.loads((REAL / "labels.json").read_text(encoding="utf-8")) if (REAL / "labels.json").is_file() else {}
)
MAX_S = 15.0  # no real page may take longer, whatever its label allows
SKIP_WHY = f"{REAL} is absent: the real-pages set lives beside the repository in ../shared/real-pages"


def check_options(args: str) -> dict[str, Any]:
    """probe.check() options from a label's CLI arguments ("--option-label 'Looply Cash' --timeout 20")."""
    words = shlex.split(args)
    names = option_names()
    options: dict[str, Any] = {}
    while words:
        word = words.pop(0)
        assert word.startswith("--"), f"labels.json args: {word!r} is not an option"
        name = word[2:].replace("-", "_")
        assert name in names, f"labels.json args: {word} is no option of probe check"
        if CheckRequest.model_fields[names[name]].annotation in (bool, "bool"):
            options[name] = True
        else:
            options[name] = words.pop(0)
    return options


# Every request other than GET/HEAD that reached the real pages' server.
WRITES: list[Write] = []


@pytest.fixture(scope="module")
def real_url() -> Iterator[str]:
    """../shared/real-pages/pages served by a real uvicorn that records what is sent to it."""
    if not LABELS:
        pytest.skip(SKIP_WHY)
    with serve_app_in_thread(recording(static_app(REAL / "pages"), WRITES), name="real pages") as url:
        yield url


@pytest.mark.parametrize("name", sorted(LABELS))
def test_real_page(name: str, checks: InProcessChecks, real_url: str, tmp_path: Path) -> None:
    """What `probe check URL --payment-page ARGS` reports matches the label, within the label's time."""
    label = LABELS[name]
    options = check_options(label.get("args") or "")
    sent_before = len(WRITES)
    done = checks.check(f"{real_url}/{name}.html", payment_page=True, out=tmp_path / "report", **options)
    obs, took = done.report.observation, done.seconds
    allowed = {label["state"], *(label.get("accept") or [])}
    detail = (
        f"{name}: {obs.option_state} (label {obs.option_label!r}, reason {obs.reason_text!r}, "
        f"page_kind {getattr(obs, 'page_kind', None)}, {took:.1f} s)\nerror: {obs.error}\n"
        f"evidence: {[(e.signal, e.value, e.points_to) for e in obs.evidence]}"
    )
    assert obs.option_state in allowed, detail
    if label.get("reason") is not None:
        assert obs.reason_text and label["reason"].lower() in obs.reason_text.lower(), detail
    if label.get("balance") is not None:
        assert obs.balance_text == label["balance"], detail
    # The annotated picture is the region around the options and outlines every one of them.
    report = done.report
    if report.annotated_screenshot:
        assert report.annotated_region is not None and report.annotated_note is None, report.annotated_note
        rx, ry, rw, rh = report.annotated_region
        assert image_size(done.out / report.annotated_screenshot) == (rw, rh)
        for option in report.observation.credit_options:
            assert option.box is not None, f"{name}: {option.label!r} has no box to outline"
            x, y, w, h = option.box
            assert rx <= x and ry <= y and x + w <= rx + rw and y + h <= ry + rh, f"{name}: {option.label!r} outside"
    assert took <= min(float(label.get("max_s", MAX_S)), MAX_S), f"{name} took {took:.1f} s\n{detail}"
    # Whatever the page's own scripts and the trials sent, no order request reached the server.
    guard = OrderGuard()
    arrived = [w for w in WRITES[sent_before:] if guard.judge(w.method, w.path, w.body, w.content_type).blocked]
    assert arrived == [], f"{name}: order requests reached the server: {[str(w) for w in arrived]}"
    assert done.report.safety.order_placed is False
