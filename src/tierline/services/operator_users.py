"""The console's operator users: created with a one-time link that sets the password, signed in
with the password (Argon2id) and, when set up, a TOTP code; server-side sessions that signing
out revokes; failed sign-ins rate-limited per e-mail and per address.

The link and the session cookie carry random secrets; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tierline.clock import Clock
from tierline.domain.roles import ROLES, Permission, is_role, may
from tierline.errors import (
    Invalid,
    InvalidTotpCode,
    NotFound,
    OperatorExists,
    OperatorLinkInvalid,
    OperatorNotPermitted,
    PasswordTooShort,
    SignInRefused,
    TooManySignInAttempts,
)
from tierline.ids import new_id
from tierline.services.audit import Actor, write_entry
from tierline.store.console import OperatorRow
from tierline.store.uow import UnitOfWork

LINK_LIFETIME = timedelta(hours=24)
SESSION_LIFETIME = timedelta(hours=8)
ATTEMPT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()  # Argon2id, memory-hard
# A hash to check against when the e-mail is unknown, so that both cost the same time.
_NOBODY = _hasher.hash(secrets.token_urlsafe(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class Operator:
    """An operator user as the console shows it (no secrets)."""

    id: str
    email: str
    role: str
    has_password: bool
    has_totp: bool
    disabled: bool

    @classmethod
    def of(cls, row: OperatorRow) -> Operator:
        return cls(
            row.id, row.email, row.role, row.password_hash is not None,
            row.totp_secret is not None, row.disabled_at is not None,
        )  # fmt: skip


def require(actor: Actor, permission: Permission) -> None:
    """Refuse what the actor's role does not allow."""
    if not may(actor.role, permission):
        raise OperatorNotPermitted(
            f"The {actor.role} role may not do this ({permission}).",
            details={"role": actor.role, "permission": permission},
        )


# creating operators and setting passwords


@dataclass(frozen=True)
class CreateOperator:
    email: str
    role: str


@dataclass(frozen=True)
class NewOperator:
    operator: Operator
    token: str  # shown once, in the password-setting link
    expires_at: datetime


def _check_new(cmd: CreateOperator) -> str:
    email = normalise_email(cmd.email)
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise Invalid("An operator needs an e-mail address.", param="email")
    if not is_role(cmd.role):
        raise Invalid(f"The role is one of {', '.join(ROLES)}.", code="invalid_role", param="role")
    return email


def _issue_link(uow: UnitOfWork, operator_id: str, now: datetime) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires_at = now + LINK_LIFETIME
    uow.operators.add_link(new_id("oplink"), operator_id, _digest(token), expires_at, now)
    return token, expires_at


def create_operator(
    cmd: CreateOperator, *, uow: UnitOfWork, clock: Clock, actor: Actor | None = None
) -> NewOperator:
    """A new operator with no password yet, and a one-time link (24 hours) that sets it. With no
    `actor` (the command line), anyone at the machine may; in the console, owners only."""
    if actor is not None:
        require(actor, "manage_operators")
    email = _check_new(cmd)
    now = clock.now()
    with uow:
        if uow.operators.find_by_email(email) is not None:
            raise OperatorExists(f"An operator '{email}' exists already.", param="email")
        operator_id = new_id("op")
        uow.operators.add(operator_id, email, cmd.role, now)
        token, expires_at = _issue_link(uow, operator_id, now)
        if actor is not None:
            write_entry(
                uow, actor, now, "operator.create", subject=email,
                after={"email": email, "role": cmd.role},
            )  # fmt: skip
        row = uow.operators.find(operator_id)
        uow.commit()
    assert row is not None
    return NewOperator(Operator.of(row), token, expires_at)


def reissue_link(
    operator_id: str, *, uow: UnitOfWork, clock: Clock, actor: Actor | None = None
) -> NewOperator:
    """Another one-time link for an operator who lost theirs or their password."""
    if actor is not None:
        require(actor, "manage_operators")
    now = clock.now()
    with uow:
        row = uow.operators.find(operator_id) or uow.operators.find_by_email(
            normalise_email(operator_id)
        )
        if row is None:
            raise NotFound(f"No operator '{operator_id}'.", code="unknown_operator")
        token, expires_at = _issue_link(uow, row.id, now)
        if actor is not None:
            write_entry(uow, actor, now, "operator.link", subject=row.email)
        uow.commit()
    return NewOperator(Operator.of(row), token, expires_at)


