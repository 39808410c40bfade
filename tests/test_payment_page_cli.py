"""`probe check URL --payment-page` on a representative fixture page of each family, end to end.

The pages are served by a real uvicorn on a free loopback port; each check is probe's own run_check in the
session's Chromium. The whole labelled set is covered by test_detect.py (observe() directly); this file checks that
what a check reports, and its exit code, agree with the same labels.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from in_process import InProcessChecks

pytestmark = pytest.mark.browser

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((PAGES / "expected.yaml").read_text(encoding="utf-8"))

# One page per family: (page, what it stands for).
FAMILIES: list[tuple[str, str]] = [
    ("woo-classic-radio-disabled.html", "disabled attribute"),
    ("react-aria-radio-use-my-credit-disabled.html", "aria-disabled widget"),
    ("shopify-tile-css-disabled-tooltip.html", "greyed by CSS alone"),
    ("overlay-takes-clicks.html", "an overlay takes the clicks"),
    ("react-refusal-toast-store-cash.html", "the page refuses the selection"),
    ("absent-display-none.html", "absent: display:none"),
    ("woo-decoys-gift-card-field-absent.html", "absent: only decoys"),
    ("iframe-disabled-title.html", "same-origin iframe"),
    ("webcomponent-shadow-site-credit-disabled.html", "open shadow DOM"),
    ("late-render-2500ms.html", "late rendering"),
    ("shopify-store-credit-reduction-line.html", "credit the store applied"),
    ("error-page.html", "an error page"),
    ("never-settles.html", "a page that never settles"),
    ("place-sign-in.html", "a sign-in page, not payment"),
    ("place-empty-basket.html", "an empty basket, not payment"),
    ("apply-delayed-refusal.html", "the store refuses once Select is pressed"),
]


def test_families_are_labelled() -> None:
    states = {EXPECTED[name]["state"] for name, _ in FAMILIES}
    assert states == {"absent", "selectable", "greyed_out", "unknown"}


@pytest.mark.parametrize("name", [name for name, _ in FAMILIES], ids=[why for _, why in FAMILIES])
def test_check_payment_page(name: str, pages_url: str, checks: InProcessChecks, tmp_path: Path) -> None:
    spec = EXPECTED[name]
    unknown = spec["state"] == "unknown"
    out = tmp_path / "report"
    timeout = 4 if name == "never-settles.html" else 20
    url = f"{pages_url}/{name}"
    done = checks.check(
        url, payment_page=True, out=out, mask=False, timeout=timeout, option_label=spec.get("option_label")
    )
    assert done.code == (3 if unknown else 0), f"{name}: exit {done.code}: {done.report.observation.error}"

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report == json.loads(done.report.model_dump_json())
    obs = report["observation"]
    where = f"{name}: evidence {[(e['signal'], e['value']) for e in obs['evidence']]}"
    assert obs["option_state"] == spec["state"], where
    if spec.get("label"):
        assert obs["option_label"] and spec["label"].lower() in obs["option_label"].lower(), where
    else:
        assert obs["option_label"] is None, where
    if spec.get("reason"):
        assert obs["reason_text"] and spec["reason"].lower() in obs["reason_text"].lower(), where
    else:
        assert obs["reason_text"] is None, where
    assert obs["balance_text"] == spec.get("balance"), where

    assert report["safety"]["order_placed"] is False
    if unknown:
        assert report["verdict"]["outcome"] == "inconclusive"
        assert obs["error"]
        if spec.get("page_kind"):
            assert obs["page_kind"] == spec["page_kind"]
            # `probe check` prints the observation's error as its "probe: inconclusive: …" line.
            assert spec.get("error", obs["error"]) in obs["error"], obs["error"]
        return
    assert obs["page_kind"] == "payment"
    assert report["verdict"]["outcome"] in {"cannot_use", "assume_cannot_use"}
    assert obs["evidence"], "the report says what the detector saw"
    step = next(s for s in report["steps"] if s["name"] == "payment selection")
    assert step["url"] == url, "observing a payment page navigates nowhere"
    assert step["screenshot"] and (out / step["screenshot"]).is_file()
    if spec["state"] != "absent":
        shot = out / "payment-annotated.png"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "the annotated payment step is in the report"


def test_no_apply_leaves_the_credit_s_own_button_alone(pages_url: str, checks: InProcessChecks, tmp_path: Path) -> None:
    url = f"{pages_url}/apply-delayed-refusal.html"
    done = checks.check(url, payment_page=True, out=tmp_path / "r", mask=False, apply=False)
    assert done.code == 0, done.report.observation.error
    report = json.loads(done.report.model_dump_json())
    obs = report["observation"]
    assert obs["option_state"] == "selectable" and obs["reason_text"] is None
    pressed = [e for e in (*obs["evidence"], *obs["notes"]) if e["signal"] == "apply_press"]
    assert [e["value"] for e in pressed] == ["not pressed 'Select': apply presses are off (--no-apply)"], pressed
    assert obs["balance"] == {"amount": 0.0, "currency": "£"}
    assert report["verdict"]["deciding_rule"] == "R-empty", "the zero balance decides anyway"
