"""The backup card paid because the primary was declined: the admin is told, and asked to update
the primary card, in a message and on the pages where cards and bills are."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from portal_builders import DECLINED_CARD, GOOD_CARD, an_account, csrf_of, signed_in

from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.accounts import (
    AddPaymentMethod,
    SetPaymentRoles,
    add_payment_method,
    set_payment_roles,
)

MASTERCARD = "5555555555554444"


def with_declined_primary(rt: Runtime) -> str:
    """An account on Standard, paid; its primary card is now declined, a Mastercard is backup."""
    account = an_account(rt)
    for card, primary in ((DECLINED_CARD, True), (MASTERCARD, False)):
        add_payment_method(
            AddPaymentMethod(account, card, id=f"{card[-4:]}-{account}", primary=primary,
                             backup=not primary),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
    return account


def buy_a_pack(browser: TestClient) -> None:
    change = "addon.workflow-executions=1"
    page = browser.get(f"/portal/change?{change}")
    done = browser.post("/portal/change", data={"csrf": csrf_of(page.text), "change": change})
    assert done.status_code == 200, done.text


class TestTheBackupPaidForADeclinedPrimary:
    def test_a_message_says_the_primary_was_declined_and_the_backup_paid(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = with_declined_primary(hap)
        browser = signed_in(hap_app, hap, account)

        buy_a_pack(browser)

        (paid,) = [i for i in queries.list_invoices(account, uow=hap.uow()) if i.total == 15]
        assert paid.status == "paid"
        messages = browser.get("/portal/messages").text
        assert (
            f"Your primary card, Visa ending in 0002, was declined for {paid.number}; the backup "
            "card, Mastercard ending in 4444, paid $15.00. Update the primary card in Payment "
            "methods."
        ) in messages

    def test_home_billing_and_payment_methods_ask_to_update_the_primary(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = with_declined_primary(hap)
        browser = signed_in(hap_app, hap, account)

        buy_a_pack(browser)

        for path in ("", "/billing", "/payment-methods"):
            page = browser.get("/portal" + path).text
            assert 'data-testid="declined-primary"' in page, path
            assert "Your primary card, Visa ending in 0002, was declined" in page
            assert "Update the primary card" in page

    def test_the_banner_goes_once_another_card_is_primary(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = with_declined_primary(hap)
        browser = signed_in(hap_app, hap, account)
        buy_a_pack(browser)

        set_payment_roles(
            SetPaymentRoles(account, f"4444-{account}", f"0002-{account}"), uow=hap.uow()
        )

        assert 'data-testid="declined-primary"' not in browser.get("/portal").text

    def test_no_banner_when_the_primary_paid(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, card=GOOD_CARD)
        browser = signed_in(hap_app, hap, account)

        buy_a_pack(browser)

        assert 'data-testid="declined-primary"' not in browser.get("/portal").text
