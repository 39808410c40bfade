"""Reading a request the way the guard needs it: body fields, GraphQL operations, and the words of ordering."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

# Bodies are read up to this size; an order request says what it is near the start.
MAX_BODY_BYTES = 512 * 1024
# Nested JSON deeper than this is not followed (GraphQL variables rarely go past 6).
MAX_DEPTH = 12

# Verbs that finish a purchase whatever they act on, and the things a purchase is made of.
COMPLETION_VERBS = frozenset(
    {
        "place", "submit", "complete", "completion", "confirm", "finalize", "finalise", "finish", "process",
        "capture", "authorize", "authorise", "charge", "pay", "purchase", "buy", "execute", "commit", "approve",
    }
)  # fmt: skip
ORDER_OBJECTS = frozenset(
    {
        "order", "orders", "checkout", "cart", "basket", "payment", "payments", "purchase", "transaction",
        "transactions", "completion",
    }
)  # fmt: skip
# Verbs that order only with some objects: "create cart" and "save payment method" are ordinary steps.
LIMITED_VERBS: dict[str, frozenset[str]] = {
    "create": frozenset({"order", "orders", "payment", "payments", "purchase", "transaction", "charge"}),
    "add": frozenset({"payment", "payments"}),
    "save": frozenset({"order"}),
    "new": frozenset({"order", "orders", "payment", "payments", "purchase", "transaction"}),
    "handle": frozenset({"payment"}),
    "initialize": frozenset({"transaction"}),
    "initialise": frozenset({"transaction"}),
}
# Words that may sit between a verb and its object: "create my order", "submit for completion".
FILLERS = frozenset({"my", "the", "a", "your", "own", "for", "and", "to", "this"})
# A path whose last segment is one of these, sent with a non-GET method, completes a purchase ...
LAST_SEGMENT_VERBS = frozenset(
    {
        "complete", "completion", "place", "submit", "confirm", "finalize", "finalise", "finish", "pay", "buy",
        "capture", "authorize", "authorise", "execute",
    }
)  # fmt: skip
# ... and one of these, sent with POST, creates one (POST /orders, POST /wc/store/v1/checkout, POST /v71/payments).
LAST_SEGMENT_NOUNS = frozenset(
    {
        "order", "orders", "purchase", "purchases", "payment", "payments", "charge", "charges", "checkout",
        "transaction", "transactions",
    }
)  # fmt: skip
LAST_SEGMENT_WORDS = LAST_SEGMENT_VERBS | LAST_SEGMENT_NOUNS
# Query parameters that route a request to an action (WooCommerce wc-ajax, OpenCart route, PrestaShop controller).
# WordPress rest_route, CS-Cart dispatch, Zen Cart main_page carry a whole route; the others name an action.
ROUTE_KEYS = frozenset(
    {
        "wc-ajax", "route", "controller", "action", "fc", "module", "do", "task", "op", "operation", "event", "mode",
        "main_page", "rest_route", "dispatch",
    }
)  # fmt: skip
# Where a request asks the server to treat it as another method (WordPress, Laravel, Symfony, Rails honour these).
OVERRIDE_HEADERS = ("x-http-method-override", "x-http-method", "x-method-override")
OVERRIDE_FIELD = "_method"
OVERRIDE_METHODS = frozenset({"PUT", "PATCH", "DELETE", "POST"})
# A JSON-RPC call's method is read as a field of this name (Odoo's are all "call": its route is the path).
RPC_METHOD = "rpc_method"

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_ID_LIKE = re.compile(r"\d|^[0-9a-f]{16,}$|^[A-Za-z0-9_-]{28,}$", re.IGNORECASE)
_JOINED = re.compile(
    "^(?:(?:" + "|".join(sorted(COMPLETION_VERBS)) + ")(?:my|the)?(?:" + "|".join(sorted(ORDER_OBJECTS)) + ")|(?:"
    + "|".join(sorted(ORDER_OBJECTS)) + ")(?:" + "|".join(sorted(COMPLETION_VERBS)) + ")|paynow|buynow)$"
)  # fmt: skip


def words(text: str) -> list[str]:
    """Lower-case words of an identifier, path or phrase: "SubmitForCompletion" -> submit, for, completion."""
    return [w.lower() for w in _SPLIT.split(_CAMEL.sub(" ", text)) if w]


def _pairs(tokens: list[str]) -> str | None:
    """The first verb-object phrase of ordering in a word list ("place order", "order create"), or None."""
    meaningful = [t for t in tokens if t not in FILLERS]
    for token in tokens:
        if _JOINED.match(token):
            return token
    for a, b in zip(meaningful, meaningful[1:], strict=False):
        for verb, obj in ((a, b), (b, a)):
            if verb in COMPLETION_VERBS and obj in ORDER_OBJECTS:
                return f"{a} {b}"
            if obj in LIMITED_VERBS.get(verb, ()):
                return f"{a} {b}"
    return None


def ordering_phrase(text: str, *, bare_pay: bool = True) -> str | None:
    """The words of creating or completing an order, a payment or a purchase in `text`, or None."""
    tokens = words(text)
    if bare_pay and "pay" in tokens:
        return "pay"
    return _pairs(tokens)


def id_like(segment: str) -> bool:
    """True for a path segment that names a record (an id, token or version), not an action."""
    return not segment or bool(_ID_LIKE.search(segment)) or segment.lower() in {"mine", "me", "current", "active"}


@dataclass
class Speech:
    """What a request says about itself: its path pieces, GraphQL operations and body fields."""

    segments: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    mutation_fields: list[str] = field(default_factory=list)
    graphql: bool = False
    fields: list[tuple[str, str]] = field(default_factory=list)
    query: list[tuple[str, str]] = field(default_factory=list)
    # The path and every routing value of the query string and the body (rest_route, route, dispatch…), decoded.
    routes: list[str] = field(default_factory=list)
    # The method the request asks to be treated as (X-HTTP-Method-Override, _method), when it names one.
    override: str | None = None

    def last_words(self) -> list[str]:
        """The last segment of the path and of each routing parameter, when it is not an id."""
        out = []
        for segment in self.segments:
            last = re.split(r"[/|.]", segment.strip("/"))[-1]
            if not id_like(last):
                out.append(last.lower())
        return out


def url_segments(url: str) -> list[str]:
    """The URL path and the values of its routing query parameters (each as one string)."""
    parts = urlsplit(url)
    out = [unquote(parts.path)]
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in ROUTE_KEYS and value:
            out.append(value)
    return out


def decode(body: bytes | None, content_type: str | None) -> str:
    """A body as text, best effort (UTF-8, then Latin-1)."""
    if not body:
        return ""
    data = body[:MAX_BODY_BYTES]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _flatten(value: Any, key: str, out: list[tuple[str, str]], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, str(k), out, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _flatten(item, key, out, depth + 1)
    else:
        out.append((key, "" if value is None else str(value)))


_MULTIPART = re.compile(
    r'content-disposition:\s*form-data;\s*name="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n(.*?)\r?\n--', re.I | re.S
)


def body_fields(text: str, content_type: str | None) -> tuple[list[tuple[str, str]], Any]:
    """The (name, value) pairs of a JSON, form-urlencoded or multipart body, and the parsed JSON if it was JSON."""
    kind = (content_type or "").lower()
    stripped = text.lstrip()
    if "json" in kind or stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if parsed is not None:
            out: list[tuple[str, str]] = []
            _flatten(parsed, "", out)
            return out, parsed
    if "multipart/" in kind or stripped.startswith("--"):
        return [(m.group(1), m.group(2)) for m in _MULTIPART.finditer(text)], None
    if "=" in text and "\n" not in text.strip():
        return parse_qsl(text, keep_blank_values=True), None
    return [], None


_OPERATION = re.compile(r"\b(query|mutation|subscription)\b\s*([A-Za-z_]\w*)?")
_NAME = re.compile(r"[A-Za-z_]\w*")
_ARGUMENT = re.compile(r"([A-Za-z_]\w*)\s*:\s*\"([^\"\\]{0,200})\"")


def _after_string(query: str, i: int) -> int:
    """The index just past the GraphQL string (plain or block) that opens at query[i]."""
    if query.startswith('"""', i):
        end = query.find('"""', i + 3)
        return len(query) if end < 0 else end + 3
    j = i + 1
    while j < len(query) and query[j] != '"':
        j += 2 if query[j] == "\\" else 1
    return j + 1


