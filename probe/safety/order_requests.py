"""Which requests place orders: the platforms' known requests (data), then general words of ordering; block in doubt."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from probe.errors import Regex, load_yaml_model, regex_problem
from probe.safety.order_body import (
    LAST_SEGMENT_VERBS,
    LAST_SEGMENT_WORDS,
    RPC_METHOD,
    Speech,
    ordering_phrase,
    read_request,
    words,
)
from probe.safety.payment_step import carries_choice, step_segment

RULES_FILE = Path(__file__).parents[1] / "data" / "order_requests.yaml"
# Field names and action values longer than these are data, not names of actions.
MAX_NAME = 80
MAX_ACTION_VALUE = 200
# Methods that create a resource at a collection URL (POST /orders; Magento's PUT /carts/mine/order).
CREATING_METHODS = frozenset({"POST", "PUT"})
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Strong verbs that make a URL itself an order-placement action, even when only opened (GET or navigation).
GET_ACTION_VERBS = frozenset({"place", "submit", "complete", "finalize", "finalise", "finish", "capture"})
GET_ACTION_OBJECTS = frozenset({"order", "orders", "purchase", "checkout", "payment", "transaction"})
# Said of a payment step's save blocked because its page was not seen to offer a review step (flow.py words its advice).
NO_REVIEW_STEP = "the page shows no review step before the order"
# URLs that would match anything make the guard useless: an extra endpoint that matches these is refused.
ORDINARY_URLS = (
    "https://shop.example/",
    "https://shop.example/cart",
    "https://shop.example/checkout/shipping",
    "https://shop.example/static/app.js",
    "https://shop.example/account/credit?page=2",
)


class OrderRule(BaseModel):
    """One known request of a platform: what it looks like, whether it orders, and where that was read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    platform: str
    action: Literal["allow", "block"]
    methods: tuple[str, ...] = ()
    # Honoured method overrides (X-HTTP-Method-Override, _method): an allow entry then matches the method asked for.
    method_override: bool = False
    url: Regex | None = None
    route: Regex | None = None
    operation: Regex | None = None
    field: Regex | None = None
    where: Literal["body", "query", "any"] = "body"
    value: Regex | None = None
    review_step: bool = False
    source: str = Field(min_length=8)
    note: str = ""

    @field_validator("methods")
    @classmethod
    def _upper(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(m.upper() for m in value)

    @model_validator(mode="after")
    def _matches_something(self) -> OrderRule:
        if not (self.url or self.route or self.operation or self.field):
            raise ValueError("a rule needs url, route, operation or field to match on")
        if self.where != "body" and self.field is None:
            raise ValueError("where says where field is looked for: it needs field")
        if self.method_override and not self.methods:
            raise ValueError("method_override needs methods")
        if self.value is not None and self.field is None:
            raise ValueError("value needs field")
        if self.review_step and self.action != "allow":
            raise ValueError("review_step is for allow rules (a payment step let through only before a review page)")
        return self

    def matches(self, method: str, url: str, speech: Speech, operation: str | None = None) -> bool:
        """True when the request (or, for GraphQL, the one operation or mutation field given) is this rule's."""
        if self.methods and not self._method_matches(method, speech.override):
            return False
        if self.url and not _compiled(self.url).search(url):
            return False
        if self.route and not any(_compiled(self.route).search(r) for r in speech.routes):
            return False
        if self.operation:
            names = [operation] if operation is not None else [*speech.operations, *speech.mutation_fields]
            if not any(_compiled(self.operation).fullmatch(n) for n in names):
                return False
        if self.field:
            field, value = _compiled(self.field), _compiled(self.value or "")
            pairs = {"body": speech.fields, "query": speech.query, "any": [*speech.query, *speech.fields]}[self.where]
            if not any(field.fullmatch(k) and value.search(v) for k, v in pairs):
                return False
        return True

    def _method_matches(self, method: str, override: str | None) -> bool:
        """A block entry matches the method sent or the one asked for; an allow entry only what the server will do."""
        if self.action == "block":
            return method in self.methods or override in self.methods
        return (override if self.method_override and override else method) in self.methods


class OrderRuleTable(BaseModel):
    """The data file: known order requests and known ordinary checkout requests, first match wins."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: tuple[OrderRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> OrderRuleTable:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
        return self


@cache
def load_rules(path: Path = RULES_FILE) -> OrderRuleTable:
    """The bundled table of platforms' order requests (validated once)."""
    return load_yaml_model(path, OrderRuleTable, what="order request rules")


@dataclass(frozen=True)
class Decision:
    """The guard's answer for one request: blocked or not, by which rule, and why in words."""

    blocked: bool
    rule: str
    why: str
    # Blocked only because the page was not seen to offer a review step before the order: seeing one lets it through.
    review_lifts: bool = False


def endpoint_problem(pattern: str) -> str | None:
    """Why a profile's extra order endpoint is unusable (not a regex, or matching ordinary URLs), or None."""
    problem = regex_problem(pattern)
    if problem:
        return problem
    hits = [u for u in ORDINARY_URLS if re.search(pattern, u, re.IGNORECASE)]
    if len(hits) >= 2 or not pattern.strip("^$ "):
        return "it matches every URL (tried on ordinary ones such as " + ", ".join(hits[:2] or ORDINARY_URLS[:1]) + ")"
    return None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A rule's pattern, compiled once: re's own cache holds 512 and a check uses more, so the rules (read for every
    request) were compiled again and again, about 10 ms of a request's judgement."""
    return re.compile(pattern, re.IGNORECASE)


class OrderRequestClassifier:
    """Decides for each request whether it would create or complete an order, a payment or a purchase."""

    def __init__(self, extra_endpoints: Iterable[str] = (), table: OrderRuleTable | None = None) -> None:
        self.table = table or load_rules()
        self.extra = tuple(extra_endpoints)
        self._extra = [re.compile(p, re.IGNORECASE) for p in self.extra]

    def classify(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        review_ahead: bool = False,
    ) -> Decision:
        """Block or allow one request; a GET is blocked only when its URL is itself an order-placement action.

        `review_ahead`: the page that sent it shows a review step still to come (a payment step's save may pass)."""
        method = method.upper()
        for number, pattern in enumerate(self._extra, 1):
            if pattern.search(url):
                return Decision(
                    True, f"profile-endpoint-{number}", f"matches the profile's order endpoint {pattern.pattern!r}"
                )
        if method in READING_METHODS:
            return self._reading(method, url)
        speech = read_request(url, body, content_type, headers)
        if speech.graphql and (speech.operations or speech.mutation_fields):
            return self._graphql(method, url, speech)
        url_orders = any(ordering_phrase(segment) for segment in speech.segments)
        for rule in self.table.rules:
            if rule.operation is None and rule.matches(method, url, speech):
                if rule.action == "allow" and url_orders and not (rule.url or rule.route):
                    continue  # a field names an ordinary step, but the URL itself speaks of ordering
                return self._by_rule(rule, review_ahead)
        return self._general(method, speech, review_ahead)

    def _by_rule(self, rule: OrderRule, review_ahead: bool = False) -> Decision:
        if rule.action == "block":
            return Decision(True, rule.id, f"{rule.platform}'s order request")
        if rule.review_step and not review_ahead:
            why = f"{rule.platform}'s payment step, but {NO_REVIEW_STEP}: it may place it"
            return Decision(True, rule.id, why, review_lifts=True)
        if rule.review_step:
            return Decision(
                False, rule.id, f"{rule.platform}: the payment step's save; the order comes on the review page"
            )
        return Decision(False, rule.id, f"{rule.platform}: an ordinary checkout request")

    def _reading(self, method: str, url: str) -> Decision:
        speech = read_request(url, None, None)
        for rule in self.table.rules:
            if rule.methods and method in rule.methods and rule.operation is None and rule.matches(method, url, speech):
                return self._by_rule(rule)
        for segment in speech.segments:
            tokens = [t for t in words(segment) if t not in {"my", "the", "your"}]
            for a, b in zip(tokens, tokens[1:], strict=False):
                pair = {a, b}
                if pair & GET_ACTION_VERBS and pair & GET_ACTION_OBJECTS and a != b:
                    return Decision(True, "general-get-order-action", f"the URL is an order-placement action ({a} {b})")
        return Decision(False, "reading", "a GET reads; it places nothing")

    def _graphql(self, method: str, url: str, speech: Speech) -> Decision:
        """Each operation name and mutation field on its own: any one that orders blocks the whole request."""
        allowed_by = ""
        for name in dict.fromkeys([*speech.mutation_fields, *speech.operations]):
            rule = next((r for r in self.table.rules if r.operation and r.matches(method, url, speech, name)), None)
            if rule is not None:
                if rule.action == "block":
                    return Decision(True, rule.id, f"{rule.platform}'s order mutation {name}")
                allowed_by = allowed_by or rule.id
                continue
            phrase = ordering_phrase(name)
            if not phrase and name in speech.mutation_fields and set(words(name)) <= LAST_SEGMENT_WORDS:
                phrase = name  # a mutation named just `checkout`, `purchase` or `pay`
            if phrase:
                return Decision(True, "general-graphql", f"GraphQL operation {name} speaks of ordering ({phrase})")
        url_decision = self._url_words(method, speech)
        if url_decision:
            return url_decision
        if allowed_by:
            return Decision(False, allowed_by, "known ordinary GraphQL operations")
        return Decision(False, "graphql-ordinary", "GraphQL with no ordering operation")

    def _url_words(self, method: str, speech: Speech) -> Decision | None:
        # Updating a resource (PATCH /checkout with addresses) is not creating one; completing it is.
        allowed = LAST_SEGMENT_WORDS if method in CREATING_METHODS else LAST_SEGMENT_VERBS
        for last in speech.last_words():
            if words(last) and set(words(last)) <= LAST_SEGMENT_WORDS and set(words(last)) & allowed:
                return Decision(True, "general-url-last-segment", f"a {method} request to …/{last}")
        for segment in speech.segments:
            phrase = ordering_phrase(segment)
            if phrase:
                return Decision(True, "general-url-words", f"the URL speaks of ordering ({phrase})")
        return None

    def _general(self, method: str, speech: Speech, review_ahead: bool) -> Decision:
        """No known request matched: the URL's or the body's words decide; none of ordering means ordinary."""
        url_decision = self._url_words(method, speech)
        step = step_segment(speech) if url_decision else None
        if url_decision and not (step and _only_the_step_speaks(speech)):
            return url_decision
        body_decision = self._body_words(speech)
        if body_decision:
            return body_decision
        if url_decision is None:
            return Decision(False, "no-order-words", "nothing in it speaks of ordering")
        # A checkout's own payment step (…/checkout/payment, select-payment, savePayment) saving a choice.
        if not carries_choice(speech):
            return url_decision
        if review_ahead:
            why = f"saves the payment step's choice (…/{step}); the page shows a review step before the order"
            return Decision(False, "general-payment-step", why)
        why = f"{url_decision.why}: a payment step's save, but {NO_REVIEW_STEP}"
        return Decision(True, url_decision.rule, why, review_lifts=True)

    def _body_words(self, speech: Speech) -> Decision | None:
        """A body field whose name, or action value, speaks of ordering."""
        for key, value in speech.fields:
            # A field's name counts only as a verb-object phrase: a radio group named "pay" is a choice.
            name_phrase = ordering_phrase(key, bare_pay=False) if len(key) <= MAX_NAME else None
            if name_phrase:
                return Decision(True, "general-body-field", f"the body has a field {key!r} ({name_phrase})")
            if _flat(key) in ACTION_KEYS and len(value) <= MAX_ACTION_VALUE:
                phrase = ordering_phrase(value)
                command = words(value) if _flat(key) in COMMAND_KEYS else []
                if not phrase and command and set(command) <= LAST_SEGMENT_WORDS:
                    phrase = " ".join(command)  # action=confirm, op=submit, cmd=checkout: a bare command to order
                if phrase:
                    # Only the words of ordering go into the report, never the value itself (it could be anything).
                    why = f"the body's {key} field speaks of ordering ({phrase})"
                    return Decision(True, "general-body-action", why)
        return None


def _only_the_step_speaks(speech: Speech) -> bool:
    """True when no part of the URL but its last segments speaks of ordering (…/checkout/payment, not …/pay-now/…)."""
    for segment in speech.segments:
        head = segment.replace("|", "/").replace(".", "/").strip("/").rsplit("/", 1)[0]
        if "/" in segment.strip("/") and ordering_phrase(head):
            return False
    return True


def _flat(key: str) -> str:
    """A field name compared loosely: operation_name, operationName and operation-name are one."""
    return key.lower().replace("_", "").replace("-", "")


# Body fields whose value names the action a request performs (django-oscar's action=place_order, admin-ajax actions).
ACTION_KEYS = frozenset(
    _flat(k)
    for k in (
        "action", "op", "operation", "operationName", "event", "task", "do", "command", "cmd", "intent", "submit",
        "route", "controller", "fc", "mode", "step", "type", "wc-ajax", "dispatch", "main_page", "rest_route",
        RPC_METHOD,
    )
)  # fmt: skip
# Of those, the keys whose value is a command by itself ("step" and "type" name a stage or a kind, not an order).
COMMAND_KEYS = frozenset(
    _flat(k) for k in ("action", "op", "operation", "task", "do", "command", "cmd", "submit", RPC_METHOD)
)
