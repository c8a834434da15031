"""Operator API keys and idempotency records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import IntegrityError

from tierline.store.tables import api_keys, idempotency_keys


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

    def claim(self, scope: str, key: str, request_hash: str, at: datetime) -> bool:
        """Take the key for a first request; False when someone already has it."""
        try:
            with self._conn.begin_nested():
                self._conn.execute(
                    idempotency_keys.insert().values(
                        scope=scope, key=key, request_hash=request_hash, created_at=at
                    )
                )
        except IntegrityError:
            return False
        return True

    def find(self, scope: str, key: str) -> Any:
        return self._conn.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
            )
        ).first()

    def complete(self, scope: str, key: str, status_code: int, body: str) -> None:
        self._conn.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
            .values(status_code=status_code, response_body=body)
        )

    def release(self, scope: str, key: str) -> None:
        self._conn.execute(
            delete(idempotency_keys).where(
                idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
            )
        )

    def expire(self, before: datetime) -> int:
        result = self._conn.execute(
            delete(idempotency_keys).where(idempotency_keys.c.created_at < before)
        )
        return int(result.rowcount or 0)
