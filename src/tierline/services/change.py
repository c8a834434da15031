"""Changing a subscription: preview what it costs and does, apply it, or cancel a scheduled one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from tierline.clock import Clock
from tierline.domain.account import Account
from tierline.domain.change import Settlement, settle
from tierline.domain.documents import invoice_totals
from tierline.domain.entitlements import Effect
from tierline.domain.lines import Line
from tierline.domain.plan import Plan
from tierline.domain.reconciliation import Action
from tierline.domain.subscription import Subscription
from tierline.errors import Invalid, NotAllowed
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.services.content import content_plan, reconcile_content
from tierline.services.invoicing import (
    Credit,
    collect,
    issue_credit_note,
    issue_invoice,
    place_credit,
)
from tierline.services.messages import cycle_length, notify
from tierline.services.payments import paid_or_refuse
from tierline.services.subscriptions import live_subscription, refuse_if_sales_managed
from tierline.store.uow import UnitOfWork


@dataclass(frozen=True)
class ChangeRequest:
    """Any of edition, cycle, quantity and add-ons (add-on code → new quantity, 0 removes)."""

    account_id: str
    edition: str | None = None
    cycle: str | None = None
    quantity: int | None = None
    addons: Mapping[str, int] = field(default_factory=dict)

    def target(self, current: Plan) -> Plan:
        if (
            self.edition is None
            and self.cycle is None
            and self.quantity is None
            and not self.addons
        ):
            raise Invalid("Say what to change: edition, cycle, quantity or add-ons.")
        return current.with_changes(
            edition=self.edition, cycle=self.cycle, quantity=self.quantity, addons=self.addons
        )


@dataclass(frozen=True)
class ChangePreview:
    change_class: str
    lines: tuple[Line, ...]
    total_now: Decimal
    credit: Decimal
    effective_at: datetime
    scheduled: bool
    next_renewal_amount: Decimal
    effects: tuple[Effect, ...]
    credit_to: str
    # What the change does to the account's content when it takes effect (reconciliation).
    content: tuple[Action, ...] = ()


@dataclass(frozen=True)
class ChangeResult:
    subscription: Subscription
    preview: ChangePreview
    invoice: str | None
    credit_note: str | None


def _settle(uow: UnitOfWork, cmd: ChangeRequest, now: datetime) -> tuple[Account, Settlement]:
    account = uow.accounts.get(cmd.account_id)
    refuse_if_sales_managed(account)
    sub = live_subscription(uow, account.id)
    settlement = settle(
        sub, cmd.target(sub.plan), uow.catalog, now, account.timezone, change_id=new_id("chg")
    )
    return account, settlement


def _preview(uow: UnitOfWork, account: Account, s: Settlement) -> ChangePreview:
    credit_to = s.change.policy.credit_to
    target = s.after.pending.target if s.scheduled and s.after.pending else s.after.plan
    lines = s.charge_lines + s.credit_lines
    on_invoice = credit_to == "invoice"
    subtotal = sum((line.amount for line in (lines if on_invoice else s.charge_lines)), Decimal(0))
    balance = uow.journal.balance(account.id)
    if credit_to == "balance":
        balance += s.credited
    totals = invoice_totals(
        subtotal,
        Decimal(0) if on_invoice or credit_to == "balance" else s.credited,
        balance,
        use_balance=uow.catalog.balance.apply_to_invoices,
    )
    return ChangePreview(
        change_class=s.change.primary,
        lines=lines,
        total_now=totals.total,
        credit=s.credited,
        effective_at=s.effective_at,
        scheduled=s.scheduled,
        next_renewal_amount=s.next_renewal_amount,
        effects=s.effects,
        credit_to=credit_to,
        content=content_plan(uow, account.id, s.before.plan, target),
    )


def preview_change(cmd: ChangeRequest, *, uow: UnitOfWork, clock: Clock) -> ChangePreview:
    """The same settlement as `apply_change`, with nothing stored."""
    with uow:
        account, settlement = _settle(uow, cmd, clock.now())
        return _preview(uow, account, settlement)


def apply_change(
    cmd: ChangeRequest, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> ChangeResult:
    now = clock.now()
    with uow:
        account, s = _settle(uow, cmd, now)
        preview = _preview(uow, account, s)
        after = s.after
        invoice_number = note_number = None
        if not s.scheduled and (s.charge_lines or s.credit_lines):
            credit_to = s.change.policy.credit_to
            credit = None
            lines = s.charge_lines
            if credit_to == "invoice":
                lines = s.charge_lines + s.credit_lines
            elif s.credit_lines:
                note = issue_credit_note(
                    uow, account, s.credit_lines, credit_to=credit_to,
                    sources=s.credit_sources, now=now,
                )  # fmt: skip
                note_number = note.number
                credit = Credit(note.total, credit_to, note)
            if lines:
                invoice = issue_invoice(
                    uow, gateway, account, lines, reason="change", now=now,
                    subscription_id=after.id, credit=credit,
                )  # fmt: skip
                invoice_number = invoice.number
                after = replace(
                    after,
                    charges=tuple(
                        replace(c, invoice=invoice.number) if c.paid_from == now else c
                        for c in after.charges
                    ),
                    next_charges=None
                    if after.next_charges is None
                    else tuple(
                        replace(c, invoice=invoice.number) if c.invoice is None else c
                        for c in after.next_charges
                    ),
                )
                if uow.catalog.collection.mode == "charge_automatically":
                    paid_or_refuse(uow, collect(uow, gateway, account, invoice, now, credit), now)
            elif credit is not None and credit_to != "balance":
                # Nothing new to pay: the whole credit goes where the policy sends leftovers.
                reference = credit.note.number if credit.note else None
                place_credit(uow, gateway, account, credit.amount, credit, now, reference)
        saved = uow.subscriptions.save(after)
        _announce(uow, account, s, preview, now)
        if not s.scheduled:
            reconcile_content(uow, account.id, saved.id, s.before.plan, saved.plan, now)
        uow.commit()
    return ChangeResult(saved, preview, invoice_number, note_number)


_VERBS = {
    "upgrade": ("subscription.upgraded", "upgraded to"),
    "downgrade": ("subscription.downgraded", "downgraded to"),
    "cycle_change": ("subscription.updated", "now billed by"),
}


def _announce(
    uow: UnitOfWork, account: Account, s: Settlement, preview: ChangePreview, now: datetime
) -> None:
    catalog = uow.catalog
    target = s.after.pending.target if s.scheduled and s.after.pending else s.after.plan
    edition = catalog.edition(target.edition)
    name = edition.name if edition else target.edition
    if s.scheduled:
        kind = f"subscription.{s.change.primary}_scheduled"
        text = f"Your change to {name} takes effect on {s.effective_at:%Y-%m-%d}."
    else:
        kind, verb = _VERBS.get(s.change.primary, ("subscription.updated", "updated:"))
        text = f"Your subscription was {verb} {name}; the update is effective now."
        if s.change.primary == "cycle_change":
            text = f"Your subscription is {verb} {target.cycle}."
    notify(
        uow, account.id, now, kind, text,
        subscription=s.after.id, change=s.change.primary, total_now=str(preview.total_now),
        currency=catalog.currency, edition=target.edition, edition_name=name,
        cycle=target.cycle, effective_at=s.effective_at.isoformat(),
        **cycle_length(catalog, target.cycle),
    )  # fmt: skip


def cancel_pending_change(account_id: str, *, uow: UnitOfWork, clock: Clock) -> Subscription:
    now = clock.now()
    with uow:
        sub = live_subscription(uow, account_id)
        if sub.pending is None:
            raise NotAllowed("There is no scheduled change to cancel.", code="no_pending_change")
        if sub.next_charges is not None and sub.pending.effective_at <= sub.period.end:
            raise NotAllowed(
                "The next period is already invoiced with this change.",
                code="renewal_already_invoiced",
            )
        saved = uow.subscriptions.save(replace(sub, pending=None))
        notify(
            uow, account_id, now, "subscription.change_canceled",
            "Your scheduled change was cancelled; your plan stays as it is.", subscription=sub.id,
        )  # fmt: skip
        uow.commit()
    return saved
