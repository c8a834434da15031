"""The prepaid balance: read, top up, transactions; metered usage paid from it."""

from __future__ import annotations

from fastapi import APIRouter

from tierline.api.deps import OperatorDep, PageDep, RuntimeDep
from tierline.api.responses import error_responses
from tierline.api.schemas import (
    BalanceRead,
    BalanceTransactionPage,
    BalanceTransactionRead,
    TopUpCreate,
    UsageCreate,
    UsageRead,
)
from tierline.services import balance as service
from tierline.services import queries
from tierline.views import instant, money

router = APIRouter(
    prefix="/v1/accounts/{account_id}",
    tags=["balance"],
    responses=error_responses(400, 401, 402, 403, 404, 409),
)


@router.get("/balance", response_model=BalanceRead)
def get_balance(account_id: str, rt: RuntimeDep, _: OperatorDep) -> BalanceRead:
    currency = queries.get_account(account_id, uow=rt.uow()).currency
    amount = service.get_balance(account_id, uow=rt.uow())
    return BalanceRead(balance=money(amount, currency), currency=currency)


@router.post("/balance/top_ups", status_code=201, response_model=BalanceRead)
def top_up(account_id: str, body: TopUpCreate, rt: RuntimeDep, _: OperatorDep) -> BalanceRead:
    """Recharge: charge a card and add the amount to the balance."""
    balance = service.top_up(
        service.TopUp(account_id, body.amount, body.payment_method),
        uow=rt.uow(),
        clock=rt.clock,
        gateway=rt.gateway,
    )
    currency = queries.get_account(account_id, uow=rt.uow()).currency
    return BalanceRead(balance=money(balance, currency), currency=currency)


@router.get("/balance/transactions", response_model=BalanceTransactionPage)
def balance_transactions(
    account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep
) -> BalanceTransactionPage:
    """What moved the balance, oldest first: top-ups, usage fees, credits, balance applied."""
    currency = queries.get_account(account_id, uow=rt.uow()).currency
    found = queries.balance_transaction_page(account_id, page, uow=rt.uow())
    return BalanceTransactionPage.of(
        found,
        lambda t: BalanceTransactionRead(
            id=t.id,
            at=instant(t.at),
            kind=t.kind,
            amount=money(t.amount, currency),
            reference=t.reference,
            currency=currency,
        ),
    )


@router.post("/usage", status_code=201, response_model=UsageRead)
def record_usage(account_id: str, body: UsageCreate, rt: RuntimeDep, _: OperatorDep) -> UsageRead:
    """Metered usage (SMS, e-mail), paid from the balance at once."""
    fee = service.record_usage(
        service.RecordUsage(account_id, body.meter, body.quantity), uow=rt.uow(), clock=rt.clock
    )
    currency = queries.get_account(account_id, uow=rt.uow()).currency
    balance = service.get_balance(account_id, uow=rt.uow())
    return UsageRead(
        meter=body.meter,
        quantity=body.quantity,
        fee=money(fee, currency),
        balance=money(balance, currency),
        currency=currency,
    )
