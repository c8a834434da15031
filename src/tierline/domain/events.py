"""What happened, as typed facts: the events an account's messages and webhooks are made from.

An event is stored as its kind and its facts (`facts()`: names, codes, amounts as decimal
strings, instants in ISO 8601), never as words. Words are made when the event is read: in the
reader's language by `tierline.notify.messages`, or in plain English by `text()` (the webhook's
`text` and the simulator's output). `read(kind, facts)` gives back the event a stored row
holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, get_type_hints

from tierline.domain.catalog import Catalog
from tierline.domain.lines import english_count
from tierline.domain.units import UnitForms


@dataclass(frozen=True)
class Event:
    KIND: ClassVar[str] = ""
    # Facts left out of `facts()` while they hold their default: they did not happen.
    _WHEN_SET: ClassVar[tuple[str, ...]] = ()

    @property
    def kind(self) -> str:
        return self.KIND

    def text(self) -> str:
        raise NotImplementedError

    def facts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        when_set = self._WHEN_SET
        for name in _names(type(self)):
            value = getattr(self, name)
            if name in when_set and (value is None or value is False):
                continue
            out[name] = _fact(value)
        return out

    @classmethod
    def read(cls, kind: str, facts: Mapping[str, Any]) -> Event:
        hints = get_type_hints(cls)
        values = {
            f.name: _value(hints[f.name], facts[f.name])
            for f in fields(cls)
            if f.name in facts and f.init
        }
        return cls(**values)


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(kind: type) -> tuple[str, ...]:
    """The fields of an event's class, read once per class."""
    found = _NAMES.get(kind)
    if found is None:
        found = _NAMES[kind] = tuple(f.name for f in fields(kind))
    return found


def _fact(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_fact(v) for v in value]
    return value


