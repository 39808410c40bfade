"""observe() on every labelled fixture page, in a real Chromium, served by a real uvicorn."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from playwright.async_api import Error as PlaywrightError
from recording import Write

from probe.detect import observe
from probe.detect.settle import settle
from probe.detect.signals import classify
from probe.detect.track import install_tracking
from probe.detect.vocabulary import credit_patterns, source_hint, strip_balance
from probe.models import Evidence, Observation, OptionState
from probe.money import parse_balance
from probe.report.annotate import OVERLAY_ID, annotated_screenshot, picture_region
from probe.run.sync import run_sync
from probe.walk.browser import LAUNCH_ARGS, find_browser
from probe.walk.guard import OrderGuard

pytestmark = pytest.mark.browser

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
POOL = 8
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((PAGES / "expected.yaml").read_text(encoding="utf-8"))


CHOICES_JS = """() => [
  ...[...document.querySelectorAll("input[type=radio], input[type=checkbox]")].map((e) => e.checked),
  ...[...document.querySelectorAll("[aria-checked], [aria-pressed]")].map(
    (e) => (e.getAttribute("aria-checked") || "") + (e.getAttribute("aria-pressed") || "")),
  ...[...document.querySelectorAll("select")].map((e) => e.selectedIndex),
]"""
CHOICES: dict[str, tuple[list[Any], list[Any]]] = {}


class Tab:
    """A context with the tracker and the guard a real check installs, and its one page, reused from fixture page
    to fixture page (they keep no cookies or storage): a fresh context per page costs Chromium several times the
    observing itself. The guard closes any other page, so a tab is only ever navigated."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.context: BrowserContext | None = None
        self.page: Page | None = None

    async def open(self, url: str) -> Page:
        """The tab's page at `url`; a fresh context when there is none yet or the old page will not navigate."""
        if self.page is not None:
            try:
                await self.page.goto(url, wait_until="load")
                return self.page
            except PlaywrightError:
                await self.close()
        self.context = await self.browser.new_context(viewport={"width": 1100, "height": 800}, service_workers="block")
        await install_tracking(self.context)
        self.page = await self.context.new_page()
        # The guard a real check installs: trials must not need it, but nothing may get past it either.
        await OrderGuard().install(self.context, self.page)
        await self.page.goto(url, wait_until="load")
        return self.page

    async def close(self) -> None:
        if self.context is not None:
            await self.context.close()
        self.context, self.page = None, None


async def _observe_one(tab: Tab, url: str, spec: dict[str, Any]) -> tuple[Observation, str]:
    page = await tab.open(url)
    timeout_s = float(spec.get("timeout_s", 10))
    before: list[Any] = []
    if spec["state"] != "unknown":
        await settle(page, timeout_s=timeout_s, credit=credit_patterns(spec.get("option_label")))
        before = await page.evaluate(CHOICES_JS)
    obs = await observe(page, option_label=spec.get("option_label"), timeout_s=timeout_s)
    CHOICES[url.rsplit("/", 1)[-1]] = (before, await page.evaluate(CHOICES_JS))
    return obs, page.url


async def _observe_all(base: str, names: list[str]) -> dict[str, tuple[Observation, str]]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
        try:
            # A pool of tabs, each taking the next page when done: pages that wait for late options overlap with
            # quick ones.
            todo = list(names)
            found: dict[str, tuple[Observation, str]] = {}

            async def tab_works() -> None:
                tab = Tab(browser)
                try:
                    while todo:
                        name = todo.pop(0)
                        found[name] = await _observe_one(tab, f"{base}/{name}", EXPECTED[name])
                finally:
                    await tab.close()

            await asyncio.gather(*(tab_works() for _ in range(POOL)))
            return found
        finally:
            await browser.close()


@pytest.fixture(scope="module")
def observed(pages_url: str) -> dict[str, tuple[Observation, str]]:
    """Every fixture page observed once, in one browser, pages in parallel batches."""
    return run_sync(lambda: _observe_all(pages_url, sorted(EXPECTED)))


def test_enough_fixture_pages() -> None:
    assert len(EXPECTED) >= 45
    assert {spec["state"] for spec in EXPECTED.values()} == {s.value for s in OptionState}
    for name in EXPECTED:
        assert (PAGES / name).is_file(), name


