"""Two-step payment: probe submits the credit (a code, its own Apply / Select, the step's Continue), reads the page the
store answers with, and stops before the order. Each variant of mock_store/twostep.py is a checkout modelled on a
platform's source (fixtures/twostep/variants.yaml); its `expect` is what that checkout does with the credit, and its
own order counter must stay at 0."""

from __future__ import annotations

import base64
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from in_process import Checked, InProcessChecks
from typer.testing import CliRunner

from mock_store.server import serve_app_in_thread
from mock_store.twostep import Variant, create_twostep_app, load_variants
from probe.cli import app as cli_app

pytestmark = pytest.mark.browser

VARIANTS = load_variants()
CODE_ENV = "PROBE_TEST_CREDIT_CODE"
EXIT = {"inconclusive": 3}


@pytest.fixture(scope="module")
def twostep() -> Iterator[str]:
    """The two-step variants' store on a real uvicorn server."""
    with serve_app_in_thread(create_twostep_app(), name="two-step store") as url:
        yield url


def orders(url: str, variant: Variant) -> int:
    """The variant's own order counter, read from the store."""
    return int(httpx.get(f"{url}{variant.base}/orders").json()["orders"])


def given_code(variant: Variant) -> str | None:
    """The code a shopper would type for this variant (None: none given)."""
    code = variant.code if variant.given_code is None else variant.given_code
    return code or None


def run_variant(checks: InProcessChecks, url: str, variant: Variant, folder: Path) -> Checked:
    """`probe check URL --payment-page` on the variant's payment step, with its code in the environment if any."""
    options: dict[str, object] = {"credit_source": variant.credit_source, "option_label": variant.option_label}
    code = given_code(variant) if variant.flow == "code" else None
    if code:
        options["credit_code_env"] = CODE_ENV
    if variant.order_endpoint:
        profile = folder / "profile.yaml"
        profile.write_text(
            "name: guarded\nsteps: [{name: payment, actions: [{action: wait_for, state: load}]}]\n"
            f"guard: {{order_endpoints: ['{variant.order_endpoint}']}}\n"
        )
        options["profile"] = profile
    os.environ.pop(CODE_ENV, None)
    if code:
        os.environ[CODE_ENV] = code
    try:
        return checks.check(
            f"{url}{variant.base}{variant.save_path}", payment_page=True, out=folder / "out", timeout=60, **options
        )
    finally:
        os.environ.pop(CODE_ENV, None)


@pytest.fixture(scope="module")
def checked(
    checks: InProcessChecks, twostep: str, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Checked]:
    """Each variant checked once for the module (the tests below read the same run)."""
    done: dict[str, Checked] = {}

    def one(name: str) -> Checked:
        if name not in done:
            done[name] = run_variant(checks, twostep, VARIANTS[name], tmp_path_factory.mktemp(name))
        return done[name]

    return one


def assert_no_code(variant: Variant, folder: Path, *texts: str) -> None:
    """The code given never appears in report.json, report.html or the terminal."""
    code = given_code(variant)
    if not code:
        return
    for text in (
        (folder / "report.json").read_text(),
        (folder / "report.html").read_text(),
        *texts,
    ):
        assert code not in text
        assert code.replace("-", "") not in text


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_probe_reports_what_the_variants_own_checkout_answers(
    name: str, checked: Callable[[str], Checked], twostep: str
) -> None:
    variant = VARIANTS[name]
    expect = variant.expect
    got = checked(name)
    observation = got.report.observation
    assert observation.option_state.value == expect.state, observation.evidence
    assert observation.reason_text == expect.reason
    assert got.report.verdict.outcome.value == expect.verdict
    assert observation.answer is not None and observation.answer.value == expect.answer, observation.answer_why
    assert observation.answer_why
    assert got.code == EXIT.get(expect.verdict, 0)
    if expect.error:
        assert observation.error is not None and expect.error in observation.error
    assert orders(twostep, variant) == 0, "the variant's own checkout took an order"
    assert got.report.safety.order_placed is False
    assert_no_code(variant, got.out)
    if expect.answer in ("accepted", "refused") and expect.verdict != "inconclusive":
        # The store's answer was read: its page is in the report, beside the payment step as it was before.
        assert observation.answer_picture and (got.out / observation.answer_picture).is_file()


def test_a_review_page_is_where_probe_stops(checked: Callable[[str], Checked], twostep: str) -> None:
    variant = VARIANTS["pretix-code-accepted"]
    got = checked(variant.name)
    assert "will be used to pay for this order" in (got.report.observation.answer_why or "")
    assert orders(twostep, variant) == 0
    # The review page's own order button exists, and a press of it would have counted.
    review = httpx.get(f"{twostep}{variant.base}/checkout/confirm/?payment=giftcard").text
    assert "Place binding order" in review
    assert got.report.steps[-1].url and "/confirm/" not in got.report.steps[-1].url


def test_the_report_shows_the_step_before_and_the_stores_answer_side_by_side(
    checks: InProcessChecks, checked: Callable[[str], Checked]
) -> None:
    got = checked("oscar-accounts-empty")

    async def look() -> dict[str, object]:
        page = await checks.browser.new_page()
        try:
            await page.goto((got.out / "report.html").as_uri())
            answer = await page.locator("#store-answer").inner_text()
            before = await page.locator("#answer-before").bounding_box()
            after = await page.locator("#answer-after").bounding_box()
            loaded = await page.evaluate(
                "() => ['answer-before', 'answer-after'].map((id) => document.getElementById(id).naturalWidth)"
            )
            return {"answer": answer, "before": before, "after": after, "loaded": loaded}
        finally:
            await page.close()

    seen = checks.call(look())
    assert str(seen["answer"]).startswith("Refused") and "This account is empty" in str(seen["answer"])
    before, after = seen["before"], seen["after"]
    assert isinstance(before, dict) and isinstance(after, dict)
    assert abs(before["y"] - after["y"]) < 2 and after["x"] > before["x"] + before["width"] - 1, "side by side"
    assert all(int(w) > 0 for w in seen["loaded"]), "both pictures load"  # type: ignore[attr-defined]


