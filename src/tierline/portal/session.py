"""Who the browser speaks for: a signed session cookie, CSRF tokens and the admin check.

A one-time link (`tierline.services.portal_sessions`) becomes a cookie holding the account, the
role and a CSRF token, signed with the portal's secret (itsdangerous). Every form carries the
token; a POST whose token differs from the cookie's is refused. Nothing in the browser can name
another account: pages read the account from the cookie only. Every request also asks the store
whether the cookie's session was signed out, so signing out ends every copy of the cookie.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from tierline.documents import Seller
from tierline.runtime import Runtime
from tierline.services.portal_sessions import is_signed_in

COOKIE = "tierline_portal"
FLASH_COOKIE = "tierline_portal_flash"
SESSION_HOURS = 8


class PortalProblem(Exception):
    """A refusal the portal shows as a page: `key` names the words, `status` the HTTP status."""

    def __init__(self, key: str, status: int) -> None:
        super().__init__(key)
        self.key = key
        self.status = status


@dataclass(frozen=True)
class Viewer:
    session_id: str
    account_id: str
    role: str
    csrf: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass
class PortalConfig:
    """What the portal needs besides the runtime: its signing secret and the seller identity."""

    secret_key: str
    seller: Seller
    secure_cookies: bool = False

    def __post_init__(self) -> None:
        self._serializer = URLSafeTimedSerializer(self.secret_key, salt="tierline.portal")
        self._flash = URLSafeTimedSerializer(self.secret_key, salt="tierline.portal.flash")

    def sign_in(self, response: Response, session_id: str, account_id: str, role: str) -> None:
        value = self._serializer.dumps(
            {"sid": session_id, "acct": account_id, "role": role, "csrf": secrets.token_urlsafe(24)}
        )
        response.set_cookie(
            COOKIE, value, max_age=SESSION_HOURS * 3600, path="/portal", httponly=True,
            samesite="lax", secure=self.secure_cookies,
        )  # fmt: skip

    def sign_out(self, response: Response) -> None:
        response.delete_cookie(
            COOKIE, path="/portal", httponly=True, samesite="lax", secure=self.secure_cookies
        )

    def viewer(self, request: Request) -> Viewer | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data: dict[str, Any] = self._serializer.loads(raw, max_age=SESSION_HOURS * 3600)
        except BadSignature:
            return None
        return Viewer(str(data["sid"]), str(data["acct"]), str(data["role"]), str(data["csrf"]))

    def flash(self, response: Response, kind: str, text: str) -> None:
        """A one-time message shown on the next page (after a redirect)."""
        response.set_cookie(
            FLASH_COOKIE, self._flash.dumps({"kind": kind, "text": text}), max_age=300,
            path="/portal", httponly=True, samesite="lax", secure=self.secure_cookies,
        )  # fmt: skip

    def take_flash(self, request: Request) -> dict[str, str] | None:
        raw = request.cookies.get(FLASH_COOKIE)
        if not raw:
            return None
        try:
            data: dict[str, str] = self._flash.loads(raw, max_age=300)
        except BadSignature:
            return None
        return data


def config_of(request: Request) -> PortalConfig:
    config: PortalConfig = request.app.state.portal
    return config


def current_viewer(request: Request) -> Viewer:
    found = config_of(request).viewer(request)
    rt: Runtime = request.app.state.runtime
    if found is None or not is_signed_in(found.session_id, uow=rt.uow()):
        raise PortalProblem("signed_out", 401)
    request.state.viewer = found
    return found


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def viewer_with_csrf(viewer: ViewerDep, csrf: Annotated[str, Form()] = "") -> Viewer:
    """Any signed-in viewer posting a form (sign out)."""
    if not secrets.compare_digest(csrf.encode(), viewer.csrf.encode()):
        raise PortalProblem("csrf_failed", 403)
    return viewer


PostingViewerDep = Annotated[Viewer, Depends(viewer_with_csrf)]


def admin_with_csrf(viewer: PostingViewerDep) -> Viewer:
    """The viewer of a form that buys, changes, cancels or pays: an admin, with the form's token."""
    if not viewer.is_admin:
        raise PortalProblem("admins_only", 403)
    return viewer


AdminDep = Annotated[Viewer, Depends(admin_with_csrf)]
