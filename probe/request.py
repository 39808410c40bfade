"""The check request: everything one check needs, validated by the model itself before a browser starts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

from pydantic import Field, ValidationError, model_validator

from probe.errors import InputError, validation_lines
from probe.models import CreditSource, Frozen, GiftCardKind, Intent
from probe.timing import Timing

DEFAULT_TIMEOUT_S = 60.0
# The run history's URL schemes taken as PostgreSQL (all driven through psycopg 3); anything else with :// but
# sqlite:// is refused before a browser starts.
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
# The command line's (and the Python API's) spellings of the fields whose names differ.
SPELLINGS = {"timeout": "timeout_s", "mask_selector": "mask_selectors"}


class CheckRequest(Frozen):
    """Everything one check needs, validated before a browser starts."""

    url: str | None = None
    scenario: str | None = None
    profile: Path | None = None
    payment_page: bool = False
    gift_card: GiftCardKind | None = None
    credit_source: CreditSource | None = None
    credit_expires: dt.date | None = None
    intent: Intent | None = None
    today: dt.date | None = None
    out: Path = Path("probe-report")
    timeout_s: float = Field(default=DEFAULT_TIMEOUT_S, gt=0)
    trace: bool = False
    headed: bool = False
    browser_path: str | None = None
    option_label: str | None = None
    rules: Path | None = None
    mask: bool | None = None
    mask_selectors: tuple[str, ...] = ()
    cdp_endpoint: str | None = None
    ws_endpoint: str | None = None
    baseline: Path | None = None
    storage_state: Path | None = None
    use_existing_context: bool = False
    timing: Timing = Timing()
    apply: bool = Field(default=True, description="press a credit's own apply / use / select control (--no-apply)")
    full_page: bool = Field(default=False, description="picture the whole payment page, not the region of its options")
    history: str | None = Field(default=None, description="the run history: a SQLite file or a postgresql:// URL")
    no_history: bool = False
    notify: str | None = Field(default=None, description="webhook posted to when a run differs from the last")
    credit_code_env: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="the environment variable holding the credit's code (the code itself is never written anywhere)",
    )

    @model_validator(mode="after")
    def _consistent(self) -> CheckRequest:
        """A URL the browser can open, a scenario only without one, at most one remote browser (InputError)."""
        if self.url is not None:
            validate_url(self.url)
            if self.scenario is not None:
                raise InputError("--scenario chooses a bundled-store scenario; it cannot be used with a URL")
        elif self.payment_page:
            raise InputError("--payment-page needs a URL: the page that already shows the payment selection")
        validate_endpoints(self.cdp_endpoint, self.ws_endpoint)
        check_history_options(self.history, self.no_history, self.notify)
        if self.use_existing_context and self.cdp_endpoint is None:
            raise InputError("--use-existing-context borrows a remote browser's own context: give --cdp-endpoint too")
        if self.use_existing_context and self.storage_state is not None:
            raise InputError(
                "--use-existing-context and --storage-state: the remote context has its own session; give one"
            )
        return self


def option_names() -> dict[str, str]:
    """Each option as `probe check` and `probe.check()` spell it, mapped to the request's field."""
    fields = {name: name for name in CheckRequest.model_fields}
    for spelling, field in SPELLINGS.items():
        del fields[field]
        fields[spelling] = field
    return fields


def build_request(options: Mapping[str, object], *, what: str) -> CheckRequest:
    """The one way to make a request: options by field name or as the command line spells them; `None` = default.

    Values that do not fit a field are one InputError (`what`: N bad option(s), a line each).
    """
    names = {**{name: name for name in CheckRequest.model_fields}, **option_names()}
    values = {names[key]: value for key, value in options.items() if key in names and value is not None}
    try:
        return CheckRequest.model_validate(values)
    except ValidationError as exc:
        lines = validation_lines(exc, CheckRequest)
        raise InputError(f"{what}: {len(lines)} bad option(s)", lines=[f"  {line}" for line in lines]) from None


def validate_url(url: str) -> str:
    """A URL the browser can open, or InputError."""
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return url
    if parsed.scheme == "file" and parsed.path:
        return url
    raise InputError(
        f"URL {url!r}: not an http(s):// or file:// address; give a full URL such as https://store.example/"
    )


def validate_endpoints(cdp: str | None, ws: str | None) -> None:
    """At most one remote browser, each an address Playwright can connect to, or InputError."""
    if cdp is not None and ws is not None:
        raise InputError("--cdp-endpoint and --ws-endpoint: give one or the other, not both")
    for option, value, schemes in (
        ("--cdp-endpoint", cdp, ("http", "https", "ws", "wss")),
        ("--ws-endpoint", ws, ("ws", "wss")),
    ):
        if value is not None:
            parsed = urlparse(value)
            if parsed.scheme not in schemes or not parsed.netloc:
                raise InputError(
                    f"{option} {value!r}: not a {'/'.join(s + '://' for s in schemes)} address; "
                    "e.g. http://127.0.0.1:9222 or ws://127.0.0.1:3000/"
                )


def history_shown(where: str) -> str:
    """A --history path or URL as it may be printed: a URL's password is never shown."""
    if "://" not in where:
        return where
    scheme, rest = where.split("://", 1)
    credentials, at, host = rest.partition("@")
    if at and ":" in credentials and "/" not in credentials:
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return where


def validate_history(where: str) -> str:
    """A run history probe can open (a file path, a postgresql:// or sqlite:// URL), or InputError."""
    scheme = where.split("://", 1)[0].lower() if "://" in where else None
    if scheme is not None and scheme not in (*POSTGRES_SCHEMES, "sqlite"):
        raise InputError(
            f"--history {history_shown(where)}: {scheme}:// is not a history probe keeps; "
            "give a file path (SQLite) or a postgresql:// URL"
        )
    return where


def check_history_options(history: str | None, no_history: bool, notify: str | None) -> None:
    """--history, --no-history and --notify agree, and each is usable (InputError otherwise)."""
    if history is not None:
        validate_history(history)
    if notify is not None:
        parts = urlparse(notify)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"--notify {notify!r}: not an http(s):// address; give the webhook's URL")
        if no_history:
            raise InputError("--notify posts when a run differs from the last one in the history: drop --no-history")
