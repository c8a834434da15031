"""Money invariants after any sequence of steps, on both stores.

Hypothesis draws the catalog's policies and a timeline (subscribe, changes, previews, top-ups,
usage, clock moves, declining cards, auto-renew, cancelled changes). Refusals are part of the
game; anything else raised is a bug. After every step:

- every journal entry sums to zero;
- the balance is minus the sum of the balance-ledger lines, and never negative;
- every paid invoice has amount_paid == total; no invoice is paid beyond its total;
- what the account owes (receivable) is what its unpaid invoices still ask for, and the cash
  ledger is what its card payments brought in less what was refunded;
- the operator never credits more than it charged (revenue never turns negative);
- a live subscription's period contains the clock (nothing due was left undone), and no
  charge of it is above its list price or below zero.

The engine is the test's (one per store); each example works on its own account with its own
clock and gateway, so examples do not disturb each other's figures.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_builders import MASTERCARD, START, VISA, Billing, policy
from sqlalchemy import Engine

from tierline.clock import TestClock
from tierline.domain.catalog import CHANGE_CLASS_ORDER
from tierline.domain.journal import BALANCE, CASH, RECEIVABLE, REVENUE
from tierline.errors import TierlineError
from tierline.payments import SandboxGateway
from tierline.services.change import cancel_pending_change
from tierline.services.subscriptions import SetAutoRenew, set_auto_renew
from tierline.store.uow import UnitOfWork

policies = st.fixed_dictionaries(
    {"granularity": st.sampled_from(["day", "second"])},
    optional={
        change_class: st.builds(
            policy,
            timing=st.sampled_from(["immediate", "end_of_period"]),
            proration=st.sampled_from(["prorate", "restart", "none"]),
            credit_to=st.sampled_from(["invoice", "credit_note", "refund", "balance"]),
        )
        for change_class in CHANGE_CLASS_ORDER
    },
)

catalog_sections = st.fixed_dictionaries(
    {
        "policies": policies,
        "renewal": st.fixed_dictionaries(
            {
                "lead_days": st.sampled_from([0, 3]),
                "when_retries_fail": st.sampled_from(["cancel", "past_due"]),
            }
        ),
        "collection": st.sampled_from(
            [{"mode": "charge_automatically"}, {"mode": "send_invoice", "delay_days": 3}]
        ),
    }
)

editions = st.sampled_from(["free", "basic", "pro"])
cycles = st.sampled_from(["month", "year"])
packs = st.sampled_from([0, 0, 1, 2])

subscriptions = st.tuples(
    st.just("subscribe"), editions, cycles, st.integers(1, 20), st.booleans(), packs
)
changes = st.tuples(
    st.sampled_from(["change", "change", "preview"]),
    st.none() | editions,
    st.none() | cycles,
    st.none() | st.integers(1, 20),
    st.none() | packs,
)
advances = st.tuples(st.just("advance"), st.integers(0, 45), st.integers(0, 23))
steps = st.one_of(
    subscriptions,
    changes,
    changes,
    advances,
    advances,
    st.tuples(st.just("top_up"), st.sampled_from(["10.00", "15.55", "40.00"])),
    st.tuples(st.just("usage"), st.integers(1, 400)),
    st.tuples(st.just("card_fails"), st.sampled_from([VISA, MASTERCARD])),
    st.tuples(st.just("auto_renew"), st.booleans()),
    st.tuples(st.just("cancel_pending")),
)


def _target(edition: Any, cycle: Any, quantity: Any, pack: Any) -> dict[str, Any]:
    target: dict[str, Any] = {"edition": edition, "cycle": cycle, "quantity": quantity}
    if pack is not None:
        target["addons"] = {"external-users": pack}
    return target


def _run(billing: Billing, account: str, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "subscribe":
        _, edition, cycle, quantity, trial, pack = step
        billing.subscribe(
            edition, cycle, 10 if edition == "free" else quantity, account=account,
            trial=trial, addons={"external-users": pack} if pack else None,
        )  # fmt: skip
    elif kind == "change":
        billing.change(account=account, **_target(*step[1:]))
    elif kind == "preview":
        before = billing.snapshot(account)
        billing.preview(account=account, **_target(*step[1:]))
        assert billing.snapshot(account) == before, "a preview stored something"
    elif kind == "top_up":
        billing.top_up(step[1], account=account)
    elif kind == "usage":
        billing.usage(step[1], account=account)
    elif kind == "advance":
        billing.advance(billing.clock.now() + timedelta(days=step[1], hours=step[2]))
    elif kind == "card_fails":
        billing.decline(step[1])
    elif kind == "auto_renew":
        set_auto_renew(SetAutoRenew(account, step[1]), uow=billing.uow, clock=billing.clock)
    elif kind == "cancel_pending":
        cancel_pending_change(account, uow=billing.uow, clock=billing.clock)


def _check_invariants(billing: Billing, account: str) -> None:
    uow = billing.uow
    with uow:
        entries = uow.journal.entries_for(account)
        balance = uow.journal.balance(account)
        invoices = uow.documents.invoices_for(account)
        payments = uow.payments.for_account(account)
        sub = uow.subscriptions.current_for(account)
    for entry in entries:
        assert sum((line.amount for line in entry.lines), Decimal(0)) == 0, entry
    ledger = -sum(
        (line.amount for entry in entries for line in entry.lines if line.ledger == BALANCE),
        Decimal(0),
    )
    assert balance == ledger
    assert balance >= 0
    owed = sum(
        (line.amount for entry in entries for line in entry.lines if line.ledger == RECEIVABLE),
        Decimal(0),
    )
    # A void invoice is owed by nobody: its purchase was never made.
    unpaid = ("open", "uncollectible")
    assert owed == sum((i.amount_due for i in invoices if i.status in unpaid), Decimal(0))
    cash = sum(
        (line.amount for entry in entries for line in entry.lines if line.ledger == CASH),
        Decimal(0),
    )
    moved = {"succeeded": Decimal(1), "refunded": Decimal(-1)}
    assert cash == sum((p.amount * moved.get(p.status, 0) for p in payments), Decimal(0))
    for invoice in invoices:
        assert Decimal(0) <= invoice.amount_paid <= invoice.total, invoice.number
        if invoice.status == "paid":
            assert invoice.amount_paid == invoice.total, invoice.number
    earned = -sum(
        (line.amount for entry in entries for line in entry.lines if line.ledger == REVENUE),
        Decimal(0),
    )
    assert earned >= 0, "more was credited than was ever charged"
    if sub is not None and sub.is_live:
        assert sub.period.start <= billing.clock.now() < sub.period.end, "a due step did not run"
        for charge in sub.charges + (sub.next_charges or ()):
            assert 0 <= charge.amount <= charge.list_amount, charge


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sections=catalog_sections,
    timezone=st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"]),
    first=subscriptions,
    timeline=st.lists(steps, min_size=1, max_size=15),
)
def test_money_invariants_hold_after_any_sequence_of_steps(
    engine: Engine,
    sections: dict[str, Any],
    timezone: str,
    first: tuple[Any, ...],
    timeline: list[tuple[Any, ...]],
) -> None:
    billing = Billing(UnitOfWork(engine), TestClock(START), SandboxGateway())
    billing.install(**sections)
    account = f"acct_{uuid.uuid4().hex[:12]}"
    billing.account(account, timezone=timezone)

    for step in [first, *timeline]:
        with contextlib.suppress(TierlineError):  # a refusal is a valid outcome
            _run(billing, account, step)
        _check_invariants(billing, account)
