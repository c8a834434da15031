"""Response schemas of `/v1/reports`. Amounts are decimal strings in the currency named beside
them; months are `YYYY-MM` in UTC."""

from __future__ import annotations

from pydantic import BaseModel


class RecurringRead(BaseModel):
    currency: str
    mrr: str
    arr: str
    paying_subscriptions: int
    paying_accounts: int


class RecurringReport(BaseModel):
    data: list[RecurringRead]


class PlanLineRead(BaseModel):
    edition: str
    edition_name: str
    cycle: str
    subscriptions: int
    accounts: int
    trials: int
    units: int


class PlanReport(BaseModel):
    data: list[PlanLineRead]


class AccountMonthRead(BaseModel):
    month: str
    new: int
    churned: int


class AccountReport(BaseModel):
    data: list[AccountMonthRead]


class RevenueMonthRead(BaseModel):
    month: str
    currency: str
    invoiced: str
    credited: str
    net: str


class RevenueReport(BaseModel):
    data: list[RevenueMonthRead]


class FailedMonthRead(BaseModel):
    month: str
    currency: str
    failed: int
    amount: str


class DunningRead(BaseModel):
    account_id: str
    name: str
    currency: str
    edition: str
    due: str
    attempts: int
    next_attempt_at: str | None


class CollectionReport(BaseModel):
    failed: list[FailedMonthRead]
    dunning: list[DunningRead]
