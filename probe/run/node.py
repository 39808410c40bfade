"""Playwright's driver (a node process) spawned as the first thing `probe check` does, before Python has loaded
asyncio and Playwright's client: node's start is the longest wait of a check's start, so it begins as early as it
can. The driver (probe/run/driver.py) takes the running process over when its client connects; when there is none
(another command, a second driver, a spawn that failed) the client starts node itself, as Playwright always does.
This module imports only the standard library at the top: it runs before anything else is loaded."""

from __future__ import annotations

import os
import subprocess

_spawned: subprocess.Popen[bytes] | None = None
# The Playwright releases whose client probe/run/driver.py is known to take a running node over from (it sets what
# their PipeTransport.connect sets); with any other, node is left to the client to start, as Playwright always does.
TAKEOVER_RELEASES = ("1.65.",)


def keep_compiled() -> None:
    """Let node keep the driver's scripts compiled between runs (Node's compile cache: a quarter of the driver's
    start), in the user's cache folder, unless NODE_COMPILE_CACHE says where already (NODE_DISABLE_COMPILE_CACHE=1
    turns it off). Node skips it silently where the folder cannot be written."""
    if "NODE_COMPILE_CACHE" not in os.environ:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        os.environ["NODE_COMPILE_CACHE"] = os.path.join(cache, "probe", "node-compile-cache")


def spawn_driver() -> None:
    """Start node running Playwright's driver as Playwright's client would (the same program, arguments and
    environment; stderr shared), for the first driver of this process to take over. A spawn that fails leaves
    nothing: the client then starts node itself and says what is wrong."""
    global _spawned  # noqa: PLW0603 - one process spawned ahead, taken once
    if _spawned is not None:
        return
    try:
        from playwright._repo_version import version

        if not version.startswith(TAKEOVER_RELEASES):
            return
        from playwright._impl._driver import compute_driver_executable, get_driver_env

        keep_compiled()
        node, cli = compute_driver_executable()
        _spawned = subprocess.Popen(
            [node, cli, "run-driver"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=get_driver_env(),
            bufsize=0,
        )
    except Exception:  # noqa: BLE001 - Playwright's own start reports it
        _spawned = None


def take_spawned() -> subprocess.Popen[bytes] | None:
    """The node process spawned ahead, once (None when there is none, or it was taken)."""
    global _spawned  # noqa: PLW0603
    spawned, _spawned = _spawned, None
    return spawned
