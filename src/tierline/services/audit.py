"""The console's audit log: who did what, when, on which account, with the state before and
after. Owners read it and export it as CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tierline.clock import Clock
from tierline.domain.roles import may
from tierline.errors import OperatorNotPermitted
from tierline.store.console import AuditRow
from tierline.store.uow import UnitOfWork

CSV_COLUMNS = ("at", "operator", "action", "account", "subject", "before", "after")


@dataclass(frozen=True)
class Actor:
    """The operator acting, as the audit log names them."""

    operator_id: str
    email: str
    role: str


def write_entry(
    uow: UnitOfWork,
    actor: Actor,
    at: datetime,
    action: str,
    *,
    account_id: str | None = None,
    subject: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an entry inside the caller's transaction (committed with what it records)."""
    uow.audit.add(at, actor.operator_id, actor.email, action, account_id, subject,
                  _plain(before), _plain(after))  # fmt: skip


def record_action(
    actor: Actor,
    action: str,
    *,
    uow: UnitOfWork,
    clock: Clock,
    account_id: str | None = None,
    subject: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Record an action another use case carried out and committed."""
    with uow:
        write_entry(uow, actor, clock.now(), action, account_id=account_id, subject=subject,
                    before=before, after=after)  # fmt: skip
        uow.commit()


def _plain(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """JSON-safe: decimals and instants as strings."""
    if value is None:
        return None
    loaded: dict[str, Any] = json.loads(json.dumps(value, default=str))
    return loaded


def _require_owner(actor: Actor) -> None:
    if not may(actor.role, "read_audit"):
        raise OperatorNotPermitted("Only owners read the audit log.")


def audit_entries(
    actor: Actor,
    *,
    uow: UnitOfWork,
    account_id: str | None = None,
    query: str | None = None,
    limit: int | None = 200,
) -> list[AuditRow]:
    _require_owner(actor)
    with uow.reading():
        return uow.audit.entries(account_id=account_id, query=query, limit=limit)


def audit_csv(actor: Actor, *, uow: UnitOfWork, query: str | None = None) -> str:
    """The whole log (or what `query` matches), oldest first, as CSV."""
    rows = audit_entries(actor, uow=uow, query=query, limit=None)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in reversed(rows):
        writer.writerow(
            [
                _cell(value)
                for value in (
                    row.at.isoformat(),
                    row.operator_email,
                    row.action,
                    row.account_id or "",
                    row.subject or "",
                    "" if row.before is None else json.dumps(row.before, sort_keys=True),
                    "" if row.after is None else json.dumps(row.after, sort_keys=True),
                )
            ]
        )
    return out.getvalue()


def _cell(value: str) -> str:
    """A value a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
