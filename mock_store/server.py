"""Run the store under a real uvicorn server: in a background thread (tests, the probe) or in the foreground."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from mock_store.app import create_app

__all__ = ["create_app", "serve", "serve_app_in_thread", "serve_in_thread", "static_app"]

STARTUP_TIMEOUT = 15.0


class _ThreadServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the main thread."""

    def install_signal_handlers(self) -> None:  # pragma: no cover - kept for older uvicorn
        pass


@contextmanager
def serve_in_thread(host: str = "127.0.0.1", port: int = 0, *, scenario: str | None = None) -> Iterator[str]:
    """Serve the store on host:port (0 = a free port) in a daemon thread; yield its base URL; stop it on exit."""
    with serve_app_in_thread(create_app(scenario or "default"), host, port, name="mock store") as url:
        yield url


@contextmanager
def serve_app_in_thread(
    app: Any,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    name: str = "server",
    log_level: str = "warning",
    shutdown_s: int | None = None,
) -> Iterator[str]:
    """Serve any ASGI app under a real uvicorn in a daemon thread on host:port (0 = free); yield its base URL.

    The one server-in-a-thread of the project (the probe's bundled store, the tests' pages and stores, the bench);
    `shutdown_s` bounds the wait for open connections when it stops.
    """
    config = uvicorn.Config(
        app, host=host, log_level=log_level, access_log=False, lifespan="off", timeout_graceful_shutdown=shutdown_s
    )
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    bound_port = sock.getsockname()[1]
    server = _ThreadServer(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"the {name} failed to start on {host}:{bound_port}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {name} did not start within {STARTUP_TIMEOUT:.0f}s")
            time.sleep(0.01)
        shown = f"[{host}]" if ":" in host else host
        yield f"http://{shown}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def static_app(directory: Path) -> Starlette:
    """An app that serves the files of `directory` (index.html for a folder), for serve_app_in_thread."""
    app = Starlette()
    app.mount("/", StaticFiles(directory=directory, html=True))
    return app


def serve(host: str = "127.0.0.1", port: int = 8000, *, scenario: str | None = None) -> None:
    """Serve the store in the foreground until interrupted."""
    config = uvicorn.Config(create_app(scenario or "default"), host=host, port=port, log_level="info", lifespan="off")
    uvicorn.Server(config).run()