async def report_text(checks: InProcessChecks, out: Path, *css: str) -> list[str | None]:
    """What report.html shows in each element (None: not there), opened in Chromium."""
    page = await checks.browser.new_page()
    try:
        await page.goto((out / "report.html").as_uri())
        return [await page.locator(c).inner_text() if await page.locator(c).count() else None for c in css]
    finally:
        await page.close()


# The outlines reply.py draws on the store's answer: the credit, the store's words (probe.detect.reply._picture).
OUTLINES = {"credit": (0x09, 0x69, 0xDA), "the store's words": (0x82, 0x50, 0xDF)}


def test_the_answer_picture_outlines_the_credit_and_the_stores_words(
    checks: InProcessChecks, checked: Callable[[str], Checked]
) -> None:
    got = checked("oscar-accounts-empty")
    picture = got.out / (got.report.observation.answer_picture or "")
    data = "data:image/png;base64," + base64.b64encode(picture.read_bytes()).decode()

    async def count() -> list[int]:
        page = await checks.browser.new_page()
        try:
            return await page.evaluate(  # type: ignore[no-any-return]
                """async ([src, colours]) => {
                    const img = new Image(); img.src = src; await img.decode();
                    const c = document.createElement("canvas");
                    c.width = img.naturalWidth; c.height = img.naturalHeight;
                    const ctx = c.getContext("2d"); ctx.drawImage(img, 0, 0);
                    const d = ctx.getImageData(0, 0, c.width, c.height).data;
                    return colours.map(([r, g, b]) => {
                        let n = 0;
                        for (let i = 0; i < d.length; i += 4) {
                            const near = Math.abs(d[i] - r) < 12 && Math.abs(d[i + 1] - g) < 12;
                            if (near && Math.abs(d[i + 2] - b) < 12) n++;
                        }
                        return n;
                    });
                }""",
                [data, list(OUTLINES.values())],
            )
        finally:
            await page.close()

    # An outline of 3 px around a box holds hundreds of pixels of its colour; the store's own page holds none.
    for what, pixels in zip(OUTLINES, checks.call(count()), strict=True):
        assert pixels > 300, f"the {what} is not outlined in {picture.name}: {pixels} pixels"


def test_the_code_stays_out_of_the_trace(checks: InProcessChecks, twostep: str, tmp_path: Path) -> None:
    variant = VARIANTS["pretix-code-giftcard-for-giftcard"]
    code = given_code(variant)
    assert code
    os.environ[CODE_ENV] = code
    try:
        got = checks.check(
            f"{twostep}{variant.base}{variant.save_path}",
            payment_page=True,
            out=tmp_path / "out",
            trace=True,
            option_label=variant.option_label,
            credit_code_env=CODE_ENV,
        )
    finally:
        os.environ.pop(CODE_ENV, None)
    assert got.report.observation.answer == "refused" and got.report.trace
    with zipfile.ZipFile(got.out / got.report.trace) as trace:
        for name in trace.namelist():
            assert code.encode() not in trace.read(name), f"the code is in the trace's {name}"
    assert_no_code(variant, got.out)


def test_no_apply_leaves_a_two_step_credit_unanswered(checks: InProcessChecks, twostep: str, tmp_path: Path) -> None:
    variant = VARIANTS["oscar-accounts-open"]
    url = f"{twostep}{variant.base}{variant.save_path}"
    got = checks.check(url, payment_page=True, out=tmp_path / "out", apply=False, credit_source="refund")
    observation = got.report.observation
    assert (observation.option_state.value, observation.answer) == ("unknown", "not_tried")
    assert "--no-apply" in (observation.answer_why or "") and got.code == 3
    assert not [r for r in got.report.safety.requests if r.method == "POST"], "nothing was submitted"
    # The verdict card says in one line why nothing was tried; no answer picture stands beside the payment step.
    said = checks.call(report_text(checks, got.out, "#store-answer", "#answer-pair"))
    assert said[0].startswith("Not tried — ") and "--no-apply" in said[0] and "\n" not in said[0].strip(), said
    assert said[1] is None, "no store's answer to picture"


def test_the_command_line_says_check_the_code_and_never_prints_it(
    twostep: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variant = VARIANTS["pretix-code-unknown"]
    code = given_code(variant)
    assert code
    monkeypatch.setenv(CODE_ENV, code)
    out = tmp_path / "r"
    args = ["check", f"{twostep}{variant.base}{variant.save_path}", "--payment-page", "--out", str(out)]
    args += ["--option-label", str(variant.option_label), "--credit-code-env", CODE_ENV, "--json"]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 3, result.stderr
    assert "This gift card is not known." in result.stderr and "check the code" in result.stderr
    assert json.loads(result.stdout)["observation"]["answer"] == "refused"
    assert_no_code(variant, out, result.stdout, result.stderr)
    assert orders(twostep, variant) == 0


def test_a_code_env_that_is_not_set_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CODE_ENV, raising=False)
    result = CliRunner().invoke(
        cli_app, ["check", "https://shop.example/", "--credit-code-env", CODE_ENV, "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert f"--credit-code-env {CODE_ENV}: that environment variable is not set" in result.stderr
