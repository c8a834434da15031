"""What an operator does on behalf of an account from the console: each action checks the
operator's role, goes through the same service as the portal and the API, and is written to the
audit log with the state before and after.

The action's own service commits its transaction; its audit entry follows in the next one. A
balance adjustment, which has no other service, writes both in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tierline.clock import Clock
from tierline.domain.adjustments import balance_adjusted
from tierline.domain.money import round_amount
from tierline.domain.plan import Plan
from tierline.errors import Invalid, NotFound, TierlineError
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.services.accounts import UpdateAccount, update_account
from tierline.services.audit import Actor, record_action, write_entry
from tierline.services.balance import parse_amount
from tierline.services.change import (
    ChangePreview,
    ChangeRequest,
    ChangeResult,
    apply_change,
    cancel_pending_change,
    preview_change,
)
from tierline.services.operator_users import require
from tierline.services.payments import InvoicePaid, PayInvoice, pay_open_invoice
from tierline.services.portal_sessions import (
    CreatePortalSession,
    NewPortalSession,
    create_portal_session,
)
from tierline.services.subscriptions import SetAutoRenew, set_auto_renew
from tierline.store.uow import UnitOfWork


def _plan(plan: Plan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "edition": plan.edition,
        "cycle": plan.cycle,
        "quantity": plan.quantity,
        "addons": dict(plan.addons),
    }


def _current_plan(uow: UnitOfWork, account_id: str) -> dict[str, Any] | None:
    with uow.reading():
        uow.accounts.get(account_id)
        sub = uow.subscriptions.current_for(account_id)
    if sub is None:
        return None
    return {
        **(_plan(sub.plan) or {}),
        "status": sub.status,
        "auto_renew": sub.auto_renew,
        "pending": _plan(sub.pending.target) if sub.pending else None,
    }


# changes of plan, seats, packs and cycle


@dataclass(frozen=True)
class ChangeOnBehalf:
    account_id: str
    edition: str | None = None
    cycle: str | None = None
    quantity: int | None = None
    addons: Mapping[str, int] = field(default_factory=dict)

    def request(self) -> ChangeRequest:
        """The change as the operator asks it: allowed for a sales-managed account too, which
        buys offline, through its operator."""
        return ChangeRequest(
            self.account_id, self.edition, self.cycle, self.quantity, self.addons, on_behalf=True
        )


def preview_change_for(
    actor: Actor, cmd: ChangeOnBehalf, *, uow: UnitOfWork, clock: Clock
) -> ChangePreview:
    """What the change would do and charge now; nothing is stored."""
    require(actor, "change_subscription")
    return preview_change(cmd.request(), uow=uow, clock=clock)


def change_for(
    actor: Actor, cmd: ChangeOnBehalf, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> ChangeResult:
    require(actor, "change_subscription")
    before = _current_plan(uow, cmd.account_id)
    result = apply_change(cmd.request(), uow=uow, clock=clock, gateway=gateway)
    record_action(
        actor, "subscription.change", uow=uow, clock=clock, account_id=cmd.account_id,
        subject=result.subscription.id, before=before,
        after={
            **(_current_plan(uow, cmd.account_id) or {}),
            "change": result.preview.change_class, "scheduled": result.preview.scheduled,
            "total_now": result.preview.total_now, "invoice": result.invoice,
            "credit_note": result.credit_note,
        },
    )  # fmt: skip
    return result


def cancel_change_for(actor: Actor, account_id: str, *, uow: UnitOfWork, clock: Clock) -> None:
    require(actor, "change_subscription")
    before = _current_plan(uow, account_id)
    sub = cancel_pending_change(account_id, uow=uow, clock=clock)
    record_action(
        actor, "subscription.cancel_change", uow=uow, clock=clock, account_id=account_id,
        subject=sub.id, before=before, after=_current_plan(uow, account_id),
    )  # fmt: skip


def set_auto_renew_for(
    actor: Actor, account_id: str, enabled: bool, *, uow: UnitOfWork, clock: Clock
) -> None:
    require(actor, "change_subscription")
    before = _current_plan(uow, account_id)
    sub = set_auto_renew(SetAutoRenew(account_id, enabled), uow=uow, clock=clock)
    record_action(
        actor, "subscription.auto_renew", uow=uow, clock=clock, account_id=account_id,
        subject=sub.id, before={"auto_renew": before["auto_renew"] if before else None},
        after={"auto_renew": sub.auto_renew},
    )  # fmt: skip


# the account


def set_sales_managed_for(
    actor: Actor, account_id: str, on: bool, *, uow: UnitOfWork, clock: Clock
) -> None:
    """A sales-managed account buys offline only: online purchases are refused to it."""
    require(actor, "set_sales_managed")
    with uow.reading():
        before = uow.accounts.get(account_id).sales_managed
    update_account(UpdateAccount(account_id, sales_managed=on), uow=uow)
    record_action(
        actor, "account.sales_managed", uow=uow, clock=clock, account_id=account_id,
        before={"sales_managed": before}, after={"sales_managed": on},
    )  # fmt: skip


def portal_link_for(
    actor: Actor, account_id: str, role: str, *, uow: UnitOfWork, clock: Clock
) -> NewPortalSession:
    """A one-time link into the account's portal (10 minutes), to hand to one of its members."""
    require(actor, "create_portal_link")
    session = create_portal_session(CreatePortalSession(account_id, role), uow=uow, clock=clock)
    record_action(
        actor, "portal.link", uow=uow, clock=clock, account_id=account_id, subject=session.id,
        after={"role": session.role, "expires_at": session.expires_at},
    )  # fmt: skip
    return session


