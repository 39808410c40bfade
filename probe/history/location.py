"""Where the run history lives: a SQLite file (by default in the user's data folder) or a PostgreSQL URL."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from probe.errors import InputError
from probe.request import POSTGRES_SCHEMES, history_shown, validate_history

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

ENV = "PROBE_HISTORY"
FILE_NAME = "history.sqlite"


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


def database_url(where: str) -> URL:
    """The SQLAlchemy URL for a history: a path becomes a SQLite file, a postgresql:// URL goes through psycopg 3."""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    validate_history(where)
    if "://" not in where:
        return URL.create("sqlite", database=str(Path(where).expanduser()))
    try:
        url = make_url(where)
    except ArgumentError:
        raise InputError(
            f"--history {history_shown(where)}: not a database URL; give a file path or postgresql://…"
        ) from None
    if url.drivername in POSTGRES_SCHEMES:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername == "sqlite" and url.database:
        return url
    raise InputError(
        f"--history {history_shown(where)}: give the database's name (sqlite:///PATH, postgresql://HOST/NAME)"
    )
