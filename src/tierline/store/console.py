"""The console's operator users, their one-time links and sessions, sign-in attempts, and the
audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from tierline.store.tables import (
    audit_log,
    login_attempts,
    operator_links,
    operator_sessions,
    operators,
)


@dataclass(frozen=True)
class OperatorRow:
    id: str
    email: str
    role: str
    password_hash: str | None
    totp_secret: str | None
    created_at: datetime
    disabled_at: datetime | None


@dataclass(frozen=True)
class OperatorLinkRow:
    id: str
    operator_id: str
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class OperatorSessionRow:
    id: str
    operator_id: str
    csrf: str
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    operator_id: str
    operator_email: str
    action: str
    account_id: str | None
    subject: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


_OPERATOR = (
    operators.c.id,
    operators.c.email,
    operators.c.role,
    operators.c.password_hash,
    operators.c.totp_secret,
    operators.c.created_at,
    operators.c.disabled_at,
)


class OperatorRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, operator_id: str, email: str, role: str, at: datetime) -> None:
        self._conn.execute(
            operators.insert().values(id=operator_id, email=email, role=role, created_at=at)
        )

    def find(self, operator_id: str) -> OperatorRow | None:
        row = self._conn.execute(select(*_OPERATOR).where(operators.c.id == operator_id)).first()
        return None if row is None else OperatorRow(*row)

    def find_by_email(self, email: str) -> OperatorRow | None:
        row = self._conn.execute(select(*_OPERATOR).where(operators.c.email == email)).first()
        return None if row is None else OperatorRow(*row)

    def all(self) -> list[OperatorRow]:
        rows = self._conn.execute(select(*_OPERATOR).order_by(operators.c.email))
        return [OperatorRow(*row) for row in rows]

    def set_password(self, operator_id: str, password_hash: str) -> None:
        self._conn.execute(
            update(operators)
            .where(operators.c.id == operator_id)
            .values(password_hash=password_hash)
        )

    def set_totp(self, operator_id: str, secret: str | None) -> None:
        self._conn.execute(
            update(operators).where(operators.c.id == operator_id).values(totp_secret=secret)
        )

    def set_role(self, operator_id: str, role: str) -> None:
        self._conn.execute(update(operators).where(operators.c.id == operator_id).values(role=role))

    def disable(self, operator_id: str, at: datetime) -> None:
        self._conn.execute(
            update(operators).where(operators.c.id == operator_id).values(disabled_at=at)
        )

    # one-time links that set a password

    def add_link(
        self, link_id: str, operator_id: str, token_hash: str, expires_at: datetime, at: datetime
    ) -> None:
        self._conn.execute(
            operator_links.insert().values(
                id=link_id, operator_id=operator_id, token_hash=token_hash,
                expires_at=expires_at, created_at=at,
            )
        )  # fmt: skip

    def find_link(self, token_hash: str) -> OperatorLinkRow | None:
        row = self._conn.execute(
            select(
                operator_links.c.id,
                operator_links.c.operator_id,
                operator_links.c.expires_at,
                operator_links.c.used_at,
            ).where(operator_links.c.token_hash == token_hash)
        ).first()
        return None if row is None else OperatorLinkRow(*row)

    def use_link(self, link_id: str, at: datetime) -> bool:
        """Mark the link used; False when it was used already."""
        result = self._conn.execute(
            update(operator_links)
            .where(operator_links.c.id == link_id, operator_links.c.used_at.is_(None))
            .values(used_at=at)
        )
        return result.rowcount == 1

    # sessions

    def add_session(
        self, session_id: str, operator_id: str, csrf: str, expires_at: datetime, at: datetime
    ) -> None:
        self._conn.execute(
            operator_sessions.insert().values(
                id=session_id, operator_id=operator_id, csrf=csrf, created_at=at,
                expires_at=expires_at,
            )
        )  # fmt: skip

    def find_session(self, session_id: str) -> OperatorSessionRow | None:
        row = self._conn.execute(
            select(
                operator_sessions.c.id,
                operator_sessions.c.operator_id,
                operator_sessions.c.csrf,
                operator_sessions.c.expires_at,
                operator_sessions.c.revoked_at,
            ).where(operator_sessions.c.id == session_id)
        ).first()
        return None if row is None else OperatorSessionRow(*row)

    def revoke_session(self, session_id: str, at: datetime) -> None:
        self._conn.execute(
            update(operator_sessions)
            .where(operator_sessions.c.id == session_id, operator_sessions.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def revoke_sessions_of(self, operator_id: str, at: datetime) -> int:
        result = self._conn.execute(
            update(operator_sessions)
            .where(
                operator_sessions.c.operator_id == operator_id,
                operator_sessions.c.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
        return result.rowcount

    # sign-in attempts

    def add_attempt(self, email: str, ip: str, at: datetime, succeeded: bool) -> None:
        self._conn.execute(
            login_attempts.insert().values(email=email, ip=ip, at=at, succeeded=succeeded)
        )

    def failures_since(
        self, since: datetime, *, email: str | None = None, ip: str | None = None
    ) -> int:
        where = [login_attempts.c.at > since, login_attempts.c.succeeded.is_(False)]
        if email is not None:
            where.append(login_attempts.c.email == email)
        if ip is not None:
            where.append(login_attempts.c.ip == ip)
        found = self._conn.execute(select(func.count()).select_from(login_attempts).where(*where))
        return int(found.scalar_one())


class AuditRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        at: datetime,
        operator_id: str,
        operator_email: str,
        action: str,
        account_id: str | None,
        subject: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self._conn.execute(
            audit_log.insert().values(
                at=at, operator_id=operator_id, operator_email=operator_email, action=action,
                account_id=account_id, subject=subject, before=before, after=after,
            )
        )  # fmt: skip

    def entries(
        self,
        *,
        account_id: str | None = None,
        query: str | None = None,
        limit: int | None = None,
    ) -> list[AuditRow]:
        """Newest first; `query` matches the operator's e-mail, the action or the account."""
        stmt = select(
            audit_log.c.id, audit_log.c.at, audit_log.c.operator_id, audit_log.c.operator_email,
            audit_log.c.action, audit_log.c.account_id, audit_log.c.subject, audit_log.c.before,
            audit_log.c.after,
        ).order_by(audit_log.c.id.desc())  # fmt: skip
        if account_id is not None:
            stmt = stmt.where(audit_log.c.account_id == account_id)
        if query:
            like = f"%{query.lower()}%"
            stmt = stmt.where(
                or_(
                    func.lower(audit_log.c.operator_email).like(like),
                    func.lower(audit_log.c.action).like(like),
                    func.lower(audit_log.c.account_id).like(like),
                )
            )
        if limit is not None:
            stmt = stmt.limit(limit)
        return [AuditRow(*row) for row in self._conn.execute(stmt)]
