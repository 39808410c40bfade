"""The command line: parse, call the core, turn errors into a one-line message and an exit code."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from probe.errors import ProbeError

app = typer.Typer(
    name="probe",
    help="Find out, in a real browser, whether a store's checkout lets store credit pay for a gift card.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


@app.callback()
def root() -> None:
    """probe: observe a gift-card checkout's store-credit option and explain the verdict."""


def fail(exc: ProbeError) -> typer.Exit:
    """Print a ProbeError to stderr and return the Exit to raise."""
    err.print(f"probe: {exc}", markup=False)
    return typer.Exit(exc.exit_code)


@app.command()
def doctor(
    browser_path: Annotated[str | None, typer.Option("--browser-path", help="Chromium binary to use.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the exit code.")] = False,
) -> None:
    """Which browser would be used and why; what to do when none is found."""
    from probe.browser import find_browser, playwright_browsers_dir

    try:
        choice = find_browser(browser_path)
    except ProbeError as exc:
        if not quiet:
            err.print(f"probe: {exc}", markup=False)
            err.print(f"  looked in: --browser-path, $PROBE_BROWSER_PATH, {playwright_browsers_dir()}, PATH")
        raise typer.Exit(exc.exit_code) from None
    if quiet:
        return
    out.print(f"browser: {choice.path}", markup=False)
    out.print(f"version: {choice.version()}", markup=False)
    out.print(f"source:  {choice.source} ({choice.why})", markup=False)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
