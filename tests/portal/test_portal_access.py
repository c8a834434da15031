"""Who gets in and what they may do: one-time links, signed cookies, CSRF, admins and members,
and accounts that never see each other's pages or documents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape
from portal_builders import (
    ASSOCIATION,
    a_runtime,
    an_account,
    csrf_of,
    link_path,
    signed_in,
)
from starlette.responses import Response

from tierline.api.app import create_app
from tierline.clock import TestClock
from tierline.config import Settings
from tierline.runtime import Runtime
from tierline.services import accounts, queries
from tierline.services.change import ChangeRequest, apply_change
from tierline.services.subscriptions import get_subscription


class TestPortalSessionsApi:
    def test_an_operator_gets_a_one_time_url_that_expires_in_ten_minutes(
        self, hap: Runtime, operator: TestClient
    ) -> None:
        account = an_account(hap)
        response = operator.post("/v1/portal_sessions", json={"account_id": account})
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["role"] == "admin"
        assert body["url"].startswith("http://testserver/portal/login/")
        assert body["expires_at"] == "2026-01-31T10:10:00Z"

    def test_the_url_opens_the_portal_of_that_account(
        self, hap: Runtime, hap_app: FastAPI, operator: TestClient
    ) -> None:
        account = an_account(hap, name="Nocoly Partners")
        url = operator.post(
            "/v1/portal_sessions", json={"account_id": account, "role": "member"}
        ).json()["url"]
        browser = TestClient(hap_app)
        home = browser.get(url)
        assert home.status_code == 200
        assert "Nocoly Partners" in home.text
        assert (
            "You can look around; only administrators can buy, change, cancel or pay." in home.text
        )

    def test_without_an_operator_key_no_session_is_made(self, hap_app: FastAPI) -> None:
        response = TestClient(hap_app).post("/v1/portal_sessions", json={"account_id": "x"})
        assert response.status_code == 401

    def test_an_unknown_role_or_account_is_refused(
        self, hap: Runtime, operator: TestClient
    ) -> None:
        account = an_account(hap)
        bad_role = operator.post(
            "/v1/portal_sessions", json={"account_id": account, "role": "owner"}
        )
        assert bad_role.status_code == 400
        unknown = operator.post("/v1/portal_sessions", json={"account_id": "nobody"})
        assert unknown.status_code == 404


class TestOneTimeLinks:
    def test_a_link_opens_once(self, hap: Runtime, hap_app: FastAPI) -> None:
        path = link_path(hap, an_account(hap))
        first = TestClient(hap_app).get(path, follow_redirects=False)
        assert first.status_code == 303
        second = TestClient(hap_app).get(path, follow_redirects=False)
        assert second.status_code == 410
        assert "This portal link was used already. Ask for a new one." in second.text
        assert "tierline_portal" not in second.cookies

    def test_a_link_expires_after_ten_minutes(self, fresh: Runtime) -> None:
        app = create_app(fresh, secret_key="k")
        path = link_path(fresh, an_account(fresh))
        clock = fresh.clock
        assert isinstance(clock, TestClock)
        clock.set(clock.now() + timedelta(minutes=10, seconds=1))
        response = TestClient(app).get(path, follow_redirects=False)
        assert response.status_code == 410
        assert escape("This portal link has expired. Ask for a new one.") in response.text

    def test_an_unknown_link_is_not_found(self, hap_app: FastAPI) -> None:
        response = TestClient(hap_app).get("/portal/login/not-a-token", follow_redirects=False)
        assert response.status_code == 404

    def test_without_a_session_the_portal_asks_for_a_new_link(self, hap_app: FastAPI) -> None:
        response = TestClient(hap_app).get("/portal/billing")
        assert response.status_code == 401
        assert (
            "Your portal session has ended. Ask your administrator for a new link." in response.text
        )

    def test_a_tampered_cookie_is_no_session(self, hap: Runtime, hap_app: FastAPI) -> None:
        browser = signed_in(hap_app, hap, an_account(hap))
        cookie = next(c for c in browser.cookies.jar if c.name == "tierline_portal")
        tampered = str(cookie.value)[:-2] + "xx"
        browser.cookies.set(cookie.name, tampered, domain=cookie.domain, path=cookie.path)
        assert browser.get("/portal").status_code == 401

    def test_a_cookie_signed_with_another_key_is_no_session(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        other = create_app(hap, secret_key="another key")
        cookie = signed_in(other, hap, an_account(hap)).cookies["tierline_portal"]
        browser = TestClient(hap_app)
        browser.cookies.set("tierline_portal", cookie, path="/portal")
        assert browser.get("/portal").status_code == 401

    def test_signing_out_ends_the_session(self, hap: Runtime, hap_app: FastAPI) -> None:
        browser = signed_in(hap_app, hap, an_account(hap))
        csrf = csrf_of(browser.get("/portal").text)
        browser.post("/portal/logout", data={"csrf": csrf})
        assert browser.get("/portal").status_code == 401

    def test_a_cookie_copied_before_signing_out_is_refused_after(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap))
        copy = TestClient(hap_app)
        copy.cookies.set("tierline_portal", browser.cookies["tierline_portal"], path="/portal")
        assert copy.get("/portal").status_code == 200
        csrf = csrf_of(browser.get("/portal").text)
        assert browser.post("/portal/logout", data={"csrf": csrf}).status_code == 200
        response = copy.get("/portal")
        assert response.status_code == 401
        assert (
            "Your portal session has ended. Ask your administrator for a new link." in response.text
        )
        assert copy.post("/portal/logout", data={"csrf": csrf}).status_code == 401

    def test_a_cookie_naming_an_unknown_session_is_no_session(self, hap: Runtime) -> None:
        app = create_app(hap, secret_key="k")
        config = app.state.portal
        response = Response()
        config.sign_in(response, "ps_unknown", an_account(hap), "admin")
        browser = TestClient(app)
        cookie = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
        browser.cookies.set("tierline_portal", cookie, path="/portal")
        assert browser.get("/portal").status_code == 401


class TestSecureCookies:
    def test_with_secure_cookies_the_session_cookie_is_sent_over_https_only(
        self, hap: Runtime
    ) -> None:
        app = create_app(hap, secret_key="k", secure_cookies=True)
        browser = TestClient(app, base_url="https://testserver")
        response = browser.get(link_path(hap, an_account(hap)), follow_redirects=False)
        assert response.status_code == 303
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("tierline_portal=")
        assert "; Secure" in cookie
        assert "HttpOnly" in cookie
        csrf = csrf_of(browser.get("/portal").text)
        signed_out = browser.post("/portal/logout", data={"csrf": csrf}, follow_redirects=False)
        assert "; Secure" in signed_out.headers["set-cookie"]

    def test_without_secure_cookies_the_session_cookie_is_not_marked_secure(
        self, hap: Runtime
    ) -> None:
        app = create_app(hap, secret_key="k")
        response = TestClient(app).get(link_path(hap, an_account(hap)), follow_redirects=False)
        assert "Secure" not in response.headers["set-cookie"]

    def test_the_setting_comes_from_tierline_secure_cookies(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TIERLINE_SECURE_COOKIES", "true")
        assert Settings().secure_cookies
        monkeypatch.delenv("TIERLINE_SECURE_COOKIES")
        assert not Settings(_env_file=None).secure_cookies


class TestAdminsAndMembers:
    def test_a_member_sees_no_buy_buttons(self, hap: Runtime, hap_app: FastAPI) -> None:
        browser = signed_in(hap_app, hap, an_account(hap), role="member")
        home = browser.get("/portal").text
        assert ">Upgrade<" not in home
        assert ">Recharge<" not in home
        assert 'href="/portal/expand"' not in home
        assert 'href="/portal/packs' not in home
        assert ">Unsubscribe<" not in browser.get("/portal/subscription").text

    def test_a_member_cannot_change_the_plan(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account, role="member")
        csrf = csrf_of(browser.get("/portal").text)  # the sign-out form has it
        response = browser.post("/portal/change", data={"csrf": csrf, "change": "quantity=20"})
        assert response.status_code == 403
        assert "Only administrators can buy, change, cancel or pay." in response.text
        assert get_subscription(account, uow=hap.uow()).plan.quantity == 10

    @pytest.mark.parametrize(
        ("path", "data"),
        [
            ("/portal/subscription/auto-renew", {"enabled": "0"}),
            ("/portal/balance/recharge", {"amount": "20"}),
            ("/portal/payment-methods", {"card": "5555555555554444"}),
        ],
    )
    def test_a_member_cannot_cancel_pay_or_add_cards(
        self, hap: Runtime, hap_app: FastAPI, path: str, data: dict[str, str]
    ) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account, role="member")
        csrf = csrf_of(browser.get("/portal").text)
        assert browser.post(path, data={"csrf": csrf, **data}).status_code == 403
        assert get_subscription(account, uow=hap.uow()).auto_renew
        assert len(accounts.list_payment_methods(account, uow=hap.uow())) == 1

    def test_a_form_without_its_csrf_token_is_refused(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        missing = browser.post("/portal/subscription/auto-renew", data={"enabled": "0"})
        wrong = browser.post(
            "/portal/subscription/auto-renew", data={"enabled": "0", "csrf": "forged"}
        )
        assert missing.status_code == wrong.status_code == 403
        assert "This form has expired. Reload the page and try again." in wrong.text
        assert get_subscription(account, uow=hap.uow()).auto_renew


class TestAccountsApart:
    @pytest.fixture
    def two(self, tmp_path_factory: pytest.TempPathFactory) -> tuple[Runtime, FastAPI, str, str]:
        """On the association catalog: B upgraded, so B has an invoice, a credit note and
        a receipt."""
        rt = a_runtime(tmp_path_factory.mktemp("apart"), ASSOCIATION)
        a = an_account(rt, edition="serenity")
        b = an_account(rt, edition="serenity")
        apply_change(
            ChangeRequest(b, edition="professional"),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
        return rt, create_app(rt, secret_key="k"), a, b

    def test_one_account_cannot_download_anothers_documents(
        self, two: tuple[Runtime, FastAPI, str, str]
    ) -> None:
        rt, app, a, b = two
        theirs = queries.list_invoices(b, uow=rt.uow())[0].number
        notes = queries.list_credit_notes(b, uow=rt.uow())
        assert notes
        browser_a, browser_b = signed_in(app, rt, a), signed_in(app, rt, b)
        assert browser_b.get(f"/portal/invoices/{theirs}.pdf").status_code == 200
        assert browser_a.get(f"/portal/invoices/{theirs}.pdf").status_code == 404
        assert browser_a.get(f"/portal/credit-notes/{notes[0].number}.pdf").status_code == 404
        assert browser_b.get(f"/portal/credit-notes/{notes[0].number}.pdf").status_code == 200
        receipts = queries.list_receipts(b, uow=rt.uow())
        for receipt in receipts:
            assert browser_a.get(f"/portal/receipts/{receipt.number}.pdf").status_code == 404
        assert theirs not in browser_a.get("/portal/billing").text

    def test_one_account_cannot_touch_anothers_payment_methods(
        self, two: tuple[Runtime, FastAPI, str, str]
    ) -> None:
        rt, app, a, b = two
        method = accounts.list_payment_methods(b, uow=rt.uow())[0].id
        browser = signed_in(app, rt, a)
        csrf = csrf_of(browser.get("/portal/payment-methods").text)
        role = browser.post(
            f"/portal/payment-methods/{method}/role", data={"csrf": csrf, "role": "backup"}
        )
        assert role.status_code == 404
        browser.post(f"/portal/payment-methods/{method}/remove", data={"csrf": csrf})
        assert [m.id for m in accounts.list_payment_methods(b, uow=rt.uow())] == [method]
        assert method not in browser.get("/portal/payment-methods").text

    def test_a_missing_document_is_not_found(self, two: tuple[Runtime, FastAPI, str, str]) -> None:
        rt, app, a, _ = two
        response = signed_in(app, rt, a).get("/portal/invoices/INV-1999-000001.pdf")
        assert response.status_code == 404
        assert (
            escape("This page does not exist, or it belongs to another account.") in response.text
        )
