"""`probe history` in the terminal: a table per series, each change marked, with both reports' addresses."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from probe.history.timeline import Timeline

OUTCOME_STYLE = {
    "can_use": "green",
    "cannot_use": "red",
    "against_terms": "magenta",
    "assume_cannot_use": "yellow",
    "inconclusive": "dim",
}
REASON_WIDTH = 60


def _short(text: str | None, width: int = REASON_WIDTH) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def tables(timeline: Timeline) -> RenderableType:
    """One table per series (oldest run first), each change marked and explained under it."""
    if not timeline.series:
        return Text(f"no runs in the history yet ({timeline.history})")
    parts: list[RenderableType] = [Text(f"history: {timeline.history}")]
    for series in timeline.series:
        table = Table(title=Text(f"{series.store} — {series.title}"), title_justify="left", expand=False)
        for column in ("when (UTC)", "state", "verdict", "rules", "reason", "changed"):
            table.add_column(column)
        for run in series.runs:
            change = series.changed(run)
            table.add_row(
                Text(f"{run.started_at:%Y-%m-%d %H:%M:%S}"),
                Text(run.option_state),
                Text(run.outcome, style=OUTCOME_STYLE.get(run.outcome, "")),
                Text(", ".join(run.rules)),
                Text(_short(run.reason_text or run.error)),
                Text("◆ " + ", ".join(c.field for c in change.fields), style="bold") if change else Text(""),
            )
        parts.append(table)
        for change in series.changes:
            parts.append(Text(f"◆ {change.after.started_at:%Y-%m-%d %H:%M:%S} changed: {change.summary}"))
            parts.append(Text(f"    before: {change.before.report_html.as_uri()}"))
            parts.append(Text(f"    after:  {change.after.report_html.as_uri()}"))
    return Group(*parts)
