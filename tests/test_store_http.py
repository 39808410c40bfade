"""The mock store over HTTP (TestClient): routes, scenario choice, the order log, every scenario file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_store.catalogue import PRODUCTS
from mock_store.payment import credit_offers
from mock_store.scenarios import (
    Scenario,
    ScenarioError,
    UnknownScenario,
    list_scenarios,
    load_scenario,
    load_scenario_file,
    scenarios_dir,
)
from mock_store.server import create_app, serve_in_thread

SCENARIOS = list_scenarios()
KIND_SLUGS = {
    kind: next(p.slug for p in PRODUCTS if p.kind == kind)
    for kind in ("store-digital", "store-physical", "third-party")
}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


def add_to_cart(client: TestClient, kind: str = "store-digital") -> None:
    response = client.post("/cart/add", data={"slug": KIND_SLUGS[kind], "amount": "50", "quantity": "1"})
    assert response.status_code == 200 and response.url.path == "/cart"


def test_at_least_thirteen_scenarios_and_a_default() -> None:
    assert len(SCENARIOS) >= 13
    assert "default" in SCENARIOS
    assert scenarios_dir().is_dir()


def test_home_links_to_gift_cards(client: TestClient) -> None:
    html = client.get("/").text
    assert re.search(r'<a href="/gift-cards">Gift Cards</a>', html)
    assert 'href="/account/credit"' in html and "Your Account" in html


def test_catalogue_marks_first_product_of_each_kind(client: TestClient) -> None:
    html = client.get("/gift-cards").text
    for kind, slug in KIND_SLUGS.items():
        assert html.count(f'data-testid="gift-card-{kind}"') == 1
        assert re.search(rf'href="/gift-cards/{slug}" data-testid="gift-card-{kind}"', html)
    assert html.count('class="product-card"') == len(PRODUCTS)


def test_product_page_controls(client: TestClient) -> None:
    digital = client.get(f"/gift-cards/{KIND_SLUGS['store-digital']}").text
    assert '<label for="amount">Amount</label>' in digital
    assert re.search(r'<option value="50" selected>\$50</option>', digital)
    assert re.findall(r"<option[^>]*>(\$\d+)</option>", digital) == ["$25", "$50", "$100"]
    assert '<label for="quantity">Quantity</label>' in digital and 'value="1"' in digital
    assert "Recipient email" in digital and "Add to Cart" in digital
    physical = client.get(f"/gift-cards/{KIND_SLUGS['store-physical']}").text
    assert "Recipient email" not in physical and 'name="delivery"' in physical
    assert client.get("/gift-cards/no-such-card").status_code == 404


def test_cart_to_payment(client: TestClient) -> None:
    assert client.get("/checkout/payment").url.path == "/cart"  # empty cart: back to the cart
    add_to_cart(client)
    cart = client.get("/cart").text
    assert "Everymart eGift Card" in cart and "Proceed to checkout" in cart and 'href="/checkout/address"' in cart
    address = client.get("/checkout/address").text
    assert "Use this address" in address and 'action="/checkout/payment"' in address
    payment = client.get("/checkout/payment").text
    assert "Select a payment method" in payment
    assert "Credit or debit card ending in 4242" in payment
    assert "Add a gift card or promotion code" in payment and ">Apply<" in payment
    assert "Everymart eGift Card" in payment  # the order summary names the card
    assert "Use this payment method" in payment and 'action="/checkout/review"' in payment


def test_scenario_cookie_and_query(client: TestClient) -> None:
    response = client.get("/scenario/no-credit", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert client.cookies.get("scenario") == "no-credit"
    assert "You have no gift card or credit balance" in client.get("/account/credit").text
    client.get("/gift-cards?scenario=default")
    assert client.cookies.get("scenario") == "default"
    assert "Refund credit" in client.get("/account/credit").text


def test_unknown_scenario_is_a_clear_404(client: TestClient) -> None:
    for url in ("/scenario/nope", "/?scenario=defualt", "/api/scenarios/nope"):
        response = client.get(url)
        assert response.status_code == 404
        assert "unknown scenario" in response.text
    assert "did you mean &#39;default&#39;" in client.get("/?scenario=defualt").text


def test_api_scenarios(client: TestClient) -> None:
    listing = client.get("/api/scenarios").json()
    assert listing == {"default": "default", "scenarios": SCENARIOS}
    default = client.get("/api/scenarios/default").json()
    assert default["name"] == "default"
    assert [line["label"] for line in default["credit_lines"]] == ["Refund credit", "Promotional credit"]
    assert default["credit_lines"][0]["amount"] == "25.00"


def test_order_log_records_an_order_and_resets(client: TestClient) -> None:
    """The log a safety test reads must really record orders (placed here on the in-process mock only)."""
    assert client.get("/api/orders").json() == {"orders": []}
    add_to_cart(client)
    review = client.get("/checkout/review?payment=card-4242").text
    assert "Place your order" in review and 'action="/checkout/place-order"' in review
    client.post("/checkout/place-order", data={"payment": "card-4242"})
    orders = client.get("/api/orders").json()["orders"]
    assert len(orders) == 1 and orders[0]["payment"] == "card-4242" and orders[0]["scenario"] == "default"
    assert client.post("/api/orders/reset").json() == {"orders": []}
    assert client.get("/api/orders").json() == {"orders": []}


def test_review_refuses_a_credit_that_is_not_selectable(client: TestClient) -> None:
    add_to_cart(client)
    response = client.get("/checkout/review?payment=credit-1")  # the greyed-out promotional credit
    assert response.url.path == "/checkout/payment"


def test_account_credit_table() -> None:
    with TestClient(create_app("several-credit-lines")) as client:
        html = client.get("/account/credit").text
    headers = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert headers == ["Credit", "Source", "Balance", "Expires", "Terms"]
    rows = re.findall(r"<tr>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", html)
    assert rows == [
        ("Refund credit", "refund", "$25.00", "2027-03-01"),
        ("Gift card balance", "gift_card", "$60.00", "Never"),
        ("Rewards points", "rewards", "$5.00", "2027-02-01"),
        ("Return credit", "return", "$12.00", "2026-09-30"),
    ]
    assert 'id="credit-balance">$90.00<' in html  # the expired return credit is not counted


def spec_outcome(scenario: Scenario, label: str, state: str) -> str:
    """SPEC.md's precedence, with the source and expiry as the account page shows them."""
    line = scenario.line(label)
    hints = scenario.probe
    expires = hints.credit_expires or line.expires
    if expires is not None and expires < hints.today:
        return "cannot_use"
    if state in ("absent", "greyed_out"):
        return "cannot_use"
    if (
        hints.intent in ("resale", "gift")
        or line.source in ("promotional", "rewards")
        or hints.gift_card == "third-party"
    ):
        return "against_terms"
    if line.source == "unknown":
        return "assume_cannot_use"
    return "can_use"


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_expectations_are_consistent(name: str) -> None:
    """Each declared state is what the store renders, and each declared outcome follows the SPEC precedence."""
    scenario = load_scenario(name)
    offers = credit_offers(scenario, {scenario.probe.gift_card})
    expected = scenario.expected_options()
    assert [o.line.label for o in offers] == [e.label for e in expected]
    for offer, want in zip(offers, expected, strict=True):
        assert offer.state == want.option_state, want.label
        assert want.outcome == spec_outcome(scenario, want.label, want.option_state), want.label
        if want.reason is not None:
            assert offer.reason is not None and want.reason in offer.reason
        assert want.balance == (
            offer.balance_text if offer.render not in ("none", "message", "removed_by_script") else None
        )
    shown = [e for e in expected if e.option_state != "absent"]
    top = (shown or expected)[0] if expected else None
    if top is None:
        assert scenario.expect.option_state == "absent" and scenario.expect.outcome == "cannot_use"
    else:
        assert (scenario.expect.option_state, scenario.expect.outcome) == (top.option_state, top.outcome)
        assert (scenario.expect.reason, scenario.expect.balance) == (top.reason, top.balance)
    if scenario.expect.warning:
        soon = [
            ln for ln in scenario.credit_lines if ln.expires and 0 <= (ln.expires - scenario.probe.today).days <= 30
        ]
        assert any(scenario.expect.warning in ln.expires.isoformat() for ln in soon if ln.expires)


