"""Where the run history lives: a SQLite file (by default in the user's data folder) or a PostgreSQL URL."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from probe.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

ENV = "PROBE_HISTORY"
FILE_NAME = "history.sqlite"
# The URL schemes taken as PostgreSQL; all of them are driven through psycopg 3.
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def data_folder() -> Path:
    """The user's data folder for probe: $XDG_DATA_HOME/probe (~/.local/share/probe), or the platform's own."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "probe"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "probe"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "probe"


def chosen(given: str | None) -> str:
    """The history to use: --history, else $PROBE_HISTORY, else history.sqlite in the user's data folder."""
    return given or os.environ.get(ENV) or str(data_folder() / FILE_NAME)


def is_url(where: str) -> bool:
    """Whether `where` is a database URL rather than a file path."""
    return "://" in where


def validate(where: str) -> str:
    """A history location that can be opened (a path, or a postgresql:// or sqlite:// URL), or InputError; cheap
    (no database library loaded), for checking a request before a browser starts."""
    scheme = where.split("://", 1)[0].lower() if is_url(where) else None
    if scheme is not None and scheme not in (*POSTGRES_SCHEMES, "sqlite"):
        raise InputError(
            f"--history {shown(where)}: {scheme}:// is not a history probe keeps; "
            "give a file path (SQLite) or a postgresql:// URL"
        )
    return where


def check_options(history: str | None, no_history: bool, notify: str | None) -> None:
    """--history, --no-history and --notify agree, and each is usable (InputError otherwise)."""
    if history is not None:
        validate(history)
    if notify is not None:
        parts = urlsplit(notify)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"--notify {notify!r}: not an http(s):// address; give the webhook's URL")
        if no_history:
            raise InputError("--notify posts when a run differs from the last one in the history: drop --no-history")


def database_url(where: str) -> URL:
    """The SQLAlchemy URL for a history: a path becomes a SQLite file, a postgresql:// URL goes through psycopg 3."""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    validate(where)
    if not is_url(where):
        return URL.create("sqlite", database=str(Path(where).expanduser()))
    try:
        url = make_url(where)
    except ArgumentError:
        raise InputError(f"--history {shown(where)}: not a database URL; give a file path or postgresql://…") from None
    if url.drivername in POSTGRES_SCHEMES:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername == "sqlite" and url.database:
        return url
    raise InputError(f"--history {shown(where)}: give the database's name (sqlite:///PATH, postgresql://HOST/NAME)")


def sqlite_path(where: str) -> Path | None:
    """The file of a SQLite history, None for a server's."""
    url = database_url(where)
    return Path(url.database or "") if url.get_backend_name() == "sqlite" else None


def shown(where: str) -> str:
    """The history as it may be printed: a URL's password is never shown."""
    if not is_url(where):
        return where
    scheme, rest = where.split("://", 1)
    if "@" in rest.split("/", 1)[0]:
        credentials, host = rest.split("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else where
    return where
