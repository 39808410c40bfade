"""`probe discover URL --save FILE`: find the way to payment selection without a profile and write it as one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from probe.cli.options import GiftCardOpt, StorageStateOpt, TodayOpt, err, fail, out, parse_date
from probe.errors import InputError, ProbeError


def discover(
    url: Annotated[str, typer.Argument(help="The store's address (its home page, or any page of it).")],
    save: Annotated[
        Path, typer.Option("--save", metavar="FILE", help="Where to write the way found, as a profile.", dir_okay=False)
    ],
    gift_card: GiftCardOpt = None,
    today: TodayOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Report folder.")] = Path("probe-report"),
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds the whole walk may take.")] = 60.0,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window.")] = False,
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
    storage_state: StorageStateOpt = None,
) -> None:
    """Walk a store to payment selection without a profile, check it there, and save the way as a profile.

    Exit 0 when the way was found (the profile is written), 3 when it was not (the line says why; the report is
    written, with the way as far as it went).
    """
    from probe.request import build_request
    from probe.run.discovered import DISCOVERED
    from probe.run.sync import check_sync

    try:
        if save.is_dir():
            raise InputError(f"--save {save}: a folder; give a file name such as shop.yaml")
        request = build_request(
            {
                "url": url,
                "gift_card": gift_card,
                "today": parse_date(today, "--today"),
                "out": out_dir,
                "timeout": timeout,
                "headed": headed,
                "browser_path": browser_path,
                "storage_state": storage_state,
            },
            what="probe discover",
        )
        report, _ = check_sync(request, progress=lambda line: err.print(f"[dim]… {escape(line)}[/dim]"))
    except ProbeError as exc:
        raise fail(exc) from None
    discovery = report.discovery
    err.print(f"report: {(out_dir / 'report.html').resolve().as_uri()}", markup=False)
    if discovery is None or discovery.failure is not None or report.observation.page_kind is None:
        err.print(f"probe: inconclusive: {report.observation.error or 'the way was not found'}", markup=False)
        raise typer.Exit(3)
    # The profile file the report folder keeps (report.json's copy has the values it types masked).
    save.write_text((out_dir / DISCOVERED).read_text(encoding="utf-8"), encoding="utf-8")
    observed = report.observation
    out.print(f"option: {observed.option_label or '(no credit option)'} — {observed.option_state.value}", markup=False)
    out.print(f"verdict: {report.verdict.outcome.value}", markup=False)
    err.print(f"wrote {save}; replay it: probe check {url} --profile {save}", markup=False)
