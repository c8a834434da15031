"""Portal sessions: the operator hands an account member a one-time link to the portal.

The link carries a random token; only its hash is stored. Opening it once, before it expires,
tells the portal which account and role the browser now speaks for, until it signs out: the
session is then revoked, so a copy of its cookie opens nothing either.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from tierline.clock import Clock
from tierline.errors import Invalid, NotAllowed, NotFound
from tierline.ids import new_id
from tierline.store.uow import UnitOfWork

Role = Literal["admin", "member"]
ROLES: tuple[Role, ...] = ("admin", "member")
LINK_LIFETIME = timedelta(minutes=10)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class CreatePortalSession:
    account_id: str
    role: str = "admin"


@dataclass(frozen=True)
class NewPortalSession:
    id: str
    account_id: str
    role: Role
    token: str  # shown once, in the link
    expires_at: datetime


def create_portal_session(
    cmd: CreatePortalSession, *, uow: UnitOfWork, clock: Clock
) -> NewPortalSession:
    if cmd.role not in ROLES:
        raise Invalid("The role is admin or member.", code="invalid_role", param="role")
    role: Role = "admin" if cmd.role == "admin" else "member"
    now = clock.now()
    token = secrets.token_urlsafe(32)
    session_id = new_id("ps")
    expires_at = now + LINK_LIFETIME
    with uow:
        uow.accounts.get(cmd.account_id)
        uow.portal_sessions.add(session_id, cmd.account_id, role, _hash(token), expires_at, now)
        uow.commit()
    return NewPortalSession(session_id, cmd.account_id, role, token, expires_at)


@dataclass(frozen=True)
class PortalGrant:
    session_id: str
    account_id: str
    role: Role


class LinkExpired(NotAllowed):
    code = "portal_link_expired"


class LinkUsed(NotAllowed):
    code = "portal_link_used"


def redeem_portal_session(token: str, *, uow: UnitOfWork, clock: Clock) -> PortalGrant:
    """Use a one-time link: unknown, expired or already used links are refused."""
    now = clock.now()
    with uow:
        found = uow.portal_sessions.find_by_hash(_hash(token))
        if found is None:
            raise NotFound("This portal link is not valid.", code="unknown_portal_link")
        if found.used_at is not None or not uow.portal_sessions.use(found.id, now):
            raise LinkUsed("This portal link was used already; ask for a new one.")
        if found.expires_at <= now:
            raise LinkExpired("This portal link has expired; ask for a new one.")
        uow.commit()
    role: Role = "admin" if found.role == "admin" else "member"
    return PortalGrant(found.id, found.account_id, role)


def is_signed_in(session_id: str, *, uow: UnitOfWork) -> bool:
    """Whether a session cookie still speaks for its account: not signed out, and known."""
    with uow.reading():
        return uow.portal_sessions.is_signed_in(session_id)


def sign_out(session_id: str, *, uow: UnitOfWork, clock: Clock) -> None:
    """End the session for every copy of its cookie; signing out twice changes nothing."""
    with uow:
        uow.portal_sessions.revoke(session_id, clock.now())
        uow.commit()
