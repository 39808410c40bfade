"""Cells whose walk is identical: what reaches the browser decides it; what is known about the credit does not."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from probe.decide.choose import Known
from probe.run.pipeline import Prepared
from probe.walk import profile as prof

# The request's fields that only the decision table reads (the matrix sends none of them to the store; the
# profile's ${variables} that do reach it are keyed on their own).
DECISION_ONLY_REQUEST = frozenset(
    {"credit_source", "credit_expires", "today", "gift_card", "intent", "rules", "baseline", "out"}
)
# Prepared's own fields that only the decision or the report read: what is known (Known) and the baseline.
DECISION_ONLY_PREPARED = frozenset({*Known.model_fields, "baseline", "request"})
# What of the purchase a walk without a profile takes to the store: it looks for a gift card of this kind and amount.
DISCOVERY_VARIABLES = frozenset({"gift_card", "amount"})


def profile_variables(profile: prof.Profile) -> set[str]:
    """The ${variables} (not ${env:…} secrets) the profile's text uses anywhere."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(m.group(3) for m in prof.VARIABLE.finditer(value) if m.group(3) and not m.group(2))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(profile.model_dump(mode="json"))
    return found


def walk_variables(prepared: Prepared) -> dict[str, str]:
    """The ${variables} a profile's steps may use: the only facts about the purchase that can reach the store."""
    return {
        "gift_card": prepared.gift_card.value,
        "intent": prepared.intent.value,
        "credit_source": (prepared.credit_source or "unknown"),
        "amount": prepared.profile.amount,
    }


def walk_key(prepared: Prepared) -> str:
    """Everything of a prepared check that reaches the browser, as one string: equal keys walk equal walks.

    Built by exclusion (only the decision-only fields are left out), so a field added later counts as reaching
    the browser until someone says otherwise. Of the walk's ${variables}, those the profile uses count; a walk
    without a profile looks for the gift card of the kind and amount asked, so those two count for it.
    """
    used = profile_variables(prepared.profile) | (DISCOVERY_VARIABLES if prepared.discover else set())
    key: dict[str, Any] = {
        "request": prepared.request.model_dump(mode="json", exclude=set(DECISION_ONLY_REQUEST)),
        "prepared": prepared.model_dump(mode="json", exclude=set(DECISION_ONLY_PREPARED)),
        "variables": {name: value for name, value in walk_variables(prepared).items() if name in used},
    }
    return json.dumps(key, sort_keys=True, default=str)


def group_by_walk(keys: list[str]) -> list[list[int]]:
    """Indexes grouped by equal key, groups in the order of their first member, members in order."""
    groups: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    return list(groups.values())


def share_files(source: Path, target: Path) -> None:
    """Give `target` the files the walk left in `source` (screenshots, trace): hard links, copies where not allowed."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dest)
        except OSError:
            shutil.copy2(path, dest)