def _root_fields(query: str, start: int) -> list[str]:
    """The top-level field names of the selection set that opens at query[start] == "{" (aliases resolved)."""
    fields: list[str] = []
    depth = paren = 0
    i = start
    while i < len(query):
        ch = query[i]
        if ch == '"':
            i = _after_string(query, i)
            continue
        if ch == "#":
            newline = query.find("\n", i)
            i = len(query) if newline < 0 else newline
            continue
        if ch == "(":
            paren += 1
        elif ch == ")":
            paren -= 1
        elif ch == "{" and paren == 0:
            depth += 1
        elif ch == "}" and paren == 0:
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and paren == 0 and (ch.isalpha() or ch == "_"):
            name = _NAME.match(query, i)
            if name is None:  # pragma: no cover - the character class above guarantees a match
                i += 1
                continue
            spread_or_directive = query[max(0, i - 3) : i] == "..." or query[i - 1 : i] == "@"
            # `alias: field(...)`: the alias is skipped, the field after it counts.
            if not spread_or_directive and not query[name.end() :].lstrip().startswith(":"):
                fields.append(name.group(0))
            i = name.end()
            continue
        i += 1
    return fields


def graphql_speech(parsed: Any, text: str, speech: Speech) -> None:
    """Operation names and mutation root fields of a GraphQL request: single, batched, persisted or raw text."""
    documents: list[tuple[str, str | None]] = []
    items = parsed if isinstance(parsed, list) else [parsed] if isinstance(parsed, dict) else []
    # graphql-ws and subscriptions-transport-ws frames carry the operation in `payload`.
    items = [i["payload"] if isinstance(i, dict) and isinstance(i.get("payload"), dict) else i for i in items]
    for item in items:
        if not isinstance(item, dict):
            continue
        query = item.get("query")
        name = item.get("operationName") or item.get("operation_name") or item.get("id")
        persisted = isinstance(item.get("extensions"), dict) and "persistedQuery" in item["extensions"]
        if isinstance(query, str) or isinstance(name, str) and (persisted or "variables" in item):
            speech.graphql = True
            documents.append((query if isinstance(query, str) else "", name if isinstance(name, str) else None))
    if not items and re.match(r"\s*(mutation|query|subscription|\{)", text):
        speech.graphql = True
        documents.append((text, None))
    for query, name in documents:
        # Inline string arguments (`transitionOrderToState(state: "ArrangingPayment")`) are read like variables.
        speech.fields.extend(_ARGUMENT.findall(query))
        if name:
            speech.operations.append(name)
        for match in _OPERATION.finditer(query):
            if match.group(2):
                speech.operations.append(match.group(2))
            if match.group(1) == "mutation":
                brace = query.find("{", match.end())
                if brace >= 0:
                    speech.mutation_fields.extend(_root_fields(query, brace))


