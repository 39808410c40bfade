"""The history read back: runs grouped into series (store target × credit source × gift card × intent), each run
compared with the one before it."""

from __future__ import annotations

from collections.abc import Iterable

from probe.history.records import Change, RunRecord, change_between
from probe.models import Frozen


class Series(Frozen):
    """The runs of one store target × credit source × gift card × intent, oldest first, and where they changed."""

    store: str
    target: str
    credit_source: str
    gift_card: str
    intent: str
    runs: tuple[RunRecord, ...]
    changes: tuple[Change, ...]

    @property
    def title(self) -> str:
        return f"{self.target} · {self.credit_source} · {self.gift_card} · {self.intent}"

    def changed(self, run: RunRecord) -> Change | None:
        """The change `run` brought, if it brought one."""
        return next((c for c in self.changes if c.after.id == run.id), None)


class Timeline(Frozen):
    """`probe history --json`: the history read, and its series grouped by store."""

    history: str
    series: tuple[Series, ...]

    def stores(self) -> dict[str, list[Series]]:
        grouped: dict[str, list[Series]] = {}
        for series in self.series:
            grouped.setdefault(series.store, []).append(series)
        return grouped


def timeline(history: str, runs: Iterable[RunRecord]) -> Timeline:
    """Group `runs` (oldest first) into series, in the order each series first ran, and mark each change."""
    grouped: dict[tuple[str, ...], list[RunRecord]] = {}
    for run in runs:
        grouped.setdefault(run.series, []).append(run)
    series = []
    for (store, target, source, card, intent), members in grouped.items():
        changes = [change_between(a, b) for a, b in zip(members, members[1:], strict=False)]
        series.append(
            Series(
                store=store,
                target=target,
                credit_source=source,
                gift_card=card,
                intent=intent,
                runs=tuple(members),
                changes=tuple(c for c in changes if c is not None),
            )
        )
    return Timeline(history=history, series=tuple(sorted(series, key=lambda s: (s.store, s.runs[0].started_at))))


def read_timeline(
    where: str | None, *, store: str | None = None, credit_source: str | None = None, gift_card: str | None = None
) -> Timeline:
    """The history's timeline (of one store, credit source, gift card when given); a history not made yet is empty."""
    from probe.history.store import History

    with History(where, create=False) as history:
        runs = history.runs(store=store, credit_source=credit_source, gift_card=gift_card)
        return timeline(history.shown, runs)
