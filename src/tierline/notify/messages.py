"""In-app messages in the reader's language, written when they are read.

An event in the outbox keeps its kind and a payload of facts (edition names, amounts, instants,
document numbers). `message_text` puts one into words with the gettext catalog of the account's
language (`tierline.i18n`: English, French, Italian, Vietnamese; any other language reads English)
and its `Formatter`, which writes amounts, dates and counts as the documents do. An event whose
kind has no template, or whose payload lacks a fact its template needs (an event written before
the payload carried it), keeps the English text it was stored with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from tierline.documents.formatting import Formatter
from tierline.domain.catalog import Catalog
from tierline.i18n import Words, words

# The order a reconciliation's actions are counted in.
_CONTENT = ("remove", "scale", "cap", "detach", "reattach")


class _Missing(Exception):
    """The payload lacks a fact the template needs."""


class _Facts:
    """An event's payload, read as the reader's formatter writes it, and the reader's words."""

    def __init__(
        self, payload: Mapping[str, Any], fmt: Formatter, w: Words, catalog: Catalog | None = None
    ):
        self.payload = payload
        self.fmt = fmt
        self.w = w
        self.catalog = catalog

    def edition(self, key: str = "edition_name", code: str = "edition") -> str:
        """An edition's name in the reader's language: the catalog's edition of the stored code
        (or of the stored English name), else the name as stored."""
        stored = self.text(key)
        if self.catalog is None:
            return stored
        found = self.catalog.edition(str(self.payload.get(code) or "")) or next(
            (e for e in self.catalog.editions if e.name == stored), None
        )
        return found.name_in(self.w.language) if found else stored

    def pack(self, stored: str) -> str:
        """A pack's name, stored in English, in the reader's language."""
        if self.catalog is None:
            return stored
        found = next((a for a in self.catalog.addons if a.name == stored), None)
        return found.name_in(self.w.language) if found else stored

    def raw(self, key: str) -> Any:
        value = self.payload.get(key)
        if value is None:
            raise _Missing(key)
        return value

    def text(self, key: str) -> str:
        return str(self.raw(key))

    def money(self, key: str) -> str:
        return self.fmt.money(Decimal(str(self.raw(key))))

    def date(self, key: str) -> str:
        return self.fmt.date(datetime.fromisoformat(self.text(key)))

    def every(self) -> str:
        w = self.w
        months = int(self.payload.get("cycle_months") or 0)
        days = int(self.payload.get("cycle_days") or 0)
        if months == 1:
            return w.gettext("every month")
        if not months and days == 1:
            return w.gettext("every day")
        if months:
            return w.ngettext(
                "every %(num)s month", "every %(num)s months", months, num=self.fmt.number(months)
            )
        if days:
            return w.ngettext(
                "every %(num)s day", "every %(num)s days", days, num=self.fmt.number(days)
            )
        raise _Missing("cycle_months")


def payment_reason(w: Words, code: str) -> str | None:
    """Why a payment failed, by the gateway's code; None for a code without words."""
    reasons = {
        "card_declined": w.gettext("The card was declined."),
        "insufficient_funds": w.gettext("The card has insufficient funds."),
        "gateway_timeout": w.gettext("The payment gateway did not answer."),
        "no_payment_method": w.gettext("There is no payment method."),
        "payment_failed": w.gettext("The payment was refused."),
    }
    return reasons.get(code)


def _trial_started(f: _Facts) -> str:
    return f.w.gettext(
        "Your %(edition)s trial has started; it ends on %(date)s.",
        edition=f.edition(),
        date=f.date("trial_end"),
    )


def _created(f: _Facts) -> str:
    return f.w.gettext(
        "Your %(edition)s license is active: %(count)s, billed %(every)s.",
        edition=f.edition(),
        count=f.fmt.count(int(f.raw("quantity")), f.text("unit")),
        every=f.every(),
    )


def _auto_renew_on(f: _Facts) -> str:
    return f.w.gettext("Automatic renewal is on again.")


def _auto_renew_off(f: _Facts) -> str:
    return f.w.pgettext(
        "message",
        "Automatic renewal is off: the service ends on %(date)s.",
        date=f.date("ends_at"),
    )


def _upgraded(f: _Facts) -> str:
    return f.w.gettext(
        "Your subscription was upgraded to %(edition)s; the update is effective now.",
        edition=f.edition(),
    )


def _downgraded(f: _Facts) -> str:
    return f.w.gettext(
        "Your subscription was downgraded to %(edition)s; the update is effective now.",
        edition=f.edition(),
    )


def _updated(f: _Facts) -> str:
    changes = _what_changed(f)
    if not changes:
        return f.w.gettext(
            "Your subscription was updated: %(edition)s; the update is effective now.",
            edition=f.edition(),
        )
    return f.w.gettext(
        "Your subscription was updated: %(edition)s, %(changes)s; the update is effective now.",
        edition=f.edition(),
        changes=", ".join(changes),
    )


