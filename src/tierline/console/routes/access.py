"""Signing in and out, setting a password from a one-time link, the second factor, the
language, and the owners' page of operator users."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from tierline.console.rendering import ConsoleRoute, page, redirect
from tierline.console.session import (
    BASE,
    ConsoleProblem,
    PostingDep,
    SessionDep,
    check_pre_token,
    config_of,
    current_session,
    needs,
    posting_session,
    runtime_of,
)
from tierline.domain.roles import ROLES
from tierline.errors import TierlineError
from tierline.i18n import LANGUAGES
from tierline.services import operator_users as users

router = APIRouter(route_class=ConsoleRoute)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _before_sign_in(request: Request, template: str, status: int = 200, **ctx: Any) -> Response:
    """A form shown before sign-in, with the token its cookie carries."""
    config = config_of(request)
    token = config.pre_token(request)
    response = page(request, None, template, status=status, csrf_pre=token, **ctx)
    config.keep_pre_token(response, token)
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    return _before_sign_in(request, "login.html", error=None, email="")


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
) -> Response:
    check_pre_token(request, csrf)
    rt = runtime_of(request)
    try:
        new = users.sign_in(
            users.SignIn(email, password, _address(request), code), uow=rt.uow(), clock=rt.clock
        )
    except TierlineError as error:
        status = 429 if error.code == "too_many_sign_in_attempts" else 401
        return _before_sign_in(request, "login.html", status, error=error, email=email)
    response = RedirectResponse(BASE, status_code=303)
    config_of(request).sign_in(response, new.token)
    return response


@router.post("/logout")
def logout(request: Request, session: PostingDep) -> Response:
    rt = runtime_of(request)
    users.sign_out(session, uow=rt.uow(), clock=rt.clock)
    response = RedirectResponse(BASE + "/login", status_code=303)
    config_of(request).sign_out(response)
    return response


@router.get("/password/{token}")
def password_form(token: str, request: Request) -> Response:
    rt = runtime_of(request)
    operator = users.operator_for_link(token, uow=rt.uow(), clock=rt.clock)
    return _before_sign_in(request, "password.html", target=operator, error=None)


@router.post("/password/{token}")
def password_set(
    token: str,
    request: Request,
    password: Annotated[str, Form()],
    confirmation: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_pre_token(request, csrf)
    rt = runtime_of(request)
    try:
        users.set_password(
            users.SetPassword(token, password, confirmation), uow=rt.uow(), clock=rt.clock
        )
    except TierlineError as error:
        if error.code == "operator_link_invalid":
            raise
        operator = users.operator_for_link(token, uow=rt.uow(), clock=rt.clock)
        return _before_sign_in(request, "password.html", 400, target=operator, error=error)
    return RedirectResponse(BASE + "/login?done=password_set", status_code=303)


@router.post("/language")
def language(
    request: Request,
    lang: Annotated[str, Form()],
    back: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Any visitor may choose the console's language, with the token of the page's form (the
    session's once signed in)."""
    try:
        check_pre_token(request, csrf)
    except ConsoleProblem:
        posting_session(current_session(request), csrf)
    target = back if back.startswith(BASE) and "//" not in back else BASE
    response = RedirectResponse(target, status_code=303)
    if lang in LANGUAGES:
        config_of(request).language(response, lang)
    return response


@router.get("/profile")
def profile(request: Request, session: SessionDep) -> Response:
    secret = users.new_totp_secret()
    return page(
        request, session, "profile.html", active="profile", secret=secret,
        uri=users.totp_uri(secret, session.operator.email), error=None,
    )  # fmt: skip


@router.post("/profile/totp")
def totp_enable(
    request: Request,
    session: PostingDep,
    secret: Annotated[str, Form()],
    code: Annotated[str, Form()],
) -> Response:
    rt = runtime_of(request)
    try:
        users.enable_totp(session.actor, secret, code, uow=rt.uow(), clock=rt.clock)
    except TierlineError as error:
        return page(
            request, session, "profile.html", status=400, active="profile", secret=secret,
            uri=users.totp_uri(secret, session.operator.email), error=error,
        )  # fmt: skip
    return redirect("/profile", done="totp_on")


@router.post("/profile/totp/off")
def totp_disable(request: Request, session: PostingDep) -> Response:
    rt = runtime_of(request)
    users.disable_totp(session.actor, uow=rt.uow(), clock=rt.clock)
    return redirect("/profile", done="totp_off")


@router.post("/profile/sign-out-everywhere")
def sign_out_everywhere(request: Request, session: PostingDep) -> Response:
    rt = runtime_of(request)
    users.sign_out_everywhere(session, uow=rt.uow(), clock=rt.clock)
    response = RedirectResponse(BASE + "/login", status_code=303)
    config_of(request).sign_out(response)
    return response


@router.get("/operators")
def operators(request: Request, session: SessionDep) -> Response:
    needs(session, "manage_operators")
    rt = runtime_of(request)
    found = users.list_operators(session.actor, uow=rt.uow())
    return page(request, session, "operators.html", active="operators", operators=found,
                roles=ROLES, link=None, error=None)  # fmt: skip


@router.post("/operators")
def operator_create(
    request: Request,
    session: PostingDep,
    email: Annotated[str, Form()],
    role: Annotated[str, Form()],
) -> Response:
    needs(session, "manage_operators")
    rt = runtime_of(request)
    try:
        new = users.create_operator(
            users.CreateOperator(email, role), uow=rt.uow(), clock=rt.clock, actor=session.actor
        )
    except TierlineError as error:
        found = users.list_operators(session.actor, uow=rt.uow())
        return page(request, session, "operators.html", status=400, active="operators",
                    operators=found, roles=ROLES, link=None, error=error)  # fmt: skip
    return _link_page(request, session, new)


def _link_page(request: Request, session: SessionDep, new: users.NewOperator) -> Response:
    rt = runtime_of(request)
    link = f"{request.base_url}{BASE.lstrip('/')}/password/{new.token}"
    found = users.list_operators(session.actor, uow=rt.uow())
    return page(request, session, "operators.html", active="operators", operators=found,
                roles=ROLES, link=link, linked=new.operator, error=None)  # fmt: skip


@router.post("/operators/{operator_id}/link")
def operator_link(request: Request, session: PostingDep, operator_id: str) -> Response:
    needs(session, "manage_operators")
    rt = runtime_of(request)
    new = users.reissue_link(operator_id, uow=rt.uow(), clock=rt.clock, actor=session.actor)
    return _link_page(request, session, new)


@router.post("/operators/{operator_id}/role")
def operator_role(
    request: Request, session: PostingDep, operator_id: str, role: Annotated[str, Form()]
) -> Response:
    needs(session, "manage_operators")
    rt = runtime_of(request)
    users.change_role(session.actor, operator_id, role, uow=rt.uow(), clock=rt.clock)
    return redirect("/operators", done="operator_role")


@router.post("/operators/{operator_id}/disable")
def operator_disable(request: Request, session: PostingDep, operator_id: str) -> Response:
    needs(session, "manage_operators")
    rt = runtime_of(request)
    users.disable_operator(session.actor, operator_id, uow=rt.uow(), clock=rt.clock)
    return redirect("/operators", done="operator_disabled")


@router.get("/signed-out")
def signed_out(request: Request) -> Response:
    raise ConsoleProblem("signed_out", 200)
