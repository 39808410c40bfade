"""The `probe` command. A check starts Playwright's driver before anything else, so node boots while Python
loads the command line; every other command goes straight to it."""

from __future__ import annotations

import sys

# A check given one of these uses a browser of its own choosing: the default Chromium is not launched ahead for it.
BROWSER_OPTIONS = frozenset({"--browser-path", "--cdp-endpoint", "--ws-endpoint", "--headed", "--use-existing-context"})


def starts_a_browser(args: list[str]) -> bool:
    """Whether the command line asks for a check (not its help)."""
    return args[:1] == ["check"] and "--help" not in args


def names_a_browser(args: list[str]) -> bool:
    """Whether the command line chooses the browser itself (then only the driver is started ahead)."""
    return any(arg.split("=", 1)[0] in BROWSER_OPTIONS for arg in args)


def main() -> None:
    """Console-script entry point."""
    args = sys.argv[1:]
    if starts_a_browser(args):
        from probe.run.driver import start_early

        start_early(launch=not names_a_browser(args))
    from probe.cli import main as cli_main

    cli_main()
