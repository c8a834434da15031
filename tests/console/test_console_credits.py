"""Credit notes and refunds from the console, through HTTP: the form with what is left on each
line, a preview before anything is issued, *Confirm* with the session's CSRF token, the role
check on every page and form, and the audit entry."""

from __future__ import annotations

import re

from console_builders import console_as, csrf_of, form_csrf
from fastapi import FastAPI

from tests.portal.portal_builders import an_account
from tierline.runtime import Runtime
from tierline.services import queries


def paid_invoice(rt: Runtime) -> tuple[str, str]:
    account = an_account(rt, edition="standard", quantity=10)
    (invoice,) = queries.list_invoices(account, uow=rt.uow())
    assert invoice.status == "paid"
    return account, invoice.number


def credit_notes(rt: Runtime, account: str) -> list[str]:
    with rt.uow().reading() as uow:
        return [n.number for n in uow.documents.credit_notes_for(account)]


def charge_of(rt: Runtime, account: str) -> str:
    with rt.uow().reading() as uow:
        (charge,) = [p for p in uow.payments.for_account(account) if p.kind == "charge"]
        return charge.id


class TestCreditNote:
    def test_finance_picks_part_of_a_line_previews_it_then_issues_the_credit_note(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account, number = paid_invoice(hap)
        browser = console_as(app, hap, "finance")
        base = f"/console/accounts/{account}/invoices/{number}/credit-note"

        assert f"{number}/credit-note" in browser.get(f"/console/accounts/{account}").text
        form = browser.get(base)
        assert form.status_code == 200 and 'data-fact="left-0"' in form.text
        preview = browser.get(
            base + "/preview",
            params={"line": "0", "amount": "5.00", "credit_to": "balance", "reason": "outage"},
        )
        assert preview.status_code == 200, preview.text
        assert 'data-fact="gross"' in preview.text
        assert credit_notes(hap, account) == []  # nothing yet

        done = browser.post(
            base,
            data={"csrf": csrf_of(preview.text), "line": "0", "amount": "5.00",
                  "credit_to": "balance", "reason": "outage"},
        )  # fmt: skip

        assert done.status_code == 200
        assert "The credit note is issued." in done.text
        assert len(credit_notes(hap, account)) == 1
        log = console_as(app, hap, "owner").get("/console/audit", params={"q": account}).text
        assert "credit_note.issue" in log

    def test_a_credit_above_what_is_left_is_shown_as_a_page_naming_the_line(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account, number = paid_invoice(hap)
        browser = console_as(app, hap, "finance")
        response = browser.get(
            f"/console/accounts/{account}/invoices/{number}/credit-note/preview",
            params={"line": "0", "amount": "100000.00"},
        )
        assert response.status_code == 400
        assert 'class="notice error"' in response.text
        nothing = browser.get(
            f"/console/accounts/{account}/invoices/{number}/credit-note/preview",
            params={"line": "0", "amount": ""},
        )
        assert nothing.status_code == 400

    def test_support_may_neither_open_nor_post_the_credit_note_form(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account, number = paid_invoice(hap)
        browser = console_as(app, hap, "support")
        base = f"/console/accounts/{account}/invoices/{number}/credit-note"
        assert browser.get(base).status_code == 403
        assert f"{number}/credit-note" not in browser.get(f"/console/accounts/{account}").text
        posted = browser.post(
            base, data={"csrf": form_csrf(browser), "line": "0", "amount": "1.00"}
        )
        assert posted.status_code == 403
        assert credit_notes(hap, account) == []

    def test_the_credit_note_form_needs_the_csrf_token(self, hap: Runtime, app: FastAPI) -> None:
        account, number = paid_invoice(hap)
        browser = console_as(app, hap, "finance")
        response = browser.post(
            f"/console/accounts/{account}/invoices/{number}/credit-note",
            data={"line": "0", "amount": "1.00"},
        )
        assert response.status_code == 403
        assert credit_notes(hap, account) == []


class TestRefund:
    def test_finance_refunds_part_of_a_payment_after_a_preview(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account, _ = paid_invoice(hap)
        charge = charge_of(hap, account)
        browser = console_as(app, hap, "finance")
        path = f"/console/accounts/{account}/payments/{charge}/refund"

        assert f"/payments/{charge}/refund" in browser.get(f"/console/accounts/{account}").text
        preview = browser.get(path, params={"amount": "3.00"})
        assert preview.status_code == 200, preview.text
        assert 'data-fact="refund"' in preview.text
        confirm = preview.text.split('id="confirm"')[0].rsplit("<form", 1)[1]
        assert re.findall(r'type="hidden" name="amount" value="([^"]+)"', confirm) == ["3.00"]

        done = browser.post(path, data={"csrf": csrf_of(preview.text), "amount": "3.00"})

        assert "The refund is sent" in done.text
        with hap.uow().reading() as uow:
            refunds = [p for p in uow.payments.for_account(account) if p.kind == "refund"]
        assert [(str(p.amount), p.status) for p in refunds] == [("3.00", "refunded")]
        assert len(credit_notes(hap, account)) == 1

    def test_a_refund_above_what_is_left_is_refused_and_nothing_is_sent(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account, _ = paid_invoice(hap)
        charge = charge_of(hap, account)
        browser = console_as(app, hap, "finance")
        response = browser.post(
            f"/console/accounts/{account}/payments/{charge}/refund",
            data={"csrf": form_csrf(browser), "amount": "100000.00"},
        )
        assert response.status_code == 400
        assert credit_notes(hap, account) == []

    def test_read_only_may_not_refund(self, hap: Runtime, app: FastAPI) -> None:
        account, _ = paid_invoice(hap)
        charge = charge_of(hap, account)
        browser = console_as(app, hap, "read_only")
        path = f"/console/accounts/{account}/payments/{charge}/refund"
        assert browser.get(path).status_code == 403
        assert browser.post(path, data={"csrf": form_csrf(browser)}).status_code == 403
        assert credit_notes(hap, account) == []
