"""Portal sessions: one-time links an operator hands to an account member, and the browser
sessions they turn into until signed out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from tierline.store.tables import portal_sessions


@dataclass(frozen=True)
class PortalSessionRow:
    id: str
    account_id: str
    role: str
    expires_at: datetime
    used_at: datetime | None


class PortalSessionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        session_id: str,
        account_id: str,
        role: str,
        token_hash: str,
        expires_at: datetime,
        at: datetime,
    ) -> None:
        self._conn.execute(
            portal_sessions.insert().values(
                id=session_id, account_id=account_id, role=role, token_hash=token_hash,
                expires_at=expires_at, used_at=None, created_at=at,
            )
        )  # fmt: skip

    def find_by_hash(self, token_hash: str) -> PortalSessionRow | None:
        row = self._conn.execute(
            select(
                portal_sessions.c.id,
                portal_sessions.c.account_id,
                portal_sessions.c.role,
                portal_sessions.c.expires_at,
                portal_sessions.c.used_at,
            ).where(portal_sessions.c.token_hash == token_hash)
        ).first()
        return None if row is None else PortalSessionRow(*row)

    def use(self, session_id: str, at: datetime) -> bool:
        """Mark the link used; False when it was used already (two clicks, one session)."""
        result = self._conn.execute(
            update(portal_sessions)
            .where(portal_sessions.c.id == session_id, portal_sessions.c.used_at.is_(None))
            .values(used_at=at)
        )
        return bool(result.rowcount)

    def is_signed_in(self, session_id: str) -> bool:
        """True for a link that was used and whose session was not signed out."""
        row = self._conn.execute(
            select(portal_sessions.c.id).where(
                portal_sessions.c.id == session_id,
                portal_sessions.c.used_at.is_not(None),
                portal_sessions.c.revoked_at.is_(None),
            )
        ).first()
        return row is not None

    def revoke(self, session_id: str, at: datetime) -> bool:
        """Sign the session out; False when it was signed out already."""
        result = self._conn.execute(
            update(portal_sessions)
            .where(portal_sessions.c.id == session_id, portal_sessions.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return bool(result.rowcount)
