"""A check without a profile finds its own way: on shops unlike the bundled store it reaches payment selection and
gives the verdict their hand-written profiles give; the way it found replays; each way it can fail is named."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from in_process import Checked, InProcessChecks
from typer.testing import CliRunner

from mock_store.server import serve_app_in_thread
from mock_store.shops.app import create_shops_app
from mock_store.shops.variants import GOOD, VARIANTS
from probe.cli import app
from probe.discover import FAILURES
from probe.models import OptionState, Outcome, Report
from probe.run.matrix import MatrixSpec, run_matrix_sync
from probe.run.profile_check import walk_profile
from probe.safety.mask import mask_text
from probe.walk.profile import load_profile

HAND = Path(__file__).parents[1] / "mock_store" / "shops" / "profiles"
TODAY = "2026-11-25"
runner = CliRunner()


@pytest.fixture(scope="module")
def shops() -> Iterator[str]:
    """Every shop of mock_store/shops on one real uvicorn; no order may reach it."""
    with serve_app_in_thread(create_shops_app(), name="shops") as url:
        yield url
        assert httpx.get(f"{url}/shops/api/orders").json()["orders"] == [], "an order reached the shops"


def check(checks: InProcessChecks, url: str, out: Path, **options: object) -> Checked:
    return checks.check(url, out=out, today=TODAY, **options)


@pytest.mark.parametrize("shop", GOOD)
def test_no_profile_reaches_payment_and_agrees_with_the_hand_written_profile(
    shop: str, shops: str, checks: InProcessChecks, tmp_path: Path
) -> None:
    url = f"{shops}/shops/{shop}/"
    found = check(checks, url, tmp_path / "found")
    hand = check(checks, url, tmp_path / "hand", profile=HAND / f"{shop}.yaml")
    assert found.report.observation.page_kind == "payment", found.report.observation.error
    assert hand.report.verdict.outcome is not Outcome.inconclusive
    seen = lambda c: (c.report.verdict.outcome, c.report.observation.option_state, c.report.observation.option_label)  # noqa: E731
    assert seen(found) == seen(hand)
    assert found.code == hand.code == 0
    # The report carries the way found, and the folder holds it as a profile that replays to the same verdict.
    discovery = found.report.discovery
    assert discovery is not None and discovery.failure is None
    saved = tmp_path / "found" / "discovered-profile.yaml"
    assert mask_text(saved.read_text(encoding="utf-8")) == discovery.profile
    way = saved.read_text(encoding="utf-8")
    assert "probe.shopper@example.com" in way, "the file replays: it types the test identity"
    # What the shop put in the way was answered as a shopper who consents to nothing would.
    shape, words = VARIANTS[shop], VARIANTS[shop].words
    if shape.consent:
        assert f"name: {words['necessary']}" in way and words["accept"] not in way, way
    if shape.newsletter:
        assert "dismiss the pop-up" in way and words["subscribe"] not in way, way
    if shape.recipient:
        assert "recipient@example.com" in way, way
    assert not re.search(r"[\w.+-]+@[\w-]+\.", (tmp_path / "found" / "report.json").read_text(encoding="utf-8"))
    assert found.report.run.profile == "discovered (discovered-profile.yaml)"
    assert 'href="discovered-profile.yaml"' in (tmp_path / "found" / "report.html").read_text(encoding="utf-8")
    # `probe profile check` walks it to the end, and `probe check --profile` replays it to the same verdict.
    walked = checks.call(walk_profile(load_profile(saved), url, out=tmp_path / "walk", browser=checks.browser))
    assert walked.failed is None, walked.failed
    assert [s.name for s in walked.steps][-1] == "payment selection"
    replayed = check(checks, url, tmp_path / "replay", profile=saved)
    assert seen(replayed) == seen(found)
    assert replayed.report.discovery is None
    print(f"{shop}: discovered {found.seconds:.1f} s, hand profile {hand.seconds:.1f} s")


def test_discover_saves_a_profile_that_profile_check_passes(shops: str, tmp_path: Path) -> None:
    url = f"{shops}/shops/atelier/"
    saved = tmp_path / "atelier.yaml"
    result = runner.invoke(app, ["discover", url, "--save", str(saved), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stderr
    assert "verdict: cannot_use" in result.stdout
    assert f"wrote {saved}" in result.stderr
    profile = load_profile(saved)
    assert profile.steps[-1].name == "payment selection"
    assert saved.read_text(encoding="utf-8") == (tmp_path / "r" / "discovered-profile.yaml").read_text(encoding="utf-8")
    # Walked per shop above (in the tests' browser); here the command reads it as a valid profile.
    valid = runner.invoke(app, ["profile", "check", str(saved)])
    assert valid.exit_code == 0, valid.stdout
    assert f"{saved}: valid profile" in valid.stdout


def test_a_matrix_target_without_a_profile_finds_its_way_once_for_all_its_cells(shops: str, tmp_path: Path) -> None:
    url = f"{shops}/shops/harbor/"
    spec = MatrixSpec.model_validate(
        {"targets": [{"url": url}], "credit_sources": ["refund", "promotional"], "today": TODAY}
    )
    said: list[str] = []
    result = run_matrix_sync(spec, tmp_path / "m", workers=2, progress=said.append, no_history=True)
    assert "2 checks, 1 distinct walks" in said
    assert sum(line.endswith(f"opening {url}") for line in said) == 1, "the way is found once for both cells"
    # One walk, decided per cell: the store's selectable credit is usable from a refund, against its terms if
    # promotional.
    assert [r.outcome for r in result.results] == [Outcome.can_use, Outcome.against_terms]
    profiles = set()
    for cell_result in result.results:
        report = cell_result.report
        assert report is not None and report.discovery is not None and report.discovery.failure is None
        assert report.observation.page_kind == "payment"
        folder = tmp_path / "m" / cell_result.cell.name
        profiles.add((folder / "discovered-profile.yaml").read_text(encoding="utf-8"))
        assert mask_text(next(iter(profiles))) == report.discovery.profile
    assert len(profiles) == 1
    assert result.exit_code == 0


# Each failing shop: the failure's name, and what the rest of its one line must tell the user.
FAILING = {
    "no-gift": ("no gift card found", "(searched for 'gift card')"),
    "stuck-cart": ("the cart did not change after add to cart", "the cart shows"),
    "members": ("sign-in required", "give --storage-state FILE"),
    "challenge": ("bot protection", "shows a challenge"),
    "no-guest": ("guest checkout not offered", "give --storage-state FILE"),
    "far-post": ("the address form was refused", "Postcode: We cannot deliver to this postcode."),
    "closed": ("payment selection not reached", "nothing leads on from"),
    "order-first": ("payment selection not reached", "'Place order', which probe never presses"),
    "notes": ("not a shop", "shows nothing to follow or press"),
}


def assert_named_failure(report: Report, out: Path, shop: str) -> None:
    """Inconclusive, unknown, one line that names the failure and says what the user needs, the page it stopped
    on in the report's pictures."""
    name, detail = FAILING[shop]
    observation = report.observation
    assert report.verdict.outcome is Outcome.inconclusive
    assert observation.option_state is OptionState.unknown
    assert observation.error is not None and observation.error.startswith(f"{name}: "), observation.error
    assert detail in observation.error and "\n" not in observation.error, observation.error
    assert report.discovery is not None and report.discovery.failure == name
    written = json.loads((out / "report.json").read_text())
    shots = [s["screenshot"] for s in written["steps"] if s["screenshot"]]
    assert shots and all((out / s).is_file() for s in shots)
    assert written["steps"][-1]["ok"] is False and written["steps"][-1]["screenshot"], "the page it stopped on"


