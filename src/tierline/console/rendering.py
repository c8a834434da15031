"""Console pages: the Jinja2 environment (gettext through `tierline.i18n`), the context every
page shares, amounts and dates in the operator's language, and refusals shown as pages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tierline.api.errors import status_of
from tierline.console.session import (
    BASE,
    LANG_COOKIE,
    ConsoleProblem,
    allowed,
)
from tierline.errors import NotFound, TierlineError
from tierline.i18n import LANGUAGES, language_of, translations, words
from tierline.i18n_templates import install
from tierline.portal.i18n import Say
from tierline.services.operator_users import SignedIn

TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
install(_env)


class Show:
    """Amounts, numbers and instants as the operator reads them (UTC)."""

    def __init__(self, language: str) -> None:
        self.locale = Locale.parse(language)

    def money(self, amount: Decimal | None, currency: str) -> str:
        if amount is None:
            return "—"
        return format_currency(amount, currency, locale=self.locale)

    def number(self, value: int | Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, instant: datetime | None) -> str:
        return "—" if instant is None else format_date(instant, "medium", locale=self.locale)

    def when(self, instant: datetime | None) -> str:
        if instant is None:
            return "—"
        return format_datetime(instant, "short", tzinfo=None, locale=self.locale) + " UTC"


def language_for(request: Request) -> str:
    """The operator's chosen language (a cookie), else the browser's first supported one."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip()
        language = language_of(tag)
        if tag and (language != "en" or tag.lower().startswith("en")):
            return language
    return "en"


def _catalog(language: str) -> NullTranslations:
    try:
        return translations(language)
    except FileNotFoundError:  # catalogs not compiled yet: the English source text
        return NullTranslations()


def page(
    request: Request,
    session: SignedIn | None,
    template: str,
    *,
    status: int = 200,
    active: str | None = None,
    **context: Any,
) -> HTMLResponse:
    language = language_for(request)
    html = _env.get_template(template).render(
        translations=_catalog(language), lang=language, languages=LANGUAGES,
        show=Show(language), say=Say(words(language)), session=session,
        operator=session.operator if session else None,
        csrf=session.csrf if session else "", base=BASE, active=active,
        can=(lambda permission: session is not None and allowed(session, permission)),
        done=request.query_params.get("done"), path=request.url.path,
        **context,
    )  # fmt: skip
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    )
    return response


def redirect(path: str, *, done: str | None = None) -> RedirectResponse:
    """After a form: go to `path`, saying what was done there (a key of `done.html`)."""
    target = BASE + path
    if done is not None:
        target += ("&" if "?" in target else "?") + f"done={done}"
    return RedirectResponse(target, status_code=303)


def error_page(request: Request, key: str | None, status: int, text: str | None = None) -> Response:
    session: SignedIn | None = getattr(request.state, "session", None)
    if key == "signed_out" and request.method == "GET":
        return RedirectResponse(BASE + "/login", status_code=303)
    return page(request, session, "error.html", status=status, key=key, text=text, error=None)


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class ConsoleRoute(APIRoute):
    """A console route: refusals become pages, never JSON; without a session, the sign-in page."""

    def get_route_handler(self) -> Handler:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except ConsoleProblem as problem:
                return await run_in_threadpool(error_page, request, problem.key, problem.status)
            except NotFound as error:
                return await run_in_threadpool(error_page, request, "not_found", 404, error.message)
            except TierlineError as error:
                status, _ = status_of(error)
                return await run_in_threadpool(refusal_page, request, error, status)
            except RequestValidationError:
                return await run_in_threadpool(error_page, request, "bad_request", 400)

        return handler


def refusal_page(request: Request, error: TierlineError, status: int) -> Response:
    session: SignedIn | None = getattr(request.state, "session", None)
    return page(request, session, "error.html", status=status, key=None, text=error.message,
                error=error)  # fmt: skip