def test_scenarios_cover_the_vocabulary() -> None:
    scenarios = [load_scenario(n) for n in SCENARIOS]
    sources = {line.source for s in scenarios for line in s.credit_lines}
    assert {"refund", "gift_card", "return", "promotional", "rewards"} <= sources
    assert {s.probe.gift_card for s in scenarios} == {"store-digital", "store-physical", "third-party"}
    assert {s.probe.intent for s in scenarios} == {"own-use", "gift", "resale"}
    variants = {
        s.ui.ineligible
        for s in scenarios
        if any(o.state != "selectable" for o in credit_offers(s, {s.probe.gift_card}))
    }
    assert variants >= {
        "disabled_with_reason",
        "aria_disabled",
        "css_only",
        "not_rendered",
        "removed_by_script",
        "message_only",
    }
    assert {s.expect.outcome for s in scenarios} == {"can_use", "cannot_use", "against_terms", "assume_cannot_use"}
    today = dt.date(2026, 11, 25)
    lines = [line for s in scenarios for line in s.credit_lines]
    assert any(ln.expires and ln.expires < today for ln in lines)
    assert any(ln.expires and 0 <= (ln.expires - today).days <= 30 for ln in lines)
    assert any(ln.amount == 0 for ln in lines)
    assert any(s.ui.late_ms for s in scenarios) and any(s.ui.disable_after_ms is not None for s in scenarios)
    assert any(len(s.credit_lines) > 1 for s in scenarios) and any(not s.credit_lines for s in scenarios)