def _packs_created(f: _Facts) -> str:
    packs: Mapping[str, int] = f.raw("packs")
    return f.w.gettext(
        "Your packs are active: %(packs)s, billed %(every)s.",
        packs=", ".join(
            f.w.gettext("%(pack)s × %(count)s", pack=f.pack(name), count=f.fmt.number(count))
            for name, count in packs.items()
        ),
        every=f.every(),
    )


def _what_changed(f: _Facts) -> list[str]:
    """The quantity and the packs a change changed: "10 seats → 15 seats", "Data sync added"."""
    w, p = f.w, f.payload
    said = []
    if p.get("quantity_before") is not None and p.get("quantity_after") is not None:
        unit = p.get("unit")
        said.append(
            w.gettext(
                "%(before)s → %(after)s",
                before=f.fmt.count(int(p["quantity_before"]), unit),
                after=f.fmt.count(int(p["quantity_after"]), unit),
            )
        )
    before: Mapping[str, int] = p.get("packs_before") or {}
    after: Mapping[str, int] = p.get("packs_after") or {}
    for stored in [*before, *(n for n in after if n not in before)]:
        old, new = int(before.get(stored, 0)), int(after.get(stored, 0))
        name = f.pack(stored)
        if not old:
            said.append(w.gettext("%(pack)s × %(count)s added", pack=name, count=new))
        elif not new:
            said.append(w.gettext("%(pack)s removed", pack=name))
        elif old != new:
            said.append(w.gettext("%(pack)s × %(before)s → %(after)s", pack=name, before=old,
                                  after=new))  # fmt: skip
    return said


def _cycle_changed(f: _Facts) -> str:
    return f.w.gettext("Your subscription is now billed %(every)s.", every=f.every())


def _scheduled(f: _Facts) -> str:
    return f.w.gettext(
        "Your change to %(edition)s takes effect on %(date)s.",
        edition=f.edition(),
        date=f.date("effective_at"),
    )


def _applied(f: _Facts) -> str:
    return f.w.gettext("Your subscription is now %(edition)s.", edition=f.edition())


def _change_canceled(f: _Facts) -> str:
    return f.w.gettext("Your scheduled change was cancelled; your plan stays as it is.")


def _price_changing(f: _Facts) -> str:
    return f.w.gettext(
        "The price of your %(edition)s subscription changes from %(old)s to %(new)s at its "
        "renewal on %(date)s.",
        edition=f.edition(),
        old=f.money("old_amount"),
        new=f.money("new_amount"),
        date=f.date("effective_at"),
    )


def _renewed(f: _Facts) -> str:
    return f.w.gettext("Your subscription renewed until %(date)s.", date=f.date("period_end"))


def _expired(f: _Facts) -> str:
    return f.w.gettext("Your subscription ended on %(date)s.", date=f.date("ended_at"))


def _trial_expired(f: _Facts) -> str:
    return f.w.gettext("Your trial ended.")


def _trial_ended(f: _Facts) -> str:
    return f.w.gettext("Your trial ended; the paid subscription starts now.")


def _canceled(f: _Facts) -> str:
    return f.w.gettext(
        "Your subscription was cancelled: invoice %(invoice)s could not be paid.",
        invoice=f.text("invoice"),
    )


def _content(f: _Facts) -> str:
    w = f.w
    kinds = [str(action.get("kind")) for action in f.raw("actions")]
    counted = {kind: f.fmt.number(kinds.count(kind)) for kind in _CONTENT if kind in kinds}
    said = {
        "remove": lambda count: w.gettext("%(count)s removed", count=count),
        "scale": lambda count: w.gettext("%(count)s scaled down", count=count),
        "cap": lambda count: w.gettext("%(count)s capped", count=count),
        "detach": lambda count: w.gettext("%(count)s detached", count=count),
        "reattach": lambda count: w.gettext("%(count)s re-attached", count=count),
    }
    done = ", ".join(said[kind](count) for kind, count in counted.items())
    return w.gettext(
        "Your content was adapted to %(edition)s: %(done)s.",
        edition=f.edition("to_edition_name", "to_edition"),
        done=done,
    )


def _credit_note_issued(f: _Facts) -> str:
    return f.w.gettext(
        "Credit note %(number)s issued for %(amount)s.",
        number=f.text("credit_note"),
        amount=f.money("total"),
    )


def _invoice_finalized(f: _Facts) -> str:
    return f.w.gettext(
        "Invoice %(number)s issued: %(amount)s to pay.",
        number=f.text("invoice"),
        amount=f.money("total"),
    )


def _invoice_paid(f: _Facts) -> str:
    return f.w.gettext(
        "Invoice %(number)s paid: %(amount)s.", number=f.text("invoice"), amount=f.money("amount")
    )


def _reason(f: _Facts) -> str:
    found = payment_reason(f.w, f.text("code"))
    return found if found is not None else f.w.gettext("The payment was refused.")


def _payment_failed(f: _Facts) -> str:
    return f.w.gettext(
        "Payment of %(amount)s for %(invoice)s failed: %(reason)s",
        amount=f.money("amount"),
        invoice=f.text("invoice"),
        reason=_reason(f),
    )


