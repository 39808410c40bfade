"""The store application: scenario per browser session, JSON endpoints, static files and the page routes."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from mock_store import scenarios as scenario_files
from mock_store.catalogue import STORE_NAME
from mock_store.frames import router as frames_router
from mock_store.pages import SCENARIO_COOKIE
from mock_store.pages import router as pages_router
from mock_store.scenarios import NAME_PATTERN, Scenario, ScenarioError, UnknownScenario, load_scenario
from mock_store.signin import router as signin_router
from mock_store.signin import sign_in_redirect

HERE = Path(__file__).resolve().parent


class OrderLog:
    """Every order placed on this server, in order; a test reads it to prove nothing was ordered."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._orders: list[dict[str, Any]] = []

    def append(self, order: dict[str, Any]) -> None:
        with self._lock:
            self._orders.append(order)

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._orders)

    def clear(self) -> None:
        with self._lock:
            self._orders.clear()


class ScenarioSource:
    """Finds the scenario a request is browsing under and loads it fresh from its file."""

    def __init__(self, default: str, directory: Path) -> None:
        self.default = default
        self.directory = directory

    def names(self) -> list[str]:
        return scenario_files.list_scenarios(self.directory)

    def load(self, name: str) -> Scenario:
        return load_scenario(name, self.directory)


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["store_name"] = STORE_NAME
    return Jinja2Templates(env=env)


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"title": title, "message": message, "scenario_name": None, "cart_count": 0, "checkout": False},
        status_code=status,
    )


def create_app(default_scenario: str = "default", scenarios_dir: Path | None = None) -> FastAPI:
    """The store, browsing `default_scenario` unless a session picks another; fails early on a bad default."""
    directory = scenarios_dir or scenario_files.scenarios_dir()
    load_scenario(default_scenario, directory)
    app = FastAPI(title=f"{STORE_NAME} (mock store)", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.scenarios = ScenarioSource(default_scenario, directory)
    app.state.orders = OrderLog()
    app.state.templates = _templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def choose_scenario(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        source: ScenarioSource = request.app.state.scenarios
        asked = request.query_params.get("scenario")
        if asked is not None and asked not in source.names():
            try:
                source.load(asked)
            except ScenarioError as exc:
                return _error_page(request, 404, "Unknown scenario", str(exc))
        cookie = request.cookies.get(SCENARIO_COOKIE)
        chosen = asked or (cookie if cookie and NAME_PATTERN.match(cookie) and cookie in source.names() else None)
        request.state.scenario = chosen or source.default
        gate = sign_in_redirect(request, source.load(request.state.scenario))
        response = gate if gate is not None else await call_next(request)
        if asked is not None:
            response.set_cookie(SCENARIO_COOKIE, asked, httponly=True, samesite="lax")
        return response

    @app.exception_handler(ScenarioError)
    async def broken_scenario(request: Request, exc: ScenarioError) -> Response:
        status = 404 if isinstance(exc, UnknownScenario) else 500
        return _error_page(request, status, "Scenario problem", str(exc))

    @app.get("/scenario/{name}")
    def pick_scenario(name: str, request: Request) -> Response:
        request.app.state.scenarios.load(name)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(SCENARIO_COOKIE, name, httponly=True, samesite="lax")
        return response

    @app.get("/api/scenarios")
    def api_scenarios(request: Request) -> dict[str, Any]:
        source: ScenarioSource = request.app.state.scenarios
        return {"default": source.default, "scenarios": source.names()}

    @app.get("/api/scenarios/{name}")
    def api_scenario(name: str, request: Request) -> dict[str, Any]:
        scenario: Scenario = request.app.state.scenarios.load(name)
        return {"name": name, **scenario.model_dump(mode="json")}

    @app.get("/api/orders")
    def api_orders(request: Request) -> dict[str, Any]:
        return {"orders": request.app.state.orders.all()}

    @app.post("/api/orders/reset")
    def api_orders_reset(request: Request) -> dict[str, Any]:
        request.app.state.orders.clear()
        return {"orders": []}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    app.include_router(pages_router)
    app.include_router(frames_router)
    app.include_router(signin_router)

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> Response:
        detail = getattr(exc, "detail", None)
        message = detail if isinstance(detail, str) and detail != "Not Found" else "We couldn't find that page."
        return _error_page(request, 404, "Page not found", message)

    return app
