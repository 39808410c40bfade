"""Playwright's driver (a node process) started before it is needed: its start is waiting, not work.

A check starts the driver, then loads what it needs while node boots. `probe check` goes further: the command
starts the driver on a loop of its own before it has even read its options (`start_early`), with the default Chromium
launched as soon as the driver is up unless the command line names a browser, and the check then runs on that loop
(`run_sync` finds it); node and Chromium start while Python loads the command line, so neither waits for the other.
This module imports nothing of probe at the top: it is loaded before the command line is.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import subprocess
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.async_api import Browser, Playwright

    from probe.walk.browser import BrowserChoice

from probe.run.node import keep_compiled, take_spawned

__all__ = ["Driver", "EarlyDriver", "driver", "early_driver", "keep_compiled", "start_driver", "start_early"]

T = TypeVar("T")
# How long leaving waits for a driver to start and stop before it gives up on it (node ends with its stdin anyway).
STOP_WAIT_S = 10.0


class Driver:
    """A Playwright driver starting in the background: `await playwright()` where it is needed, `stop()` after.
    It may launch the default Chromium ahead too (`launch_default`); `launch` hands that one out when it fits."""

    def __init__(self, starting: asyncio.Future[Playwright]) -> None:
        self._starting = starting
        # The Chromium launched ahead (its path, and its launch, None when it did not start), until a check takes it.
        self._ahead: tuple[Path, asyncio.Task[Browser | None]] | None = None

    async def playwright(self) -> Playwright:
        """The started driver (a Ctrl-C while waiting leaves the start running, for `stop` to end it)."""
        return await asyncio.shield(self._starting)

    def launch_default(self, choice: BrowserChoice) -> None:
        """Launch the default Chromium (`choice`, headless) as soon as the driver is up; call on the driver's loop."""
        self._ahead = (choice.path, self._starting.get_loop().create_task(self._launch_ahead(choice)))

    async def _launch_ahead(self, choice: BrowserChoice) -> Browser | None:
        from probe.walk.browser import launch

        try:
            return await launch(await self.playwright(), choice)
        except Exception:  # noqa: BLE001 - it would not start: the check's own launch says why
            return None

    async def launch(self, choice: BrowserChoice, *, headed: bool = False) -> Browser:
        """`choice` launched: the Chromium launched ahead when it is that one, headless, and it started; else now."""
        from probe.walk.browser import launch

        if self._ahead is not None and self._ahead[0] == choice.path and not headed:
            launching, self._ahead = self._ahead[1], None
            ahead = await launching
            if ahead is not None:
                return ahead
        return await launch(await self.playwright(), choice, headed=headed)

    async def stop(self) -> None:
        """Close a browser launched ahead that no check took, then stop the driver once its start has finished (a
        start that failed has nothing to stop)."""
        try:
            playwright = await asyncio.shield(self._starting)
        except asyncio.CancelledError:
            if self._starting.cancelled():
                return
            raise
        except Exception:  # noqa: BLE001 - the start's own error has already been raised where it was awaited
            return
        if self._ahead is not None:
            unused = await self._ahead[1]
            self._ahead = None
            if unused is not None:
                with contextlib.suppress(Exception):
                    await unused.close()
        await playwright.stop()


def start_driver(loop: asyncio.AbstractEventLoop | None = None) -> Driver:
    """Start a driver on `loop` (default: the running one) without waiting for it."""
    from playwright.async_api import async_playwright

    keep_compiled()
    _take_over_spawned_node()
    return Driver((loop or asyncio.get_running_loop()).create_task(async_playwright().start()))


def _take_over_spawned_node() -> None:
    """Have Playwright's client connect to the node process `probe.run.node` spawned ahead, when there is one still
    untaken, instead of starting its own (once: every later client starts node as usual)."""
    import playwright._impl.out_of_process as client
    from playwright._impl.transport import PipeTransport

    if issubclass(client.PipeTransport, _SpawnedAhead):  # type: ignore[attr-defined]
        return

    class TakesSpawned(PipeTransport, _SpawnedAhead):
        async def connect(self) -> None:
            spawned = take_spawned()
            if spawned is None:
                await super().connect()
                return
            # What PipeTransport.connect sets, with the process already running.
            self._stopped_future: asyncio.Future[None] = asyncio.Future()
            try:
                self._proc = await _SpawnedProcess.attach(spawned)  # type: ignore[assignment]
            except Exception as exc:
                spawned.kill()
                self.on_error_future.set_exception(exc)
                raise
            self._output = self._proc.stdin

    client.PipeTransport = TakesSpawned  # type: ignore[attr-defined]


