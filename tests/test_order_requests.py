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
    decision = CLASSIFIER.classify(
        shape.method, shape.url, body, content_type, headers=shape.headers, review_ahead=shape.review_ahead
    )
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
    with pytest.raises(ValueError, match="url, route, operation or field"):
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


def test_the_rule_of_each_issue_20_request_is_named() -> None:
    checkout = json.dumps({"payment_method": "cod"}).encode()
    leak = CLASSIFIER.classify("POST", "https://s/?rest_route=/wc/store/v1/checkout&_locale=user", checkout)
    assert leak.blocked and leak.rule == "woo-store-api-checkout"
    calc = "https://s/wp-json/wc/store/v1/checkout?__experimental_calc_totals=true"
    override = CLASSIFIER.classify(
        "POST", calc, checkout, "application/json", headers={"X-HTTP-Method-Override": "PUT"}
    )
    assert not override.blocked and override.rule == "woo-store-api-checkout-update"
    # Without the override the same request orders.
    assert CLASSIFIER.classify("POST", calc, checkout, "application/json").blocked
    totals = (
        b"billing_first_name=Ann&woocommerce_checkout_update_totals=Update+totals&woocommerce-process-checkout-nonce=1"
    )
    decision = CLASSIFIER.classify("POST", "https://s/checkout/", totals, "application/x-www-form-urlencoded")
    assert not decision.blocked and decision.rule == "woo-update-totals"
    pressed = totals + b"&woocommerce_checkout_place_order=Place+order"
    assert CLASSIFIER.classify("POST", "https://s/checkout/", pressed, "application/x-www-form-urlencoded").blocked


def test_a_request_is_read_whole() -> None:
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {"dispatch": "checkout.place_order"}}).encode()
    speech = read_request("https://s/?rest_route=%2Fwc%2Fstore%2Fv1%2Fcart&_method=put", body, "application/json")
    assert "/wc/store/v1/cart" in speech.routes and "checkout.place_order" in speech.routes
    assert speech.override == "PUT" and ("rpc_method", "call") in speech.fields
    assert read_request("https://s/x", b"", None, {"X-HTTP-Method-Override": "patch"}).override == "PATCH"
    assert read_request("https://s/x", b"", None, {"X-HTTP-Method-Override": "GET"}).override is None


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        ({"url": "/x", "where": "query"}, "where says where field is looked for"),
        ({"url": "/x", "method_override": True}, "method_override needs methods"),
        ({"url": "/x", "action": "block", "review_step": True}, "review_step is for allow rules"),
        ({"route": "/x", "where": "header", "field": "a"}, "where"),
    ],
)
def test_table_entries_say_validly_which_part_they_match(entry: dict[str, object], needle: str) -> None:
    rule = {"id": "x", "platform": "P", "action": "allow", "source": "s" * 9, **entry}
    with pytest.raises(ValueError, match=needle):
        OrderRuleTable.model_validate({"rules": [rule]})