def operator_for_link(token: str, *, uow: UnitOfWork, clock: Clock) -> Operator:
    """Whose password a link sets; refused when unknown, used or expired."""
    with uow.reading():
        link = uow.operators.find_link(_digest(token))
        row = None if link is None else uow.operators.find(link.operator_id)
    if link is None or row is None or link.used_at is not None or link.expires_at <= clock.now():
        raise OperatorLinkInvalid("This link is not valid any more; ask an owner for a new one.")
    return Operator.of(row)


@dataclass(frozen=True)
class SetPassword:
    token: str
    password: str
    confirmation: str


def set_password(cmd: SetPassword, *, uow: UnitOfWork, clock: Clock) -> Operator:
    """Use a one-time link: set the password and end every session the operator had."""
    if len(cmd.password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(
            f"A password has at least {MIN_PASSWORD_LENGTH} characters.", param="password",
            details={"min": MIN_PASSWORD_LENGTH},
        )  # fmt: skip
    if cmd.password != cmd.confirmation:
        raise Invalid("The two passwords differ.", code="passwords_differ", param="confirmation")
    now = clock.now()
    with uow:
        link = uow.operators.find_link(_digest(cmd.token))
        if link is None or link.expires_at <= now or not uow.operators.use_link(link.id, now):
            raise OperatorLinkInvalid(
                "This link is not valid any more; ask an owner for a new one."
            )
        uow.operators.set_password(link.operator_id, _hasher.hash(cmd.password))
        uow.operators.revoke_sessions_of(link.operator_id, now)
        row = uow.operators.find(link.operator_id)
        assert row is not None
        write_entry(uow, Actor(row.id, row.email, row.role), now, "operator.set_password")
        uow.commit()
    return Operator.of(row)


# signing in and out


@dataclass(frozen=True)
class SignIn:
    email: str
    password: str
    address: str  # the client's IP address
    code: str = ""  # the TOTP code, when the operator set one up


@dataclass(frozen=True)
class NewSession:
    token: str  # the cookie's secret, shown once
    operator: Operator
    expires_at: datetime


def _password_ok(row: OperatorRow | None, password: str) -> bool:
    stored = row.password_hash if row is not None else None
    try:
        _hasher.verify(stored or _NOBODY, password)
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def _code_ok(secret: str, code: str, now: datetime) -> bool:
    return pyotp.TOTP(secret).verify(code.strip(), for_time=now, valid_window=1)


def sign_in(cmd: SignIn, *, uow: UnitOfWork, clock: Clock) -> NewSession:
    """A session for the right e-mail, password and code. After too many failures in 15
    minutes for the e-mail (5) or from the address (20) every attempt is refused unchecked."""
    email = normalise_email(cmd.email)
    now = clock.now()
    with uow:
        since = now - ATTEMPT_WINDOW
        if (
            uow.operators.failures_since(since, email=email) >= MAX_FAILURES_PER_EMAIL
            or uow.operators.failures_since(since, ip=cmd.address) >= MAX_FAILURES_PER_ADDRESS
        ):
            raise TooManySignInAttempts(
                "Too many failed sign-ins; wait 15 minutes and try again.", param="email"
            )
        row = uow.operators.find_by_email(email)
        ok = _password_ok(row, cmd.password) and row is not None and row.disabled_at is None
        if ok and row is not None and row.totp_secret is not None:
            ok = _code_ok(row.totp_secret, cmd.code, now)
        uow.operators.add_attempt(email, cmd.address[:64], now, ok)
        if not ok or row is None:
            uow.commit()  # the failure counts towards the limit
            raise SignInRefused("The e-mail, the password or the code is wrong.", param="email")
        token = secrets.token_urlsafe(32)
        expires_at = now + SESSION_LIFETIME
        uow.operators.add_session(
            _digest(token), row.id, secrets.token_urlsafe(24), expires_at, now
        )
        write_entry(uow, Actor(row.id, row.email, row.role), now, "operator.sign_in")
        uow.commit()
    return NewSession(token, Operator.of(row), expires_at)


@dataclass(frozen=True)
class SignedIn:
    """The operator a session cookie speaks for."""

    session_id: str
    csrf: str
    operator: Operator

    @property
    def actor(self) -> Actor:
        return Actor(self.operator.id, self.operator.email, self.operator.role)


def signed_in(token: str, *, uow: UnitOfWork, clock: Clock) -> SignedIn | None:
    """The session of a cookie, unless unknown, expired, signed out, or its operator disabled."""
    now = clock.now()
    with uow.reading():
        found = uow.operators.find_session(_digest(token))
        if found is None or found.revoked_at is not None or found.expires_at <= now:
            return None
        row = uow.operators.find(found.operator_id)
    if row is None or row.disabled_at is not None:
        return None
    return SignedIn(found.id, found.csrf, Operator.of(row))


def sign_out(session: SignedIn, *, uow: UnitOfWork, clock: Clock) -> None:
    """End the session for every copy of its cookie."""
    now = clock.now()
    with uow:
        uow.operators.revoke_session(session.session_id, now)
        write_entry(uow, session.actor, now, "operator.sign_out")
        uow.commit()


def sign_out_everywhere(session: SignedIn, *, uow: UnitOfWork, clock: Clock) -> int:
    """End every session of the operator, on every browser; returns how many were open."""
    now = clock.now()
    with uow:
        ended = uow.operators.revoke_sessions_of(session.operator.id, now)
        write_entry(uow, session.actor, now, "operator.sign_out_everywhere",
                    after={"sessions_ended": ended})  # fmt: skip
        uow.commit()
    return ended


# the second factor


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str, issuer: str = "Tierline") -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def enable_totp(actor: Actor, secret: str, code: str, *, uow: UnitOfWork, clock: Clock) -> None:
    """Turn on the second factor once a code from the authenticator proves it was set up."""
    now = clock.now()
    if not _code_ok(secret, code, now):
        raise InvalidTotpCode("The code does not match; try the next one.", param="code")
    with uow:
        uow.operators.set_totp(actor.operator_id, secret)
        write_entry(uow, actor, now, "operator.enable_totp", after={"totp": True})
        uow.commit()


