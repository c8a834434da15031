"""JSON-ready views of domain records: amounts as decimal strings, instants as ISO 8601 UTC.

The simulator and the API show documents the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tierline.domain.catalog import Catalog
from tierline.domain.documents import CreditNote, Invoice, Payment, Receipt
from tierline.domain.lines import Line
from tierline.domain.money import round_amount
from tierline.domain.parties import Parties, Party
from tierline.domain.reconciliation import Resource
from tierline.domain.subscription import Subscription
from tierline.domain.tax import TaxLine
from tierline.services.change import ChangePreview
from tierline.services.subscriptions import next_payment_at
from tierline.store.entitlements import Reconciliation


def instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def money(value: Decimal, currency: str) -> str:
    return str(round_amount(value, currency))


def line(item: Line, currency: str) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "description": item.description,
        "period_start": instant(item.period.start) if item.period else None,
        "period_end": instant(item.period.end) if item.period else None,
        "quantity": item.quantity,
        "unit_amount": None if item.unit_amount is None else str(item.unit_amount),
        "amount": money(item.amount, currency),
    }


def invoice(doc: Invoice, currency: str) -> dict[str, Any]:
    return {
        "number": doc.number,
        "issued_at": instant(doc.issued_at),
        "status": doc.status,
        "due_at": instant(doc.due_at),
        "reason": doc.reason,
        "lines": [
            {**line(item, currency), "subscription": doc.subscription_id} for item in doc.lines
        ],
        "subtotal": money(doc.subtotal, currency),
        "credits_applied": money(doc.credits_applied, currency),
        "balance_applied": money(doc.balance_applied, currency),
        "total": money(doc.total, currency),
        "amount_paid": money(doc.amount_paid, currency),
    }


def tax_line(item: TaxLine, currency: str) -> dict[str, Any]:
    return {
        "rate": format(item.rate.normalize(), "f"),
        "category": item.category,
        "taxable": money(item.taxable, currency),
        "amount": money(item.amount, currency),
    }


def taxes(doc: Invoice | CreditNote, currency: str) -> dict[str, Any]:
    """A document's tax, once per rate and category, its sum, and its amount tax included."""
    return {
        "tax": [tax_line(item, currency) for item in doc.tax],
        "tax_total": money(doc.tax_total, currency),
        "gross": money(doc.gross, currency),
    }


def party(item: Party) -> dict[str, Any]:
    return {
        "name": item.name,
        "country": item.country,
        "region": item.region,
        "address": list(item.address),
        "tax_id": item.tax_id,
    }


def parties(item: Parties | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "seller": None if item.seller is None else party(item.seller),
        "buyer": party(item.buyer),
    }


def credit_note(doc: CreditNote, currency: str, subscription: str | None = None) -> dict[str, Any]:
    """`subscription` is the one the credited invoice billed."""
    return {
        "number": doc.number,
        "issued_at": instant(doc.issued_at),
        "invoice": doc.invoice_number,
        "lines": [{**line(item, currency), "subscription": subscription} for item in doc.lines],
        "total": money(doc.total, currency),
        "credit_to": doc.credit_to,
    }


def receipt(doc: Receipt, currency: str) -> dict[str, Any]:
    return {
        "number": doc.number,
        "issued_at": instant(doc.issued_at),
        "invoice": doc.invoice_number,
        "payment_method": doc.payment_method,
        "lines": [line(item, currency) for item in doc.lines],
        "amount_paid": money(doc.amount_paid, currency),
    }


def payment(item: Payment, currency: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "at": instant(item.at),
        "amount": money(item.amount, currency),
        "payment_method": item.payment_method,
        "status": item.status,
        "invoice": item.invoice_number,
    }
    if item.failure_code:
        data["failure_code"] = item.failure_code
    return data


def subscription(sub: Subscription | None, catalog: Catalog) -> dict[str, Any] | None:
    if sub is None:
        return None
    pending = None
    if sub.pending is not None:
        pending = {
            "edition": sub.pending.target.edition or None,
            "cycle": sub.pending.target.cycle,
            "quantity": sub.pending.target.quantity,
            "addons": dict(sub.pending.target.addons),
            "change": sub.pending.change_class,
            "effective_at": instant(sub.pending.effective_at),
        }
    return {
        "id": sub.id,
        "edition": sub.plan.edition or None,  # None: packs alone, beside the base's edition
        "cycle": sub.plan.cycle,
        "quantity": sub.plan.quantity,
        "addons": dict(sub.plan.addons),
        "status": sub.status,
        "display_status": sub.display_status,
        "auto_renew": sub.auto_renew,
        "current_period_start": instant(sub.period.start),
        "current_period_end": instant(sub.period.end),
        "started_at": instant(sub.started_at),
        "trial_end": instant(sub.trial_end),
        "next_payment_at": instant(next_payment_at(sub, catalog)),
        "ended_at": instant(sub.ended_at),
        "pending_change": pending,
    }


def preview(item: ChangePreview, currency: str) -> dict[str, Any]:
    return {
        "change": item.change_class,
        "lines": [line(entry, currency) for entry in item.lines],
        "total_now": money(item.total_now, currency),
        "credit": money(item.credit, currency),
        "credit_to": item.credit_to,
        "effective_at": instant(item.effective_at),
        "scheduled": item.scheduled,
        "next_renewal_amount": money(item.next_renewal_amount, currency),
        "effects": [effect.as_dict() for effect in item.effects],
        "content": [action.as_dict() for action in item.content],
    }


def resource(item: Resource) -> dict[str, Any]:
    return {
        "id": item.id,
        "type": item.type,
        "parent": item.parent,
        "attributes": dict(item.attributes),
        "activated_at": instant(item.activated_at),
        "status": "detached" if item.detached else "attached",
    }


def reconciliation(item: Reconciliation) -> dict[str, Any]:
    return {
        "at": instant(item.at),
        "from_edition": item.from_edition,
        "to_edition": item.to_edition,
        "actions": [dict(action) for action in item.actions],
    }