class _SpawnedAhead:
    """Marks the transport that takes over a node process spawned ahead."""


class _SpawnedProcess:
    """A running node process (subprocess.Popen) with the face of asyncio's Process that PipeTransport uses: its
    stdin and stdout as streams, and `communicate()` once it is told to stop."""

    def __init__(self, popen: subprocess.Popen[bytes], stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader):
        self._popen = popen
        self.stdin = stdin
        self.stdout = stdout

    @classmethod
    async def attach(cls, popen: subprocess.Popen[bytes]) -> _SpawnedProcess:
        loop = asyncio.get_running_loop()
        stdout = asyncio.StreamReader(limit=32768, loop=loop)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdout, loop=loop), popen.stdout)
        transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, popen.stdin)
        return cls(popen, asyncio.StreamWriter(transport, protocol, None, loop), stdout)

    @property
    def returncode(self) -> int | None:
        return self._popen.poll()

    async def wait(self) -> int:
        """Node's exit status, once it has ended (it ends when its stdin closes)."""
        while self._popen.poll() is None:
            await asyncio.sleep(0.005)
        return self._popen.returncode

    async def communicate(self) -> tuple[bytes, None]:
        """Close stdin, read what is left on stdout, wait for the end: asyncio's Process.communicate() without
        input."""
        if not self.stdin.is_closing():
            self.stdin.close()
        rest = await self.stdout.read()
        await self.wait()
        return rest, None


@contextlib.asynccontextmanager
async def driver() -> AsyncIterator[Driver]:
    """The driver `start_early` started, when this is its loop and nothing took it yet; else one started now.
    Stopped on the way out."""
    started = _take_early() or start_driver()
    try:
        yield started
    finally:
        await started.stop()


class EarlyDriver:
    """An event loop in a thread of its own whose driver starts at once."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        # Made before the loop runs, so the driver is known as soon as this returns.
        self.driver = start_driver(self.loop)
        self.taken = False  # a check took its driver
        self.used = False  # something ran on its loop
        self._thread = threading.Thread(target=self.loop.run_forever, name="probe-driver", daemon=True)
        self._thread.start()

    def launch_ahead(self) -> None:
        """Launch the default Chromium as soon as the driver is up (none when none is found: the check says so)."""
        # Found here, not on the loop: an import there would hold the loop while node is answering.
        from probe.errors import ProbeError
        from probe.walk.browser import find_browser

        try:
            choice = find_browser()
        except ProbeError:
            return
        # Queued before any check can be: the check finds the launch under way.
        self.loop.call_soon_threadsafe(self.driver.launch_default, choice)

    def run(self, make: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """Run `make()` on this loop and wait for it. Ctrl-C cancels it and waits for its clean-up (the browser
        closed, an old report kept) before the interrupt goes on; a second Ctrl-C stops waiting."""
        self.used = True
        finished = threading.Event()

        async def tracked() -> T:
            try:
                return await make()
            finally:
                finished.set()

        future = asyncio.run_coroutine_threadsafe(tracked(), self.loop)
        try:
            return future.result()
        except KeyboardInterrupt:
            future.cancel()
            finished.wait()
            raise

    def close(self) -> None:
        """Stop the driver if no check took it, then the loop."""
        if not self.taken:
            self.taken = True
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self.driver.stop(), self.loop).result(STOP_WAIT_S)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(STOP_WAIT_S)
        if not self._thread.is_alive():
            self.loop.close()


_early: EarlyDriver | None = None


def start_early(*, launch: bool) -> None:
    """Start the driver now, on a loop of its own (once per process), launching the default Chromium too when
    `launch`; what no check took is stopped at exit (a Ctrl-C while this runs included)."""
    global _early  # noqa: PLW0603 - one early driver per process, made by the command's entry point
    if _early is not None:
        return
    atexit.register(_close_early)
    _early = EarlyDriver()
    if launch:
        _early.launch_ahead()


def _close_early() -> None:
    if _early is not None:
        _early.close()


def early_driver() -> EarlyDriver | None:
    """The early driver, when `start_early` made one and nothing has run on it yet."""
    return _early if _early is not None and not _early.used else None


def _take_early() -> Driver | None:
    early = _early
    if early is None or early.taken:
        return None
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        return None
    if running is not early.loop:
        return None
    early.taken = True
    return early.driver