# no-gift is checked on the command line below.
@pytest.mark.parametrize("shop", sorted(set(FAILING) - {"no-gift"}))
def test_each_failure_is_named_inconclusive_and_never_absent(
    shop: str, shops: str, checks: InProcessChecks, tmp_path: Path
) -> None:
    done = check(checks, f"{shops}/shops/{shop}/", tmp_path / "r")
    assert done.code == 3
    assert_named_failure(done.report, tmp_path / "r", shop)


def test_a_failure_is_one_line_on_the_command_line_exit_3(shops: str, tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = runner.invoke(app, ["check", f"{shops}/shops/no-gift/", "--out", str(out), "--today", TODAY])
    assert result.exit_code == 3
    said = [line for line in result.stderr.splitlines() if line.startswith("probe: ")]
    assert said == [said[0]] and said[0].startswith("probe: inconclusive: no gift card found: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "absent" not in result.stdout
    assert_named_failure(Report.model_validate_json((out / "report.json").read_text()), out, "no-gift")


def test_the_failure_names_are_the_spec_s() -> None:
    spec = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    names = {name for name, _ in FAILING.values()}
    assert names <= set(FAILURES)
    for name in names:
        assert f"`{name}`" in spec, name


def test_a_store_that_does_not_answer_is_one_line_exit_3(checks: InProcessChecks, tmp_path: Path) -> None:
    done = checks.check("http://127.0.0.1:9/", out=tmp_path / "r", timeout=15)
    assert done.code == 3
    error = done.report.observation.error or ""
    assert error.startswith("the store did not answer: ") and "\n" not in error, error
    assert (tmp_path / "r" / "report.json").is_file()
    shots = [s.screenshot for s in done.report.steps if s.screenshot]
    assert shots and all((tmp_path / "r" / s).is_file() for s in shots), "the page the browser showed instead"
