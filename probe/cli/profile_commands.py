"""`probe login` and the `probe profile` commands: sessions and store profiles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from probe.cli.options import StorageStateOpt, err, fail, out
from probe.errors import ProbeError


def login(
    url: Annotated[str, typer.Argument(help="The store's sign-in page (or any page of it).")],
    save: Annotated[Path, typer.Option("--save", metavar="FILE", help="Where to save the session (0600).")],
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
) -> None:
    """Open a browser window to sign in to a store; press Enter here to save the session for --storage-state."""
    import asyncio

    from probe.run.login import login_session
    from probe.run.sync import run_sync

    async def wait_for_person(_page: object) -> None:
        err.print("sign in in the browser window, then press Enter here to save the session…", markup=False)
        await asyncio.to_thread(sys.stdin.readline)

    try:
        cookies = run_sync(
            lambda: login_session(
                url, save, wait_for_person, browser_path=browser_path, progress=lambda m: err.print(m, markup=False)
            )
        )
    except ProbeError as exc:
        raise fail(exc) from None
    err.print(f"saved the session ({cookies} cookies) to {save}; it signs in as you: keep it private", markup=False)
    err.print(f"use it: probe check {url} --profile PROFILE --storage-state {save}", markup=False)


profile_app = typer.Typer(help="Store profiles: check one, its reference and schema, one from a recording.")


@profile_app.command("schema")
def profile_schema_command() -> None:
    """Print the profile's JSON Schema (for editors: `# yaml-language-server: $schema=FILE`)."""
    from probe.walk.profile_ref import schema_text

    typer.echo(schema_text().rstrip())


@profile_app.command("reference")
def profile_reference_command(
    write: Annotated[
        bool, typer.Option("--write", help="Rewrite docs/profile.md and docs/profile.schema.json.")
    ] = False,
    check_only: Annotated[
        bool, typer.Option("--check", help="Exit 1 when the checked-in docs are out of date.")
    ] = False,
) -> None:
    """Print the profile reference (Markdown), generated from the profile's models."""
    from probe.walk.profile_ref import reference, stale_files, write_reference

    if check_only:
        stale = stale_files()
        for path in stale:
            err.print(f"{path}: out of date; run `probe profile reference --write`", markup=False)
        raise typer.Exit(1 if stale else 0)
    if write:
        for path in write_reference():
            err.print(f"wrote {path}", markup=False)
        return
    typer.echo(reference().rstrip())


@profile_app.command("check")
def profile_check_command(
    file: Annotated[Path, typer.Argument(help="Profile (YAML).", dir_okay=False)],
    url: Annotated[
        str | None, typer.Argument(help="Store URL: walk the steps there (guarded, nothing observed).")
    ] = None,
    storage_state: StorageStateOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the steps' screenshots.")] = Path(
        "probe-profile-check"
    ),
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds the whole walk may take.")] = 60.0,
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
) -> None:
    """Validate a profile; with a URL, walk it and stop at the first failing step with a screenshot and its cause.

    Exit 0 when valid (and every step worked), 1 when a step failed, 2 for an invalid profile or bad input.
    """

    from probe.run.profile_check import validate, walk_profile
    from probe.run.sync import run_sync

    try:
        profile = validate(file)
        if url is None:
            out.print(
                f"{file}: valid profile '{profile.name}' ({len(profile.login)} login steps, "
                f"{len(profile.steps)} steps)",
                markup=False,
            )
            return
        result = run_sync(
            lambda: walk_profile(
                profile,
                url,
                out=out_dir,
                storage_state=storage_state,
                timeout_s=timeout,
                browser_path=browser_path,
                progress=lambda line: err.print(f"[dim]… {escape(line)}[/dim]"),
            )
        )
    except ProbeError as exc:
        raise fail(exc) from None
    for step in result.steps:
        mark = "ok  " if step.ok else "FAIL"
        out.print(f"{mark} {step.name} ({step.duration_s:.1f} s)", markup=False)
        if step.error:
            out.print(f"     {step.error}", markup=False)
            if step.screenshot:
                out.print(f"     screenshot: {(result.folder / step.screenshot).resolve()}", markup=False)
    raise typer.Exit(1 if result.failed else 0)


@profile_app.command("from-codegen")
def profile_from_codegen(
    script: Annotated[Path, typer.Argument(help="Script recorded by `playwright codegen --target python`.")],
    name: Annotated[str | None, typer.Option("--name", help="The profile's name (default: the script's).")] = None,
    save: Annotated[Path | None, typer.Option("--out", "-o", help="Write the profile there, not to stdout.")] = None,
) -> None:
    """Turn a recorded script into a profile (read, never run); order clicks refused, passwords as ${env:…}."""
    from probe.walk.codegen import convert_file

    try:
        result = convert_file(script, name)
    except ProbeError as exc:
        raise fail(exc) from None
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    if save is None:
        typer.echo(result.yaml_text, nl=False)
    else:
        save.write_text(result.yaml_text, encoding="utf-8")
        err.print(f"wrote {save}", markup=False)
    if result.env:
        err.print(f"before running it: export {'=… '.join(result.env)}=…", markup=False)
