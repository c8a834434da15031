"""What accounts use: members, consumption counters, reported resources and reconciliations.

`EntitlementReader.state` is the read path of an entitlement check: the account's current plan
and what it uses of one limit, in one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Text,
    bindparam,
    cast,
    false,
    func,
    literal,
    or_,
    select,
)

from tierline.domain.catalog import Catalog
from tierline.domain.entitlements import account_plan
from tierline.domain.pages import Page, PageRequest
from tierline.domain.periods import Period
from tierline.domain.plan import NO_EDITION, Plan
from tierline.domain.reconciliation import Action, Resource
from tierline.domain.usage import STANDING, Member, member_of_key
from tierline.store.catalogs import stored_catalog
from tierline.store.dialects import insert_of
from tierline.store.pages import keyset_page
from tierline.store.tables import (
    UtcDateTime,
    accounts,
    catalogs,
    consumption,
    members,
    reconciliations,
    resources,
    subscriptions,
)
from tierline.store.writer import Writer

_LIVE = ("trialing", "active", "past_due")


def _lock_account(conn: Connection, writer: Writer, account_id: str) -> None:
    """Serialise writers of one account's usage: a row lock on PostgreSQL; SQLite's
    unit of work holds the database's write lock from its start already."""
    writer.flush()
    if conn.dialect.name == "postgresql":
        conn.execute(select(accounts.c.id).where(accounts.c.id == account_id).with_for_update())


class MemberRepository:
    def __init__(self, conn: Connection, writer: Writer) -> None:
        self._conn = conn
        self._w = writer

    def lock_account(self, account_id: str) -> None:
        _lock_account(self._conn, self._w, account_id)

    def get(self, account_id: str, person_id: str, application: str) -> Member | None:
        self._w.flush()
        row = self._conn.execute(
            select(members).where(
                members.c.account_id == account_id,
                members.c.person_id == person_id,
                members.c.application == application,
            )
        ).first()
        return None if row is None else _member(row)

    def put(self, member: Member, at: datetime, *, exists: bool) -> None:
        values = {"status": member.status, "counts_toward": member.counts_toward, "updated_at": at}
        key = {
            "account_id": member.account_id,
            "person_id": member.person_id,
            "application": member.application,
        }
        if exists:
            self._w.update(members, key, values)
        else:
            self._w.insert(members, [{**key, **values}])

    def delete(self, account_id: str, person_id: str, application: str) -> bool:
        key = {"account_id": account_id, "person_id": person_id, "application": application}
        return self._w.delete(members, key) > 0

    def counted(self, account_id: str) -> dict[str, int]:
        """Normal members by the limit they count toward (one per person and application)."""
        self._w.flush()
        query = (
            select(members.c.counts_toward, func.count())
            .where(members.c.account_id == account_id, members.c.status == "normal")
            .group_by(members.c.counts_toward)
        )
        return {name: int(n) for name, n in self._conn.execute(query)}

    def for_account(self, account_id: str) -> list[Member]:
        self._w.flush()
        query = (
            select(members)
            .where(members.c.account_id == account_id)
            .order_by(members.c.person_id, members.c.application)
        )
        return [_member(row) for row in self._conn.execute(query)]

    def page_for(self, account_id: str, request: PageRequest) -> Page[Member]:
        """The account's members by person, then application; a cursor is a `Member.key`."""
        self._w.flush()
        mine = members.c.account_id == account_id

        def cursor(key: str) -> ColumnElement[bool]:
            pair = member_of_key(key)
            if pair is None:
                return false()
            return mine & (members.c.person_id == pair[0]) & (members.c.application == pair[1])

        found = keyset_page(
            self._conn,
            select(members).where(mine),
            (members.c.person_id, members.c.application),
            request,
            cursor=cursor,
        )
        return found.map(_member)


def _member(row: Any) -> Member:
    return Member(row.account_id, row.person_id, row.application, row.status, row.counts_toward)


class ConsumptionRepository:
    def __init__(self, conn: Connection, writer: Writer) -> None:
        self._conn = conn
        self._w = writer

    def add(
        self, account_id: str, limit: str, period_start: datetime, amount: int, at: datetime
    ) -> int:
        """Add `amount` to the counter (made at 0 if absent) in one statement; the new total.

        An insert-or-add cannot be buffered like other writes: concurrent reports on one counter
        must each see the other's, so it goes to the database at once.
        """
        self._w.flush()
        insert = insert_of(self._conn)
        values = insert(consumption).values(
            account_id=account_id,
            limit_name=limit,
            period_start=period_start,
            used=amount,
            updated_at=at,
        )
        statement = values.on_conflict_do_update(
            index_elements=["account_id", "limit_name", "period_start"],
            set_={"used": consumption.c.used + values.excluded.used, "updated_at": at},
        ).returning(consumption.c.used)
        return int(self._conn.execute(statement).scalar_one())

    def used(
        self, account_id: str, period_start: datetime
    ) -> tuple[dict[str, int], dict[str, int]]:
        """(consumed in the period that starts at `period_start`, standing totals) by limit."""
        self._w.flush()
        query = select(
            consumption.c.limit_name, consumption.c.period_start, consumption.c.used
        ).where(
            consumption.c.account_id == account_id,
            consumption.c.period_start.in_([period_start, STANDING]),
        )
        in_period: dict[str, int] = {}
        standing: dict[str, int] = {}
        for name, start, used in self._conn.execute(query):
            (standing if start == STANDING else in_period)[name] = int(used)
        return in_period, standing


