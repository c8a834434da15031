"""Turning domain values into column values and back (minor units, JSON charges, plans)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from tierline.domain.lines import Charge, Line, Wording
from tierline.domain.money import from_minor, to_minor
from tierline.domain.periods import Period
from tierline.domain.plan import Plan
from tierline.domain.tax import TaxTreatment


def iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat()


def parse_iso(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def charges_to_json(
    charges: tuple[Charge, ...] | None, currency: str
) -> list[dict[str, Any]] | None:
    if charges is None:
        return None
    return [
        {
            "item": c.item,
            "code": c.code,
            "quantity": c.quantity,
            "unit_amount": None if c.unit_amount is None else str(c.unit_amount),
            "list_amount": to_minor(c.list_amount, currency),
            "amount": to_minor(c.amount, currency),
            "paid_from": iso(c.paid_from),
            "invoice": c.invoice,
        }
        for c in charges
    ]


def charges_from_json(
    data: list[dict[str, Any]] | None, currency: str
) -> tuple[Charge, ...] | None:
    if data is None:
        return None
    return tuple(
        Charge(
            item=d["item"],
            code=d["code"],
            quantity=d["quantity"],
            unit_amount=None if d["unit_amount"] is None else Decimal(d["unit_amount"]),
            list_amount=from_minor(d["list_amount"], currency),
            amount=from_minor(d["amount"], currency),
            paid_from=datetime.fromisoformat(d["paid_from"]),
            invoice=d["invoice"],
        )
        for d in data
    )


def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {
        "edition": plan.edition,
        "cycle": plan.cycle,
        "quantity": plan.quantity,
        "addons": dict(plan.addons),
    }


def plan_from_json(data: dict[str, Any]) -> Plan:
    return Plan(data["edition"], data["cycle"], data["quantity"], data.get("addons") or {})


def line_row(
    line: Line, *, account_id: str, document_id: str, position: int, currency: str
) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "document_id": document_id,
        "position": position,
        "kind": line.kind,
        "description": line.description,
        "wording": wording_to_json(line.wording),
        "item": line.item,
        "period_start": line.period.start if line.period else None,
        "period_end": line.period.end if line.period else None,
        "quantity": line.quantity,
        "unit_amount": None if line.unit_amount is None else str(line.unit_amount),
        "amount": to_minor(line.amount, currency),
        "tax_rate": None if line.tax is None else str(line.tax.rate),
        "tax_category": None if line.tax is None else line.tax.category,
    }


def wording_to_json(wording: Wording | None) -> dict[str, str] | None:
    if wording is None:
        return None
    data = {"topic": wording.topic, "name": wording.name, "unit": wording.unit,
            "reference": wording.reference}  # fmt: skip
    return {key: value for key, value in data.items() if value is not None}


def wording_from_json(data: dict[str, Any] | None) -> Wording | None:
    if not data:
        return None
    return Wording(data["topic"], name=data.get("name"), unit=data.get("unit"),
                   reference=data.get("reference"))  # fmt: skip


def line_from_row(row: Any, currency: str) -> Line:
    period = None
    if row.period_start is not None and row.period_end is not None:
        period = Period(row.period_start, row.period_end)
    return Line(
        kind=row.kind,
        description=row.description,
        wording=wording_from_json(row.wording),
        amount=from_minor(row.amount, currency),
        quantity=row.quantity,
        unit_amount=None if row.unit_amount is None else Decimal(row.unit_amount),
        period=period,
        item=row.item,
        tax=None if row.tax_rate is None else TaxTreatment(Decimal(row.tax_rate), row.tax_category),
    )
