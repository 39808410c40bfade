"""Stop waiting for a step's element once the page already shows why it will not come (the sign-in page, a block)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

# How often the cause is looked for while an action waits.
POLL_S = 0.25
# How long a cause must have held before the wait is given up (a redirect may pass through a sign-in page).
GRACE_S = 2.0


class CutShort(Exception):
    """The wait was given up: the message says what the page shows instead."""


async def unless(work: Awaitable[T], cause: Callable[[], str | None]) -> T:
    """Await `work`, but raise CutShort(message) once `cause()` has named a message for GRACE_S (looked at every
    POLL_S)."""
    task = asyncio.ensure_future(work)
    since: float | None = None
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=POLL_S)
            if done:
                return task.result()
            message = cause()
            if message is None:
                since = None
            elif since is None:
                since = time.monotonic()
            elif time.monotonic() - since >= GRACE_S:
                raise CutShort(message)
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
