"""The reports the API serves under `/v1/reports` and the console's dashboard draws: one read
each, the figures computed by `tierline.domain.reports`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tierline.clock import Clock
from tierline.domain.reports import (
    AccountMonth,
    FailedMonth,
    PlanLine,
    Recurring,
    RecurringFact,
    RevenueMonth,
    account_movements,
    failed_payments_per_month,
    last_months,
    plan_list,
    recurring_revenue,
    revenue_per_month,
)
from tierline.errors import Invalid
from tierline.store.reports import DunningRow
from tierline.store.uow import UnitOfWork

DEFAULT_MONTHS = 12
MAX_MONTHS = 60


def _months(now: datetime, count: int) -> tuple[list[str], datetime]:
    if not 1 <= count <= MAX_MONTHS:
        raise Invalid(f"months is between 1 and {MAX_MONTHS}.", param="months")
    months = last_months(now, count)
    year, month = (int(part) for part in months[0].split("-"))
    return months, datetime(year, month, 1, tzinfo=UTC)


def _recurring_facts(uow: UnitOfWork) -> list[RecurringFact]:
    lengths = {c.code: c.length for c in uow.catalog.cycles}
    return [
        RecurringFact(
            row.account_id,
            row.currency,
            row.edition,
            row.cycle,
            lengths[row.cycle],
            row.quantity,
            row.status,
            row.list_amount,
        )
        for row in uow.reports.live_subscriptions()
        if row.cycle in lengths
    ]


def recurring(*, uow: UnitOfWork) -> list[Recurring]:
    """MRR and ARR per currency."""
    with uow.reading():
        return recurring_revenue(_recurring_facts(uow))


def plans(*, uow: UnitOfWork) -> list[PlanLine]:
    """Live subscriptions per edition and cycle with their accounts (seed 001's plan list);
    packs on a subscription of their own are no edition's."""
    with uow.reading():
        order = [e.code for e in uow.catalog.editions]
        return plan_list([f for f in _recurring_facts(uow) if f.edition], order)


def accounts(*, uow: UnitOfWork, clock: Clock, months: int = DEFAULT_MONTHS) -> list[AccountMonth]:
    """New and churned accounts per month."""
    found, _ = _months(clock.now(), months)
    with uow.reading():
        return account_movements(uow.reports.account_histories(), found)


def revenue(*, uow: UnitOfWork, clock: Clock, months: int = DEFAULT_MONTHS) -> list[RevenueMonth]:
    """Paid invoices minus credit notes, per month and currency."""
    found, since = _months(clock.now(), months)
    with uow.reading():
        currencies = list(uow.catalog.billing_currencies())
        return revenue_per_month(
            uow.reports.paid_invoices(since), uow.reports.credit_notes(since), found, currencies
        )


@dataclass(frozen=True)
class Collection:
    failed: list[FailedMonth]
    dunning: list[DunningRow]


def collection(*, uow: UnitOfWork, clock: Clock, months: int = DEFAULT_MONTHS) -> Collection:
    """Failed payments per month, and the accounts in dunning now."""
    found, since = _months(clock.now(), months)
    with uow.reading():
        currencies = list(uow.catalog.billing_currencies())
        failed = failed_payments_per_month(uow.reports.failed_payments(since), found, currencies)
        return Collection(failed, uow.reports.dunning())


@dataclass(frozen=True)
class Dashboard:
    recurring: list[Recurring]
    plans: list[PlanLine]
    accounts: list[AccountMonth]
    revenue: list[RevenueMonth]
    collection: Collection


def dashboard(*, uow: UnitOfWork, clock: Clock, months: int = DEFAULT_MONTHS) -> Dashboard:
    """Every report at once, as the console's dashboard shows them."""
    return Dashboard(
        recurring(uow=uow),
        plans(uow=uow),
        accounts(uow=uow, clock=clock, months=months),
        revenue(uow=uow, clock=clock, months=months),
        collection(uow=uow, clock=clock, months=months),
    )
