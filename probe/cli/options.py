"""What every command shares: the consoles, the one way to fail, and the options several commands take."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from probe.errors import InputError, ProbeError
from probe.models import CreditSource, GiftCardKind, Intent

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def fail(exc: ProbeError) -> typer.Exit:
    """Print a ProbeError to stderr and return the Exit to raise."""
    err.print(f"probe: {exc}", markup=False)
    return typer.Exit(exc.exit_code)


GiftCardOpt = Annotated[
    GiftCardKind | None, typer.Option("--gift-card", help="Kind of gift card bought.", case_sensitive=False)
]
SourceOpt = Annotated[
    CreditSource | None,
    typer.Option("--credit-source", help="Where the credit came from.", case_sensitive=False),
]
ExpiresOpt = Annotated[
    str | None, typer.Option("--credit-expires", metavar="YYYY-MM-DD", help="The credit's expiry date.")
]
IntentOpt = Annotated[Intent | None, typer.Option("--intent", help="What the gift card is for.", case_sensitive=False)]
TodayOpt = Annotated[str | None, typer.Option("--today", metavar="YYYY-MM-DD", help="Date to judge expiry against.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the JSON alone on stdout.")]
RulesOpt = Annotated[
    Path | None,
    typer.Option("--rules", help="Your own decision table (YAML).", dir_okay=False),
]

CdpOpt = Annotated[
    str | None,
    typer.Option("--cdp-endpoint", metavar="URL", help="Use a running Chromium's DevTools endpoint (no launch)."),
]
WsOpt = Annotated[
    str | None,
    typer.Option("--ws-endpoint", metavar="URL", help="Use a running Playwright browser server (no launch)."),
]
ApplyOpt = Annotated[
    bool,
    typer.Option(
        "--apply/--no-apply", help="Press a credit's own apply / use / select control to hear the store's answer."
    ),
]
FullPageOpt = Annotated[
    bool,
    typer.Option(
        "--full-page",
        help="Picture the whole payment page (slow on a long page); without it, the region around the credit options.",
    ),
]
CreditCodeEnvOpt = Annotated[
    str | None,
    typer.Option(
        "--credit-code-env",
        metavar="NAME",
        help="Environment variable holding the credit's code (gift card, account), typed where the store asks for "
        "it; never written anywhere.",
    ),
]
StorageStateOpt = Annotated[
    Path | None,
    typer.Option(
        "--storage-state",
        metavar="FILE",
        help="Signed-in session (Playwright storage-state JSON, from `probe login URL --save FILE`).",
        dir_okay=False,
    ),
]
HistoryOpt = Annotated[
    str | None,
    typer.Option(
        "--history",
        metavar="PATH|URL",
        envvar="PROBE_HISTORY",
        help="Run history: a SQLite file or a postgresql:// URL (default: history.sqlite in your data folder).",
    ),
]
NoHistoryOpt = Annotated[bool, typer.Option("--no-history", help="Do not append this run to the history.")]
NotifyOpt = Annotated[
    str | None, typer.Option("--notify", metavar="URL", help="Webhook to POST to when a run differs from the last.")
]
JunitOpt = Annotated[
    Path | None, typer.Option("--junit", metavar="FILE", help="Also write JUnit XML there.", dir_okay=False)
]


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or a clear error."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: not a date; write it as YYYY-MM-DD, e.g. 2026-12-31") from None
