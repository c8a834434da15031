"""The portal of an account billed in pounds, on `examples/currencies/` (Standard 8.00 EUR /
7.00 GBP, Pro 12.00 EUR / 10.00 GBP a seat a month; a year is 12 months less 20 %): its plans,
quotes, bills and balance are in pounds, a EUR account's beside it in euros."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from portal_builders import EXAMPLES, GOOD_CARD, a_runtime, signed_in
from pypdf import PdfReader

from tierline.api.app import create_app
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.accounts import (
    AddPaymentMethod,
    CreateAccount,
    add_payment_method,
    create_account,
)
from tierline.services.subscriptions import Subscribe, subscribe

CURRENCIES = EXAMPLES / "currencies" / "catalog.yaml"


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    runtime = a_runtime(tmp_path_factory.mktemp("currencies"), CURRENCIES)
    yield runtime
    runtime.engine.dispose()


@pytest.fixture(scope="module")
def app(rt: Runtime) -> FastAPI:
    return create_app(rt, secret_key="portal-tests")


def an_account(rt: Runtime, account_id: str, currency: str, *, subscribed: bool = True) -> str:
    create_account(
        CreateAccount(name=account_id.title(), id=account_id, currency=currency),
        uow=rt.uow(), clock=rt.clock,
    )  # fmt: skip
    add_payment_method(
        AddPaymentMethod(account_id, GOOD_CARD, id="visa"),
        uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
    )  # fmt: skip
    if subscribed:
        subscribe(
            Subscribe(account_id, "standard", "month", 10, trial=False),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
    return account_id


def test_plans_are_priced_in_the_accounts_currency(rt: Runtime, app: FastAPI) -> None:
    """Pro for a year in pounds: 10.00 × 12 × 0.8 = 96.00 a seat; 5 seats 480.00."""
    browser = signed_in(app, rt, an_account(rt, "club-plans", "GBP", subscribed=False))

    html = browser.get("/portal/plans?cycle=year&quantity=5").text

    assert "£96.00 per seat" in html and "£480.00" in html
    assert "€" not in html


def test_the_quote_as_the_user_types_is_in_the_accounts_currency(rt: Runtime, app: FastAPI) -> None:
    pounds = signed_in(app, rt, an_account(rt, "club-quote", "GBP", subscribed=False))
    euros = signed_in(app, rt, an_account(rt, "atelier-quote", "EUR", subscribed=False))
    params = {"edition": "pro", "cycle": "month", "quantity": 3}

    assert pounds.get("/portal/quote", params=params).json() == {
        "ok": True, "price": "£10.00", "total": "£30.00",
    }  # fmt: skip
    assert euros.get("/portal/quote", params=params).json() == {
        "ok": True, "price": "€12.00", "total": "€36.00",
    }  # fmt: skip


def test_home_and_the_balance_page_are_in_the_accounts_currency(rt: Runtime, app: FastAPI) -> None:
    """10 Standard seats at 7.00: £70.00 a month; the top-up minimum is 10.00 pounds."""
    browser = signed_in(app, rt, an_account(rt, "club-home", "GBP"))

    home = browser.get("/portal").text
    balance = browser.get("/portal/balance").text

    assert "£70.00" in home
    assert "Amount (GBP)" in balance
    assert "From £10.00 to £10,000.00" in balance


def test_an_invoice_pdf_is_in_the_accounts_currency(rt: Runtime, app: FastAPI) -> None:
    account = an_account(rt, "club-pdf", "GBP")
    browser = signed_in(app, rt, account)
    (invoice,) = queries.list_invoices(account, uow=rt.uow())

    response = browser.get(f"/portal/invoices/{invoice.number}.pdf")

    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "£70.00" in text
    assert "€" not in text
