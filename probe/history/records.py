"""One run as the history keeps it, made from a report; the series it belongs to; what changed between two."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field

from probe.models import Frozen, Report

BUNDLED_STORE = "bundled mock store"
# What a run's observation and verdict are compared on, and the word each change is named by.
COMPARED = {"option_state": "state", "reason_text": "reason", "outcome": "verdict", "rules": "rules"}


class RunRecord(Frozen):
    """One check as the history keeps it: what was probed, observed and decided, and where its report is."""

    id: int | None = None
    started_at: dt.datetime
    store: str = Field(description="the store's origin (scheme://host), or the bundled mock store")
    target: str = Field(description="the URL probed, or `scenario NAME` on the bundled store")
    scenario: str | None = None
    walk: str = Field(description="the profile walked (a file, or `bundled (NAME)`)")
    credit_source: str
    gift_card: str
    intent: str
    option_state: str
    option_label: str | None = None
    reason_text: str | None = None
    balance_text: str | None = None
    page_kind: str | None = None
    outcome: str
    deciding_rule: str | None = None
    rules: tuple[str, ...] = ()
    error: str | None = None
    probe_version: str
    report_path: str = Field(description="the report's folder (report.json, report.html)")
    runner: str | None = Field(default=None, description="the machine that ran the check")

    @property
    def series(self) -> tuple[str, str, str, str, str]:
        """The runs compared with each other: one store target × credit source × gift card × intent."""
        return (self.store, self.target, self.credit_source, self.gift_card, self.intent)

    @property
    def report_html(self) -> Path:
        return Path(self.report_path) / "report.html"


def record_of(report: Report, report_dir: Path) -> RunRecord:
    """The history's row for a finished check whose report is in `report_dir`."""
    run, observation = report.run, report.observation
    if run.scenario is not None:
        store, target = BUNDLED_STORE, f"scenario {run.scenario}"
    else:
        parts = urlsplit(run.target)
        store, target = f"{parts.scheme}://{parts.netloc}" if parts.netloc else run.target, run.target
    return RunRecord(
        started_at=run.started_at,
        store=store,
        target=target,
        scenario=run.scenario,
        walk=run.profile or "",
        credit_source=report.credit.source.value,
        gift_card=run.gift_card.value,
        intent=run.intent.value,
        option_state=observation.option_state.value,
        option_label=observation.option_label,
        reason_text=observation.reason_text,
        balance_text=observation.balance_text,
        page_kind=observation.page_kind.value if observation.page_kind else None,
        outcome=report.verdict.outcome.value,
        deciding_rule=report.verdict.deciding_rule,
        rules=tuple(rule.id for rule in report.verdict.rules),
        error=observation.error,
        probe_version=run.probe_version,
        report_path=str(report_dir.resolve()),
        runner=socket.gethostname() or None,
    )


class FieldChange(Frozen):
    """One compared field that differs between two runs of a series."""

    field: str = Field(description="state, reason, verdict or rules")
    before: str | None
    after: str | None


class Change(Frozen):
    """A run whose observation or verdict differs from the run before it in its series."""

    before: RunRecord
    after: RunRecord
    fields: tuple[FieldChange, ...]

    @property
    def summary(self) -> str:
        """`state selectable → greyed_out; verdict …`, for a line of text."""
        return "; ".join(f"{c.field} {_shown(c.before)} → {_shown(c.after)}" for c in self.fields)


def _value(record: RunRecord, name: str) -> str | None:
    value = getattr(record, name)
    if isinstance(value, tuple):
        return ", ".join(value) or None
    return " ".join(value.split()) if isinstance(value, str) else value


def _shown(value: str | None) -> str:
    return "(none)" if value is None else value


def change_between(before: RunRecord | None, after: RunRecord) -> Change | None:
    """What changed from `before` to `after` (state, reason, verdict, rules), None when nothing did or no run was."""
    if before is None:
        return None
    fields = tuple(
        FieldChange(field=word, before=_value(before, name), after=_value(after, name))
        for name, word in COMPARED.items()
        if _value(before, name) != _value(after, name)
    )
    return Change(before=before, after=after, fields=fields) if fields else None