def _check(obs: Any, spec: dict[str, Any], where: str) -> None:
    assert obs.option_state == spec["state"], f"{where}: {obs.option_state} != {spec['state']}"
    label = obs.option_label if hasattr(obs, "option_label") else obs.label
    if spec.get("label"):
        assert label and spec["label"].lower() in label.lower(), f"{where}: label {label!r}"
    if spec.get("reason") is None:
        assert obs.reason_text is None, f"{where}: unexpected reason {obs.reason_text!r}"
    else:
        assert obs.reason_text and spec["reason"].lower() in obs.reason_text.lower(), f"{where}: {obs.reason_text!r}"
        if spec.get("reason_exact"):
            assert obs.reason_text == spec["reason"], f"{where}: reason {obs.reason_text!r} is not only the reason"
    assert obs.balance_text == spec.get("balance"), f"{where}: balance {obs.balance_text!r}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_observe_fixture(name: str, observed: dict[str, tuple[Observation, str]], pages_url: str) -> None:
    spec = EXPECTED[name]
    obs, final_url = observed[name]
    detail = f"{name}\nevidence: {[(e.signal, e.value) for e in obs.evidence]}\nnotes: {obs.notes}\nerror: {obs.error}"
    _check(obs, spec, detail)
    assert final_url == f"{pages_url}/{name}", "observing must not navigate or submit anything"
    if spec.get("page_kind"):
        assert obs.page_kind == spec["page_kind"], f"{detail}\npage_kind {obs.page_kind}"
    if obs.option_state is OptionState.unknown:
        assert obs.error
        if spec.get("error"):
            assert spec["error"] in obs.error, detail
        return
    assert obs.page_kind == "payment", "an observed option state is on a payment page"
    assert obs.evidence, "every observation says what it saw"
    if spec.get("source"):
        assert obs.credit_options[0].source_hint == spec["source"]
    if obs.option_state is OptionState.absent:
        assert any(e.points_to is OptionState.absent for e in obs.evidence)
    else:
        box = obs.credit_options[0].box
        assert box is not None and box[2] > 0 and box[3] > 0
    if "options" in spec:
        assert len(obs.credit_options) == len(spec["options"])
        for option, want in zip(obs.credit_options, spec["options"], strict=True):
            _check(option, {"reason": None, "balance": None, **want}, f"{name}: {option.label}")
    if spec.get("label"):
        assert obs.option_label is not None
        assert obs.option_label.strip().lower() == obs.option_label.strip().lower().rstrip(" ·:-"), "no dangling marks"
    if "balance" in spec:
        assert obs.balance == parse_balance(spec["balance"]), f"{name}: balance {obs.balance}"


def test_apply_press_is_recorded_and_undone(observed: dict[str, tuple[Observation, str]]) -> None:
    refused, _ = observed["apply-delayed-refusal.html"]
    press = [e for e in refused.evidence if e.signal == "apply_press"]
    assert press and "'Select'" in press[0].value and press[0].points_to is OptionState.greyed_out
    took, _ = observed["apply-deduction.html"]
    assert any(n.signal == "trial_restored" and "undone: pressed 'Remove'" in n.value for n in took.notes)


def test_no_apply_presses_nothing(pages_url: str) -> None:
    async def run() -> list[Observation]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
            try:
                out = []
                for name in ("apply-delayed-refusal.html", "apply-deduction.html"):
                    page = await (await browser.new_context()).new_page()
                    await page.goto(f"{pages_url}/{name}")
                    out.append(await observe(page, timeout_s=10, apply=False))
                    # Nothing was pressed: no refusal shown, no credit deducted.
                    assert "This account is empty" not in await page.inner_text("body")
                    assert "−£30.00" not in await page.inner_text("body")
                return out
            finally:
                await browser.close()

    refused, took = run_sync(lambda: run())
    assert refused.option_state is OptionState.selectable and refused.reason_text is None
    assert not any(e.signal == "apply_press" for e in refused.evidence)
    assert [n.value for n in refused.notes if n.signal == "apply_press"] == [
        "not pressed 'Select': apply presses are off (--no-apply)"
    ]
    assert any("--no-apply" in n.value for n in took.notes)


async def _annotate(base: str, out: Path) -> tuple[Observation, bytes, bool]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(find_browser().path), args=list(LAUNCH_ARGS))
        try:
            page = await browser.new_page()
            await page.goto(f"{base}/multi-refund-and-promo.html")
            obs = await observe(page)
            plain = await page.screenshot(full_page=True)
            await annotated_screenshot(page, obs, out)
            left = await page.evaluate(f"() => !!document.getElementById({OVERLAY_ID!r})")
            return obs, plain, left
        finally:
            await browser.close()


def test_trials_leave_the_shopper_choices_as_they_were(observed: dict[str, tuple[Observation, str]]) -> None:
    restored = []
    for name, (obs, _) in observed.items():
        said = [n.value for o in obs.credit_options for n in o.notes if n.signal == "trial_restored"]
        if said and all(not v.startswith("tried") for v in said):
            before, after = CHOICES[name]
            assert after == before, f"{name}: choices {before} became {after} after the trial"
            restored.append(name)
    assert len(restored) >= 15, restored


