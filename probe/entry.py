"""The `probe` command. A check (or a matrix) starts Playwright's driver before anything else, so node boots while
Python loads the command line (node is spawned even before Playwright's client is loaded: probe/run/node.py);
every other command goes straight to it."""

from __future__ import annotations

import os
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
        if not starts_a_browser(args):
            from probe.cli import main as cli_main

            cli_main()
            return
        from probe.run.node import spawn_driver

        # node first, before asyncio and Playwright's client are loaded: its start is the longest of a check's start.
        spawn_driver()
        if launches_ahead(args):
            from probe.run import collector

            collector.hold()  # released by the check's warm-up, once its code is loaded
        from probe.run.driver import start_early

        start_early(launch=launches_ahead(args))
        from probe.cli import main as cli_main

        try:
            cli_main()
        except SystemExit as done:
            leave(done.code)
    except KeyboardInterrupt:
        # Ctrl-C while the command line is still being read: what was started ahead is stopped on the way out.
        sys.exit(130)


def leave(code: object) -> None:
    """End a check (or a matrix) that has finished, with `code` as `sys.exit` reads it, without tearing the
    interpreter down: freeing every loaded module one by one is a tenth of a second of work nobody waits for. Its
    files are written and closed by then (the report folder committed, the history appended); what the interpreter
    does on the way out and the check needs still happens: threads joined, exit handlers run (the early driver
    stopped among them), stdout and stderr flushed."""
    import atexit
    import threading

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    shutdown = getattr(threading, "_shutdown", None)  # what the interpreter runs first on its way out
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            # Output that could not be written (a closed pipe): fail as Python itself does then.
            status = status or 120
    os._exit(status)