class ResourceRepository:
    def __init__(self, conn: Connection, writer: Writer) -> None:
        self._conn = conn
        self._w = writer

    def lock_account(self, account_id: str) -> None:
        _lock_account(self._conn, self._w, account_id)

    def find(self, account_id: str, resource_id: str) -> tuple[Resource, bool] | None:
        """The resource and whether it is removed, or None if it was never reported."""
        self._w.flush()
        row = self._conn.execute(
            select(resources).where(
                resources.c.account_id == account_id, resources.c.id == resource_id
            )
        ).first()
        return None if row is None else (_resource(row), row.removed_at is not None)

    def put(self, account_id: str, resource: Resource, at: datetime, *, exists: bool) -> None:
        values = {
            "type": resource.type,
            "parent": resource.parent,
            "attributes": dict(resource.attributes),
            "activated_at": resource.activated_at,
            "detached": resource.detached,
            "removed_at": None,
            "updated_at": at,
        }
        key = {"account_id": account_id, "id": resource.id}
        if exists:
            self._w.update(resources, key, values)
        else:
            self._w.insert(resources, [{**key, **values}])

    def remove(self, account_id: str, resource_ids: Iterable[str], at: datetime) -> None:
        for resource_id in resource_ids:
            self._w.update(
                resources,
                {"account_id": account_id, "id": resource_id},
                {"removed_at": at, "updated_at": at},
            )

    def for_account(self, account_id: str, type_: str | None = None) -> list[Resource]:
        """The resources in use (not removed), oldest reported first."""
        self._w.flush()
        query = select(resources).where(
            resources.c.account_id == account_id, resources.c.removed_at.is_(None)
        )
        if type_ is not None:
            query = query.where(resources.c.type == type_)
        query = query.order_by(resources.c.activated_at, resources.c.id)
        return [_resource(row) for row in self._conn.execute(query)]

    def page_for(
        self, account_id: str, request: PageRequest, type_: str | None = None
    ) -> Page[Resource]:
        """The resources in use, oldest activated first, never activated last, then by id."""
        self._w.flush()
        mine = resources.c.account_id == account_id
        query = select(resources).where(mine, resources.c.removed_at.is_(None))
        if type_ is not None:
            query = query.where(resources.c.type == type_)
        activated = func.coalesce(resources.c.activated_at, literal(_NOT_ACTIVATED, UtcDateTime()))
        found = keyset_page(
            self._conn,
            query,
            (activated, resources.c.id),
            request,
            cursor=lambda resource_id: mine & (resources.c.id == resource_id),
        )
        return found.map(_resource)

    def replace_all(
        self,
        account_id: str,
        before: Sequence[Resource],
        after: Sequence[Resource],
        at: datetime,
    ) -> None:
        """Store `after` where it differs from `before`; what `after` lacks is removed."""
        kept = {r.id: r for r in after}
        self.remove(account_id, [r.id for r in before if r.id not in kept], at)
        for old in before:
            new = kept.get(old.id)
            if new is not None and new != old:
                self._w.update(
                    resources,
                    {"account_id": account_id, "id": old.id},
                    {
                        "attributes": dict(new.attributes),
                        "detached": new.detached,
                        "updated_at": at,
                    },
                )


# Where a resource never activated sorts in a page of resources: after every activated one.
_NOT_ACTIVATED = datetime(9999, 12, 31, tzinfo=UTC)


def _resource(row: Any) -> Resource:
    return Resource(
        id=row.id,
        type=row.type,
        parent=row.parent,
        attributes=dict(row.attributes or {}),
        activated_at=row.activated_at,
        detached=row.detached,
    )


@dataclass(frozen=True)
class Reconciliation:
    """A reconciliation plan as it was carried out on an account's stored resources."""

    id: str
    account_id: str
    subscription_id: str
    at: datetime
    from_edition: str
    to_edition: str
    actions: tuple[dict[str, Any], ...]


