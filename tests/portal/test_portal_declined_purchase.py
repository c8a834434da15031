"""A purchase in the portal (an upgrade, more seats, a pack) paid with a declined card and no
backup: the page says the card was refused, the purchase's invoice is void with its number kept,
the subscription is as it was, and a message names the void invoice. The number is never used
again, by this account or another.

These run on both stores (the `engine` fixture), each on a HAP runtime of its own, through the
portal's HTTP routes with their CSRF tokens, as a person signed in through a one-time link.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from portal_builders import DECLINED_CARD, HAP, an_account, csrf_of, signed_in
from pypdf import PdfReader
from sqlalchemy import Engine

from tierline.api.app import create_app
from tierline.catalog import load_catalog
from tierline.clock import TestClock
from tierline.domain.documents import Invoice, Payment
from tierline.payments import SandboxGateway
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.accounts import AddPaymentMethod, add_payment_method, remove_payment_method
from tierline.services.balance import TopUp, get_balance, top_up
from tierline.services.catalog import install_catalog
from tierline.services.subscriptions import get_subscription

REFUSAL = "The payment failed: The card was declined."
PURCHASES = [
    pytest.param("edition=professional", id="upgrade"),
    pytest.param("quantity=20", id="seats"),
    pytest.param("addon.external-users=1", id="pack"),
]


@pytest.fixture
def rt(engine: Engine, clock: TestClock, gateway: SandboxGateway) -> Runtime:
    """HAP's catalog on the test's database (SQLite, and PostgreSQL when configured)."""
    runtime = Runtime(engine, clock, gateway)
    install_catalog(load_catalog(HAP), uow=runtime.uow(), clock=clock)
    return runtime


@pytest.fixture
def app(rt: Runtime) -> FastAPI:
    return create_app(rt, secret_key="portal-tests")


@pytest.fixture
def declined(rt: Runtime) -> str:
    """An account on Standard × 10 a month, paid; now its only card is declined (no backup)."""
    account = an_account(rt)
    add_payment_method(
        AddPaymentMethod(account, DECLINED_CARD, id=f"declined-{account}", primary=True),
        uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
    )  # fmt: skip
    remove_payment_method(account, f"card-{account}", uow=rt.uow())
    return account


@pytest.fixture
def browser(app: FastAPI, rt: Runtime, declined: str) -> Iterator[TestClient]:
    with signed_in(app, rt, declined) as client:
        yield client


def buy(browser: TestClient, change: str) -> Response:
    """Preview the change, then confirm it with the preview page's CSRF token."""
    page = browser.get(f"/portal/change?{change}")
    assert page.status_code == 200, page.text
    response: Response = browser.post(
        "/portal/change", data={"csrf": csrf_of(page.text), "change": change}
    )
    return response


def invoices(rt: Runtime, account: str) -> list[Invoice]:
    return queries.list_invoices(account, uow=rt.uow())


def payments(rt: Runtime, account: str) -> list[Payment]:
    with rt.uow().reading() as uow:
        return uow.payments.for_account(account)


def the_void_invoice(rt: Runtime, account: str) -> Invoice:
    found = [i for i in invoices(rt, account) if i.status == "void"]
    assert len(found) == 1, [(i.number, i.status) for i in invoices(rt, account)]
    return found[0]


def pay_now(browser: TestClient, number: str) -> Response:
    """Post the billing page's Pay now form for this invoice (shown or not)."""
    page = browser.get("/portal/billing")
    response: Response = browser.post(
        f"/portal/invoices/{number}/pay", data={"csrf": csrf_of(page.text)}
    )
    return response


def notice_of(html: str) -> str:
    """The notice a form left on the page it went back to, with its class."""
    found = re.search(r'(class="notice [^"]+"[^>]*>[^<]*)</div>', html)
    assert found, "no notice on the page"
    return found.group(1)


