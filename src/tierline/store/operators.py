"""Operator API keys and idempotency records.

An idempotency record goes `running` → `effect_committed` → `done`. The request running with the
key is its `owner`; `claimed_at` starts its lease. `effect_committed` is written in the
transaction of the request's first commit (see `UnitOfWork.commit`), so a record never says
"no effect" about a request whose effect is stored.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, delete, select, update
from sqlalchemy.exc import IntegrityError

from tierline.store.tables import api_keys, idempotency_keys

RUNNING = "running"
EFFECT_COMMITTED = "effect_committed"
DONE = "done"


@dataclass(frozen=True)
class IdempotencyClaim:
    """A request running with an idempotency key: the key's scope (the API key's id), the key,
    and the request's own token."""

    scope: str
    key: str
    owner: str


@dataclass(frozen=True)
class IdempotencyRecord:
    request_hash: str
    state: str
    owner: str | None
    claimed_at: datetime
    status_code: int | None
    response_body: str | None


# The claim of the request being served, if it carries an idempotency key; read by
# `UnitOfWork.commit` to record the effect in the effect's own transaction.
current_claim: ContextVar[IdempotencyClaim | None] = ContextVar(
    "tierline_idempotency_claim", default=None
)


class ApiKeyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, key_id: str, name: str, prefix: str, secret_hash: str, at: datetime) -> None:
        self._conn.execute(
            api_keys.insert().values(
                id=key_id, name=name, prefix=prefix, secret_hash=secret_hash, created_at=at
            )
        )

    def find_by_hash(self, secret_hash: str) -> str | None:
        row = self._conn.execute(
            select(api_keys.c.id).where(
                api_keys.c.secret_hash == secret_hash, api_keys.c.revoked_at.is_(None)
            )
        ).first()
        return None if row is None else str(row[0])


class IdempotencyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(self, claim: IdempotencyClaim, request_hash: str, at: datetime) -> bool:
        """Take the key for a first request; False when a record of it exists already."""
        try:
            with self._conn.begin_nested():
                self._conn.execute(
                    idempotency_keys.insert().values(
                        scope=claim.scope, key=claim.key, request_hash=request_hash,
                        state=RUNNING, owner=claim.owner, claimed_at=at, created_at=at,
                    )
                )  # fmt: skip
        except IntegrityError:
            return False
        return True

    def find(self, scope: str, key: str) -> IdempotencyRecord | None:
        row = self._conn.execute(
            select(
                idempotency_keys.c.request_hash,
                idempotency_keys.c.state,
                idempotency_keys.c.owner,
                idempotency_keys.c.claimed_at,
                idempotency_keys.c.status_code,
                idempotency_keys.c.response_body,
            ).where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        ).first()
        return None if row is None else IdempotencyRecord(*row)

    def take_over(self, claim: IdempotencyClaim, previous_owner: str | None, at: datetime) -> bool:
        """Give a running key whose request died to `claim`; False when another request took it
        first or the effect was committed meanwhile."""
        result = self._conn.execute(
            update(idempotency_keys)
            .where(
                *_of(claim),
                idempotency_keys.c.owner == previous_owner,
                idempotency_keys.c.state == RUNNING,
            )
            .values(owner=claim.owner, claimed_at=at)
        )
        return bool(result.rowcount)

    def mark_effect_committed(self, claim: IdempotencyClaim) -> bool:
        """Record, in the effect's transaction, that the request's effect is stored; False when
        the request no longer owns the key."""
        result = self._conn.execute(
            update(idempotency_keys)
            .where(*_owned(claim), idempotency_keys.c.state != DONE)
            .values(state=EFFECT_COMMITTED)
        )
        return bool(result.rowcount)

    def complete(self, claim: IdempotencyClaim, status_code: int, body: str) -> bool:
        result = self._conn.execute(
            update(idempotency_keys)
            .where(*_owned(claim))
            .values(state=DONE, owner=None, status_code=status_code, response_body=body)
        )
        return bool(result.rowcount)

    def release(self, claim: IdempotencyClaim) -> bool:
        """Free the key for a retry, unless the request's effect was committed."""
        result = self._conn.execute(
            delete(idempotency_keys).where(*_owned(claim), idempotency_keys.c.state == RUNNING)
        )
        return bool(result.rowcount)

    def abandon(self, claim: IdempotencyClaim) -> None:
        """Leave the key with no running request and no response: its effect stands."""
        self._conn.execute(update(idempotency_keys).where(*_owned(claim)).values(owner=None))

    def expire(self, before: datetime) -> int:
        result = self._conn.execute(
            delete(idempotency_keys).where(idempotency_keys.c.created_at < before)
        )
        return int(result.rowcount or 0)


def _of(claim: IdempotencyClaim) -> tuple[ColumnElement[bool], ...]:
    return idempotency_keys.c.scope == claim.scope, idempotency_keys.c.key == claim.key


def _owned(claim: IdempotencyClaim) -> tuple[ColumnElement[bool], ...]:
    return *_of(claim), idempotency_keys.c.owner == claim.owner
