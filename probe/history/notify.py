"""The message a webhook gets when a run's observation or verdict changed: a Slack- and Teams-readable `text`
and the change itself; posting it never fails the run."""

from __future__ import annotations

import json
from typing import Any

from probe.errors import first_line
from probe.history.records import Change

# How long one post may take before it is given up (the run is recorded either way).
POST_TIMEOUT_S = 10


def message(change: Change) -> dict[str, Any]:
    """The JSON posted: `text` for chat webhooks (Slack, Teams, Mattermost…), `change` for programs."""
    after, before = change.after, change.before
    text = (
        f"probe: {after.target} ({after.credit_source} credit, {after.gift_card} gift card, {after.intent}) changed: "
        f"{change.summary}. Report: {after.report_html.as_uri()} (before: {before.report_html.as_uri()})"
    )
    return {
        "text": text,
        "change": {
            "store": after.store,
            "target": after.target,
            "credit_source": after.credit_source,
            "gift_card": after.gift_card,
            "intent": after.intent,
            "fields": [c.model_dump(mode="json") for c in change.fields],
            "before": before.model_dump(mode="json"),
            "after": after.model_dump(mode="json"),
        },
    }


def post(url: str, body: dict[str, Any]) -> str | None:
    """POST `body` as JSON to `url`; None when the webhook took it, else why not (one line)."""
    import urllib.error  # HTTP's library: loaded by the runs that post (most checks never do)
    import urllib.request

    data = json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json", "User-Agent": "probe"}
    )
    try:
        with urllib.request.urlopen(request, timeout=POST_TIMEOUT_S) as answer:  # noqa: S310 - http(s) only, checked
            answer.read()
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return first_line(reason if isinstance(reason, BaseException) else exc)
    return None