# money


def retry_payment_for(
    actor: Actor, account_id: str, invoice: str, *, uow: UnitOfWork, clock: Clock,
    gateway: Gateway,
) -> InvoicePaid:  # fmt: skip
    """Charge an open invoice now (the primary method, then the backup). A declined charge is
    written to the audit log too, then refused."""
    require(actor, "retry_payment")
    with uow.reading():
        found = uow.documents.invoice(invoice)
    if found.account_id != account_id:
        raise NotFound(f"No invoice '{invoice}'.", code="unknown_invoice", param="invoice")
    before = {"status": found.status, "amount_due": found.amount_due, "attempts": found.attempts}
    try:
        paid = pay_open_invoice(
            PayInvoice(account_id, invoice), uow=uow, clock=clock, gateway=gateway
        )
    except TierlineError as error:
        record_action(
            actor, "invoice.retry_payment", uow=uow, clock=clock, account_id=account_id,
            subject=invoice, before=before, after={"refused": error.code},
        )  # fmt: skip
        raise
    record_action(
        actor, "invoice.retry_payment", uow=uow, clock=clock, account_id=account_id,
        subject=invoice, before=before,
        after={"status": paid.invoice.status, "receipt": paid.receipt.number},
    )  # fmt: skip
    return paid


@dataclass(frozen=True)
class AdjustBalance:
    """`amount` with its sign: "-5.00" takes from the balance; `reason` is required."""

    account_id: str
    amount: str
    reason: str


@dataclass(frozen=True)
class BalanceAdjustment:
    before: Decimal
    amount: Decimal
    after: Decimal
    currency: str


def _decide_adjustment(uow: UnitOfWork, cmd: AdjustBalance) -> BalanceAdjustment:
    account = uow.accounts.get(cmd.account_id)
    if not cmd.reason.strip():
        raise Invalid("Say why the balance is adjusted.", code="reason_required", param="reason")
    if len(cmd.reason) > 500:
        raise Invalid("The reason has at most 500 characters.", param="reason")
    text = cmd.amount.strip()
    negative = text.startswith("-")
    amount = parse_amount(text.lstrip("+-"), account.currency)
    if negative:
        amount = -amount
    before = uow.journal.balance(account.id)
    after = round_amount(before + amount, account.currency)
    if after < 0:
        raise Invalid(
            f"The balance is {before} {account.currency}; it cannot go below zero.",
            code="balance_below_zero", param="amount",
        )  # fmt: skip
    return BalanceAdjustment(before, amount, after, account.currency)


def preview_balance_adjustment(
    actor: Actor, cmd: AdjustBalance, *, uow: UnitOfWork
) -> BalanceAdjustment:
    require(actor, "adjust_balance")
    with uow.reading():
        return _decide_adjustment(uow, cmd)


def adjust_balance(
    actor: Actor, cmd: AdjustBalance, *, uow: UnitOfWork, clock: Clock
) -> BalanceAdjustment:
    """Move the balance by hand, with a reason; the balance never goes below zero. The balance
    is read with the balances held, so the audit's before and after are exact too."""
    require(actor, "adjust_balance")
    now = clock.now()
    with uow:
        uow.journal.hold_balances()
        decided = _decide_adjustment(uow, cmd)
        ref = new_id("adj")
        uow.journal.add(cmd.account_id, balance_adjusted(decided.amount, now, ref))
        write_entry(
            uow, actor, now, "balance.adjust", account_id=cmd.account_id, subject=ref,
            before={"balance": decided.before},
            after={"balance": decided.after, "amount": decided.amount,
                   "reason": cmd.reason.strip()},
        )  # fmt: skip
        uow.commit()
    return decided
