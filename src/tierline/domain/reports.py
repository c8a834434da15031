"""The business in figures: recurring revenue, the plan list, new and churned accounts, revenue
per month, failed payments. Pure: facts in, figures out; months are calendar months in UTC.

MRR normalises each live paid subscription's recurring charges to one month: a charge for N
months counts 1/N of its list amount, one for N days counts (365/12)/N of it. It is summed
exactly per currency and rounded once, half up; ARR is twelve times the exact MRR, rounded once.
Trials are counted apart and add nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from tierline.domain.money import round_amount
from tierline.domain.periods import CycleLength

DAYS_PER_MONTH = Fraction(365, 12)


def monthly(amount: Decimal, cycle: CycleLength) -> Fraction:
    """An amount charged once per `cycle`, as an exact amount per month."""
    if cycle.months:
        return Fraction(amount) / cycle.months
    return Fraction(amount) * DAYS_PER_MONTH / cycle.days


def month_of(instant: datetime) -> str:
    """The calendar month (UTC) of an instant, as `YYYY-MM`."""
    return instant.astimezone(UTC).strftime("%Y-%m")


def last_months(now: datetime, count: int) -> list[str]:
    """The `count` calendar months that end with the month of `now`, oldest first."""
    at = now.astimezone(UTC)
    index = at.year * 12 + at.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


@dataclass(frozen=True)
class RecurringFact:
    """One live subscription: its status and what one cycle of it costs at list price."""

    account_id: str
    currency: str
    edition: str
    cycle: str
    length: CycleLength
    quantity: int
    status: str  # trialing | active | past_due
    list_amount: Decimal  # the sum of its charges' list amounts for one cycle


@dataclass(frozen=True)
class Recurring:
    currency: str
    mrr: Decimal
    arr: Decimal
    paying_subscriptions: int
    paying_accounts: int


def recurring_revenue(facts: Iterable[RecurringFact]) -> list[Recurring]:
    """MRR and ARR per currency, of paying subscriptions (active and past due)."""
    exact: dict[str, Fraction] = defaultdict(Fraction)
    subs: dict[str, int] = defaultdict(int)
    accounts: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        if fact.status == "trialing":
            continue
        exact[fact.currency] += monthly(fact.list_amount, fact.length)
        subs[fact.currency] += 1
        accounts[fact.currency].add(fact.account_id)
    return [
        Recurring(
            currency,
            round_amount(exact[currency], currency),
            round_amount(exact[currency] * 12, currency),
            subs[currency],
            len(accounts[currency]),
        )
        for currency in sorted(exact)
    ]


@dataclass(frozen=True)
class PlanLine:
    """Seed 001's plan list: one edition and cycle, with its subscriptions and accounts."""

    edition: str
    cycle: str
    subscriptions: int
    accounts: int
    trials: int
    units: int


def plan_list(facts: Iterable[RecurringFact], order: list[str]) -> list[PlanLine]:
    """Live subscriptions per edition and cycle, in the catalog's edition order."""
    subs: dict[tuple[str, str], int] = defaultdict(int)
    trials: dict[tuple[str, str], int] = defaultdict(int)
    units: dict[tuple[str, str], int] = defaultdict(int)
    accounts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for fact in facts:
        key = (fact.edition, fact.cycle)
        subs[key] += 1
        trials[key] += fact.status == "trialing"
        units[key] += fact.quantity
        accounts[key].add(fact.account_id)
    rank = {code: n for n, code in enumerate(order)}
    keys = sorted(subs, key=lambda k: (rank.get(k[0], len(rank)), k[0], k[1]))
    return [PlanLine(k[0], k[1], subs[k], len(accounts[k]), trials[k], units[k]) for k in keys]


@dataclass(frozen=True)
class AccountFact:
    """An account's subscription history in short."""

    account_id: str
    first_started_at: datetime | None
    live: bool
    last_ended_at: datetime | None


@dataclass(frozen=True)
class AccountMonth:
    month: str
    new: int
    churned: int


def account_movements(facts: Iterable[AccountFact], months: list[str]) -> list[AccountMonth]:
    """Per month: accounts whose first subscription started then (new), and accounts with no
    live subscription whose last one ended then (churned)."""
    new: dict[str, int] = defaultdict(int)
    churned: dict[str, int] = defaultdict(int)
    for fact in facts:
        if fact.first_started_at is not None:
            new[month_of(fact.first_started_at)] += 1
        if not fact.live and fact.last_ended_at is not None:
            churned[month_of(fact.last_ended_at)] += 1
    return [AccountMonth(m, new[m], churned[m]) for m in months]


@dataclass(frozen=True)
class MoneyFact:
    """An amount of a document or a payment, with its currency and instant."""

    currency: str
    at: datetime
    amount: Decimal


@dataclass(frozen=True)
class RevenueMonth:
    month: str
    currency: str
    invoiced: Decimal  # paid invoices, before any balance or credit paid them
    credited: Decimal  # credit notes issued
    net: Decimal


def revenue_per_month(
    paid_invoices: Iterable[MoneyFact],
    credit_notes: Iterable[MoneyFact],
    months: list[str],
    currencies: Iterable[str],
) -> list[RevenueMonth]:
    """Paid invoices (by the month they were paid) minus credit notes (by the month issued)."""
    invoiced: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    credited: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    seen = set(currencies)
    for fact in paid_invoices:
        invoiced[(month_of(fact.at), fact.currency)] += fact.amount
        seen.add(fact.currency)
    for fact in credit_notes:
        credited[(month_of(fact.at), fact.currency)] += fact.amount
        seen.add(fact.currency)
    return [
        RevenueMonth(m, c, invoiced[(m, c)], credited[(m, c)], invoiced[(m, c)] - credited[(m, c)])
        for c in sorted(seen)
        for m in months
    ]


@dataclass(frozen=True)
class FailedMonth:
    month: str
    currency: str
    failed: int
    amount: Decimal


def failed_payments_per_month(
    failures: Iterable[MoneyFact], months: list[str], currencies: Iterable[str]
) -> list[FailedMonth]:
    count: dict[tuple[str, str], int] = defaultdict(int)
    amount: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    seen = set(currencies)
    for fact in failures:
        key = (month_of(fact.at), fact.currency)
        count[key] += 1
        amount[key] += fact.amount
        seen.add(fact.currency)
    return [FailedMonth(m, c, count[(m, c)], amount[(m, c)]) for c in sorted(seen) for m in months]
