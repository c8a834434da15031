"""Reading a scenario's output in the shapes the scenario tests compare."""

from __future__ import annotations

from typing import Any


def totals(invoice: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (
        invoice["subtotal"],
        invoice["credits_applied"],
        invoice["balance_applied"],
        invoice["total"],
        invoice["amount_paid"],
    )


def payments(account: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Each card movement with the invoice it paid."""
    return [
        (p["at"], p["amount"], p["payment_method"], p["status"], p["invoice"])
        for p in account["payments"]
    ]


def effects(preview: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(e["kind"], e["name"], e.get("before"), e.get("after")) for e in preview["effects"]]
