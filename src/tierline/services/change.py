"""Changing a subscription: preview what it costs and does, apply it, or cancel a scheduled one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from tierline.clock import Clock
from tierline.domain.account import Account, refuse_if_sales_managed
from tierline.domain.change import Settlement, settle
from tierline.domain.change_events import announcement
from tierline.domain.documents import Invoice, Purchase, invoice_totals
from tierline.domain.entitlements import Effect, change_effects
from tierline.domain.events import ChangeCanceled
from tierline.domain.lines import Line, total
from tierline.domain.plan import Plan
from tierline.domain.reconciliation import Action
from tierline.domain.subscription import Subscription
from tierline.domain.values import replace
from tierline.errors import Invalid, NotAllowed, StaleVersion
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.services.collection import collect
from tierline.services.content import content_plan, over_account, reconcile_content
from tierline.services.invoicing import Credit, issue_credit_note, issue_invoice, place_credit
from tierline.services.messages import notify
from tierline.services.payments import await_payment, collect_invoice, require_payment_method
from tierline.services.subscriptions import live_subscription, paid_edition
from tierline.services.taxing import credit_gross, invoice_gross
from tierline.store.payments import refuse_while_awaiting
from tierline.store.uow import UnitOfWork


@dataclass(frozen=True)
class ChangeRequest:
    """Any of edition, cycle, quantity and add-ons (add-on code → new quantity, 0 removes).

    `on_behalf` is set only by an operator acting for the account (`services.on_behalf`): a
    sales-managed account buys offline, through its operator, so the change is not refused to
    it; the account itself (the portal, an API key) never sets it."""

    account_id: str
    edition: str | None = None
    cycle: str | None = None
    quantity: int | None = None
    addons: Mapping[str, int] = field(default_factory=dict)
    on_behalf: bool = field(default=False, kw_only=True)
    subscription_id: str | None = field(default=None, kw_only=True)  # None: the base one

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
    # What the account's balance pays of the invoice; `total_now` is what the card pays.
    paid_from_balance: Decimal = Decimal(0)


@dataclass(frozen=True)
class ChangeResult:
    subscription: Subscription
    preview: ChangePreview
    invoice: str | None
    credit_note: str | None


def _settle(
    uow: UnitOfWork, cmd: ChangeRequest, now: datetime, change_id: str
) -> tuple[Account, Settlement]:
    account = uow.accounts.get(cmd.account_id)
    if not cmd.on_behalf:
        refuse_if_sales_managed(account)
    sub = live_subscription(uow, account.id, cmd.subscription_id)
    host = paid_edition(uow, account.id) if sub.plan.addons_only else None
    settlement = settle(
        sub, cmd.target(sub.plan), uow.catalog.in_currency(account.currency), now,
        account.timezone, change_id=change_id, host=host,
    )  # fmt: skip
    return account, _over_the_account(uow, settlement)


def _over_the_account(uow: UnitOfWork, s: Settlement) -> Settlement:
    """What the change does to the account's limits, with the packs of its other live
    subscriptions counted in (limits add up over them)."""
    target = s.after.pending.target if s.scheduled and s.after.pending else s.after.plan
    before, after = over_account(uow, s.before.account_id, s.before.id, s.before.plan, target)
    if (before, after) == (s.before.plan, target):
        return s
    return replace(s, effects=change_effects(uow.catalog, before, after))


def _preview(uow: UnitOfWork, account: Account, s: Settlement) -> ChangePreview:
    credit_to = s.change.policy.credit_to
    target = s.after.pending.target if s.scheduled and s.after.pending else s.after.plan
    lines = s.charge_lines + s.credit_lines
    on_invoice = credit_to == "invoice"
    billed = lines if on_invoice else s.charge_lines
    subtotal = invoice_gross(uow, account, billed, subscription_id=s.after.id, now=s.effective_at)
    credited = s.credited
    if not on_invoice and s.credit_lines:  # the credit note's amount, tax included
        credited = credit_gross(
            uow, account, s.credit_lines, sources=s.credit_sources, now=s.effective_at
        )
    balance = uow.journal.balance(account.id)
    if credit_to == "balance":
        balance += credited
    totals = invoice_totals(
        subtotal,
        Decimal(0) if on_invoice or credit_to == "balance" else credited,
        balance,
        use_balance=uow.catalog.balance.apply_to_invoices,
    )
    return ChangePreview(
        change_class=s.change.primary,
        lines=lines,
        total_now=totals.total,
        credit=credited,
        effective_at=s.effective_at,
        scheduled=s.scheduled,
        next_renewal_amount=s.next_renewal_amount,
        effects=s.effects,
        credit_to=credit_to,
        content=content_plan(uow, account.id, s.before.plan, target, s.before.id),
        paid_from_balance=totals.balance_applied,
    )


def preview_change(cmd: ChangeRequest, *, uow: UnitOfWork, clock: Clock) -> ChangePreview:
    """The same settlement as `apply_change`, with nothing stored."""
    with uow:
        account, settlement = _settle(uow, cmd, clock.now(), new_id("chg"))
        return _preview(uow, account, settlement)


def apply_change(
    cmd: ChangeRequest, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> ChangeResult:
    """Apply a change now, or schedule it. A change that the card pays now is a purchase: its
    invoice is issued with the first payment attempt and committed, the attempt is sent, and
    the change is applied when the payment succeeds (refused, with the invoice void, when every
    method fails)."""
    now = clock.now()
    with uow:
        change_id = new_id("chg")
        account, s = _settle(uow, cmd, now, change_id)
        refuse_while_awaiting(uow.purchases, account.id)
        preview = _preview(uow, account, s)
        paid_now = _paid_by_card_now(uow, s, preview)
        if paid_now:
            require_payment_method(uow, account.id)
            invoice = _invoice_for_purchase(uow, account, s, now)
            locked = uow.subscriptions.save(s.before)  # a concurrent change now loses
            await_payment(
                uow, invoice, now, kind="change", subscription_id=s.before.id,
                command={**_command_of(cmd), "change_id": change_id},
                subscription_version=locked.version,
            )  # fmt: skip
        else:
            saved, invoice_number, note_number, _ = _carry_out(uow, account, s, preview, now)
        uow.commit()
    if not paid_now:  # money paid back to a card is sent now
        collect(uow=uow, clock=clock, gateway=gateway, account_id=account.id, concurrency=1)
        return ChangeResult(saved, preview, invoice_number, note_number)
    paid = collect_invoice(uow, clock, gateway, invoice.number)
    with uow.reading():
        saved = uow.subscriptions.get(s.before.id)
        notes = uow.documents.credit_notes_for(account.id) if s.credit_lines else []
    note_number = next((n.number for n in notes if n.issued_at == paid.paid_at), None)
    return ChangeResult(saved, preview, invoice.number, note_number)


def _paid_by_card_now(uow: UnitOfWork, s: Settlement, preview: ChangePreview) -> bool:
    return (
        not s.scheduled
        and preview.total_now > 0
        and uow.catalog.collection.mode == "charge_automatically"
    )


def _command_of(cmd: ChangeRequest) -> dict[str, object]:
    return {
        "account_id": cmd.account_id,
        "edition": cmd.edition,
        "cycle": cmd.cycle,
        "quantity": cmd.quantity,
        "addons": dict(cmd.addons),
        "subscription_id": cmd.subscription_id,
    }


def _bill(s: Settlement) -> tuple[tuple[Line, ...], Decimal]:
    """The lines to invoice, and the credit the invoice absorbs (its note issued apart)."""
    if s.change.policy.credit_to == "invoice":
        return s.charge_lines + s.credit_lines, Decimal(0)
    return s.charge_lines, -total(s.credit_lines)


def _invoice_for_purchase(
    uow: UnitOfWork, account: Account, s: Settlement, now: datetime
) -> Invoice:
    """The purchase's invoice, as `_carry_out` would issue it; the credit note for the unused
    part is issued when the payment succeeds, so the credit is counted in already."""
    lines, credited = _bill(s)
    if credited:  # the credit note's amount, tax included
        credited = credit_gross(uow, account, s.credit_lines, sources=s.credit_sources, now=now)
    credit_to = s.change.policy.credit_to
    credit = Credit(credited, credit_to) if credited else None
    extra = credited if credit_to == "balance" else Decimal(0)
    return issue_invoice(
        uow, account, lines, reason="change", now=now, subscription_id=s.after.id,
        credit=credit, balance_to_come=extra,
    )  # fmt: skip


def carry_out_change(
    uow: UnitOfWork, purchase: Purchase, invoice: Invoice, now: datetime
) -> Credit | None:
    """Apply a change whose invoice was just paid: decided again as at the moment it was
    bought, from the subscription as it was then (its version says it did not move)."""
    command = dict(purchase.command)
    change_id = str(command.pop("change_id"))
    cmd = ChangeRequest(**command)  # type: ignore[arg-type]
    account = uow.accounts.get(purchase.account_id)
    sub = uow.subscriptions.get(purchase.subscription_id, for_update=True)
    if sub.version != purchase.subscription_version:
        raise StaleVersion("The subscription changed while its purchase awaited payment.")
    s = settle(
        sub, cmd.target(sub.plan), uow.catalog.in_currency(account.currency),
        purchase.decided_at, account.timezone, change_id=change_id,
    )  # fmt: skip
    preview = replace(_preview(uow, account, s), total_now=invoice.total)
    _, _, _, credit = _carry_out(uow, account, s, preview, now, invoice=invoice)
    return credit


def _carry_out(
    uow: UnitOfWork,
    account: Account,
    s: Settlement,
    preview: ChangePreview,
    now: datetime,
    *,
    invoice: Invoice | None = None,
) -> tuple[Subscription, str | None, str | None, Credit | None]:
    """Store what the settlement says: the credit note, the invoice (or the one already paid),
    the subscription after, the messages and the content reconciliation."""
    after = s.after
    if not s.scheduled:  # a new plan is bought at the current catalog version's prices
        after = replace(after, catalog_version=uow.catalogs.current_version, price_change=None)
    invoice_number = note_number = None
    credit = None
    if not s.scheduled and (s.charge_lines or s.credit_lines):
        credit_to = s.change.policy.credit_to
        lines, _ = _bill(s)
        if credit_to != "invoice" and s.credit_lines:
            note = issue_credit_note(
                uow, account, s.credit_lines, credit_to=credit_to,
                sources=s.credit_sources, now=now,
            )  # fmt: skip
            note_number = note.number
            credit = Credit(note.total, credit_to, note)
        if lines:
            if invoice is None:
                invoice = issue_invoice(
                    uow, account, lines, reason="change", now=now,
                    subscription_id=after.id, credit=credit,
                )  # fmt: skip
            invoice_number = invoice.number
            after = _charged_on(after, invoice.number, s.effective_at)
        elif credit is not None and credit_to != "balance":
            # Nothing new to pay: the whole credit goes where the policy sends leftovers.
            reference = credit.note.number if credit.note else None
            place_credit(uow, account, credit.amount, credit, now, reference)
    saved = uow.subscriptions.save(after)
    notify(uow, account.id, now, announcement(uow.catalog, s, preview.total_now, account.currency))
    if not s.scheduled:
        reconcile_content(uow, account.id, saved.id, s.before.plan, saved.plan, now)
    return saved, invoice_number, note_number, credit


def _charged_on(after: Subscription, number: str, at: datetime) -> Subscription:
    """The charges the change bought name the invoice that bills them."""
    return replace(
        after,
        charges=tuple(
            replace(c, invoice=number) if c.paid_from == at else c for c in after.charges
        ),
        next_charges=None
        if after.next_charges is None
        else tuple(
            replace(c, invoice=number) if c.invoice is None else c for c in after.next_charges
        ),
    )


def cancel_pending_change(
    account_id: str, *, uow: UnitOfWork, clock: Clock, subscription_id: str | None = None
) -> Subscription:
    """Cancel the scheduled change of the subscription (without one named, the base one)."""
    now = clock.now()
    with uow:
        sub = live_subscription(uow, account_id, subscription_id)
        refuse_while_awaiting(uow.purchases, account_id)
        if sub.pending is None:
            raise NotAllowed("There is no scheduled change to cancel.", code="no_pending_change")
        if sub.next_charges is not None and sub.pending.effective_at <= sub.period.end:
            raise NotAllowed(
                "The next period is already invoiced with this change.",
                code="renewal_already_invoiced",
            )
        saved = uow.subscriptions.save(replace(sub, pending=None))
        notify(uow, account_id, now, ChangeCanceled(sub.id))
        uow.commit()
    return saved
