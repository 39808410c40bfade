"""The `probe` command. A check (or a matrix) starts Playwright's driver before anything else, so node boots while
Python loads the command line; every other command goes straight to it."""

from __future__ import annotations

import sys

# A check given one of these uses a browser of its own choosing: the default Chromium is not launched ahead for it.
BROWSER_OPTIONS = frozenset({"--browser-path", "--cdp-endpoint", "--ws-endpoint", "--headed", "--use-existing-context"})


def starts_a_browser(args: list[str]) -> bool:
    """Whether the command line asks for a check or a matrix of them (not help, not the merge of a matrix's shards)."""
    return args[:1] in (["check"], ["matrix"]) and args[1:2] != ["merge"] and "--help" not in args


def launches_ahead(args: list[str]) -> bool:
    """Whether the default Chromium may be launched before the command line is read: for a check that names no
    browser of its own (a matrix's file may name remote browsers, so a matrix starts only the driver)."""
    return args[:1] == ["check"] and not names_a_browser(args)


def names_a_browser(args: list[str]) -> bool:
    """Whether the command line chooses the browser itself (then only the driver is started ahead)."""
    return any(arg.split("=", 1)[0] in BROWSER_OPTIONS for arg in args)


def main() -> None:
    """Console-script entry point."""
    args = sys.argv[1:]
    try:
        if starts_a_browser(args):
            from probe.run.driver import start_early

            start_early(launch=launches_ahead(args))
        from probe.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        # Ctrl-C while the command line is still being read: what was started ahead is stopped on the way out.
        sys.exit(130)
