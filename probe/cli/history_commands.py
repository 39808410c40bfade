"""`probe history`: the runs kept in the run history, each change marked, as a table, JSON or a page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from probe.cli.options import GiftCardOpt, HistoryOpt, JsonOpt, SourceOpt, err, fail, out
from probe.errors import ProbeError


def history(
    url: Annotated[str | None, typer.Argument(help="A store (its URL or origin); without it, every store.")] = None,
    credit_source: SourceOpt = None,
    gift_card: GiftCardOpt = None,
    as_json: JsonOpt = False,
    html: Annotated[
        Path | None, typer.Option("--html", metavar="DIR", help="Also write DIR/history.html.", file_okay=False)
    ] = None,
    where: HistoryOpt = None,
) -> None:
    """The timeline of each store × credit source × gift card: every run, and what changed (state, reason, verdict,
    rules) with both reports."""
    from probe.history.show import tables
    from probe.history.timeline import read_timeline
    from probe.request import validate_history

    try:
        if where is not None:
            validate_history(where)
        found = read_timeline(
            where,
            store=url,
            credit_source=credit_source.value if credit_source else None,
            gift_card=gift_card.value if gift_card else None,
        )
        page = None
        if html is not None:
            from probe.history.page import write_page

            page = write_page(found, html)
    except ProbeError as exc:
        raise fail(exc) from None
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
    else:
        out.print(tables(found))
    if page is not None:
        err.print(f"history page: {page.resolve().as_uri()}", markup=False)