def _value(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    if Decimal in _types(hint):
        return Decimal(str(raw))
    if datetime in _types(hint):
        return datetime.fromisoformat(raw)
    if isinstance(raw, list):
        return tuple(raw)
    return raw


def _types(hint: Any) -> tuple[Any, ...]:
    return getattr(hint, "__args__", (hint,))


def cycle_length(catalog: Catalog, code: str) -> dict[str, int]:
    """A cycle's length as facts: `cycle_months` or `cycle_days`."""
    cycle = catalog.cycle(code)
    if cycle is None:
        return {}
    if cycle.length.months:
        return {"cycle_months": cycle.length.months}
    return {"cycle_days": cycle.length.days}


def _day(at: datetime) -> str:
    return f"{at:%Y-%m-%d}"


# Subscriptions


@dataclass(frozen=True)
class TrialStarted(Event):
    KIND = "subscription.trial_started"
    subscription: str
    edition: str
    edition_name: str
    trial_end: datetime

    def text(self) -> str:
        return f"Your {self.edition_name} trial has started; it ends on {_day(self.trial_end)}."


@dataclass(frozen=True)
class SubscriptionCreated(Event):
    KIND = "subscription.created"
    _WHEN_SET = ("cycle_months", "cycle_days", "unit_forms")
    subscription: str
    edition: str
    edition_name: str
    quantity: int
    unit: str | None
    cycle: str
    cycle_months: int | None = None
    cycle_days: int | None = None
    unit_forms: UnitForms | None = None  # the catalog's own words for its unit, if it has them

    def text(self) -> str:
        count = english_count(self.unit_forms)(self.quantity, self.unit)
        return f"Your {self.edition_name} license is active: {count}, billed every {self.cycle}."


@dataclass(frozen=True)
class PacksSubscribed(Event):
    """An add-on-only subscription started: packs on their own cycle, beside the edition."""

    KIND = "subscription.packs_created"
    _WHEN_SET = ("cycle_months", "cycle_days")
    subscription: str
    packs: dict[str, int]  # pack name → count
    cycle: str
    cycle_months: int | None = None
    cycle_days: int | None = None

    def text(self) -> str:
        packs = ", ".join(f"{name} × {count}" for name, count in self.packs.items())
        return f"Your packs are active: {packs}, billed every {self.cycle}."


@dataclass(frozen=True)
class AutoRenewChanged(Event):
    KIND = "subscription.auto_renew_changed"
    _WHEN_SET = ("ends_at",)
    subscription: str
    auto_renew: bool
    ends_at: datetime | None = None  # when turned off: the last day served

    def text(self) -> str:
        if self.auto_renew or self.ends_at is None:
            return "Automatic renewal is on again."
        return f"Automatic renewal is off: the service ends on {_day(self.ends_at)}."


@dataclass(frozen=True)
class _PlanChange(Event):
    _WHEN_SET = (
        "cycle_months", "cycle_days", "quantity_before", "quantity_after", "unit",
        "packs_before", "packs_after",
    )  # fmt: skip
    subscription: str
    change: str  # upgrade, downgrade, cycle_change, …: the change's primary class
    total_now: Decimal
    currency: str
    edition: str
    edition_name: str
    cycle: str
    effective_at: datetime
    cycle_months: int | None = None
    cycle_days: int | None = None
    # What else changed: the quantity (in the catalog's unit) and the packs (name → count)
    quantity_before: int | None = None
    quantity_after: int | None = None
    unit: str | None = None
    packs_before: dict[str, int] | None = None
    packs_after: dict[str, int] | None = None


_CHANGED = {
    "upgrade": ("subscription.upgraded", "upgraded to"),
    "downgrade": ("subscription.downgraded", "downgraded to"),
}


@dataclass(frozen=True)
class SubscriptionChanged(_PlanChange):
    """A change that took effect now."""

    @property
    def kind(self) -> str:
        return _CHANGED.get(self.change, ("subscription.updated", ""))[0]

    def text(self) -> str:
        if self.change == "cycle_change":
            return f"Your subscription is now billed by {self.cycle}."
        verb = _CHANGED.get(self.change, ("", "updated:"))[1]
        return f"Your subscription was {verb} {self.edition_name}; the update is effective now."


@dataclass(frozen=True)
class ChangeScheduled(_PlanChange):
    """A change that takes effect at `effective_at`."""

    @property
    def kind(self) -> str:
        return f"subscription.{self.change}_scheduled"

    def text(self) -> str:
        return f"Your change to {self.edition_name} takes effect on {_day(self.effective_at)}."


@dataclass(frozen=True)
class ChangeCanceled(Event):
    KIND = "subscription.change_canceled"
    subscription: str

    def text(self) -> str:
        return "Your scheduled change was cancelled; your plan stays as it is."


@dataclass(frozen=True)
class ChangeApplied(Event):
    """A scheduled change took effect at the end of the period."""

    subscription: str
    edition_name: str
    change: str = field(default="", compare=False)  # the change's class, kept in the kind

    @property
    def kind(self) -> str:
        return f"subscription.{self.change}_applied"

    def facts(self) -> dict[str, Any]:
        return {"subscription": self.subscription, "edition_name": self.edition_name}

    @classmethod
    def read(cls, kind: str, facts: Mapping[str, Any]) -> Event:
        change = kind.removeprefix("subscription.").removesuffix("_applied")
        return cls(facts["subscription"], facts["edition_name"], change)

    def text(self) -> str:
        return f"Your subscription is now {self.edition_name}."


@dataclass(frozen=True)
class Renewed(Event):
    KIND = "subscription.renewed"
    subscription: str
    period_end: datetime

    def text(self) -> str:
        return f"Your subscription renewed until {_day(self.period_end)}."


@dataclass(frozen=True)
class PriceChanging(Event):
    """A new catalog version changes the subscription's price from its renewal at
    `effective_at` (`existing: next_renewal`); sent when the version is installed."""

    KIND = "subscription.price_changing"
    subscription: str
    edition: str  # the edition's code; for an add-on-only subscription, empty
    edition_name: str  # the edition's name, or the packs' names
    old_amount: Decimal  # one full cycle of the plan, before and after
    new_amount: Decimal
    currency: str
    effective_at: datetime

    def text(self) -> str:
        return (
            f"The price of your {self.edition_name} subscription changes from "
            f"{self.old_amount} {self.currency} to {self.new_amount} {self.currency} "
            f"at its renewal on {_day(self.effective_at)}."
        )


@dataclass(frozen=True)
class Expired(Event):
    KIND = "subscription.expired"
    _WHEN_SET = ("ended_at", "trial")
    subscription: str
    ended_at: datetime | None = None
    trial: bool = False  # a trial that ended with auto-renewal off

    def text(self) -> str:
        if self.trial or self.ended_at is None:
            return "Your trial ended."
        return f"Your subscription ended on {_day(self.ended_at)}."


@dataclass(frozen=True)
class TrialEnded(Event):
    KIND = "subscription.trial_ended"
    subscription: str

    def text(self) -> str:
        return "Your trial ended; the paid subscription starts now."


@dataclass(frozen=True)
class SubscriptionCanceled(Event):
    KIND = "subscription.canceled"
    subscription: str
    invoice: str  # the invoice no method paid

    def text(self) -> str:
        return f"Your subscription was cancelled: invoice {self.invoice} could not be paid."


_CONTENT_VERBS = {
    "remove": "removed",
    "scale": "scaled down",
    "cap": "capped",
    "detach": "detached",
    "reattach": "re-attached",
}


@dataclass(frozen=True)
class ContentReconciled(Event):
    KIND = "subscription.content_reconciled"
    subscription: str
    reconciliation: str
    from_edition: str
    to_edition: str
    actions: tuple[Mapping[str, Any], ...]
    to_edition_name: str

    def text(self) -> str:
        counts = Counter(str(action.get("kind")) for action in self.actions)
        done = ", ".join(
            f"{counts[kind]} {verb}" for kind, verb in _CONTENT_VERBS.items() if counts[kind]
        )
        return f"Your content was adapted to {self.to_edition_name}: {done}."


# Documents and money


@dataclass(frozen=True)
class InvoiceFinalized(Event):
    KIND = "invoice.finalized"
    invoice: str
    total: Decimal
    currency: str

    def text(self) -> str:
        return f"Invoice {self.invoice} issued: {self.total} {self.currency} to pay."


@dataclass(frozen=True)
class InvoicePaid(Event):
    KIND = "invoice.paid"
    invoice: str
    amount: Decimal
    currency: str

    def text(self) -> str:
        return f"Invoice {self.invoice} paid: {self.amount} {self.currency}."


@dataclass(frozen=True)
class CreditNoteIssued(Event):
    KIND = "credit_note.issued"
    credit_note: str
    total: Decimal
    currency: str

    def text(self) -> str:
        return f"Credit note {self.credit_note} issued for {self.total} {self.currency}."


# The reasons Tierline gives itself; a provider's refusal comes with its own `message`.
_OWN_REASONS = {"no_payment_method": "The account has no payment method to charge."}


@dataclass(frozen=True)
class PaymentFailed(Event):
    KIND = "payment.failed"
    _WHEN_SET = ("message", "voided")
    invoice: str | None  # none for a top-up
    code: str
    amount: Decimal
    currency: str
    message: str | None = None  # what the provider said, in its words
    voided: bool = False  # every method failed on a purchase: its invoice is void

    def text(self) -> str:
        reason = self.message or _OWN_REASONS.get(self.code) or "The payment failed."
        what = f" for {self.invoice}" if self.invoice else ""
        text = f"Payment of {self.amount} {self.currency}{what} failed: {reason}"
        if self.voided:
            text += f" Invoice {self.invoice} is void; nothing was changed."
        return text


@dataclass(frozen=True)
class BalanceToppedUp(Event):
    KIND = "balance.topped_up"
    _WHEN_SET = ("invoice",)
    amount: Decimal
    balance: Decimal
    currency: str
    invoice: str | None = None  # paid for an invoice that needed no more payment

    def text(self) -> str:
        if self.invoice is not None:
            return (
                f"{self.amount} {self.currency} received for {self.invoice}, which needed no "
                "more payment, was added to your balance."
            )
        return (
            f"Your balance was recharged with {self.amount} {self.currency}; "
            f"it is now {self.balance} {self.currency}."
        )


@dataclass(frozen=True)
class RefundFailed(Event):
    """A refund the card refused: the money was added to the balance instead."""

    KIND = "payment.refund_failed"
    amount: Decimal
    balance: Decimal
    currency: str
    credit_note: str | None  # what the refund paid back

    def text(self) -> str:
        return (
            f"A refund of {self.amount} {self.currency} could not be made to the card; it was "
            f"added to your balance, which is now {self.balance} {self.currency}."
        )


@dataclass(frozen=True)
class PurchaseRefunded(Event):
    KIND = "purchase.refunded"
    invoice: str
    credit_note: str
    total: Decimal
    currency: str

    def text(self) -> str:
        return (
            f"Your purchase on {self.invoice} could not be carried out because the subscription "
            f"changed meanwhile; credit note {self.credit_note} pays {self.total} "
            f"{self.currency} back."
        )


@dataclass(frozen=True)
class PaidByBackup(Event):
    """The primary method was declined and the backup paid: the primary wants updating."""

    KIND = "payment.backup_used"
    invoice: str
    amount: Decimal
    currency: str
    declined_method: str  # the primary's id, to tell whether it is still the primary
    declined_brand: str
    declined_last4: str
    backup_brand: str
    backup_last4: str

    def text(self) -> str:
        return (
            f"The primary card ({self.declined_brand} ending in {self.declined_last4}) was "
            f"declined for {self.invoice}; the backup card ({self.backup_brand} ending in "
            f"{self.backup_last4}) paid {self.amount} {self.currency}. Update the primary card."
        )


_BY_KIND: dict[str, type[Event]] = {
    cls.KIND: cls
    for cls in (
        TrialStarted,
        SubscriptionCreated,
        PacksSubscribed,
        AutoRenewChanged,
        ChangeCanceled,
        Renewed,
        PriceChanging,
        Expired,
        TrialEnded,
        SubscriptionCanceled,
        ContentReconciled,
        InvoiceFinalized,
        InvoicePaid,
        CreditNoteIssued,
        PaymentFailed,
        BalanceToppedUp,
        PurchaseRefunded,
        PaidByBackup,
        RefundFailed,
    )
}


def event_class(kind: str) -> type[Event] | None:
    if kind in _BY_KIND:
        return _BY_KIND[kind]
    if kind in ("subscription.upgraded", "subscription.downgraded", "subscription.updated"):
        return SubscriptionChanged
    if kind.startswith("subscription.") and kind.endswith("_scheduled"):
        return ChangeScheduled
    if kind.startswith("subscription.") and kind.endswith("_applied"):
        return ChangeApplied
    return None


def read(kind: str, facts: Mapping[str, Any]) -> Event | None:
    """The event a stored kind and facts hold; None for a kind this version does not know or
    facts it cannot read."""
    cls = event_class(kind)
    if cls is None:
        return None
    try:
        return cls.read(kind, facts)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None


def plain_text(kind: str, facts: Mapping[str, Any]) -> str:
    """An event in plain English, as the webhook's `text` and the simulator show it."""
    event = read(kind, facts)
    if event is None:
        return str(facts.get("text") or kind)
    return event.text()
