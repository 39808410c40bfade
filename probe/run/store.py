"""The bundled mock store: its scenarios, what each tells the probe, and serving it. The one module that imports it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from probe.errors import InputError, suggest
from probe.request import CheckRequest

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam

DEFAULT_SCENARIO = "default"


def scenario_names() -> list[str]:
    """The bundled scenarios, sorted."""
    from mock_store.scenarios import list_scenarios

    return list_scenarios()


def load(name: str, *, hint: str = "") -> Any:
    """The bundled scenario called `name`, or InputError (with a "did you mean" and `hint` when unknown)."""
    from mock_store.scenarios import ScenarioError, load_scenario

    names = scenario_names()
    if name not in names:
        raise InputError(f"--scenario {name}: no such bundled scenario{suggest(name, names)}{hint}")
    try:
        return load_scenario(name)
    except ScenarioError as exc:
        raise InputError(str(exc)) from None


def scenario_defaults(name: str | None) -> dict[str, object]:
    """The bundled scenario's `probe:` block (what the probe is told about it)."""
    scenario = load(name or DEFAULT_SCENARIO, hint="; see `probe store --list`")
    probe_block = getattr(scenario, "probe", None)
    return probe_block.model_dump() if probe_block is not None else {}


@contextmanager
def serve(scenario: str | None = None) -> Iterator[str]:
    """The bundled store on a free loopback port in a thread, `scenario` its default; yields its base URL."""
    from mock_store.server import serve_in_thread

    with serve_in_thread(scenario=scenario or DEFAULT_SCENARIO) as base_url:
        yield base_url


def serve_forever(host: str, port: int, scenario: str) -> None:
    """The bundled store in the foreground (`probe store`) until interrupted."""
    import uvicorn

    from mock_store.app import create_app

    uvicorn.run(create_app(default_scenario=scenario), host=host, port=port, log_level="warning")


def scenario_cookie(scenario: str, url: str) -> SetCookieParam:
    """The cookie that makes one browser context of a shared bundled store see `scenario`."""
    from mock_store.pages import SCENARIO_COOKIE

    return {"name": SCENARIO_COOKIE, "value": scenario, "url": url}


@contextmanager
def target_url(request: CheckRequest, scenario: str | None, progress: Callable[[str], None]) -> Iterator[str]:
    """The URL to probe: the one given, or the bundled store started on a free loopback port."""
    if request.url is not None:
        yield request.url
        return
    with serve(scenario) as base_url:
        progress(f"bundled store serving scenario '{scenario or DEFAULT_SCENARIO}' at {base_url}")
        yield base_url
