"""Payments and their attempts, and purchases waiting for their payment.

An attempt is a row committed before the provider is called; its id is the idempotency key the
provider gets. Claiming marks attempts `sent` (on PostgreSQL with SKIP LOCKED, so processes
share the work); settling writes the outcome once: an attempt already settled is not settled
again, so an outcome's effects happen once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError

from tierline.domain.documents import Payment, Purchase
from tierline.domain.money import from_minor, to_minor
from tierline.domain.pages import Page, PageRequest
from tierline.domain.values import replace
from tierline.errors import PaymentInProgress
from tierline.store.dialects import insert_of
from tierline.store.pages import keyset_page
from tierline.store.rows import named_rows
from tierline.store.sets import one_of
from tierline.store.tables import payments, provider_events, purchases
from tierline.store.writer import Writer

_UNSETTLED = ("sent", "processing", "requires_action")


class Settling(NamedTuple):
    """An attempt's outcome, as written when it is settled."""

    attempt_id: str
    status: str
    failure_code: str | None = None
    failure_message: str | None = None
    provider_reference: str | None = None


class PaymentRepository:
    def __init__(self, conn: Connection, currency: str, writer: Writer) -> None:
        self._conn = conn
        self._currency = currency
        self._w = writer
        self.added: list[Payment] = []  # the attempts this unit of work added
        # The attempts of some invoices, read at once (`read_for_invoices`), until any attempt
        # is added or changes.
        self._of_invoices: dict[str, list[Payment]] = {}

    def add(self, payment: Payment) -> None:
        self._of_invoices.pop(str(payment.invoice_number), None)
        values = dict(payment.__dict__)
        values["amount"] = to_minor(payment.amount, self._currency)
        self._w.insert(payments, [values])
        self.added.append(payment)

    def hand_over(self, attempts: list[Payment], now: datetime) -> list[Payment]:
        """Mark attempts `sent` in the transaction that adds them: a sender that sends them
        right after the commit needs no claim of its own. Should it die first, they are found
        `sent` with no outcome once stale, and asked about by their key before anything else."""
        self._of_invoices.clear()
        handed = []
        for attempt in attempts:
            self._w.update(payments, {"id": attempt.id}, {"status": "sent", "sent_at": now})
            handed.append(replace(attempt, status="sent", sent_at=now))
        return handed

    def get(self, payment_id: str) -> Payment:
        self._w.flush()
        row = self._conn.execute(select(payments).where(payments.c.id == payment_id)).first()
        if row is None:
            raise LookupError(payment_id)
        return self._payment(row)

    def for_account(self, account_id: str) -> list[Payment]:
        self._w.flush()
        query = (
            select(payments)
            .where(payments.c.account_id == account_id)
            .order_by(payments.c.at, payments.c.id)
        )
        return [self._payment(r) for r in self._conn.execute(query)]

    def for_invoice(self, number: str) -> list[Payment]:
        if number in self._of_invoices:
            return list(self._of_invoices[number])
        self._w.flush()
        query = (
            select(payments)
            .where(payments.c.invoice_number == number)
            .order_by(payments.c.at, payments.c.id)
        )
        return [self._payment(r) for r in self._conn.execute(query)]

    def read_for_invoices(self, numbers: list[str]) -> None:
        """Read the attempts of these invoices at once: `for_invoice` then finds them here."""
        if not numbers:
            return
        self._w.flush()
        query = (
            select(payments)
            .where(one_of(self._conn, payments.c.invoice_number, numbers))
            .order_by(payments.c.at, payments.c.id)
        )
        found: dict[str, list[Payment]] = {number: [] for number in numbers}
        for row in self._conn.execute(query):
            found[row.invoice_number].append(self._payment(row))
        self._of_invoices.update(found)

    def page_for(self, account_id: str, request: PageRequest) -> Page[Payment]:
        """The account's payments, oldest first."""
        self._w.flush()
        mine = payments.c.account_id == account_id
        found = keyset_page(
            self._conn,
            select(payments).where(mine),
            (payments.c.at, payments.c.id),
            request,
            cursor=lambda payment_id: mine & (payments.c.id == payment_id),
        )
        return found.map(self._payment)

    def claim(
        self,
        now: datetime,
        *,
        stale_before: datetime,
        limit: int,
        account_id: str | None = None,
    ) -> list[tuple[Payment, bool]]:
        """Lock attempts to send and mark them `sent`: those never sent, and those sent before
        `stale_before` with no outcome (their sender died). Each comes with whether it was
        sent before, in which case the provider must be asked about it first."""
        self._of_invoices.clear()
        self._w.flush()
        c = payments.c

        def to_send(status: Any, sent_at: Any) -> Any:
            return or_(status == "created", (status == "sent") & (sent_at < stale_before))

        query = select(payments).where(to_send(c.status, c.sent_at))
        if account_id is not None:
            query = query.where(c.account_id == account_id)
        query = query.order_by(c.at, c.id).limit(limit)
        if self._conn.dialect.name == "postgresql":
            # Picked, locked and marked in one statement; another process skips them.
            picked = (
                query.with_only_columns(c.id, c.status.label("before"))
                .with_for_update(skip_locked=True)
                .subquery()
            )
            marked = (
                update(payments)
                .where(c.id == picked.c.id, to_send(picked.c.before, c.sent_at))
                .values(status="sent", sent_at=now)
                .returning(*payments.c, picked.c.before)
            )
            rows = sorted(named_rows(self._conn.execute(marked)), key=lambda r: (r.at, r.id))
            return [(self._payment(r), r.before == "sent") for r in rows]
        rows = named_rows(self._conn.execute(query))
        found = [(self._payment(r), r.status == "sent") for r in rows]
        if found:
            self._conn.execute(
                update(payments)
                .where(one_of(self._conn, c.id, [p.id for p, _ in found]))
                .values(status="sent", sent_at=now)
            )
        return found

    def settle_all(self, outcomes: list[Settling], now: datetime) -> set[str]:
        """Write these attempts' outcomes at once; the ids this call settled (an attempt settled
        by another process meanwhile is left out), each updated by its key."""
        self._of_invoices.clear()
        if not outcomes:
            return set()
        c = payments.c
        settled = self._lock_unsettled([o.attempt_id for o in outcomes])
        rows = [
            {
                "b_id": o.attempt_id, "b_status": o.status, "b_code": o.failure_code,
                "b_message": o.failure_message, "b_reference": o.provider_reference,
            }
            for o in outcomes
            if o.attempt_id in settled
        ]  # fmt: skip
        if rows:
            self._conn.execute(
                update(payments)
                .where(c.id == bindparam("b_id"))
                .values(
                    status=bindparam("b_status"),
                    settled_at=now,
                    failure_code=bindparam("b_code"),
                    failure_message=bindparam("b_message"),
                    provider_reference=bindparam("b_reference"),
                ),
                rows,
            )
        return settled

    def unsettled_since(self, before: datetime, *, limit: int) -> list[Payment]:
        """Attempts sent before `before` whose final outcome is not known: no answer yet,
        processing, or waiting for the customer to authenticate; oldest first."""
        self._w.flush()
        c = payments.c
        query = (
            select(payments)
            .where(c.status.in_(_UNSETTLED), c.sent_at < before)
            .order_by(c.sent_at, c.id)
            .limit(limit)
        )
        return [self._payment(r) for r in self._conn.execute(query)]

    def awaiting_action(self, account_id: str) -> list[Payment]:
        """The account's attempts waiting for the customer to authenticate, oldest first."""
        self._w.flush()
        c = payments.c
        query = (
            select(payments)
            .where(c.account_id == account_id, c.status == "requires_action")
            .order_by(c.at, c.id)
        )
        return [self._payment(r) for r in self._conn.execute(query)]

    def first_sight_of_event(self, provider: str, event_id: str, kind: str, now: datetime) -> bool:
        """Note a provider's event as processed in this transaction; False when it was already
        (or another transaction notes it first, which then waits for this one)."""
        self._w.flush()
        values = {"provider": provider, "event_id": event_id, "kind": kind, "received_at": now}
        statement = (
            insert_of(self._conn)(provider_events)
            .values(**values)
            .on_conflict_do_nothing()
            .returning(provider_events.c.event_id)
        )
        return self._conn.execute(statement).first() is not None

    def settle_succeeded(self, answers: list[tuple[str, str]], now: datetime) -> set[str]:
        """Mark these attempts (id, provider's reference) succeeded; the ids this call settled
        (an attempt settled by another process meanwhile is left out)."""
        self._of_invoices.clear()
        c = payments.c
        settled = self._lock_unsettled([attempt_id for attempt_id, _ in answers])
        if settled:
            self._conn.execute(
                update(payments)
                .where(one_of(self._conn, c.id, settled))
                .values(status="succeeded", settled_at=now, provider_reference=c.id)
            )
        other = [
            {"b_id": attempt_id, "b_reference": reference}
            for attempt_id, reference in answers
            if reference != attempt_id and attempt_id in settled
        ]
        if other:
            self._conn.execute(
                update(payments)
                .where(c.id == bindparam("b_id"))
                .values(provider_reference=bindparam("b_reference")),
                other,
            )
        return settled

    def _lock_unsettled(self, ids: list[str]) -> set[str]:
        """Those of these attempts with no outcome yet, locked until commit. Locked and read by
        their key first, then updated by it: with their status in the UPDATE's condition, the
        planner may find them through the unsettled-status index, which statistics that lag (a
        run's new attempts) say holds a few rows, and compare each with every id of the set."""
        self._w.flush()
        c = payments.c
        found = self._conn.execute(
            select(c.id, c.status).where(one_of(self._conn, c.id, ids)).with_for_update()
        )
        return {attempt_id for attempt_id, status in found if status in _UNSETTLED}

    def declined_rounds(self, invoice_numbers: list[str]) -> set[tuple[str, int]]:
        """(invoice, round) pairs among these invoices where a charge was declined."""
        if not invoice_numbers:
            return set()
        self._w.flush()
        c = payments.c
        query = (
            select(c.invoice_number, c.round)
            .where(one_of(self._conn, c.invoice_number, invoice_numbers))
            .where(c.status == "failed", c.kind == "charge")
            .distinct()
        )
        return {(str(number), int(round)) for number, round in self._conn.execute(query)}

    def _payment(self, r: Any) -> Payment:
        return Payment(
            id=r.id,
            account_id=r.account_id,
            at=r.at,
            amount=from_minor(r.amount, self._currency),
            payment_method=r.payment_method,
            status=r.status,
            invoice_number=r.invoice_number,
            idempotency_key=r.idempotency_key,
            failure_code=r.failure_code,
            failure_message=r.failure_message,
            kind=r.kind,
            reason=r.reason,
            reference=r.reference,
            round=r.round,
            fallback=r.fallback,
            token=r.token,
            sent_at=r.sent_at,
            settled_at=r.settled_at,
            provider_reference=r.provider_reference,
            method_brand=r.method_brand,
            method_last4=r.method_last4,
        )

    def methods_charged(self, account_id: str, method_ids: list[str]) -> dict[str, tuple[str, str]]:
        """The brand and last digits each of these methods had when the account's payments
        charged it, by method id; a method never charged (or charged before 0017 and removed
        since) is left out."""
        self._w.flush()
        c = payments.c
        query = (
            select(c.payment_method, c.method_brand, c.method_last4)
            .where(
                c.account_id == account_id,
                one_of(self._conn, c.payment_method, method_ids),
                c.method_brand.is_not(None),
                c.method_last4.is_not(None),
            )
            .distinct()
        )
        return {
            r.payment_method: (r.method_brand, r.method_last4) for r in self._conn.execute(query)
        }


class PurchaseRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        # The purchases of some invoices (None: none), read at once (`read_for_invoices`),
        # until any purchase is added or changes.
        self._of_invoices: dict[str, Purchase | None] = {}

    def add(self, purchase: Purchase) -> None:
        """Record a purchase awaiting payment; a second one for the account is a Conflict."""
        self._of_invoices.clear()
        if self.awaiting_for(purchase.account_id) is not None:
            raise _in_progress()
        try:
            self._conn.execute(purchases.insert().values(**purchase.__dict__))
        except IntegrityError:  # another one was recorded meanwhile
            raise _in_progress() from None

    def awaiting_for(self, account_id: str) -> Purchase | None:
        row = self._conn.execute(
            select(purchases).where(
                purchases.c.account_id == account_id, purchases.c.state == "awaiting"
            )
        ).first()
        return None if row is None else Purchase(**row._asdict())

    def read_for_invoices(self, numbers: list[str]) -> None:
        """Read the purchases of these invoices at once: `for_invoice` then finds them here."""
        if not numbers:
            return
        found: dict[str, Purchase | None] = dict.fromkeys(numbers)
        query = select(purchases).where(one_of(self._conn, purchases.c.invoice_number, numbers))
        for row in self._conn.execute(query):
            found[row.invoice_number] = Purchase(**row._asdict())
        self._of_invoices.update(found)

    def for_invoice(self, number: str) -> Purchase | None:
        if number in self._of_invoices:
            return self._of_invoices[number]
        row = self._conn.execute(
            select(purchases).where(purchases.c.invoice_number == number)
        ).first()
        return None if row is None else Purchase(**row._asdict())

    def set_state(self, purchase: Purchase, state: str) -> None:
        self._of_invoices.clear()
        self._conn.execute(
            update(purchases).where(purchases.c.id == purchase.id).values(state=state)
        )


def _in_progress() -> PaymentInProgress:
    return PaymentInProgress(
        "A purchase for this account is waiting for its payment; try again once it is settled."
    )


def refuse_while_awaiting(repo: PurchaseRepository, account_id: str) -> None:
    if repo.awaiting_for(account_id) is not None:
        raise _in_progress()
