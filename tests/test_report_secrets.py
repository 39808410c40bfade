"""A check never prints an input's value: a radio whose value is a redeem code, through the real CLI, twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGE = "secret-unlabelled-radio-code.html"
CODES = ("GC-7QX2-99KD-4417", "ZK41-PP09-XQ77")
CHECK_TIMEOUT_S = 120


def run_check(url: str, out: Path) -> subprocess.CompletedProcess[str]:
    """`probe check URL --payment-page` in its own process, as a user runs it (masking as for any URL)."""
    return subprocess.run(
        [sys.executable, "-m", "probe", "check", url, "--payment-page", "--out", str(out), "--timeout", "40"],
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT_S,
        check=False,
    )


def test_a_code_in_a_radio_value_is_in_no_report_file_nor_the_terminal(pages_url: str, tmp_path: Path) -> None:
    labels = []
    for n, code in enumerate(CODES):
        out = tmp_path / f"run{n}"
        done = run_check(f"{pages_url}/{PAGE}?code={code}", out)
        assert done.returncode == 0, done.stderr[-2000:]
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        labels.append(report["observation"]["option_label"])
        assert report["observation"]["option_state"] == "selectable"
        for name, text in (
            ("stdout", done.stdout),
            ("stderr", done.stderr),
            ("report.json", (out / "report.json").read_text(encoding="utf-8")),
            ("report.html", (out / "report.html").read_text(encoding="utf-8")),
        ):
            # The page URL carries the code only because this test put it there; the page itself never shows it.
            shown = text.replace(f"?code={code}", "?code=")
            assert code not in shown, f"{name} shows the radio's value {code}"
            assert code.replace("-", "") not in shown.replace("-", ""), f"{name} shows the radio's value {code}"
    assert labels[0] == labels[1] == "Account credit", "the option is named by its visible text, the same each run"


MASKED = {
    "a redeem code": ("Account GC-7QX2-99KD", "GC-7QX2-99KD"),
    "a card number, last four kept": ("Visa 4111 1111 1111 1234", "4111 1111 1111"),
    "an e-mail address": ("Signed in as jo.doe@example.com", "jo.doe@example.com"),
    "a value seen on the page": ("option acct_4f9a2b", "acct_4f9a2b"),
}
KEPT = ["Store credit · $25.00", "R-large-balance", "settled after 0.52 s", "2026-12-01", "Visa ending 4242"]


@pytest.mark.parametrize(("text", "secret"), MASKED.values(), ids=MASKED.keys())
def test_mask_text_hides_secrets(text: str, secret: str) -> None:
    from probe.safety.mask import mask_text

    assert secret not in mask_text(text, ["acct_4f9a2b"])


@pytest.mark.parametrize("text", KEPT)
def test_mask_text_keeps_plain_words_and_amounts(text: str) -> None:
    from probe.safety.mask import mask_text

    assert mask_text(text) == text


def test_the_empty_account_s_redeem_code_never_leaves_the_store(tmp_path: Path) -> None:
    """Bundled store: an unlabelled radio valued with a fresh redeem code (ACCT-…), refused once Select is pressed."""
    out = tmp_path / "report"
    done = subprocess.run(
        [sys.executable, "-m", "probe", "check", "--scenario", "empty-account-select", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    obs = report["observation"]
    assert (obs["option_label"], obs["option_state"], obs["reason_text"]) == (
        "Account credit",
        "greyed_out",
        "This account is empty",
    )
    assert obs["page_kind"] == "payment" and obs["balance"] == {"amount": 0.0, "currency": "£"}
    assert any(e["signal"] == "apply_press" and "Select account" in e["value"] for e in obs["evidence"])
    assert report["verdict"]["outcome"] == "cannot_use"
    for name, text in (
        ("stdout", done.stdout),
        ("stderr", done.stderr),
        ("report.json", (out / "report.json").read_text(encoding="utf-8")),
        ("report.html", (out / "report.html").read_text(encoding="utf-8")),
    ):
        assert "ACCT-" not in text, f"{name} shows the account's redeem code"
