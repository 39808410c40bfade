"""Sign-in for scenarios that need it: a /signin page, a signed session cookie, and pages that require it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from mock_store.scenarios import Scenario

SESSION_COOKIE = "session"
# A demonstration store's key: it only has to make a forged or edited cookie fail, not to be secret.
SESSION_KEY = b"everymart-mock-store-session"
SECONDS_PER_DAY = 86_400
# Paths a signed-out shopper cannot open under a scenario with `sign_in:`.
PROTECTED_PREFIXES = ("/checkout/", "/account")

router = APIRouter()


def session_token(email: str, issued_at: float) -> str:
    """A session cookie value: who and when, signed so the store can tell an edited one."""
    body = base64.urlsafe_b64encode(f"{email}|{int(issued_at)}".encode()).decode()
    mac = hmac.new(SESSION_KEY, body.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{body}.{mac}"


def session_state(token: str | None, scenario: Scenario, now: float | None = None) -> str:
    """'valid', 'expired' or 'none' for a session cookie under this scenario."""
    if not token or "." not in token or scenario.sign_in is None:
        return "none"
    body, mac = token.rsplit(".", 1)
    expected = hmac.new(SESSION_KEY, body.encode(), hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(mac, expected):
        return "none"
    try:
        email, issued = base64.urlsafe_b64decode(body.encode()).decode().rsplit("|", 1)
        age = (now or time.time()) - int(issued)
    except ValueError:
        return "none"
    if email != scenario.sign_in.email:
        return "none"
    return "expired" if age > scenario.sign_in.session_days * SECONDS_PER_DAY else "valid"


def sign_in_redirect(request: Request, scenario: Scenario) -> Response | None:
    """The redirect to /signin for a protected page opened without a valid session, else None."""
    path = request.url.path
    if scenario.sign_in is None or not path.startswith(PROTECTED_PREFIXES):
        return None
    state = session_state(request.cookies.get(SESSION_COOKIE), scenario)
    if state == "valid":
        return None
    target = path + (f"?{request.url.query}" if request.url.query else "")
    expired = "&expired=1" if state == "expired" else ""
    return RedirectResponse(f"/signin?next={quote(target, safe='')}{expired}", status_code=303)


def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") else "/account/credit"


def _page(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    context = {
        "scenario_name": getattr(request.state, "scenario", None),
        "cart_count": 0,
        "checkout": False,
        "next": _safe_next(request.query_params.get("next")),
        "expired": request.query_params.get("expired") == "1",
        "error": error,
    }
    return templates.TemplateResponse(request, "signin.html", context, status_code=status)


@router.get("/signin")
def signin_page(request: Request) -> Response:
    return _page(request)


@router.post("/signin")
async def signin_submit(request: Request) -> Response:
    from mock_store.pages import current_scenario, form_data

    form = await form_data(request)
    account = current_scenario(request).sign_in
    good = account is not None and hmac.compare_digest(form.get("email", "").strip(), account.email)
    good = good and account is not None and hmac.compare_digest(form.get("password", ""), account.password)
    if not good or account is None:
        return _page(request, error="Your e-mail address or password is incorrect.", status=200)
    response = RedirectResponse(_safe_next(form.get("next")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_token(account.email, time.time()),
        max_age=account.session_days * SECONDS_PER_DAY,
        httponly=True,
        samesite="lax",
    )
    return response


@router.get("/signout")
def signout(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/signin/expire-session")
def expire_session(request: Request) -> Response:
    """A testing aid: turn this browser's session into one the store considers expired."""
    from mock_store.pages import current_scenario

    account = current_scenario(request).sign_in
    response = RedirectResponse("/", status_code=303)
    if account is not None:
        old = time.time() - (account.session_days + 1) * SECONDS_PER_DAY
        response.set_cookie(SESSION_COOKIE, session_token(account.email, old), httponly=True, samesite="lax")
    return response