def _override(headers: dict[str, str], pairs: list[tuple[str, str]]) -> str | None:
    """The method named by an override header or a `_method` field (query or body), if it is one servers honour."""
    named = [headers.get(h, "") for h in OVERRIDE_HEADERS] + [v for k, v in pairs if k.lower() == OVERRIDE_FIELD]
    return next((m.strip().upper() for m in named if m.strip().upper() in OVERRIDE_METHODS), None)


def read_request(
    url: str, body: bytes | None, content_type: str | None, headers: dict[str, str] | None = None
) -> Speech:
    """Everything the guard reads from one request: path, query, body fields, method override, RPC and GraphQL."""
    speech = Speech(segments=url_segments(url))
    speech.query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    text = decode(body, content_type)
    fields, parsed = body_fields(text, content_type)
    if isinstance(parsed, dict) and "jsonrpc" in parsed and isinstance(parsed.get("method"), str):
        fields.append((RPC_METHOD, parsed["method"]))
    speech.fields = fields
    body_routes = [v for k, v in fields if k.lower() in ROUTE_KEYS and v and len(v) <= 200]
    speech.routes = [*speech.segments, *body_routes]
    speech.override = _override({k.lower(): v for k, v in (headers or {}).items()}, [*speech.query, *fields])
    if "graphql" in (content_type or "").lower() or parsed is not None or "graphql" in url.lower():
        graphql_speech(parsed, text, speech)
    return speech
