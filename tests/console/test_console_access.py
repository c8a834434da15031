"""Who gets into the console and what each role may do: sign-in with CSRF, cookies, sessions a
sign-out revokes, rate limiting, role checks on pages and forms, and the audit log page."""

from __future__ import annotations

import csv
import io

from console_builders import (
    PASSWORD,
    an_operator,
    console_as,
    csrf_of,
    form_csrf,
    pre_token,
    sign_in,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tierline.runtime import Runtime
from tierline.services.operator_users import CreateOperator, create_operator


class TestSignIn:
    def test_no_page_opens_without_a_session(self, app: FastAPI) -> None:
        browser = TestClient(app)
        for path in ("/console", "/console/accounts", "/console/audit", "/console/operators"):
            response = browser.get(path, follow_redirects=False)
            assert response.status_code == 303, path
            assert response.headers["location"] == "/console/login"

    def test_a_form_without_a_session_is_refused(self, app: FastAPI) -> None:
        response = TestClient(app).post("/console/logout", data={"csrf": "x"})
        assert response.status_code == 401

    def test_the_session_cookie_is_httponly_and_samesite_lax(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        browser = TestClient(app)
        csrf = pre_token(browser)
        response = browser.post(
            "/console/login",
            data={"email": an_operator(hap), "password": PASSWORD, "csrf": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
        cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith("tierline_console=")
        )
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/console" in cookie
        assert "Secure" not in cookie

    def test_cookies_are_secure_when_configured(self, hap: Runtime) -> None:
        from tierline.api.app import create_app

        browser = TestClient(create_app(hap, secure_cookies=True), base_url="https://testserver")
        csrf = pre_token(browser)
        response = browser.post(
            "/console/login",
            data={"email": an_operator(hap), "password": PASSWORD, "csrf": csrf},
            follow_redirects=False,
        )
        cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith("tierline_console=")
        )
        assert "Secure" in cookie

    def test_the_sign_in_form_needs_its_csrf_token(self, hap: Runtime, app: FastAPI) -> None:
        browser = TestClient(app)
        pre_token(browser)
        response = browser.post(
            "/console/login", data={"email": an_operator(hap), "password": PASSWORD, "csrf": "x"}
        )
        assert response.status_code == 403

    def test_a_wrong_password_shows_the_form_again(self, hap: Runtime, app: FastAPI) -> None:
        browser = TestClient(app)
        email = an_operator(hap)
        csrf = pre_token(browser)
        response = browser.post(
            "/console/login", data={"email": email, "password": "nope", "csrf": csrf}
        )
        assert response.status_code == 401
        assert "The e-mail, the password or the code is wrong." in response.text

    def test_the_sixth_try_for_an_email_is_refused_even_with_the_right_password(
        self, fresh: Runtime, fresh_app: FastAPI
    ) -> None:
        browser = TestClient(fresh_app)
        email = an_operator(fresh)
        for _ in range(5):
            assert sign_in(browser, email, "wrong password") == 401
        assert sign_in(browser, email) == 429

    def test_a_revoked_session_is_refused(self, hap: Runtime, app: FastAPI) -> None:
        browser = console_as(app, hap, "support")
        cookie = browser.cookies.get("tierline_console")
        csrf = form_csrf(browser)
        assert browser.post("/console/logout", data={"csrf": csrf}).status_code == 200

        copy = TestClient(app, cookies={"tierline_console": cookie})
        assert copy.get("/console", follow_redirects=False).status_code == 303

    def test_a_form_with_a_wrong_csrf_token_is_refused(self, hap: Runtime, app: FastAPI) -> None:
        browser = console_as(app, hap, "owner")
        response = browser.post(
            "/console/operators", data={"csrf": "forged", "email": "x@y.z", "role": "owner"}
        )
        assert response.status_code == 403

    def test_signing_out_everywhere_ends_the_sessions_of_other_browsers(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        email = an_operator(hap, "support")
        laptop, phone = TestClient(app), TestClient(app)
        assert sign_in(laptop, email) == 303 and sign_in(phone, email) == 303

        laptop.post("/console/profile/sign-out-everywhere", data={"csrf": form_csrf(laptop)})

        assert phone.get("/console", follow_redirects=False).status_code == 303

    def test_the_language_form_needs_its_token_too(self, app: FastAPI) -> None:
        browser = TestClient(app)
        assert browser.post("/console/language", data={"lang": "fr"}).status_code == 401
        csrf = pre_token(browser)
        chosen = browser.post("/console/language", data={"lang": "vi", "csrf": csrf})
        assert '<html lang="vi">' in chosen.text


class TestPasswordLink:
    def test_the_link_sets_a_password_that_then_signs_in(self, hap: Runtime, app: FastAPI) -> None:
        new = create_operator(CreateOperator("link@example.com", "owner"), uow=hap.uow(),
                              clock=hap.clock)  # fmt: skip
        browser = TestClient(app)
        path = f"/console/password/{new.token}"
        csrf = pre_token(browser, path)
        response = browser.post(
            path, data={"password": PASSWORD, "confirmation": PASSWORD, "csrf": csrf}
        )
        assert response.status_code == 200
        assert "Your password is set; sign in." in response.text
        assert sign_in(browser, "link@example.com") == 303
        assert browser.get(path).status_code == 403  # used


class TestRoles:
    def test_read_only_sees_the_dashboard_but_not_operators_or_the_audit_log(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        browser = console_as(app, hap, "read_only")
        assert browser.get("/console").status_code == 200
        assert browser.get("/console/operators").status_code == 403
        assert browser.get("/console/audit").status_code == 403
        assert browser.get("/console/audit.csv").status_code == 403

    def test_an_owner_adds_an_operator_and_gets_a_one_time_link(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        browser = console_as(app, hap, "owner")
        csrf = form_csrf(browser, "/console/operators")
        response = browser.post(
            "/console/operators", data={"csrf": csrf, "email": "new@example.com", "role": "finance"}
        )
        assert response.status_code == 200
        assert "http://testserver/console/password/" in response.text

    def test_a_support_operator_cannot_add_operators(self, hap: Runtime, app: FastAPI) -> None:
        browser = console_as(app, hap, "support")
        csrf = form_csrf(browser)
        response = browser.post(
            "/console/operators", data={"csrf": csrf, "email": "x@example.com", "role": "owner"}
        )
        assert response.status_code == 403


class TestAuditPage:
    def test_owners_see_each_sign_in_and_export_it_as_csv(self, hap: Runtime, app: FastAPI) -> None:
        browser = console_as(app, hap, "owner")
        page = browser.get("/console/audit")
        assert page.status_code == 200
        assert "operator.sign_in" in page.text
        export = browser.get("/console/audit.csv")
        assert export.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(export.text)))
        assert any(r["action"] == "operator.sign_in" for r in rows)
        assert csrf_of(page.text)


class TestDemo:
    def test_make_run_gives_the_demo_owner_a_password_link_each_time(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        from tierline.services.demo import demo_owner_token

        first, second = demo_owner_token(hap), demo_owner_token(hap)

        assert first != second
        assert TestClient(app).get(f"/console/password/{second}").status_code == 200


class TestEveryForm:
    """Every form of the console, found from the app's routes: none works without a session or
    with a wrong CSRF token, and a read-only operator may post none that changes anything."""

    OPEN_TO_ALL = frozenset({"/console/logout", "/console/language", "/console/profile/totp",
                             "/console/profile/totp/off", "/console/login",
                             "/console/profile/sign-out-everywhere"})  # fmt: skip
    BEFORE_SIGN_IN = frozenset({"/console/login", "/console/password/{token}", "/console/language"})

    def _posts(self, app: FastAPI) -> list[str]:
        return sorted(
            route.path
            for route in app.routes
            if getattr(route, "path", "").startswith("/console")
            and "POST" in getattr(route, "methods", set())
        )

    def _url(self, path: str) -> str:
        return (
            path.replace("{account_id}", "acct-x").replace("{number}", "INV-X")
            .replace("{operator_id}", "op_x").replace("{token}", "t")
            .replace("{payment_id}", "pay_x")
        )  # fmt: skip

    def test_no_form_is_taken_without_a_session(self, app: FastAPI) -> None:
        browser = TestClient(app)
        for path in self._posts(app):
            if path in self.BEFORE_SIGN_IN:
                continue
            response = browser.post(self._url(path), data={"csrf": "x"})
            assert response.status_code == 401, path

    def test_no_form_is_taken_with_a_wrong_csrf_token(self, hap: Runtime, app: FastAPI) -> None:
        browser = console_as(app, hap, "owner")
        for path in self._posts(app):
            if path in self.BEFORE_SIGN_IN:
                continue
            response = browser.post(self._url(path), data={"csrf": "forged"})
            assert response.status_code == 403, path

    def test_a_read_only_operator_is_refused_every_form_that_changes_something(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        browser = console_as(app, hap, "read_only")
        csrf = form_csrf(browser)
        for path in self._posts(app):
            if path in self.OPEN_TO_ALL or path in self.BEFORE_SIGN_IN:
                continue
            fields = {"csrf": csrf, "enabled": "0", "role": "admin", "amount": "1",
                      "reason": "x", "email": "x@example.com", "quantity": "1"}  # fmt: skip
            response = browser.post(self._url(path), data=fields)
            assert response.status_code == 403, path
