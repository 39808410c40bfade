"""report.html and matrix.html opened in a real Chromium: what a reviewer sees, and no page text runs."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright

from probe.models import (
    BlockedRequest,
    CreditContext,
    CreditOption,
    CreditSource,
    Evidence,
    FiredRule,
    GiftCardKind,
    Intent,
    KnownFrom,
    Note,
    Observation,
    OptionState,
    OptionVerdict,
    Outcome,
    Report,
    RunInfo,
    Safety,
    SeenRequest,
    Step,
    Verdict,
)
from probe.report.diff import load_compared
from probe.report.matrix import MatrixFile, matrix_row, write_matrix
from probe.report.render import render_html, write_report
from probe.walk.browser import LAUNCH_ARGS, find_browser

pytestmark = pytest.mark.browser

HOSTILE_LABEL = "Store credit <script>window.__pwned=1</script>"
HOSTILE_REASON = 'Not for gift cards <img src=x onerror="window.__pwned=2">'
PAYMENT_HTML = """<!doctype html><html><body style="font:16px sans-serif;margin:24px">
<h1>Payment</h1><label><input type=radio name=p checked> Credit or debit card</label>
<div id=credit style="margin-top:20px;padding:12px;border:1px solid #999;width:420px;color:#999">
<input type=radio name=p disabled> Store credit ($25.00) — cannot be used for gift cards</div>
<div id=promo style="margin-top:20px;padding:12px;border:1px solid #999;width:420px">
<input type=radio name=p> Promotional balance ($10.00)</div></body></html>"""


@dataclass(frozen=True)
class Shots:
    folder: Path
    credit_box: tuple[float, float, float, float]
    promo_box: tuple[float, float, float, float]


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    """Our own Chromium for this module, launched like probe launches it.

    Only pytest-playwright's driver handle is borrowed: a second sync_playwright() cannot start while its session
    driver runs, so starting our own would fail whenever a browser test ran earlier in the session.
    """
    launched = playwright.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
    yield launched
    launched.close()


@pytest.fixture(scope="module")
def shots(chromium: Browser, tmp_path_factory: pytest.TempPathFactory) -> Shots:
    """Real screenshots of three small pages as a walk leaves them: JPEG steps, a PNG annotated payment page."""
    folder = tmp_path_factory.mktemp("shots")
    report_page = chromium.new_page(viewport={"width": 800, "height": 420})
    pages = {
        "01-gift-cards.jpg": "<h1>Gift cards</h1><button>Add $50 card to cart</button>",
        "02-checkout.jpg": "<h1>Checkout</h1><p>1 × Gift card $50.00</p>",
        "03-payment.jpg": PAYMENT_HTML,
    }
    for name, html in pages.items():
        report_page.set_content(html)
        report_page.screenshot(path=str(folder / name))
    boxes = [report_page.locator(sel).bounding_box() for sel in ("#credit", "#promo")]
    report_page.eval_on_selector("#credit", "e => { e.style.outline = '4px solid orange'; }")
    report_page.screenshot(path=str(folder / "payment-annotated.png"))
    report_page.close()
    assert boxes[0] and boxes[1]
    to_tuple = lambda b: (b["x"], b["y"], b["width"], b["height"])  # noqa: E731
    return Shots(folder, to_tuple(boxes[0]), to_tuple(boxes[1]))


def make_report(shots: Shots, **changes: Any) -> Report:
    """A greyed-out store credit with an expiry warning, a blocked order request and three steps."""
    credit = CreditOption(
        label="Store credit",
        option_state=OptionState.greyed_out,
        reason_text="Store credit cannot be used to buy gift cards",
        balance_text="$25.00",
        source_hint=CreditSource.refund,
        evidence=(
            Evidence(signal="input.disabled", value="true", points_to=OptionState.greyed_out, weight=3),
            Evidence(signal="css.opacity", value="0.4", points_to=OptionState.greyed_out),
            Evidence(signal="aria-disabled", value="false", points_to=OptionState.selectable),
        ),
        notes=(Note(signal="trial_selection", value="not tried: disabled by the page (<input disabled>)"),),
        box=shots.credit_box,
    )
    rules = (
        FiredRule(
            id="R-greyed",
            title="Shown but greyed out",
            why="the option is greyed_out",
            guide="If the option is shown but greyed out, that credit cannot be used for this.",
            outcome=Outcome.cannot_use,
            deciding=True,
        ),
        FiredRule(
            id="R-expiry",
            title="Use it before it expires",
            why="the credit expires on 2026-12-20",
            guide="Credit with an expiry date must be used before it, or it is forfeited.",
        ),
    )
    base: dict[str, Any] = {
        "run": RunInfo(
            target="http://127.0.0.1:8123/",
            scenario="greyed",
            browser="Chromium 131",
            started_at=dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC),
            duration_s=4.25,
            today=dt.date(2026, 11, 25),
            gift_card=GiftCardKind.store_digital,
            intent=Intent.own_use,
            probe_version="0.1.0",
        ),
        "observation": Observation(
            option_state=credit.option_state,
            option_label=credit.label,
            reason_text=credit.reason_text,
            balance_text=credit.balance_text,
            evidence=credit.evidence,
            notes=(Note(signal="settle", value="settled after 0.42 s"), *credit.notes),
            credit_options=(credit,),
            conflicts=("aria-disabled=false disagrees with input.disabled",),
            page_url="http://127.0.0.1:8123/checkout/payment",
        ),
        "credit": CreditContext(
            source=CreditSource.refund,
            source_known_from=KnownFrom.cli,
            expires=dt.date(2026, 12, 20),
            expires_known_from=KnownFrom.account_page,
        ),
        "verdict": Verdict(
            outcome=Outcome.cannot_use,
            deciding_rule="R-greyed",
            rules=rules,
            advice=("Use the credit on items you will need later.",),
            warnings=("use it before 2026-12-20",),
        ),
        "steps": (
            Step(
                name="Open gift cards",
                url="http://127.0.0.1:8123/gift-cards",
                screenshot="01-gift-cards.jpg",
                duration_s=0.42,
            ),
            Step(
                name="Go to checkout",
                url="http://127.0.0.1:8123/checkout",
                screenshot="02-checkout.jpg",
                duration_s=0.31,
            ),
            Step(
                name="Payment selection",
                url="http://127.0.0.1:8123/checkout/payment",
                screenshot="03-payment.jpg",
                duration_s=1.7,
            ),
        ),
        "safety": Safety(
            blocked=(
                BlockedRequest(kind="request", target="http://127.0.0.1:8123/api/order", reason="order endpoint"),
            ),
            order_patterns=("**/api/order*",),
            requests=(
                SeenRequest(
                    method="POST", url="http://127.0.0.1:8123/cart/add", outcome="allowed", rule="no-order-words"
                ),
                SeenRequest(
                    method="POST",
                    url="http://127.0.0.1:8123/api/order?<script>x</script>=***",
                    outcome="blocked",
                    rule="general-url-last-segment",
                    why="a POST request to …/order",
                ),
            ),
        ),
        "annotated_screenshot": "payment-annotated.png",
        "trace": "trace.zip",
    }
    base.update(changes)
    return Report(**base)


def write(report: Report, shots: Shots, tmp_path: Path, name: str = "check") -> Path:
    folder = tmp_path / name
    shutil.copytree(shots.folder, folder)
    (folder / "trace.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    write_report(report, folder)
    return folder


@pytest.fixture
def report_page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context()
    pg = context.new_page()
    pg.requests = []  # type: ignore[attr-defined]
    pg.on("request", lambda req: pg.requests.append(req.url))  # type: ignore[attr-defined]
    yield pg
    context.close()


def open_report(report_page: Page, path: Path) -> None:
    report_page.goto(path.as_uri())
    report_page.wait_for_load_state("load")


def all_images_loaded(report_page: Page) -> list[tuple[str, int]]:
    result: list[tuple[str, int]] = report_page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.getAttribute('src'), i.complete ? i.naturalWidth : 0])"
    )
    return result


def assert_stayed_local(report_page: Page) -> None:
    leaving = [u for u in report_page.requests if not u.startswith(("file://", "data:"))]  # type: ignore[attr-defined]
    assert leaving == []


def test_verdict_card_says_what_was_decided_and_why(shots: Shots, tmp_path: Path, report_page: Page) -> None:
    folder = write(make_report(shots), shots, tmp_path)
    open_report(report_page, folder / "report.html")
    card = report_page.locator("section.verdict")
    assert "outcome-cannot_use" in (card.get_attribute("class") or "")
    assert report_page.locator(".verdict .outcome").inner_text() == "Cannot use"
    # The report_page's own stylesheet applied despite the CSP: the outcome is red.
    assert report_page.eval_on_selector(".verdict .outcome", "e => getComputedStyle(e).color") == "rgb(180, 35, 24)"
    assert "R-greyed" in report_page.locator("#deciding-rule").inner_text()
    assert "Store credit cannot be used to buy gift cards" in report_page.locator("#reason").inner_text()
    assert "use it before 2026-12-20" in report_page.locator("#warnings").inner_text()
    assert report_page.locator(".rule.is-deciding").count() == 1
    assert report_page.locator(".rule.is-deciding code").inner_text() == "R-greyed"
    assert report_page.locator("#rule-R-expiry blockquote").inner_text().startswith("Credit with an expiry date")
    assert report_page.locator("#conflicts").inner_text().count("disagrees") == 1
    assert report_page.locator("#evidence tr.conflict").count() == 1
    # Notes point to no state: apart from the signals, folded away, and there for a reviewer who opens them.
    assert report_page.locator("#evidence table.evidence").inner_text().count("settled after") == 0
    notes = report_page.locator("#evidence details.notes")
    assert not notes.locator("table").is_visible()
    notes.locator("summary").click()
    assert "settled after 0.42 s" in notes.inner_text() and "not tried: disabled by the page" in notes.inner_text()
    assert "read from the account page" in report_page.locator("#credit").inner_text()
    assert report_page.locator("#no-order").inner_text().startswith("No order was placed")
    assert "http://127.0.0.1:8123/api/order" in report_page.locator("#blocked").inner_text()
    requests = report_page.locator("#requests")
    assert requests.is_visible()
    assert requests.locator("tbody tr").count() == 2
    assert "POST http://127.0.0.1:8123/cart/add allowed" in " ".join(requests.locator("tr").nth(1).inner_text().split())
    blocked_row = requests.locator("tr.request-blocked")
    assert "general-url-last-segment" in blocked_row.inner_text() and "<script>x</script>" in blocked_row.inner_text()
    assert "the check went on" in report_page.locator("#order-requests-blocked").inner_text()
    assert report_page.locator("#trace-link").get_attribute("href") == "trace.zip"
    assert "playwright show-trace trace.zip" in report_page.locator("#run").inner_text()
    run_text = report_page.locator("#run").inner_text()
    assert "Chromium 131" in run_text and "2026-11-25" in run_text and "4.2 s" in run_text
    images = all_images_loaded(report_page)
    assert len(images) == 4 and all(width > 0 for _, width in images), images
    assert images[0][0] == "payment-annotated.png"
    assert report_page.locator("#annotated-screenshot").get_attribute("src") == "payment-annotated.png"
    assert "as the probe saw it" in report_page.locator("#annotation-note").inner_text()
    assert report_page.locator("#payment-step svg.overlay").count() == 0
    step_text = report_page.locator("#steps").inner_text()
    assert "3. Payment selection" in step_text and "http://127.0.0.1:8123/checkout/payment" in step_text
    assert "420 ms" in step_text and "1.7 s" in step_text
    assert_stayed_local(report_page)


def test_clicking_a_screenshot_enlarges_it(shots: Shots, tmp_path: Path, report_page: Page) -> None:
    folder = write(make_report(shots), shots, tmp_path)
    open_report(report_page, folder / "report.html")
    viewer = report_page.locator("dialog#viewer")
    assert not viewer.evaluate("d => d.open")
    report_page.locator("#steps a.thumb").nth(1).click()
    assert viewer.evaluate("d => d.open")
    assert report_page.locator("dialog#viewer .viewer-caption").inner_text() == "2. Go to checkout"
    enlarged = report_page.locator("dialog#viewer img")
    enlarged.evaluate("i => i.decode()")
    assert enlarged.evaluate("i => i.naturalWidth") == 800
    assert enlarged.evaluate("i => i.getBoundingClientRect().width") > 300
    report_page.keyboard.press("Escape")
    assert not viewer.evaluate("d => d.open")
    report_page.locator("#payment-step a.frame").click()
    assert viewer.evaluate("d => d.open")
    report_page.locator("dialog#viewer [data-close]").click()
    assert not viewer.evaluate("d => d.open")
    assert report_page.url.endswith("report.html")
    assert_stayed_local(report_page)


def test_a_long_request_list_is_collapsed_until_opened(shots: Shots, tmp_path: Path, report_page: Page) -> None:
    many = tuple(
        SeenRequest(method="POST", url=f"http://127.0.0.1:8123/collect?n={i}", outcome="allowed", rule="no-order-words")
        for i in range(40)
    )
    report = make_report(shots)
    report = report.model_copy(update={"safety": Safety(requests=many, requests_omitted=3)})
    folder = write(report, shots, tmp_path)
    open_report(report_page, folder / "report.html")
    summary = report_page.locator("#requests-details summary")
    assert "40 requests: 0 blocked, 40 allowed; 3 more not listed" in summary.inner_text()
    assert not report_page.locator("#requests").is_visible()
    summary.click()
    assert report_page.locator("#requests").is_visible()
    assert report_page.locator("#requests tbody tr").count() == 40
    assert report_page.locator("#order-requests-blocked").count() == 0


def test_page_text_is_shown_as_text_and_never_runs(shots: Shots, tmp_path: Path, report_page: Page) -> None:
    base = make_report(shots)
    hostile_option = base.observation.credit_options[0].model_copy(
        update={"label": HOSTILE_LABEL, "reason_text": HOSTILE_REASON}
    )
    observation = base.observation.model_copy(
        update={
            "option_label": HOSTILE_LABEL,
            "reason_text": HOSTILE_REASON,
            "credit_options": (hostile_option,),
            "evidence": (Evidence(signal="text", value="<b onmouseover=alert(1)>x</b>"),),
            "notes": (Note(signal="not_credit", value="<script>window.__pwned=6</script>"),),
        }
    )
    steps = (
        Step(
            name='"><script>window.__pwned=3</script>',
            url="javascript:window.__pwned=4",
            screenshot="01-gift-cards.jpg",
        ),
        Step(name="remote shot", url="https://tracker.example/x", screenshot="https://tracker.example/p.png"),
        Step(name="escape the folder", screenshot="../../etc/passwd"),
    )
    report = base.model_copy(
        update={"observation": observation, "steps": steps, "trace": "javascript:window.__pwned=5"}
    )
    html = render_html(report)
    assert "<script>window.__pwned" not in html and "onerror=" not in html.replace("onerror=&#34;", "")
    folder = write(report, shots, tmp_path)
    open_report(report_page, folder / "report.html")
    assert HOSTILE_LABEL in report_page.locator(".verdict").inner_text()
    assert HOSTILE_REASON in report_page.locator("#reason").inner_text()
    assert '"><script>window.__pwned=3</script>' in report_page.locator("#steps").inner_text()
    report_page.locator("#steps a.thumb").first.click()
    report_page.keyboard.press("Escape")
    report_page.locator("#evidence td").filter(has_text="onmouseover").hover()
    report_page.locator("#evidence details.notes summary").click()
    assert "<script>window.__pwned=6</script>" in report_page.locator("#evidence details.notes").inner_text()
    assert report_page.evaluate("() => window.__pwned") is None
    assert report_page.locator("img[src='x'], b[onmouseover]").count() == 0
    hrefs = report_page.eval_on_selector_all("[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "/", ".."))]
    # The only outside link is the step's own web address, as text a reviewer may follow.
    assert [h for h in hrefs if h.startswith("http")] == ["https://tracker.example/x"]
    assert report_page.locator("#trace-link").count() == 0
    assert report_page.locator("#steps .noshot").count() == 2
    assert_stayed_local(report_page)


def test_inconclusive_report_shows_its_error_and_the_screenshots_it_got(
    shots: Shots, tmp_path: Path, report_page: Page
) -> None:
    error = "Timeout 30000ms exceeded while waiting for the payment step"
    report = make_report(
        shots,
        observation=Observation(option_state=OptionState.unknown, error=error),
        verdict=Verdict(
            outcome=Outcome.inconclusive,
            deciding_rule="precedence-1",
            rules=(
                FiredRule(
                    id="precedence-1",
                    title="Could not observe",
                    why=error,
                    guide="When the option could not be observed there is no verdict.",
                    outcome=Outcome.inconclusive,
                    deciding=True,
                ),
            ),
        ),
        steps=(
            Step(name="Open gift cards", url="http://127.0.0.1:8123/gift-cards", screenshot="01-gift-cards.jpg"),
            Step(name="Go to checkout", url="http://127.0.0.1:8123/checkout", screenshot="02-checkout.jpg"),
            Step(name="Payment selection", ok=False, error=error, duration_s=30.0),
        ),
        annotated_screenshot=None,
        trace=None,
    )
    folder = write(report, shots, tmp_path)
    open_report(report_page, folder / "report.html")
    assert report_page.locator(".verdict .outcome").inner_text() == "Inconclusive"
    assert "outcome-inconclusive" in (report_page.locator("section.verdict").get_attribute("class") or "")
    assert error in report_page.locator("#error").inner_text()
    assert report_page.locator("#no-annotated").is_visible()
    images = all_images_loaded(report_page)
    assert [src for src, _ in images] == ["01-gift-cards.jpg", "02-checkout.jpg"]
    assert all(width > 0 for _, width in images)
    assert report_page.locator("figure.step.failed").inner_text().count(error) == 1
    assert report_page.locator("#no-order").is_visible()
    assert report_page.locator("#trace-link").count() == 0
    assert_stayed_local(report_page)


def test_several_credit_options_each_get_a_verdict_and_an_outline(
    shots: Shots, tmp_path: Path, report_page: Page
) -> None:
    base = make_report(shots)
    promo = CreditOption(
        label="Promotional balance",
        option_state=OptionState.selectable,
        balance_text="$10.00",
        source_hint=CreditSource.promotional,
        box=shots.promo_box,
        evidence=(Evidence(signal="input.enabled", value="true", points_to=OptionState.selectable),),
    )
    observation = base.observation.model_copy(update={"credit_options": (*base.observation.credit_options, promo)})
    verdicts = (
        OptionVerdict(option_label="Store credit", credit_source=CreditSource.refund, verdict=base.verdict),
        OptionVerdict(
            option_label="Promotional balance",
            credit_source=CreditSource.promotional,
            verdict=Verdict(outcome=Outcome.against_terms, deciding_rule="R-promo"),
        ),
    )
    report = base.model_copy(update={"observation": observation, "verdicts": verdicts, "annotated_screenshot": None})
    folder = write(report, shots, tmp_path)
    open_report(report_page, folder / "report.html")
    rows = report_page.locator("#options tbody tr")
    assert rows.count() == 2
    assert "Against the terms" in rows.nth(1).inner_text() and "R-promo" in rows.nth(1).inner_text()
    assert "the one judged above" in rows.nth(0).inner_text()
    assert report_page.locator("#option-verdicts tbody tr").count() == 2
    # Without the probe's annotated picture, the last step's screenshot gets outlines from the detector's boxes.
    assert report_page.locator("#annotated-screenshot").get_attribute("src") == "03-payment.jpg"
    assert "outlined where the probe found it" in report_page.locator("#annotation-note").inner_text()
    selectable = report_page.locator("svg.overlay rect.box-selectable:not(.tag-bg)")
    greyed = report_page.locator("svg.overlay rect.box-greyed_out:not(.tag-bg)")
    assert selectable.count() == 1 and greyed.count() == 1
    assert float(greyed.get_attribute("x") or 0) == shots.credit_box[0]
    assert float(selectable.get_attribute("y") or 0) == shots.promo_box[1]
    labels = report_page.locator("svg.overlay text").all_text_contents()
    assert sorted(labels) == ["Greyed out", "Selectable"]
    # The outline sits over the option on screen, not somewhere else on the picture.
    outline_box = greyed.bounding_box()
    image_box = report_page.locator("#annotated-screenshot").bounding_box()
    assert outline_box and image_box
    scale = image_box["width"] / 800
    assert abs(outline_box["x"] - (image_box["x"] + shots.credit_box[0] * scale)) < 4
    assert "Evidence for “Promotional balance”" in report_page.locator("#evidence").inner_text()


def test_report_json_round_trips(shots: Shots, tmp_path: Path) -> None:
    report = make_report(shots)
    folder = write(report, shots, tmp_path)
    assert Report.model_validate_json((folder / "report.json").read_text()) == report
    assert load_compared(folder, "report") == (report, folder)
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_matrix_page_shows_every_check_and_links_resolve(shots: Shots, tmp_path: Path, report_page: Page) -> None:
    matrix = tmp_path / "matrix"
    rows = []
    cases = [
        ("greyed", CreditSource.refund, Outcome.cannot_use, Outcome.cannot_use),
        ("greyed", CreditSource.promotional, Outcome.cannot_use, Outcome.against_terms),
        ("<b>evil</b>", CreditSource.refund, Outcome.inconclusive, None),
    ]
    for index, (scenario, source, outcome, expected) in enumerate(cases):
        name = f"{index:02d}-{source.value}"
        credit = CreditContext(source=source, source_known_from=KnownFrom.cli)
        report = make_report(shots, verdict=Verdict(outcome=outcome), credit=credit)
        write(report, shots, matrix / "checks", name)
        rows.append(
            matrix_row(
                report,
                name=name,
                report_dir=f"checks/{name}",
                target="http://127.0.0.1:8123/",
                scenario=scenario,
                credit_source=source,
                expected=expected,
                error="timed out" if outcome is Outcome.inconclusive else None,
            )
        )
    write_matrix(rows, matrix)
    assert load_compared(matrix, "matrix") == (MatrixFile(rows=tuple(rows)), matrix)
    assert rows[0].thumbnail == "checks/00-refund/payment-annotated.png" and rows[0].matched
    # An inconclusive check with no expectation reached no verdict: it does not count as matching.
    assert [r.matched for r in rows] == [True, False, False]
    assert [r.credit_source for r in rows] == [CreditSource.refund, CreditSource.promotional, CreditSource.refund]
    open_report(report_page, matrix / "matrix.html")
    assert report_page.locator("tr.matrix-row").count() == 3
    assert report_page.locator("tr.matrix-row.conflict").count() == 2
    assert report_page.locator("#grid a.check").count() == 3
    assert report_page.locator("#grid .check.mismatch").count() == 2
    assert "<b>evil</b>" in report_page.locator("#grid").inner_text()
    hrefs = report_page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert len([h for h in hrefs if h.endswith("report.html")]) == 6
    for href in hrefs:
        assert href.startswith("file://")
        assert Path(unquote(urlsplit(href).path)).is_file(), href
    images = all_images_loaded(report_page)
    assert len(images) == 3 and all(width > 0 for _, width in images)
    report_page.locator("#grid a.check").first.click()
    report_page.wait_for_load_state("load")
    assert report_page.locator(".verdict .outcome").inner_text() == "Cannot use"
    assert_stayed_local(report_page)
