"""Builders for console tests: operators made through the services with a password set from
their one-time link, and browsers (TestClient) signed in as them."""

from __future__ import annotations

import re
from itertools import count

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tierline.runtime import Runtime
from tierline.services.operator_users import (
    CreateOperator,
    SetPassword,
    create_operator,
    set_password,
)

PASSWORD = "correct horse battery"
_numbers = count(1)


def an_operator(rt: Runtime, role: str = "owner", *, password: str = PASSWORD) -> str:
    """A new operator with a password; returns the e-mail."""
    email = f"{role}-{next(_numbers)}@operator.test"
    new = create_operator(CreateOperator(email, role), uow=rt.uow(), clock=rt.clock)
    set_password(SetPassword(new.token, password, password), uow=rt.uow(), clock=rt.clock)
    return email


def pre_token(browser: TestClient, path: str = "/console/login") -> str:
    """The CSRF token of a form shown before sign-in (and its cookie, kept by the browser)."""
    response = browser.get(path)
    assert response.status_code == 200, response.text
    return csrf_of(response.text)


def sign_in(browser: TestClient, email: str, password: str = PASSWORD, code: str = "") -> int:
    csrf = pre_token(browser)
    response = browser.post(
        "/console/login",
        data={"email": email, "password": password, "code": code, "csrf": csrf},
        follow_redirects=False,
    )
    return response.status_code


def console_as(app: FastAPI, rt: Runtime, role: str = "owner") -> TestClient:
    """A browser signed in as a new operator with `role`."""
    browser = TestClient(app)
    assert sign_in(browser, an_operator(rt, role)) == 303
    return browser


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def form_csrf(browser: TestClient, path: str = "/console") -> str:
    """The session's CSRF token, read from a page's sign-out form."""
    response = browser.get(path)
    assert response.status_code == 200, response.text
    return csrf_of(response.text.split("/logout", 1)[1])