def _payment_failed_voided(f: _Facts) -> str:
    return f.w.gettext(
        "Payment of %(amount)s for %(invoice)s failed: %(reason)s Invoice %(invoice)s is void; "
        "nothing was changed.",
        amount=f.money("amount"),
        invoice=f.text("invoice"),
        reason=_reason(f),
    )


def _topped_up(f: _Facts) -> str:
    return f.w.gettext(
        "Your balance was recharged with %(amount)s; it is now %(balance)s.",
        amount=f.money("amount"),
        balance=f.money("balance"),
    )


def _refund_failed(f: _Facts) -> str:
    return f.w.gettext(
        "A refund of %(amount)s could not be made to the card; it was added to your balance, "
        "which is now %(balance)s.",
        amount=f.money("amount"),
        balance=f.money("balance"),
    )


def _purchase_refunded(f: _Facts) -> str:
    return f.w.gettext(
        "Your purchase on %(invoice)s could not be carried out because the subscription changed "
        "meanwhile; credit note %(credit_note)s pays %(amount)s back.",
        invoice=f.text("invoice"),
        credit_note=f.text("credit_note"),
        amount=f.money("total"),
    )


def _paid_by_backup(f: _Facts) -> str:
    w = f.w
    declined = w.gettext(
        "%(brand)s ending in %(last4)s",
        brand=_brand(f.text("declined_brand")),
        last4=f.text("declined_last4"),
    )
    backup = w.gettext(
        "%(brand)s ending in %(last4)s",
        brand=_brand(f.text("backup_brand")),
        last4=f.text("backup_last4"),
    )
    return w.gettext(
        "Your primary card, %(declined)s, was declined for %(invoice)s; the backup card, "
        "%(backup)s, paid %(amount)s. Update the primary card in Payment methods.",
        declined=declined,
        backup=backup,
        invoice=f.text("invoice"),
        amount=f.money("amount"),
    )


def _brand(brand: str) -> str:
    return {"mastercard": "Mastercard", "amex": "American Express"}.get(
        brand.lower(), brand.capitalize()
    )


_TEMPLATES: dict[str, Callable[[_Facts], str]] = {
    "subscription.trial_started": _trial_started,
    "subscription.created": _created,
    "subscription.packs_created": _packs_created,
    "subscription.auto_renew_on": _auto_renew_on,
    "subscription.auto_renew_off": _auto_renew_off,
    "subscription.upgraded": _upgraded,
    "subscription.downgraded": _downgraded,
    "subscription.updated": _updated,
    "subscription.cycle_changed": _cycle_changed,
    "subscription.scheduled": _scheduled,
    "subscription.applied": _applied,
    "subscription.change_canceled": _change_canceled,
    "subscription.renewed": _renewed,
    "subscription.price_changing": _price_changing,
    "subscription.expired": _expired,
    "subscription.trial_expired": _trial_expired,
    "subscription.trial_ended": _trial_ended,
    "subscription.canceled": _canceled,
    "subscription.content_reconciled": _content,
    "credit_note.issued": _credit_note_issued,
    "invoice.finalized": _invoice_finalized,
    "invoice.paid": _invoice_paid,
    "payment.failed": _payment_failed,
    "payment.failed_voided": _payment_failed_voided,
    "balance.topped_up": _topped_up,
    "purchase.refunded": _purchase_refunded,
    "payment.backup_used": _paid_by_backup,
    "payment.refund_failed": _refund_failed,
}

TEMPLATE_KINDS = tuple(_TEMPLATES)


def template_of(kind: str, payload: Mapping[str, Any]) -> str:
    """The template an event uses: its kind, or the variant its payload says."""
    if kind == "subscription.auto_renew_changed":
        return (
            "subscription.auto_renew_on"
            if payload.get("auto_renew")
            else ("subscription.auto_renew_off")
        )
    if kind == "subscription.updated" and payload.get("change") == "cycle_change":
        return "subscription.cycle_changed"
    if kind == "subscription.expired" and payload.get("trial"):
        return "subscription.trial_expired"
    if kind == "payment.failed" and payload.get("voided"):
        return "payment.failed_voided"
    if kind.startswith("subscription.") and kind.endswith("_scheduled"):
        return "subscription.scheduled"
    if kind.startswith("subscription.") and kind.endswith("_applied"):
        return "subscription.applied"
    return kind


def message_text(
    kind: str,
    payload: Mapping[str, Any],
    stored: str,
    fmt: Formatter,
    catalog: Catalog | None = None,
) -> str:
    """An event as a message in `fmt`'s language; `stored` when it cannot be put into words.
    With the current `catalog`, editions and packs are named in the reader's language."""
    template = _TEMPLATES.get(template_of(kind, payload))
    if template is None:
        return stored
    try:
        return template(_Facts(payload, fmt, words(fmt.language), catalog))
    except (_Missing, ValueError, TypeError, ArithmeticError):
        return stored
