"""Subscriptions and their timeline of scheduled changes."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, select

from tierline.domain.pages import Page, PageRequest
from tierline.domain.periods import Period
from tierline.domain.plan import NO_EDITION, Plan
from tierline.domain.subscription import (
    PriceChange,
    ScheduledChange,
    Subscription,
    next_action_at,
)
from tierline.domain.values import replace
from tierline.errors import NotFound, StaleVersion
from tierline.store.codec import (
    charges_from_json,
    charges_to_json,
    plan_from_json,
    plan_to_json,
)
from tierline.store.pages import keyset_page
from tierline.store.rows import named_rows
from tierline.store.sets import for_each_of, one_of
from tierline.store.tables import subscription_changes, subscriptions
from tierline.store.writer import Writer

LIVE_STATUSES = ("trialing", "active", "past_due")

# A subscription's fields kept in its row (its pending change is a row of its own), and of them
# those stored as they are.
_AS_THEY_ARE = ("status", "auto_renew", "anchor", "started_at", "trial_end", "ended_at")
_STORED = frozenset(
    {"account_id", "plan", "period", "charges", "next_charges", "catalog_version", "price_change"}
    | set(_AS_THEY_ARE)
)
_STORED_IN_ORDER = tuple(sorted(_STORED))
_stored_of = attrgetter(*_STORED_IN_ORDER)  # all at once


class SubscriptionRepository:
    def __init__(self, conn: Connection, currency: str, lead_days: int, writer: Writer) -> None:
        self._conn = conn
        self._currency = currency
        self._lead_days = lead_days
        self._w = writer
        self._loaded: dict[str, Subscription] = {}  # as read in this unit of work

    def _values(self, sub: Subscription, before: Subscription | None = None) -> dict[str, Any]:
        """The columns of `sub`; with `before` (the row as stored), those that changed."""
        changed = (
            _STORED
            if before is None
            else {
                name
                for name, now, then in zip(
                    _STORED_IN_ORDER, _stored_of(sub), _stored_of(before), strict=True
                )
                if now is not then and now != then  # most are the very values read
            }
        )
        values: dict[str, Any] = {}
        if "account_id" in changed:
            values["account_id"] = sub.account_id
        if "plan" in changed:
            values["edition"] = sub.plan.edition
            values["cycle"] = sub.plan.cycle
            values["quantity"] = sub.plan.quantity
            values["addons"] = dict(sub.plan.addons)
        for name in _AS_THEY_ARE:
            if name in changed:
                values[name] = getattr(sub, name)
        if "period" in changed:
            values["period_start"] = sub.period.start
            values["period_end"] = sub.period.end
        if "charges" in changed:
            values["charges"] = charges_to_json(sub.charges, self._currency)
        if "next_charges" in changed:
            values["next_charges"] = charges_to_json(sub.next_charges, self._currency)
        # Always: the catalog's lead days may have changed since it was stored.
        values["next_action_at"] = next_action_at(sub, self._lead_days)
        if "catalog_version" in changed:
            values["catalog_version"] = sub.catalog_version
        if "price_change" in changed:
            change = sub.price_change
            values["price_change_version"] = None if change is None else change.version
            values["price_change_at"] = None if change is None else change.at
        return values

    def add(self, sub: Subscription) -> None:
        self._w.insert(subscriptions, [{"id": sub.id, "version": 1, **self._values(sub)}])
        self._save_pending(sub, None)

    def save(self, sub: Subscription) -> Subscription:
        """Write with optimistic locking: a concurrent writer makes this raise StaleVersion."""
        loaded = self._loaded.get(sub.id)
        stored = loaded if loaded is not None and loaded.version == sub.version else None
        saved = self._w.update(
            subscriptions,
            {"id": sub.id, "version": sub.version},
            {"version": sub.version + 1, **self._values(sub, stored)},
        )
        if saved != 1:
            raise StaleVersion(
                "The subscription was changed by someone else meanwhile; reload and retry."
            )
        before = loaded.pending if loaded is not None else self._pending(sub.id)
        self._save_pending(sub, before)
        saved_sub = replace(sub, version=sub.version + 1)
        self._loaded[sub.id] = saved_sub
        return saved_sub

    def _save_pending(self, sub: Subscription, before: ScheduledChange | None) -> None:
        if before is not None and (sub.pending is None or sub.pending.id != before.id):
            applied = sub.pending is None and sub.plan == before.target
            self._w.update(
                subscription_changes,
                {"id": before.id},
                {"status": "applied" if applied else "canceled"},
            )
        if sub.pending is not None and (before is None or sub.pending.id != before.id):
            p = sub.pending
            row = {
                "id": p.id,
                "account_id": sub.account_id,
                "subscription_id": sub.id,
                "change_class": p.change_class,
                "target": plan_to_json(p.target),
                "status": "pending",
                "effective_at": p.effective_at,
                "created_at": p.created_at,
            }
            self._w.insert(subscription_changes, [row])

    def _pending(self, subscription_id: str) -> ScheduledChange | None:
        return self._pending_for([subscription_id]).get(subscription_id)

    def _pending_for(self, subscription_ids: list[str]) -> dict[str, ScheduledChange]:
        self._w.flush()
        changes = subscription_changes.c
        pending = select(subscription_changes).where(changes.status == "pending")
        rows = self._conn.execute(
            for_each_of(self._conn, pending, changes.subscription_id, subscription_ids)
        )
        return {
            row.subscription_id: ScheduledChange(
                row.id,
                plan_from_json(row.target),
                row.change_class,
                row.effective_at,
                row.created_at,
            )
            for row in rows
        }

    def _from_row(self, row: Any, pending: ScheduledChange | None) -> Subscription:
        return Subscription(
            id=row.id,
            account_id=row.account_id,
            plan=Plan(row.edition, row.cycle, row.quantity, row.addons or {}),
            status=row.status,
            auto_renew=row.auto_renew,
            anchor=row.anchor,
            period=Period(row.period_start, row.period_end),
            started_at=row.started_at,
            charges=charges_from_json(row.charges, self._currency) or (),
            trial_end=row.trial_end,
            next_charges=charges_from_json(row.next_charges, self._currency),
            pending=pending,
            ended_at=row.ended_at,
            version=row.version,
            catalog_version=row.catalog_version,
            price_change=None
            if row.price_change_version is None
            else PriceChange(row.price_change_version, row.price_change_at),
        )

    def preload(self, subscription_ids: list[str]) -> None:
        """Read these subscriptions at once (not locked): `get` then finds them here, as it
        finds one read before in this unit of work."""
        wanted = [i for i in subscription_ids if i not in self._loaded]
        if not wanted:
            return
        self._w.flush()
        query = select(subscriptions).where(one_of(self._conn, subscriptions.c.id, wanted))
        self._remembered(named_rows(self._conn.execute(query)))

    def _remembered(self, rows: list[Any]) -> list[Subscription]:
        """The subscriptions of these rows, with their pending changes read at once, kept as
        read in this unit of work."""
        pending = self._pending_for([row.id for row in rows]) if rows else {}
        found = [self._from_row(row, pending.get(row.id)) for row in rows]
        self._loaded.update((sub.id, sub) for sub in found)
        return found

    def get(self, subscription_id: str, *, for_update: bool = False) -> Subscription:
        if subscription_id in self._loaded:
            return self._loaded[subscription_id]
        self._w.flush()
        query = select(subscriptions).where(subscriptions.c.id == subscription_id)
        row = self._conn.execute(query.with_for_update() if for_update else query).first()
        if row is None:
            raise NotFound(f"No subscription '{subscription_id}'.", code="no_subscription")
        sub = self._from_row(row, self._pending(row.id))
        self._loaded[sub.id] = sub
        return sub

    def exists(self, subscription_id: str) -> bool:
        self._w.flush()
        query = select(subscriptions.c.id).where(subscriptions.c.id == subscription_id)
        return self._conn.execute(query).first() is not None

    def claim_due(self, now: datetime, limit: int) -> list[Subscription]:
        """Lock and load a batch of due subscriptions; other processes skip the locked ones."""
        self._w.flush()
        query = (
            select(subscriptions)
            .where(subscriptions.c.next_action_at <= now)
            .order_by(
                subscriptions.c.next_action_at, subscriptions.c.account_id, subscriptions.c.id
            )
            .limit(limit)
        )
        if self._conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return self._remembered(named_rows(self._conn.execute(query)))

    def base_editions(self, account_ids: list[str]) -> dict[str, tuple[str, str]]:
        """Each account's base subscription (its latest with an edition) as (edition, status),
        for many accounts in one query."""
        self._w.flush()
        c = subscriptions.c
        rows = self._conn.execute(
            select(c.account_id, c.edition, c.status)
            .where(one_of(self._conn, c.account_id, account_ids), c.edition != NO_EDITION)
            .order_by(c.account_id, c.started_at.desc(), c.id.desc())
        )
        found: dict[str, tuple[str, str]] = {}
        for account_id, edition, status in rows:
            found.setdefault(account_id, (edition, status))
        return found

    def current_for(self, account_id: str) -> Subscription | None:
        """The account's base subscription: its most recent one with an edition, live or
        ended (add-on-only subscriptions hold packs beside it)."""
        self._w.flush()
        row = self._conn.execute(
            select(subscriptions)
            .where(
                subscriptions.c.account_id == account_id,
                subscriptions.c.edition != NO_EDITION,
            )
            .order_by(subscriptions.c.started_at.desc(), subscriptions.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        sub = self._from_row(row, self._pending(row.id))
        self._loaded[sub.id] = sub
        return sub

    def all_for(self, account_id: str) -> list[Subscription]:
        """Every subscription of the account, newest first, with its pending change."""
        self._w.flush()
        rows = self._conn.execute(
            select(subscriptions)
            .where(subscriptions.c.account_id == account_id)
            .order_by(subscriptions.c.started_at.desc(), subscriptions.c.id.desc())
        ).all()
        pending = self._pending_for([row.id for row in rows])
        return [self._from_row(row, pending.get(row.id)) for row in rows]

    def live_for(self, account_id: str) -> list[Subscription]:
        """The account's live subscriptions, oldest first, with their pending changes."""
        self._w.flush()
        rows = self._conn.execute(
            select(subscriptions)
            .where(
                subscriptions.c.account_id == account_id,
                subscriptions.c.status.in_(LIVE_STATUSES),
            )
            .order_by(subscriptions.c.started_at, subscriptions.c.id)
        ).all()
        pending = self._pending_for([row.id for row in rows]) if rows else {}
        found = [self._from_row(row, pending.get(row.id)) for row in rows]
        for sub in found:
            self._loaded.setdefault(sub.id, sub)
        return [self._loaded[sub.id] for sub in found]

    def every_live(self, *, lock: bool = True) -> list[Subscription]:
        """Every live subscription of every account, with its pending change (locked unless
        `lock` is false): what a new catalog version is applied to
        (`tierline.domain.catalog_versions.reprice`)."""
        self._w.flush()
        query = (
            select(subscriptions)
            .where(subscriptions.c.status.in_(LIVE_STATUSES))
            .order_by(subscriptions.c.account_id, subscriptions.c.id)
        )
        if lock and self._conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return self._remembered(named_rows(self._conn.execute(query)))

    def page(
        self, request: PageRequest, *, account_id: str | None = None, status: str | None = None
    ) -> Page[Subscription]:
        """Subscriptions in id order (the order they were made), of one account and in one
        status when asked."""
        self._w.flush()
        query = select(subscriptions)
        if account_id is not None:
            query = query.where(subscriptions.c.account_id == account_id)
        if status is not None:
            query = query.where(subscriptions.c.status == status)
        found = keyset_page(
            self._conn,
            query,
            (subscriptions.c.id,),
            request,
            cursor=lambda name: subscriptions.c.id == name,
        )
        pending = self._pending_for([row.id for row in found.items]) if found.items else {}
        return found.map(lambda row: self._from_row(row, pending.get(row.id)))

    def next_due_at(self) -> datetime | None:
        self._w.flush()
        row = self._conn.execute(
            select(subscriptions.c.next_action_at)
            .where(subscriptions.c.next_action_at.is_not(None))
            .order_by(subscriptions.c.next_action_at)
            .limit(1)
        ).first()
        return None if row is None else row[0]

    def count_by_edition(self) -> list[tuple[str, int, int]]:
        from sqlalchemy import func

        query = (
            select(subscriptions.c.edition, func.count(), func.sum(subscriptions.c.quantity))
            .where(
                subscriptions.c.status.in_(LIVE_STATUSES),
                subscriptions.c.edition != NO_EDITION,
            )
            .group_by(subscriptions.c.edition)
        )
        return [(r[0], int(r[1]), int(r[2] or 0)) for r in self._conn.execute(query)]
