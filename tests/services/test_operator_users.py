"""Operator users of the console: one-time password links, Argon2 hashes, TOTP, sessions that
sign-out revokes, and sign-ins rate-limited per e-mail and per address."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from tierline.clock import TestClock
from tierline.errors import (
    Invalid,
    InvalidTotpCode,
    OperatorExists,
    OperatorLinkInvalid,
    OperatorNotPermitted,
    PasswordTooShort,
    SignInRefused,
    TooManySignInAttempts,
)
from tierline.services.audit import Actor, audit_csv, audit_entries
from tierline.services.operator_users import (
    CreateOperator,
    SetPassword,
    SignIn,
    change_role,
    create_operator,
    disable_operator,
    enable_totp,
    list_operators,
    set_password,
    sign_in,
    sign_out,
    signed_in,
)
from tierline.store.tables import operators
from tierline.store.uow import UnitOfWork

PASSWORD = "correct horse battery"


def an_operator(uow: UnitOfWork, clock: TestClock, email: str, role: str = "owner") -> str:
    new = create_operator(CreateOperator(email, role), uow=uow, clock=clock)
    set_password(SetPassword(new.token, PASSWORD, PASSWORD), uow=uow, clock=clock)
    return new.operator.id


def owner(uow: UnitOfWork, clock: TestClock) -> Actor:
    operator_id = an_operator(uow, clock, "boss@example.com")
    return Actor(operator_id, "boss@example.com", "owner")


class TestCreateOperator:
    def test_a_new_operator_has_no_password_until_the_link_sets_one(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        new = create_operator(CreateOperator(" Ana@Example.com ", "finance"), uow=uow, clock=clock)

        assert new.operator.email == "ana@example.com"
        assert new.operator.role == "finance"
        assert new.operator.has_password is False
        assert new.expires_at == clock.now() + timedelta(hours=24)
        with pytest.raises(SignInRefused):
            sign_in(SignIn("ana@example.com", "", "10.0.0.1"), uow=uow, clock=clock)

    def test_an_unknown_role_is_refused_with_the_field_named(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        with pytest.raises(Invalid) as refused:
            create_operator(CreateOperator("a@example.com", "admin"), uow=uow, clock=clock)
        assert (refused.value.code, refused.value.param) == ("invalid_role", "role")

    def test_a_second_operator_with_the_same_email_is_refused(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        create_operator(CreateOperator("a@example.com", "owner"), uow=uow, clock=clock)
        with pytest.raises(OperatorExists) as refused:
            create_operator(CreateOperator("A@example.com", "support"), uow=uow, clock=clock)
        assert refused.value.param == "email"

    def test_only_owners_create_operators_in_the_console(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        support = Actor("op_x", "s@example.com", "support")
        with pytest.raises(OperatorNotPermitted):
            create_operator(
                CreateOperator("b@example.com", "owner"), uow=uow, clock=clock, actor=support
            )


class TestSetPassword:
    def test_the_password_is_stored_as_an_argon2id_hash(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        an_operator(uow, clock, "a@example.com")
        with uow:
            stored = uow.connection.execute(select(operators.c.password_hash)).scalar_one()
        assert stored.startswith("$argon2id$")
        assert PASSWORD not in stored

    def test_a_link_works_once(self, uow: UnitOfWork, clock: TestClock) -> None:
        new = create_operator(CreateOperator("a@example.com", "owner"), uow=uow, clock=clock)
        set_password(SetPassword(new.token, PASSWORD, PASSWORD), uow=uow, clock=clock)
        with pytest.raises(OperatorLinkInvalid):
            set_password(SetPassword(new.token, "another password!", "another password!"),
                         uow=uow, clock=clock)  # fmt: skip

    def test_a_link_expires_after_24_hours(self, uow: UnitOfWork, clock: TestClock) -> None:
        new = create_operator(CreateOperator("a@example.com", "owner"), uow=uow, clock=clock)
        clock.set(clock.now() + timedelta(hours=24))
        with pytest.raises(OperatorLinkInvalid):
            set_password(SetPassword(new.token, PASSWORD, PASSWORD), uow=uow, clock=clock)

    def test_a_short_password_is_refused_with_the_field_named(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        new = create_operator(CreateOperator("a@example.com", "owner"), uow=uow, clock=clock)
        with pytest.raises(PasswordTooShort) as refused:
            set_password(SetPassword(new.token, "short", "short"), uow=uow, clock=clock)
        assert refused.value.param == "password"


class TestSignIn:
    def test_the_right_password_opens_a_session_of_eight_hours(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        an_operator(uow, clock, "a@example.com", "support")
        new = sign_in(SignIn("a@example.com", PASSWORD, "10.0.0.1"), uow=uow, clock=clock)

        found = signed_in(new.token, uow=uow, clock=clock)
        assert found is not None and found.operator.role == "support"
        clock.set(new.expires_at)
        assert signed_in(new.token, uow=uow, clock=clock) is None

    def test_a_wrong_password_and_an_unknown_email_are_refused_alike(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        an_operator(uow, clock, "a@example.com")
        with pytest.raises(SignInRefused) as wrong:
            sign_in(SignIn("a@example.com", "wrong password", "10.0.0.1"), uow=uow, clock=clock)
        with pytest.raises(SignInRefused) as unknown:
            sign_in(SignIn("b@example.com", PASSWORD, "10.0.0.1"), uow=uow, clock=clock)
        assert wrong.value.message == unknown.value.message

    def test_signing_out_revokes_the_session(self, uow: UnitOfWork, clock: TestClock) -> None:
        an_operator(uow, clock, "a@example.com")
        new = sign_in(SignIn("a@example.com", PASSWORD, "10.0.0.1"), uow=uow, clock=clock)
        session = signed_in(new.token, uow=uow, clock=clock)
        assert session is not None

        sign_out(session, uow=uow, clock=clock)

        assert signed_in(new.token, uow=uow, clock=clock) is None

    def test_five_failures_for_an_email_lock_it_for_fifteen_minutes(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        an_operator(uow, clock, "a@example.com")
        for n in range(5):
            with pytest.raises(SignInRefused):
                sign_in(SignIn("a@example.com", "wrong", f"10.0.0.{n}"), uow=uow, clock=clock)

        with pytest.raises(TooManySignInAttempts):
            sign_in(SignIn("a@example.com", PASSWORD, "10.0.0.99"), uow=uow, clock=clock)
        clock.set(clock.now() + timedelta(minutes=15))
        assert sign_in(SignIn("a@example.com", PASSWORD, "10.0.0.99"), uow=uow, clock=clock)

    def test_twenty_failures_from_an_address_lock_it_for_every_email(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        an_operator(uow, clock, "a@example.com")
        for n in range(20):
            with pytest.raises(SignInRefused):
                sign_in(SignIn(f"x{n}@example.com", "wrong", "10.9.9.9"), uow=uow, clock=clock)

        with pytest.raises(TooManySignInAttempts):
            sign_in(SignIn("a@example.com", PASSWORD, "10.9.9.9"), uow=uow, clock=clock)
        assert sign_in(SignIn("a@example.com", PASSWORD, "10.0.0.1"), uow=uow, clock=clock)

    def test_with_totp_on_the_code_is_required(self, uow: UnitOfWork, clock: TestClock) -> None:
        operator_id = an_operator(uow, clock, "a@example.com")
        secret = pyotp.random_base32()
        actor = Actor(operator_id, "a@example.com", "owner")
        with pytest.raises(InvalidTotpCode):
            enable_totp(actor, secret, "000000", uow=uow, clock=clock)
        enable_totp(actor, secret, pyotp.TOTP(secret).at(clock.now()), uow=uow, clock=clock)

        with pytest.raises(SignInRefused):
            sign_in(SignIn("a@example.com", PASSWORD, "10.0.0.1"), uow=uow, clock=clock)
        code = pyotp.TOTP(secret).at(clock.now())
        assert sign_in(SignIn("a@example.com", PASSWORD, "10.0.0.1", code), uow=uow, clock=clock)

    def test_a_disabled_operator_loses_every_session(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        boss = owner(uow, clock)
        an_operator(uow, clock, "a@example.com", "finance")
        new = sign_in(SignIn("a@example.com", PASSWORD, "10.0.0.1"), uow=uow, clock=clock)
        finance = next(o for o in list_operators(boss, uow=uow) if o.role == "finance")

        disable_operator(boss, finance.id, uow=uow, clock=clock)

        assert signed_in(new.token, uow=uow, clock=clock) is None
        with pytest.raises(SignInRefused):
            sign_in(SignIn("a@example.com", PASSWORD, "10.0.0.1"), uow=uow, clock=clock)


class TestRoles:
    def test_an_owner_changes_another_operators_role_and_it_is_logged(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        boss = owner(uow, clock)
        an_operator(uow, clock, "a@example.com", "read_only")
        other = next(o for o in list_operators(boss, uow=uow) if o.email == "a@example.com")

        changed = change_role(boss, other.id, "finance", uow=uow, clock=clock)

        assert changed.role == "finance"
        entry = audit_entries(boss, uow=uow, limit=1)[0]
        assert (entry.before, entry.after) == ({"role": "read_only"}, {"role": "finance"})

    def test_an_owner_cannot_change_their_own_role(self, uow: UnitOfWork, clock: TestClock) -> None:
        boss = owner(uow, clock)
        with pytest.raises(Invalid) as refused:
            change_role(boss, boss.operator_id, "read_only", uow=uow, clock=clock)
        assert refused.value.code == "change_own_role"


class TestAuditLog:
    def test_sign_ins_and_owner_actions_are_written_with_who_and_what(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        boss = owner(uow, clock)
        create_operator(
            CreateOperator("c@example.com", "support"), uow=uow, clock=clock, actor=boss
        )

        entries = audit_entries(boss, uow=uow)

        created = next(e for e in entries if e.action == "operator.create")
        assert (created.operator_email, created.subject) == ("boss@example.com", "c@example.com")
        assert created.after == {"email": "c@example.com", "role": "support"}
        assert created.at == clock.now()

    def test_only_owners_read_it(self, uow: UnitOfWork, clock: TestClock) -> None:
        with pytest.raises(OperatorNotPermitted):
            audit_entries(Actor("op_x", "f@example.com", "finance"), uow=uow)

    def test_the_csv_export_has_a_header_and_a_row_per_entry_oldest_first(
        self, uow: UnitOfWork, clock: TestClock
    ) -> None:
        boss = owner(uow, clock)
        create_operator(CreateOperator("=cmd@example.com", "support"), uow=uow, clock=clock,
                        actor=boss)  # fmt: skip

        lines = audit_csv(boss, uow=uow).splitlines()

        assert lines[0] == "at,operator,action,account,subject,before,after"
        assert lines[1].split(",")[2] == "operator.set_password"
        assert "'=cmd@example.com" in lines[-1]  # never a spreadsheet formula