def disable_totp(actor: Actor, *, uow: UnitOfWork, clock: Clock) -> None:
    now = clock.now()
    with uow:
        uow.operators.set_totp(actor.operator_id, None)
        write_entry(uow, actor, now, "operator.disable_totp", before={"totp": True},
                    after={"totp": False})  # fmt: skip
        uow.commit()


# owners manage operators


def list_operators(actor: Actor, *, uow: UnitOfWork) -> list[Operator]:
    require(actor, "manage_operators")
    with uow.reading():
        return [Operator.of(row) for row in uow.operators.all()]


def disable_operator(actor: Actor, operator_id: str, *, uow: UnitOfWork, clock: Clock) -> Operator:
    """An operator who may no longer sign in; their sessions end now."""
    require(actor, "manage_operators")
    now = clock.now()
    with uow:
        row = uow.operators.find(operator_id)
        if row is None:
            raise NotFound(f"No operator '{operator_id}'.", code="unknown_operator")
        if row.id == actor.operator_id:
            raise Invalid("An owner cannot disable themselves.", code="disable_self",
                          param="operator")  # fmt: skip
        uow.operators.disable(row.id, now)
        revoked = uow.operators.revoke_sessions_of(row.id, now)
        write_entry(
            uow, actor, now, "operator.disable", subject=row.email,
            before={"disabled": row.disabled_at is not None},
            after={"disabled": True, "sessions_ended": revoked},
        )  # fmt: skip
        found = uow.operators.find(row.id)
        uow.commit()
    assert found is not None
    return Operator.of(found)


def change_role(
    actor: Actor, operator_id: str, role: str, *, uow: UnitOfWork, clock: Clock
) -> Operator:
    """Give an operator another role; an owner does not change their own (so that one owner is
    always left)."""
    require(actor, "manage_operators")
    if not is_role(role):
        raise Invalid(f"The role is one of {', '.join(ROLES)}.", code="invalid_role", param="role")
    if operator_id == actor.operator_id:
        raise Invalid("An owner cannot change their own role.", code="change_own_role",
                      param="operator")  # fmt: skip
    now = clock.now()
    with uow:
        row = uow.operators.find(operator_id)
        if row is None:
            raise NotFound(f"No operator '{operator_id}'.", code="unknown_operator")
        uow.operators.set_role(row.id, role)
        write_entry(uow, actor, now, "operator.role", subject=row.email,
                    before={"role": row.role}, after={"role": role})  # fmt: skip
        found = uow.operators.find(row.id)
        uow.commit()
    assert found is not None
    return Operator.of(found)
