"""The processes a test started, read from /proc (Linux): who descends from whom, who is still alive."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path


def processes() -> dict[int, tuple[str, int, str]]:
    """pid -> (name, parent pid, state) for every process, from /proc."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        found[int(entry)] = (name, int(ppid), state)
    return found


def descendants(root: int) -> dict[int, str]:
    table = processes()
    family = {root}
    grew = True
    while grew:
        grew = False
        for pid, (_, ppid, _) in table.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    return {pid: table[pid][0] for pid in family - {root}}


def alive(pids: set[int]) -> set[int]:
    table = processes()
    return {pid for pid in pids if pid in table and table[pid][2] not in ("Z", "X")}


def kill(pids: set[int]) -> None:
    """Stop what this test started and left running (only those pids)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def in_session(session: int) -> set[int]:
    """Live processes of a session (a command started with `start_new_session=True` leads its own)."""
    found = set()
    for pid, (_, _, state) in processes().items():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if state not in ("Z", "X") and int(stat[stat.rindex(")") + 2 :].split()[3]) == session:
            found.add(pid)
    return found


def browsers(pids: set[int] | dict[int, str]) -> set[int]:
    """Which of `pids` are a Chromium that Playwright launched (its main process, not a renderer or helper)."""
    found = set()
    for pid in pids:
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--remote-debugging-pipe" in args and not any(a.startswith(b"--type=") for a in args):
            found.add(pid)
    return found
