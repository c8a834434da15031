"""Reports over every account: recurring revenue, the plan list, accounts, revenue, collection.
The console's dashboard draws the same figures from the same services."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tierline.api.deps import OperatorDep, RuntimeDep
from tierline.api.report_schemas import (
    AccountMonthRead,
    AccountReport,
    CollectionReport,
    DunningRead,
    FailedMonthRead,
    PlanLineRead,
    PlanReport,
    RecurringRead,
    RecurringReport,
    RevenueMonthRead,
    RevenueReport,
)
from tierline.api.responses import error_responses
from tierline.services import reports
from tierline.services.catalog import current_catalog
from tierline.views import instant, money

router = APIRouter(prefix="/v1/reports", tags=["reports"], responses=error_responses(400, 401))

MonthsQuery = Annotated[
    int,
    Query(ge=1, le=reports.MAX_MONTHS, description="How many calendar months, ending this one."),
]


@router.get("/recurring", response_model=RecurringReport)
def recurring(rt: RuntimeDep, _: OperatorDep) -> RecurringReport:
    """MRR and ARR per currency: each paying subscription's list price per cycle, normalised
    to a month (a year counts a twelfth); trials add nothing."""
    found = reports.recurring(uow=rt.uow())
    return RecurringReport(
        data=[
            RecurringRead(
                currency=r.currency,
                mrr=money(r.mrr, r.currency),
                arr=money(r.arr, r.currency),
                paying_subscriptions=r.paying_subscriptions,
                paying_accounts=r.paying_accounts,
            )
            for r in found
        ]
    )


@router.get("/plans", response_model=PlanReport)
def plans(rt: RuntimeDep, _: OperatorDep) -> PlanReport:
    """Live subscriptions per edition and cycle, with the number of accounts (seed 001)."""
    catalog = current_catalog(uow=rt.uow())
    names = {e.code: e.name for e in catalog.editions}
    return PlanReport(
        data=[
            PlanLineRead(
                edition=p.edition,
                edition_name=names.get(p.edition, p.edition),
                cycle=p.cycle,
                subscriptions=p.subscriptions,
                accounts=p.accounts,
                trials=p.trials,
                units=p.units,
            )
            for p in reports.plans(uow=rt.uow())
        ]
    )


@router.get("/accounts", response_model=AccountReport)
def accounts(rt: RuntimeDep, _: OperatorDep, months: MonthsQuery = 12) -> AccountReport:
    """New accounts (first subscription started) and churned accounts (last subscription
    ended, none live) per month."""
    found = reports.accounts(uow=rt.uow(), clock=rt.clock, months=months)
    return AccountReport(
        data=[AccountMonthRead(month=m.month, new=m.new, churned=m.churned) for m in found]
    )


@router.get("/revenue", response_model=RevenueReport)
def revenue(rt: RuntimeDep, _: OperatorDep, months: MonthsQuery = 12) -> RevenueReport:
    """Paid invoices (by month paid) minus credit notes (by month issued), per currency."""
    found = reports.revenue(uow=rt.uow(), clock=rt.clock, months=months)
    return RevenueReport(
        data=[
            RevenueMonthRead(
                month=r.month,
                currency=r.currency,
                invoiced=money(r.invoiced, r.currency),
                credited=money(r.credited, r.currency),
                net=money(r.net, r.currency),
            )
            for r in found
        ]
    )


@router.get("/collection", response_model=CollectionReport)
def collection(rt: RuntimeDep, _: OperatorDep, months: MonthsQuery = 12) -> CollectionReport:
    """Failed payment attempts per month, and the accounts in dunning (past due) now."""
    found = reports.collection(uow=rt.uow(), clock=rt.clock, months=months)
    return CollectionReport(
        failed=[
            FailedMonthRead(
                month=f.month,
                currency=f.currency,
                failed=f.failed,
                amount=money(f.amount, f.currency),
            )
            for f in found.failed
        ],
        dunning=[
            DunningRead(
                account_id=d.account_id,
                name=d.name,
                currency=d.currency,
                edition=d.edition,
                due=money(d.due, d.currency),
                attempts=d.attempts,
                next_attempt_at=instant(d.next_attempt_at),
            )
            for d in found.dunning
        ],
    )
