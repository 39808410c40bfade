"""The order-request classifier over real platforms' recorded request shapes (pure: no browser)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from order_corpus import Shape, load_corpus

from probe.errors import InputError
from probe.safety.order_body import read_request
from probe.safety.order_requests import OrderRequestClassifier, OrderRuleTable, endpoint_problem, load_rules
from probe.walk.profile import load_profile

SHAPES = load_corpus()
CLASSIFIER = OrderRequestClassifier()


@pytest.mark.parametrize("shape", SHAPES, ids=[s.id for s in SHAPES])
def test_each_recorded_request_is_blocked_or_allowed_as_it_must_be(shape: Shape) -> None:
    body, content_type = shape.request()
    decision = CLASSIFIER.classify(shape.method, shape.url, body, content_type, review_ahead=shape.review_ahead)
    assert decision.blocked == (shape.expect == "block"), f"{decision.rule}: {decision.why}"


def test_the_corpus_covers_both_directions_for_every_platform() -> None:
    platforms = {s.platform.split(" (")[0] for s in SHAPES}
    assert len(platforms) >= 20, platforms
    blocks = Counter(s.platform for s in SHAPES if s.expect == "block")
    allows = Counter(s.platform for s in SHAPES if s.expect == "allow")
    one_sided = {p for p in blocks.keys() | allows.keys() if not (blocks[p] and allows[p])}
    # Hosted checkouts (Wix) only expose their order calls; everyone else shows both.
    assert one_sided <= {"Wix", "Magento 1", "Solidus"}, one_sided
    assert all(s.source.strip() for s in SHAPES)


def test_rule_table_entries_name_a_platform_and_a_source() -> None:
    table = load_rules()
    assert len(table.rules) >= 40
    assert len({r.platform.split(" ")[0] for r in table.rules}) >= 20
    for rule in table.rules:
        assert rule.source and rule.platform
    assert {r.action for r in table.rules} == {"allow", "block"}


def test_rule_table_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - {id: x, platform: P, action: block, url: '(', source: https://example.com/doc}\n")
    with pytest.raises(InputError, match="not a valid regular expression"):
        load_rules(bad)
    bad.write_text("rules:\n  - {id: x, platform: P, action: block, source: https://example.com/doc, colour: red}\n")
    with pytest.raises(InputError, match="colour: unknown key"):
        load_rules(bad)
    with pytest.raises(ValueError, match="url, operation or field"):
        OrderRuleTable.model_validate({"rules": [{"id": "x", "platform": "P", "action": "block", "source": "s" * 9}]})


def test_graphql_names_are_read_from_aliases_batches_and_persisted_queries() -> None:
    query = 'mutation Pay($c: ID!) { done: checkoutComplete(id: $c) { order { id } } other: x(a: {b: "}"}) { y } }'
    speech = read_request("https://x/graphql", json.dumps({"query": query}).encode(), "application/json")
    assert speech.mutation_fields == ["checkoutComplete", "x"]
    assert "Pay" in speech.operations
    batch = json.dumps([{"query": "query A { cart { id } }"}, {"query": "mutation B { placeOrder(input: {}) { a } }"}])
    assert read_request("https://x/graphql", batch.encode(), "application/json").mutation_fields == ["placeOrder"]
    ws_frame = json.dumps({"type": "subscribe", "id": "1", "payload": {"query": "mutation { checkoutComplete { a } }"}})
    assert CLASSIFIER.classify("POST", "ws://frame/", ws_frame.encode(), "application/json").blocked


def test_reading_checkout_data_is_ordinary_but_an_order_action_url_is_not() -> None:
    assert not CLASSIFIER.classify("GET", "https://s/rest/V1/carts/mine/payment-information").blocked
    assert not CLASSIFIER.classify("GET", "https://s/checkout/confirm").blocked  # Shopware's payment step page
    assert not CLASSIFIER.classify("GET", "https://s/checkout/payment").blocked
    assert CLASSIFIER.classify("GET", "https://s/checkout/place-order").blocked
    assert CLASSIFIER.classify("GET", "https://s/checkouts/c/abc123/processing").blocked


def test_profile_endpoints_block_any_method() -> None:
    guarded = OrderRequestClassifier([r"/api/v2/finalize"])
    decision = guarded.classify("GET", "https://shop.example/api/v2/finalize")
    assert decision.blocked and decision.rule == "profile-endpoint-1"
    assert not OrderRequestClassifier().classify("GET", "https://shop.example/api/v2/finalize").blocked


@pytest.mark.parametrize("pattern", [".*", "^", "", ".", "$", "[a-z]", "https?://", "/"])
def test_endpoints_that_match_every_url_are_refused(pattern: str) -> None:
    problem = endpoint_problem(pattern)
    assert problem and "matches every URL" in problem


@pytest.mark.parametrize("pattern", [r"/api/v2/finalize", r"finali[sz]e", r"/api/buy", r"/checkout/submit\b"])
def test_narrow_endpoints_are_accepted(pattern: str) -> None:
    assert endpoint_problem(pattern) is None


@pytest.mark.parametrize(("entry", "needle"), [("(", "not a valid regular expression"), (".*", "matches every URL")])
def test_a_profile_with_a_useless_endpoint_is_refused_naming_the_entry(tmp_path: Path, entry: str, needle: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: x\nsteps: [{name: a, actions: [{action: goto, url: /}]}]\n"
        f"guard: {{order_endpoints: ['/api/pay-now', '{entry}']}}\n"
    )
    with pytest.raises(InputError) as caught:
        load_profile(path)
    text = str(caught.value)
    assert f"entry 1 {entry!r}" in text and needle in text and "guard.order_endpoints" in text
