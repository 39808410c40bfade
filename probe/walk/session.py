"""Signed-in sessions: Playwright storage-state files read, checked and written privately, and traces scrubbed."""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from probe.errors import InputError

PRIVATE_MODE = 0o600
# Folders probe writes reports into by default: a session file never goes inside one.
REPORT_FOLDER_DEFAULTS = ("probe-report", "probe-matrix")
REPORT_MARKERS = ("report.json", "matrix.json")
RENEW = "renew it with `probe login URL --save {file}`"
# Request and response headers that carry a session in a trace's network log.
SESSION_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization", "x-csrf-token"})
REDACTED = "[redacted]"


def load_storage_state(path: Path) -> dict[str, Any]:
    """A storage-state file as `context.storage_state()` writes it ({cookies: [...], origins: [...]}), or InputError."""
    what = f"--storage-state {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what}: file not found; create it with `probe login URL --save {path}`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{what}: cannot read it ({exc.__class__.__name__}); {RENEW.format(file=path)}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what}: not JSON (line {exc.lineno}: {exc.msg}); {RENEW.format(file=path)}") from None
    problem = _storage_state_problem(data)
    if problem:
        raise InputError(f"{what}: not a Playwright storage state ({problem}); {RENEW.format(file=path)}")
    return dict(data)


def _storage_state_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "expected an object with `cookies` and `origins`"
    unknown = sorted(set(data) - {"cookies", "origins"})
    if unknown:
        return f"unknown key {unknown[0]!r}"
    cookies, origins = data.get("cookies", []), data.get("origins", [])
    if not isinstance(cookies, list) or not isinstance(origins, list):
        return "`cookies` and `origins` must be lists"
    for i, cookie in enumerate(cookies):
        if (
            not isinstance(cookie, dict)
            or not {"name", "value"} <= set(cookie)
            or not ("domain" in cookie or "url" in cookie)
        ):
            return f"cookies.{i} needs name, value and domain"
    for i, origin in enumerate(origins):
        if not isinstance(origin, dict) or not isinstance(origin.get("origin"), str):
            return f"origins.{i} needs an `origin`"
    return None


def session_values(state: dict[str, Any] | None) -> set[str]:
    """The secret strings of a storage state (cookie and local-storage values), to keep out of every output."""
    if not state:
        return set()
    values = {str(c.get("value", "")) for c in state.get("cookies", [])}
    for origin in state.get("origins", []):
        values |= {str(item.get("value", "")) for item in origin.get("localStorage", [])}
    # Short values ("1", "en") are not secrets and would mangle ordinary text.
    return {v for v in values if len(v) >= 8}


def report_folder_around(path: Path) -> Path | None:
    """The report folder `path` would land in (an ancestor holding report.json/matrix.json, or a default), or None."""
    target = path.expanduser().resolve()
    defaults = {(Path.cwd() / name).resolve() for name in REPORT_FOLDER_DEFAULTS}
    for folder in target.parents:
        if folder in defaults or any((folder / marker).is_file() for marker in REPORT_MARKERS):
            return folder
    return None


def refuse_report_folder(path: Path) -> None:
    """InputError when a session file would land inside a report folder (reports are shared; sessions never)."""
    folder = report_folder_around(path)
    if folder is not None:
        raise InputError(
            f"--save {path}: that is inside the report folder {folder}, which people share; "
            "save the session elsewhere, e.g. ~/.config/probe/session.json"
        )


def save_storage_state(state: dict[str, Any], path: Path) -> None:
    """Write a storage state readable by its owner alone (0600), replacing the file in one step."""
    refuse_report_folder(path)
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".storage-state-", dir=path.parent)
    try:
        os.fchmod(fd, PRIVATE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=2)
        os.replace(temp, path)
        os.chmod(path, PRIVATE_MODE)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def redact(text: str, secrets: Iterable[str], names: dict[str, str] | None = None) -> str:
    """`text` with every secret replaced by its placeholder (`${env:NAME}`) or by [redacted]."""
    names = names or {}
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, names.get(secret, REDACTED))
    return text


def _scrub_event(event: Any) -> Any:
    """A trace event with session headers' values blanked (headers are lists of {name, value})."""
    if isinstance(event, dict):
        if isinstance(event.get("name"), str) and "value" in event and event["name"].lower() in SESSION_HEADERS:
            return {**event, "value": REDACTED}
        return {key: _scrub_event(value) for key, value in event.items()}
    if isinstance(event, list):
        return [_scrub_event(item) for item in event]
    return event


def scrub_trace(path: Path, secrets: Iterable[str], names: dict[str, str] | None = None) -> None:
    """Rewrite a Playwright trace.zip without session headers and without any of `secrets`, in any of its files."""
    secrets = [s for s in secrets if s]
    temp = path.with_suffix(".scrubbing")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".trace", ".network", ".stacks")):
                lines = []
                for line in data.decode("utf-8", errors="replace").splitlines():
                    try:
                        lines.append(json.dumps(_scrub_event(json.loads(line))))
                    except json.JSONDecodeError:
                        lines.append(line)
                data = "\n".join(lines).encode()
            for secret in secrets:
                if secret.encode() in data:
                    data = data.replace(secret.encode(), (names or {}).get(secret, REDACTED).encode())
            target.writestr(info, data)
    os.replace(temp, path)


def looks_like_sign_in(url: str) -> bool:
    """True when a URL's path looks like a store's sign-in page (/signin, /login, /account/login…)."""
    return SIGN_IN_PATH.search(url.split("?", 1)[0]) is not None


SIGN_IN_PATH = re.compile(r"/(sign[-_]?in|log[-_]?in|signon|auth(enticate)?)(/|$|\.)|/account/login", re.IGNORECASE)