def test_broken_scenario_names_file_and_fields(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "description: broken\n"
        "credit_lines:\n  - {label: X, source: coupon, amount: -1}\n"
        "ui: {ineligible: hidden, colour: red}\n"
        "probe: {today: 2026-11-25}\n"
        "expect: {option_state: absent, outcome: cannot_use}\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario("broken", tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{broken}: invalid scenario")
    for field in ("credit_lines.0.source:", "credit_lines.0.amount:", "ui.ineligible:", "ui.colour: unknown key"):
        assert field in message
    assert "Traceback" not in message


def test_broken_yaml_and_unknown_name(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("description: [unclosed\n")
    with pytest.raises(ScenarioError, match=r"bad\.yaml: not valid YAML at line"):
        load_scenario_file(tmp_path / "bad.yaml")
    with pytest.raises(UnknownScenario, match="unknown scenario 'defualt' \\(did you mean 'default'\\?\\)"):
        load_scenario("defualt")


def test_an_edited_scenario_file_is_read_again_and_an_unchanged_one_is_not_parsed_again(tmp_path: Path) -> None:
    default = (scenarios_dir() / "default.yaml").read_text(encoding="utf-8")
    path = tmp_path / "live.yaml"
    path.write_text(default, encoding="utf-8")
    first = load_scenario_file(path)
    assert load_scenario_file(path) is first
    path.write_text(default.replace(first.description, "Edited while the store runs"), encoding="utf-8")
    assert load_scenario_file(path).description == "Edited while the store runs"
    path.write_text("description: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario_file(path)


def test_app_rejects_a_broken_default_scenario(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("description: x\nprobe: {today: not-a-date}\nexpect: {}\n")
    with pytest.raises(ScenarioError) as caught:
        create_app(scenarios_dir=tmp_path)
    assert "probe.today:" in str(caught.value) and "expect.option_state:" in str(caught.value)


def test_serve_in_thread_runs_a_real_server_and_stops_it() -> None:
    with serve_in_thread(scenario="no-credit") as url:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url) and not url.endswith(":0")
        response = httpx.get(f"{url}/account/credit")
        assert response.status_code == 200 and "Scenario: no-credit" in response.text
        assert httpx.get(f"{url}/api/orders").json() == {"orders": []}
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/", timeout=2)


def test_serve_in_thread_rejects_an_unknown_scenario() -> None:
    with pytest.raises(UnknownScenario), serve_in_thread(scenario="nope"):
        pass  # pragma: no cover


def test_the_totals_update_is_a_request_whose_answer_greys_the_late_rows() -> None:
    """totals-update-disables greys its option through /api/checkout/totals, not a timer: a probe can see it coming."""
    with TestClient(create_app("totals-update-disables")) as client:
        add_to_cart(client)
        page = client.get("/checkout/payment").text
        assert "data-late-disable" in page, "the option is first shown as selectable"
        answer = client.get("/api/checkout/totals").json()
        assert answer["greyed"] and all(f'id="{row}"' in page for row in answer["greyed"])
    with TestClient(create_app("default")) as client:
        add_to_cart(client)
        assert client.get("/api/checkout/totals").json() == {"greyed": []}
