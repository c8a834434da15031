"""Who the console speaks for: a server-side session named by an opaque cookie, its CSRF token,
and the operator's role.

The cookie holds a random secret; the store keeps its hash with the operator and the session's
CSRF token, so signing out (or an owner disabling the operator) ends every copy of the cookie.
Before sign-in, forms carry a token that must match a cookie of its own (double submit).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request
from starlette.responses import Response

from tierline.domain.roles import Permission, may
from tierline.runtime import Runtime
from tierline.services.operator_users import SESSION_LIFETIME, SignedIn, signed_in

BASE = "/console"
COOKIE = "tierline_console"
PRE_COOKIE = "tierline_console_pre"  # the CSRF token of the sign-in and password forms
LANG_COOKIE = "tierline_console_lang"


class ConsoleProblem(Exception):
    """A refusal the console shows as a page: `key` names the words, `status` the HTTP status."""

    def __init__(self, key: str, status: int) -> None:
        super().__init__(key)
        self.key = key
        self.status = status


@dataclass
class ConsoleConfig:
    secure_cookies: bool = False

    def _cookie(self, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name, value, max_age=max_age, path=BASE, httponly=True, samesite="lax",
            secure=self.secure_cookies,
        )  # fmt: skip

    def sign_in(self, response: Response, token: str) -> None:
        self._cookie(response, COOKIE, token, int(SESSION_LIFETIME.total_seconds()))
        response.delete_cookie(PRE_COOKIE, path=BASE)

    def sign_out(self, response: Response) -> None:
        response.delete_cookie(
            COOKIE, path=BASE, httponly=True, samesite="lax", secure=self.secure_cookies
        )

    def pre_token(self, request: Request) -> str:
        """The token of the forms shown before sign-in: the browser's, or a new one."""
        return request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(24)

    def keep_pre_token(self, response: Response, token: str) -> None:
        self._cookie(response, PRE_COOKIE, token, 3600)

    def language(self, response: Response, lang: str) -> None:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 86400, path=BASE, samesite="lax",
            secure=self.secure_cookies, httponly=True,
        )  # fmt: skip


def config_of(request: Request) -> ConsoleConfig:
    config: ConsoleConfig = request.app.state.console
    return config


def runtime_of(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def _same(a: str, b: str) -> bool:
    return bool(a) and secrets.compare_digest(a.encode(), b.encode())


def current_session(request: Request) -> SignedIn:
    """The signed-in operator; any page without a live session is refused."""
    token = request.cookies.get(COOKIE)
    rt = runtime_of(request)
    found = None if not token else signed_in(token, uow=rt.uow(), clock=rt.clock)
    if found is None:
        raise ConsoleProblem("signed_out", 401)
    request.state.session = found
    return found


SessionDep = Annotated[SignedIn, Depends(current_session)]


def posting_session(session: SessionDep, csrf: Annotated[str, Form()] = "") -> SignedIn:
    """The session of a form: its CSRF token must be the session's."""
    if not _same(csrf, session.csrf):
        raise ConsoleProblem("csrf_failed", 403)
    return session


PostingDep = Annotated[SignedIn, Depends(posting_session)]


def check_pre_token(request: Request, csrf: str) -> None:
    """A sign-in or password form must carry the token of its cookie."""
    if not _same(csrf, request.cookies.get(PRE_COOKIE, "")):
        raise ConsoleProblem("csrf_failed", 403)


def allowed(session: SignedIn, permission: Permission) -> bool:
    return may(session.operator.role, permission)


def needs(session: SignedIn, permission: Permission) -> None:
    """Refuse a page or a form that the operator's role does not allow."""
    if not allowed(session, permission):
        raise ConsoleProblem("not_permitted", 403)