def number_of(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def rows_of(html: str, table_id: str) -> list[str]:
    """The rows of a table of the page, each as its text."""
    found = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    if found is None:
        return []
    rows = re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


class TestADeclinedPurchaseWithoutABackup:
    @pytest.mark.parametrize("change", PURCHASES)
    def test_the_page_shows_the_refusal_and_the_subscription_is_unchanged(
        self, rt: Runtime, browser: TestClient, declined: str, change: str
    ) -> None:
        before = get_subscription(declined, uow=rt.uow())
        balance = get_balance(declined, uow=rt.uow())

        response = buy(browser, change)

        assert response.status_code == 200
        assert REFUSAL in response.text
        after = get_subscription(declined, uow=rt.uow())
        assert (after.plan.edition, after.plan.quantity, dict(after.plan.addons)) == (
            "standard", 10, {},
        )  # fmt: skip
        assert (after.period, after.status, after.pending) == (before.period, "active", None)
        assert replace(before, version=after.version) == after
        assert get_balance(declined, uow=rt.uow()) == balance

    @pytest.mark.parametrize("change", PURCHASES)
    def test_its_invoice_is_void_and_keeps_its_number(
        self, rt: Runtime, browser: TestClient, declined: str, change: str
    ) -> None:
        [first] = invoices(rt, declined)

        buy(browser, change)

        void = the_void_invoice(rt, declined)
        assert [(i.number, i.status) for i in invoices(rt, declined)] == [
            (first.number, "paid"), (void.number, "void"),
        ]  # fmt: skip
        assert number_of(void.number) == number_of(first.number) + 1
        assert void.total > 0
        attempts = [p for p in payments(rt, declined) if p.invoice_number == void.number]
        assert [(p.status, p.failure_code) for p in attempts] == [("failed", "card_declined")]

    @pytest.mark.parametrize("change", PURCHASES)
    def test_a_message_names_the_void_invoice(
        self, rt: Runtime, browser: TestClient, declined: str, change: str
    ) -> None:
        buy(browser, change)

        void = the_void_invoice(rt, declined)
        page = browser.get("/portal/messages")
        assert page.status_code == 200
        assert f"Invoice {void.number} is void; nothing was changed." in page.text
        failed = [m for m in queries.list_messages(declined, uow=rt.uow())
                  if m["kind"] == "payment.failed"]  # fmt: skip
        assert [(m["payload"]["invoice"], m["payload"].get("voided")) for m in failed] == [
            (void.number, True)
        ]

    def test_the_message_names_the_void_invoice_in_the_accounts_language(
        self, rt: Runtime, app: FastAPI
    ) -> None:
        account = an_account(rt, locale="fr")
        add_payment_method(
            AddPaymentMethod(account, DECLINED_CARD, id="declined", primary=True),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
        remove_payment_method(account, f"card-{account}", uow=rt.uow())
        browser = signed_in(app, rt, account)

        buy(browser, "quantity=20")

        void = the_void_invoice(rt, account)
        page = browser.get("/portal/messages").text
        assert f"La facture {void.number} est annulée ; rien n&#39;a été modifié." in page

    def test_the_next_invoice_of_another_account_takes_the_next_number(
        self, rt: Runtime, app: FastAPI, browser: TestClient, declined: str
    ) -> None:
        other = an_account(rt)

        buy(browser, "quantity=20")
        void = the_void_invoice(rt, declined)
        done = buy(signed_in(app, rt, other), "quantity=20")

        assert "The payment failed" not in done.text
        bought = invoices(rt, other)[-1]
        assert bought.status == "paid"
        assert number_of(bought.number) == number_of(void.number) + 1
        numbers = [i.number for a in (declined, other) for i in invoices(rt, a)]
        assert len(numbers) == len(set(numbers))
        assert sorted(number_of(n) for n in numbers) == list(range(1, len(numbers) + 1))

    def test_no_payment_of_one_account_names_another_accounts_invoice(
        self, rt: Runtime, app: FastAPI, browser: TestClient, declined: str
    ) -> None:
        other = an_account(rt)

        buy(browser, "edition=professional")
        buy(signed_in(app, rt, other), "edition=professional")
        buy(browser, "quantity=20")

        for account in (declined, other):
            own = {i.number for i in invoices(rt, account)}
            named = {p.invoice_number for p in payments(rt, account)}
            assert named <= own, (account, named - own)
        assert len(invoices(rt, declined)) == 3  # its subscription's, and two void ones
        assert len({i.number for i in invoices(rt, declined) if i.status == "void"}) == 2

    def test_the_void_invoice_cannot_be_paid_and_charges_nothing(
        self, rt: Runtime, browser: TestClient, declined: str, gateway: SandboxGateway
    ) -> None:
        buy(browser, "quantity=20")
        void = the_void_invoice(rt, declined)
        charged = len(gateway.charges())

        response = pay_now(browser, void.number)

        assert response.status_code == 200
        assert notice_of(response.text).startswith('class="notice error"')
        assert len(gateway.charges()) == charged
        assert the_void_invoice(rt, declined).number == void.number

    def test_paying_the_void_invoice_is_refused_without_saying_the_subscription_was_cancelled(
        self, rt: Runtime, browser: TestClient, declined: str
    ) -> None:
        """The refusal for an uncollectible invoice ("written off when the subscription was
        cancelled") is not true of a void purchase: the subscription goes on."""
        buy(browser, "quantity=20")
        void = the_void_invoice(rt, declined)

        response = pay_now(browser, void.number)

        refusal = notice_of(response.text)
        assert "cancelled" not in refusal, refusal
        assert get_subscription(declined, uow=rt.uow()).status == "active"

    def test_the_balance_a_declined_purchase_took_is_given_back(
        self, rt: Runtime, app: FastAPI
    ) -> None:
        account = an_account(rt)
        top_up(TopUp(account, "50.00"), uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
        add_payment_method(
            AddPaymentMethod(account, DECLINED_CARD, id="declined", primary=True),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
        remove_payment_method(account, f"card-{account}", uow=rt.uow())

        response = buy(signed_in(app, rt, account), "quantity=20")  # 10 seats × 8.00 = 80.00

        assert REFUSAL in response.text
        void = the_void_invoice(rt, account)
        assert (void.balance_applied, void.total) == (Decimal("50.00"), Decimal("30.00"))
        assert get_balance(account, uow=rt.uow()) == Decimal("50.00")
        assert get_subscription(account, uow=rt.uow()).plan.quantity == 10


class TestTheVoidInvoiceOnTheBillingPage:
    def test_it_is_listed_as_void_without_a_pay_now_button(
        self, rt: Runtime, browser: TestClient, declined: str
    ) -> None:
        buy(browser, "quantity=20")
        void = the_void_invoice(rt, declined)

        page = browser.get("/portal/billing").text

        listed = [row for table in ("open-invoices", "paid-invoices") for row in
                  rows_of(page, table) if row.startswith(void.number)]  # fmt: skip
        assert len(listed) == 1, listed
        assert "Void" in listed[0]
        assert "Open" not in listed[0]
        assert f"/invoices/{void.number}/pay" not in page
        assert f'data-invoice="{void.number}"' not in page

    def test_it_is_not_among_the_bills_to_pay(
        self, rt: Runtime, browser: TestClient, declined: str
    ) -> None:
        """ "Active bills" (it: "Fatture da pagare", vi: "Hóa đơn chưa thanh toán") lists what is
        left to pay; a void invoice needs nothing."""
        buy(browser, "quantity=20")
        void = the_void_invoice(rt, declined)

        page = browser.get("/portal/billing").text

        assert [row for row in rows_of(page, "open-invoices") if void.number in row] == []

    def test_its_pdf_says_void(self, rt: Runtime, browser: TestClient, declined: str) -> None:
        buy(browser, "quantity=20")
        void = the_void_invoice(rt, declined)

        response = browser.get(f"/portal/invoices/{void.number}.pdf")

        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.content))
        text = "".join(page.extract_text() for page in reader.pages)
        assert void.number in text
        assert "Void" in text
