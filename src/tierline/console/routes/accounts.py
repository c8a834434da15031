"""Accounts: the search, one account's page, and its documents as PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tierline.catalog.words import limit_name, read_in
from tierline.console.rendering import ConsoleRoute, language_for, page
from tierline.console.session import SessionDep, needs, runtime_of
from tierline.documents import Seller, render_credit_note, render_invoice, render_receipt
from tierline.errors import NotFound
from tierline.services import queries
from tierline.services.account_search import (
    STATUSES,
    AccountQuery,
    account_overview,
    search_accounts,
)
from tierline.services.catalog import current_catalog
from tierline.services.content import list_reconciliations, list_resources
from tierline.services.entitlements import list_entitlements
from tierline.services.subscriptions import next_payment_at, subscription_on_documents

router = APIRouter(route_class=ConsoleRoute)


@router.get("/accounts")
def accounts(
    request: Request,
    session: SessionDep,
    q: str = "",
    status: str = "",
    edition: str = "",
    currency: str = "",
    dunning: str = "",
) -> Response:
    needs(session, "view")
    rt = runtime_of(request)
    catalog = read_in(current_catalog(uow=rt.uow()), language_for(request))
    query = AccountQuery(q, status, edition, currency, dunning == "1")
    hits = search_accounts(query, uow=rt.uow())
    return page(
        request, session, "accounts.html", active="accounts", hits=hits, query=query,
        statuses=STATUSES, editions=catalog.editions, currencies=list(catalog.billing_currencies()),
        names={e.code: e.name for e in catalog.editions},
    )  # fmt: skip


@router.get("/accounts/{account_id}")
def account(request: Request, session: SessionDep, account_id: str) -> Response:
    needs(session, "view")
    rt = runtime_of(request)
    found = account_overview(account_id, uow=rt.uow())
    language = language_for(request)
    catalog = read_in(current_catalog(uow=rt.uow()), language)
    live = any(s.is_live for s in found.subscriptions)
    entitlements = list_entitlements(account_id, uow=rt.uow()) if live else []
    return page(
        request, session, "account.html", entitlements=entitlements,
        resources=list_resources(account_id, uow=rt.uow()),
        reconciliations=list_reconciliations(account_id, uow=rt.uow()), active="accounts", o=found,
        a=found.account,
        catalog=catalog, names={e.code: e.name for e in catalog.editions},
        cycles={c.code: c.name or c.code for c in catalog.cycles},
        packs={a.code: a.name for a in catalog.addons},
        limits={e.name: limit_name(catalog, e.name, language) for e in entitlements},
        next_payment={s.id: next_payment_at(s, catalog) for s in found.subscriptions},
        link=None,
    )  # fmt: skip


def _seller(request: Request) -> Seller:
    seller: Seller = request.app.state.portal.seller
    return seller


def _pdf(body: bytes, number: str) -> Response:
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{number}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/accounts/{account_id}/documents/{number}.pdf")
def document_pdf(request: Request, session: SessionDep, account_id: str, number: str) -> Response:
    """An invoice, credit note or receipt of the account, by its number."""
    needs(session, "view")
    rt = runtime_of(request)
    found = account_overview(account_id, uow=rt.uow())
    catalog = current_catalog(uow=rt.uow())  # a document is in the account's language
    units = catalog.units()
    for invoice in found.invoices:
        if invoice.number == number:
            return _pdf(
                render_invoice(
                    invoice,
                    found.account,
                    _seller(request),
                    units=units,
                    catalog=catalog,
                    subscription=subscription_on_documents(account_id, number, uow=rt.uow()),
                ),
                number,
            )
    for note in found.credit_notes:
        if note.number == number:
            return _pdf(
                render_credit_note(
                    note,
                    found.account,
                    _seller(request),
                    units=units,
                    catalog=catalog,
                    subscription=subscription_on_documents(
                        account_id, note.invoice_number, uow=rt.uow()
                    ),
                ),
                number,
            )
    for receipt in found.receipts:
        if receipt.number == number:
            paid = next((i for i in found.invoices if i.number == receipt.invoice_number), None)
            methods = queries.methods_of_receipts(account_id, [receipt], uow=rt.uow())
            body = render_receipt(receipt, found.account, _seller(request), units=units,
                                  catalog=catalog, method=methods.get(receipt.payment_method or ""),
                                  invoice=paid, taxed=catalog.tax is not None)  # fmt: skip
            return _pdf(body, number)
    raise NotFound(f"No document '{number}' on this account.")