class ReconciliationRepository:
    def __init__(self, conn: Connection, writer: Writer) -> None:
        self._conn = conn
        self._w = writer

    def add(self, record: Reconciliation) -> None:
        row = {**record.__dict__, "actions": list(record.actions)}
        self._w.insert(reconciliations, [row])

    def for_account(self, account_id: str) -> list[Reconciliation]:
        self._w.flush()
        query = (
            select(reconciliations)
            .where(reconciliations.c.account_id == account_id)
            .order_by(reconciliations.c.at, reconciliations.c.id)
        )
        return [_reconciliation(r) for r in self._conn.execute(query)]

    def page_for(self, account_id: str, request: PageRequest) -> Page[Reconciliation]:
        """The account's reconciliations, oldest first."""
        self._w.flush()
        mine = reconciliations.c.account_id == account_id
        found = keyset_page(
            self._conn,
            select(reconciliations).where(mine),
            (reconciliations.c.at, reconciliations.c.id),
            request,
            cursor=lambda reconciliation_id: mine & (reconciliations.c.id == reconciliation_id),
        )
        return found.map(_reconciliation)


def _reconciliation(r: Any) -> Reconciliation:
    return Reconciliation(
        r.id, r.account_id, r.subscription_id, r.at, r.from_edition, r.to_edition, tuple(r.actions)
    )


def actions_as_json(plan: Iterable[Action]) -> tuple[dict[str, Any], ...]:
    return tuple(action.as_dict() for action in plan)


@dataclass(frozen=True)
class AccountState:
    """An account's base subscription (its latest with an edition) with, while it is live, the
    packs of its live add-on-only subscriptions added to its plan, the catalog in force, and
    what the account uses of one limit: normal members counted toward it, and consumption on
    it, both in the base subscription's period and in total (the catalog says which one
    counts)."""

    catalog: Catalog
    plan: Plan
    status: str
    period: Period
    counted: int
    consumed_in_period: int
    consumed_in_total: int

    def used(self, *, quota: bool) -> int:
        return self.counted + (self.consumed_in_period if quota else self.consumed_in_total)


def _consumed(period: Any) -> Any:
    c = consumption.c
    return (
        select(c.used)
        .where(
            c.account_id == subscriptions.c.account_id,
            c.limit_name == bindparam("limit"),
            c.period_start == period,
        )
        .scalar_subquery()
    )


_base = subscriptions.alias("base")
# The account's base subscription: its latest with an edition.
_BASE = (
    select(_base.c.id)
    .where(_base.c.account_id == bindparam("account_id"), _base.c.edition != NO_EDITION)
    .order_by(_base.c.started_at.desc(), _base.c.id.desc())
    .limit(1)
)

# Built once: a check runs this statement and nothing else, so it is not composed per call.
_STATE = (
    select(
        select(cast(catalogs.c.body, Text))
        .order_by(catalogs.c.version.desc())
        .limit(1)
        .scalar_subquery()
        .label("catalog"),
        subscriptions.c.edition,
        subscriptions.c.cycle,
        subscriptions.c.quantity,
        subscriptions.c.addons,
        subscriptions.c.status,
        subscriptions.c.period_start,
        subscriptions.c.period_end,
        select(func.count())
        .select_from(members)
        .where(
            members.c.account_id == subscriptions.c.account_id,
            members.c.counts_toward == bindparam("limit"),
            members.c.status == "normal",
        )
        .scalar_subquery()
        .label("counted"),
        _consumed(subscriptions.c.period_start).label("in_period"),
        _consumed(literal(STANDING, UtcDateTime())).label("in_total"),
    )
    .where(
        subscriptions.c.account_id == bindparam("account_id"),
        or_(
            subscriptions.c.id == _BASE.scalar_subquery(),
            (subscriptions.c.edition == NO_EDITION) & subscriptions.c.status.in_(_LIVE),
        ),
    )
    # The base subscription first, then the live add-on-only ones whose packs add up with it.
    .order_by((subscriptions.c.edition == NO_EDITION), subscriptions.c.id)
)


class EntitlementReader:
    def __init__(self, conn: Connection, writer: Writer) -> None:
        self._conn = conn
        self._w = writer

    def state(self, account_id: str, limit: str) -> AccountState | None:
        """The read path of a check, in one query: the current catalog, the account's base
        subscription (with the packs of its live add-on-only ones), and what it uses of
        `limit`. None without a subscription (or catalog)."""
        self._w.flush()
        rows = self._conn.execute(_STATE, {"account_id": account_id, "limit": limit}).all()
        if not rows or rows[0].edition == NO_EDITION or rows[0].catalog is None:
            return None
        row = rows[0]
        base = Plan(row.edition, row.cycle, row.quantity, row.addons or {})
        packs = [Plan(NO_EDITION, r.cycle, 0, r.addons or {}) for r in rows[1:]]
        plan = account_plan(base, packs) if row.status in _LIVE else base
        return AccountState(
            catalog=stored_catalog(row.catalog),
            plan=plan or base,
            status=row.status,
            period=Period(row.period_start, row.period_end),
            counted=int(row.counted or 0),
            consumed_in_period=int(row.in_period or 0),
            consumed_in_total=int(row.in_total or 0),
        )
