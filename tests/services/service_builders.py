"""Builders for service tests: a catalog, accounts with sandbox cards, and a `Billing` helper that
calls the real services on the test's database, clock and sandbox gateway.

    def test_something(billing: Billing, acme: Account) -> None:
        billing.subscribe(edition="basic", quantity=10)      # 10 seats × 3.00 = 30.00 a month
        billing.advance(utc(2026, 2, 14, 10))               # half of the first period is left
        result = billing.change(edition="pro")

The default catalog (`a_catalog()`), in EUR by seat:

    cycles    month; year (12 months, 20 % off: basic 28.80, pro 57.60 a seat)
    editions  free (rank 0, fixed at 10 seats), basic (rank 1, 3.00 a seat a month),
              pro (rank 2, 6.00 a seat a month, 14-day trial)
    add-ons   external-users (9.00 a pack a month; not on free)
    meters    sms (0.05)
    policies  the catalog defaults; paid → free refused
    renewal   retries after 1, 3 and 5 days, then cancel
    balance   top-ups of at least 10.00, applied to invoices

The clock starts on 2026-01-31 10:00 UTC, so a monthly period runs to Feb 28 10:00 (28 days)
and on Feb 14 10:00 exactly half of it is unused.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from tierline.catalog import parse_catalog
from tierline.clock import TestClock
from tierline.domain.account import Account, PaymentMethod
from tierline.domain.catalog import Catalog
from tierline.domain.documents import CreditNote, Invoice, Payment, Receipt
from tierline.domain.journal import JournalEntry
from tierline.domain.subscription import Subscription
from tierline.payments import SandboxGateway
from tierline.services.accounts import (
    AddPaymentMethod,
    CreateAccount,
    add_payment_method,
    create_account,
)
from tierline.services.balance import RecordUsage, TopUp, record_usage, top_up
from tierline.services.catalog import install_catalog
from tierline.services.change import (
    ChangePreview,
    ChangeRequest,
    ChangeResult,
    apply_change,
    preview_change,
)
from tierline.services.renewal import advance_clock
from tierline.services.subscriptions import Subscribe, subscribe
from tierline.store.uow import UnitOfWork

VISA = "4242424242424242"
MASTERCARD = "5555555555554444"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
TIMES_OUT = "4000000000000119"

PAID_TO_FREE = "Cancel your subscription and create a new free platform instead."


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


START = utc(2026, 1, 31, 10)
FIRST_RENEWAL = utc(2026, 2, 28, 10)
MID_FEBRUARY = utc(2026, 2, 14, 10)  # 14 of the first period's 28 days are left


def eur(text: str) -> Decimal:
    return Decimal(text)


def policy(
    timing: str = "immediate", proration: str | None = None, credit_to: str = "invoice"
) -> dict[str, Any]:
    body: dict[str, Any] = {"timing": timing, "credit_to": credit_to}
    if proration is not None:
        body["proration"] = proration
    return body


def a_catalog(**sections: Any) -> dict[str, Any]:
    """The default catalog as a mapping; each keyword replaces (lists) or updates (mappings)
    one top-level section: `a_catalog(policies={"upgrade": policy(...)}, renewal={...})`."""
    body: dict[str, Any] = {
        "currency": "EUR",
        "quantity_unit": "seat",
        "cycles": [
            {"code": "month", "months": 1},
            {"code": "year", "months": 12, "discount_percent": 20},
        ],
        "editions": [
            {
                "code": "free",
                "rank": 0,
                "free": True,
                "quantity": {"min": 10, "max": 10, "default": 10},
                "limits": {"external_users": 0},
            },
            {
                "code": "basic",
                "rank": 1,
                "quantity": {"min": 1, "max": 100, "default": 10},
                "limits": {"external_users": 100},
                "prices": [{"cycle": "month", "per_unit": "3.00"}],
            },
            {
                "code": "pro",
                "rank": 2,
                "trial_days": 14,
                "quantity": {"min": 1, "max": 100, "default": 10},
                "limits": {"external_users": 100},
                "prices": [{"cycle": "month", "per_unit": "6.00"}],
            },
        ],
        "addons": [
            {
                "code": "external-users",
                "grants": {"external_users": 100},
                "prices": [{"cycle": "month", "per_unit": "9.00"}],
            }
        ],
        "meters": [{"code": "sms", "name": "SMS", "unit_price": "0.05"}],
        "policies": {
            "transitions": [
                {
                    "from": ["basic", "pro"],
                    "to": ["free"],
                    "allowed": False,
                    "message": PAID_TO_FREE,
                }
            ]
        },
        "renewal": {"retry_days": [1, 3, 5], "when_retries_fail": "cancel"},
        "balance": {"top_up_min": "10.00"},
    }
    for name, value in sections.items():
        if isinstance(value, Mapping) and isinstance(body.get(name), Mapping):
            body[name] = {**body[name], **copy.deepcopy(dict(value))}
        else:
            body[name] = copy.deepcopy(value)
    return body


@dataclass
class Billing:
    """The services of one test, on its database, test clock and sandbox gateway."""

    uow: UnitOfWork
    clock: TestClock
    gateway: SandboxGateway

    # arrange

    def install(self, **sections: Any) -> Catalog:
        catalog = parse_catalog(a_catalog(**sections))
        install_catalog(catalog, uow=self.uow, clock=self.clock)
        return catalog

    def account(
        self,
        id: str = "acme",
        *,
        cards: tuple[str, ...] = (VISA,),
        backup: str | None = MASTERCARD,
        sales_managed: bool = False,
        timezone: str = "UTC",
    ) -> Account:
        """An account whose first card is the primary one and `backup` the backup."""
        account = create_account(
            CreateAccount(name=id.title(), id=id, sales_managed=sales_managed, timezone=timezone),
            uow=self.uow,
            clock=self.clock,
        )
        for i, card in enumerate(cards):
            self.add_card(card, id="main" if i == 0 else f"card{i}", account=id)
        if backup is not None:
            self.add_card(backup, id="backup", account=id, backup=True)
        return account

    def add_card(
        self, card: str, *, id: str, account: str = "acme", primary: bool | None = None,
        backup: bool = False,
    ) -> PaymentMethod:  # fmt: skip
        return add_payment_method(
            AddPaymentMethod(account, card, id=id, primary=primary, backup=backup),
            uow=self.uow, clock=self.clock, gateway=self.gateway,
        )  # fmt: skip

    def decline(self, card: str) -> None:
        """The sandbox declines this card from now on."""
        self.gateway.decline(f"tok_{card}")

    # act

    def subscribe(
        self,
        edition: str = "basic",
        cycle: str = "month",
        quantity: int | None = 10,
        *,
        account: str = "acme",
        addons: Mapping[str, int] | None = None,
        trial: bool = True,
        auto_renew: bool = True,
    ) -> Subscription:
        return subscribe(
            Subscribe(account, edition, cycle, quantity, dict(addons or {}), trial, auto_renew),
            uow=self.uow, clock=self.clock, gateway=self.gateway,
        )  # fmt: skip

    def change(self, *, account: str = "acme", **target: Any) -> ChangeResult:
        return apply_change(
            ChangeRequest(account, **target), uow=self.uow, clock=self.clock, gateway=self.gateway
        )

    def preview(self, *, account: str = "acme", **target: Any) -> ChangePreview:
        return preview_change(ChangeRequest(account, **target), uow=self.uow, clock=self.clock)

    def top_up(self, amount: str, *, account: str = "acme") -> Decimal:
        return top_up(TopUp(account, amount), uow=self.uow, clock=self.clock, gateway=self.gateway)

    def usage(self, quantity: int, *, meter: str = "sms", account: str = "acme") -> Decimal:
        return record_usage(RecordUsage(account, meter, quantity), uow=self.uow, clock=self.clock)

    def advance(self, to: datetime) -> None:
        advance_clock(to, uow=self.uow, clock=self.clock, gateway=self.gateway)

    # read

    def subscription(self, account: str = "acme") -> Subscription:
        with self.uow:
            sub = self.uow.subscriptions.current_for(account)
        assert sub is not None
        return sub

    def has_subscription(self, account: str = "acme") -> bool:
        with self.uow:
            return self.uow.subscriptions.current_for(account) is not None

    def invoices(self, account: str = "acme") -> list[Invoice]:
        with self.uow:
            return self.uow.documents.invoices_for(account)

    def invoice(self, number: str) -> Invoice:
        with self.uow:
            return self.uow.documents.invoice(number)

    def credit_notes(self, account: str = "acme") -> list[CreditNote]:
        with self.uow:
            return self.uow.documents.credit_notes_for(account)

    def receipts(self, account: str = "acme") -> list[Receipt]:
        with self.uow:
            return self.uow.documents.receipts_for(account)

    def payments(self, account: str = "acme") -> list[Payment]:
        with self.uow:
            return self.uow.payments.for_account(account)

    def journal(self, account: str = "acme") -> list[JournalEntry]:
        with self.uow:
            return self.uow.journal.entries_for(account)

    def balance(self, account: str = "acme") -> Decimal:
        with self.uow:
            return self.uow.journal.balance(account)

    def messages(self, account: str = "acme") -> list[str]:
        with self.uow:
            return [m["kind"] for m in self.uow.outbox.for_account(account)]

    def message_texts(self, account: str = "acme") -> list[str]:
        with self.uow:
            return [m["text"] for m in self.uow.outbox.for_account(account)]

    def methods(self, account: str = "acme") -> dict[str, tuple[bool, bool]]:
        """Payment method id → (is primary, is backup)."""
        with self.uow:
            found = self.uow.payment_methods.for_account(account)
        return {m.id: (m.is_primary, m.is_backup) for m in found}

    def snapshot(self, account: str = "acme") -> tuple[Any, ...]:
        """Everything a use case could have stored for the account, to compare before/after."""
        with self.uow:
            sub = self.uow.subscriptions.current_for(account)
            return (
                sub,
                self.uow.documents.invoices_for(account),
                self.uow.documents.credit_notes_for(account),
                self.uow.documents.receipts_for(account),
                self.uow.payments.for_account(account),
                self.uow.journal.entries_for(account),
                len(self.uow.outbox.for_account(account)),
                self.uow.sequences.next_number("INV", 2026),  # rolled back: only a peek
            )


def held_at_commit(uow: UnitOfWork) -> tuple[threading.Event, threading.Event]:
    """Make the unit of work stop before it commits: the first event is set once it is there, the
    second lets it commit."""
    at_commit, go = threading.Event(), threading.Event()
    commit = uow.commit

    def commit_when_told() -> None:
        at_commit.set()
        go.wait(10)
        commit()

    uow.commit = commit_when_told  # type: ignore[method-assign]
    return at_commit, go


T = TypeVar("T")
U = TypeVar("U")


def at_once(
    held: UnitOfWork,
    first: Callable[[UnitOfWork], T],
    beside: UnitOfWork,
    second: Callable[[UnitOfWork], U],
) -> tuple[Callable[[], T], Callable[[], U]]:
    """Run `first` in `held` up to its commit and hold it there; run `second` in `beside` for up
    to 2 s (it ends unless it waits for the first), then let the first commit. Returns their
    outcomes."""
    at_commit, go = held_at_commit(held)
    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(first, held)
        assert at_commit.wait(10)
        other = pool.submit(second, beside)
        wait([other], timeout=2)
        go.set()
        wait([one, other])
    return one.result, other.result