def test_observing_every_fixture_page_sent_nothing_to_the_server(
    observed: dict[str, tuple[Observation, str]], pages_writes: list[Write]
) -> None:
    assert len(observed) == len(EXPECTED)
    assert pages_writes == [], "a trial or page script sent a request that could change something"


def test_every_fixture_page_s_credit_options_fit_in_the_annotated_picture(
    observed: dict[str, tuple[Observation, str]],
) -> None:
    """The annotated picture is the region around the options, at most a few screens tall: on every labelled page,
    all of them lie within it (the page taken as long as can be, so only the options' spread decides)."""
    for name, (obs, _) in observed.items():
        boxes = [o.box for o in obs.credit_options if o.box is not None]
        if not boxes:
            continue
        picture = picture_region(boxes, None, (1100, 10**6), (1100, 800))
        assert picture.note is None and picture.region is not None, f"{name}: {picture.note}"
        rx, ry, rw, rh = picture.region
        for x, y, w, h in boxes:
            assert rx <= x and ry <= y and x + w <= rx + rw and y + h <= ry + rh, f"{name}: {(x, y, w, h)} outside"


def test_annotated_screenshot_outlines_options_and_cleans_up(pages_url: str, tmp_path: Path) -> None:
    out = tmp_path / "shots" / "payment-annotated.png"
    obs, plain, overlay_left = run_sync(lambda: _annotate(pages_url, out))
    assert [o.option_state for o in obs.credit_options] == [OptionState.selectable, OptionState.greyed_out]
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data != plain, "the annotated screenshot must differ from a plain one"
    assert not overlay_left, "the annotation overlay must be removed from the page"


def test_trial_beats_styling_and_says_so() -> None:
    styled = Evidence(signal="css_opacity", value="effective opacity 0.4", points_to=OptionState.greyed_out)
    trial = Evidence(signal="trial_selection", value="clicked", points_to=OptionState.selectable, weight=8)
    state, conflicts = classify([styled, trial])
    assert state is OptionState.selectable
    assert conflicts and "css_opacity" in conflicts[0] and "trial_selection" in conflicts[0]
    assert classify([styled])[0] is OptionState.greyed_out
    hidden = Evidence(signal="visibility", value="display:none", points_to=OptionState.absent, weight=1)
    assert classify([trial, hidden])[0] is OptionState.absent, "evidence of absence is a veto, whatever its weight"


@pytest.mark.parametrize(
    ("words", "source"),
    [
        ("Promotional credit $10.00", "promotional"),
        ("Promo balance", "promotional"),
        ("Refund credit", "refund"),
        ("Rewards points (2,500)", "rewards"),
        ("Gift card balance ($18.75)", "gift_card"),
        ("Credit from returns", "return"),
        ("Store credit", "unknown"),
    ],
)
def test_source_hint_from_option_words(words: str, source: str) -> None:
    assert source_hint(words) == source


@pytest.mark.parametrize(
    ("helper", "reason"),
    [
        (
            "$10.00 available Promotional credit can't be used to buy gift cards.",
            "Promotional credit can't be used to buy gift cards.",
        ),
        ("Store Cash can't be spent on gift cards. Balance: $7.50", "Store Cash can't be spent on gift cards."),
        ("Wallet balance: 12,40 € — not available for gift cards", "not available for gift cards"),
        ("Not eligible ($11.00 available)", "Not eligible"),
        (
            "Your available credit (€ 9,90) cannot be used for gift card products.",
            "Your available credit (€ 9,90) cannot be used for gift card products.",
        ),
        ("Available: $20.00", ""),
        ("£8.20", ""),
    ],
)
def test_reason_keeps_only_the_stated_reason(helper: str, reason: str) -> None:
    assert strip_balance(helper) == reason


LABEL_SPLITS = {
    "reason after the amount": ("Store credit · $22.00 Not available for this order", "Store credit",
                                "Not available for this order"),
    "branded name, reason after a dot": ("Looply Cash $12.00 · not valid on gift cards", "Looply Cash",
                                         "not valid on gift cards"),
    "amount only": ("Account credit · £25.00 available", "Account credit", None),
    "the amount is part of the name": ("Use my $12.40 credit", "Use my $12.40 credit", None),
}  # fmt: skip


@pytest.mark.parametrize(("name", "label", "reason"), LABEL_SPLITS.values(), ids=LABEL_SPLITS.keys())
def test_split_label(name: str, label: str, reason: str | None) -> None:
    import re

    from probe.detect.label_split import split_label

    credit = [re.compile(p, re.IGNORECASE) for p in credit_patterns("Looply Cash")]
    assert split_label(name, credit) == (label, reason)
