"""Invoices, credit notes and receipts, with their lines. Finalised documents are never edited:
only an invoice's payment state (status, amount paid, attempts) moves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Connection,
    Select,
    Table,
    Text,
    cast,
    select,
    text,
    update,
)

from tierline.domain.documents import CreditNote, Invoice, Receipt
from tierline.domain.lines import Line
from tierline.domain.money import from_minor, to_minor
from tierline.domain.pages import Page, PageRequest
from tierline.domain.parties import Parties
from tierline.domain.tax import TaxLine
from tierline.domain.tax_report import TaxEntry
from tierline.errors import NotFound
from tierline.store.codec import line_from_row, line_row
from tierline.store.pages import keyset_page
from tierline.store.rows import named_rows
from tierline.store.sets import array_literal, one_of
from tierline.store.tables import (
    accounts,
    credit_notes,
    document_lines,
    document_taxes,
    invoices,
    payments,
    purchases,
    receipts,
    subscriptions,
)
from tierline.store.writer import Writer, driver_value

D = TypeVar("D", Invoice, CreditNote, Receipt)

# PostgreSQL: every receipt of the set in one short statement.
_RECEIPTS_FOR_PAID = text(
    "INSERT INTO receipts (id, account_id, number, invoice_number, payment_method, issued_at, "
    "amount_paid, refunded, parties, lines_of) "
    "SELECT paid.id, invoice.account_id, paid.number, invoice.number, paid.method, "
    "CAST(:now AS timestamptz), invoice.total, 0, invoice.parties, invoice.id "
    "FROM unnest(CAST(:invoices AS text[]), CAST(:ids AS text[]), CAST(:numbers AS text[]), "
    "CAST(:methods AS text[])) AS paid(invoice, id, number, method) "
    "CROSS JOIN LATERAL (SELECT * FROM invoices WHERE number = paid.invoice OFFSET 0) AS invoice"
)

# On SQLite, the same one row at a time, the driver's parameters encoded once here.
_RECEIPT_FOR_PAID_SQLITE = (
    "INSERT INTO receipts (id, account_id, number, invoice_number, payment_method, issued_at, "
    "amount_paid, refunded, parties, lines_of) "
    "SELECT ?, account_id, ?, number, ?, ?, total, 0, parties, id FROM invoices WHERE number = ?"
)


class PaidInFull(NamedTuple):
    """A receipt to write for an invoice paid in full."""

    receipt_id: str
    receipt_number: str
    invoice_number: str
    payment_method: str | None


class PaymentState(NamedTuple):
    """What recording a payment reads of an invoice."""

    id: str
    number: str
    account_id: str
    subscription_id: str | None
    status: str
    total: Decimal
    amount_paid: Decimal
    credits_applied: Decimal
    balance_applied: Decimal
    names_parties: bool  # the receipt names the invoice's parties
    awaited: bool  # a purchase waits for its payment
    past_due: bool  # its subscription is past due
    declined: bool  # a charge of it was declined, in some round

    @property
    def amount_due(self) -> Decimal:
        return self.total - self.amount_paid


Taxes = tuple[TaxLine, ...]
_Read = Callable[[Any, tuple[Line, ...], Taxes], D]  # a row, its lines and taxes, as a document


def _country(parties: Parties | None) -> str:
    """The buyer's country; a buyer named without one was taxed as in the seller's."""
    if parties is None:
        return ""
    seller = parties.seller.country if parties.seller else None
    return parties.buyer.country or seller or ""


def _parties(parties: Parties | None) -> dict[str, Any] | None:
    return None if parties is None else parties.as_dict()


class DocumentRepository:
    def __init__(self, conn: Connection, currency: str, writer: Writer) -> None:
        self._conn = conn
        self._currency = currency
        self._w = writer
        self._period_invoices: set[tuple[str, str, datetime]] | None = None
        self._preloaded: set[str] = set()
        # Invoices locked for this unit of work, and those read with them (`hold_invoices`) as
        # they are until one is written.
        self._locked: set[str] = set()
        self._held: dict[str, Invoice] = {}

    def _m(self, amount: Any) -> int:
        return to_minor(amount, self._currency)

    def _d(self, units: int) -> Any:
        return from_minor(units, self._currency)

    def _add_lines(self, account_id: str, document_id: str, lines: tuple[Line, ...]) -> None:
        if lines:
            self._w.insert(
                document_lines,
                [
                    line_row(
                        line,
                        account_id=account_id,
                        document_id=document_id,
                        position=i,
                        currency=self._currency,
                    )
                    for i, line in enumerate(lines)
                ],
            )

    def _lines(self, document_ids: list[str]) -> dict[str, tuple[Line, ...]]:
        found: dict[str, list[Line]] = defaultdict(list)
        self._w.flush()
        if document_ids:
            query = (
                select(document_lines)
                .where(one_of(self._conn, document_lines.c.document_id, document_ids))
                .order_by(document_lines.c.document_id, document_lines.c.position)
            )
            for row in self._conn.execute(query).all():
                found[row.document_id].append(line_from_row(row, self._currency))
        return {k: tuple(v) for k, v in found.items()}

    def _add_taxes(self, account_id: str, document_id: str, taxes: Taxes) -> None:
        if taxes:
            self._w.insert(
                document_taxes,
                [
                    {
                        "account_id": account_id,
                        "document_id": document_id,
                        "position": i,
                        "rate": str(tax.rate),
                        "category": tax.category,
                        "taxable": self._m(tax.taxable),
                        "amount": self._m(tax.amount),
                    }
                    for i, tax in enumerate(taxes)
                ],
            )

    def _taxes(self, document_ids: list[str]) -> dict[str, Taxes]:
        found: dict[str, list[TaxLine]] = defaultdict(list)
        self._w.flush()
        if document_ids:
            query = (
                select(document_taxes)
                .where(one_of(self._conn, document_taxes.c.document_id, document_ids))
                .order_by(document_taxes.c.document_id, document_taxes.c.position)
            )
            for row in self._conn.execute(query).all():
                found[row.document_id].append(
                    TaxLine(Decimal(row.rate), row.category, self._d(row.taxable),
                            self._d(row.amount))
                )  # fmt: skip
        return {k: tuple(v) for k, v in found.items()}

    def _of_account(self, table: Table, account_id: str, status: str | None) -> Select[Any]:
        query = select(table).where(table.c.account_id == account_id)
        return query if status is None else query.where(table.c.status == status)

    def _documents(self, query: Select[Any], read: _Read[D]) -> list[D]:
        """The documents `query` finds, in its order, with their lines."""
        self._w.flush()
        return self._read(self._conn.execute(query).all(), read)

    def _read(self, rows: Sequence[Any], read: _Read[D]) -> list[D]:
        """The documents of these rows, with their lines (a receipt's may be those of the
        invoice it paid: `lines_of`) and their tax."""
        shown = [getattr(r, "lines_of", None) or r.id for r in rows]
        lines = self._lines(sorted(set(shown)))
        taxes = self._taxes([r.id for r in rows]) if read != self._receipt else {}
        return [
            read(r, lines.get(source, ()), taxes.get(r.id, ()))
            for r, source in zip(rows, shown, strict=True)
        ]

    def _all(
        self, table: Table, account_id: str, read: _Read[D], status: str | None = None
    ) -> list[D]:
        """The account's documents of one kind, by issue time then number."""
        query = self._of_account(table, account_id, status)
        return self._documents(query.order_by(table.c.issued_at, table.c.number), read)

    def _page(
        self,
        table: Table,
        account_id: str,
        request: PageRequest,
        read: _Read[D],
        status: str | None = None,
    ) -> Page[D]:
        """A page of the account's documents of one kind, by issue time then number (a cursor
        is a number), with their lines."""
        self._w.flush()
        mine = table.c.account_id == account_id
        found = keyset_page(
            self._conn,
            self._of_account(table, account_id, status),
            (table.c.issued_at, table.c.number),
            request,
            cursor=lambda number: mine & (table.c.number == number),
        )
        return Page(tuple(self._read(found.items, read)), found.has_more)

    # invoices

    def add_invoice(self, invoice: Invoice) -> None:
        if self._period_invoices is not None and invoice.period_start is not None:
            self._period_invoices.add(
                (str(invoice.subscription_id), invoice.reason, invoice.period_start)
            )
        self._w.insert(
            invoices,
            [
                dict(
                    id=invoice.id,
                    account_id=invoice.account_id,
                    number=invoice.number,
                    subscription_id=invoice.subscription_id,
                    reason=invoice.reason,
                    period_start=invoice.period_start,
                    status=invoice.status,
                    issued_at=invoice.issued_at,
                    due_at=invoice.due_at,
                    paid_at=invoice.paid_at,
                    subtotal=self._m(invoice.subtotal),
                    credits_applied=self._m(invoice.credits_applied),
                    balance_applied=self._m(invoice.balance_applied),
                    total=self._m(invoice.total),
                    amount_paid=self._m(invoice.amount_paid),
                    attempts=invoice.attempts,
                    first_failed_at=invoice.first_failed_at,
                    next_attempt_at=invoice.next_attempt_at,
                    tax_total=self._m(invoice.tax_total),
                    tax_prices=invoice.tax_prices,
                    parties=_parties(invoice.parties),
                )
            ],
        )
        self._add_lines(invoice.account_id, invoice.id, invoice.lines)
        self._add_taxes(invoice.account_id, invoice.id, invoice.tax)

    def save_payment_state(self, invoice: Invoice) -> None:
        self._held.pop(invoice.number, None)
        self._w.update(
            invoices,
            {"id": invoice.id},
            {
                "status": invoice.status,
                "amount_paid": self._m(invoice.amount_paid),
                "paid_at": invoice.paid_at,
                "attempts": invoice.attempts,
                "first_failed_at": invoice.first_failed_at,
                "next_attempt_at": invoice.next_attempt_at,
            },
        )

    def _invoice(self, row: Any, lines: tuple[Line, ...], taxes: Taxes) -> Invoice:
        return Invoice(
            id=row.id,
            account_id=row.account_id,
            number=row.number,
            subscription_id=row.subscription_id,
            reason=row.reason,
            status=row.status,
            issued_at=row.issued_at,
            due_at=row.due_at,
            lines=lines,
            subtotal=self._d(row.subtotal),
            credits_applied=self._d(row.credits_applied),
            balance_applied=self._d(row.balance_applied),
            total=self._d(row.total),
            amount_paid=self._d(row.amount_paid),
            period_start=row.period_start,
            paid_at=row.paid_at,
            attempts=row.attempts,
            first_failed_at=row.first_failed_at,
            next_attempt_at=row.next_attempt_at,
            tax=taxes,
            tax_prices=row.tax_prices,
            parties=Parties.from_dict(row.parties),
        )

    def lock_invoice(self, number: str) -> None:
        """Hold the invoice's row until commit, so two units of work never decide a payment of
        it at once (SQLite's writers take turns already)."""
        if number in self._locked:
            return
        self._w.flush()
        if self._conn.dialect.name == "postgresql":
            self._conn.execute(
                select(invoices.c.id).where(invoices.c.number == number).with_for_update()
            )
        self._locked.add(number)

    def hold_invoices(self, numbers: list[str]) -> list[Invoice]:
        """Lock these invoices until commit and read them, with their lines, in one go (in the
        order of their numbers, as every batch locks them): `lock_invoice` and `invoice` then
        find them here, until one is written. The invoices found."""
        if not numbers:
            return []
        query = select(invoices).where(one_of(self._conn, invoices.c.number, numbers))
        if self._conn.dialect.name == "postgresql":
            query = query.order_by(invoices.c.number).with_for_update(of=invoices)
        found = self._documents(query, self._invoice)
        self._locked.update(invoice.number for invoice in found)
        self._held.update((invoice.number, invoice) for invoice in found)
        return found

    def mark_paid_in_full(self, numbers: list[str], now: datetime) -> None:
        """Invoices paid in full now, in one statement."""
        for number in numbers:
            self._held.pop(number, None)
        self._w.flush()
        self._conn.execute(
            update(invoices)
            .where(one_of(self._conn, invoices.c.number, numbers))
            .values(status="paid", amount_paid=invoices.c.total, paid_at=now, next_attempt_at=None)
        )

    def invoices_by_number(self, numbers: list[str]) -> dict[str, Invoice]:
        query = select(invoices).where(one_of(self._conn, invoices.c.number, numbers))
        return {invoice.number: invoice for invoice in self._documents(query, self._invoice)}

    def payment_states(self, numbers: list[str]) -> dict[str, PaymentState]:
        """What recording a payment reads of these invoices, in one query that also locks them
        until commit: their state (not their lines nor tax), whether a purchase awaits them,
        whether their subscription is past due, and whether a charge of them was declined."""
        self._w.flush()
        i = invoices.c
        awaited = (
            select(purchases.c.id)
            .where(purchases.c.invoice_number == i.number, purchases.c.state == "awaiting")
            .exists()
        )
        past_due = (
            select(subscriptions.c.id)
            .where(subscriptions.c.id == i.subscription_id, subscriptions.c.status == "past_due")
            .exists()
        )
        declined = (
            select(payments.c.id)
            .where(
                payments.c.invoice_number == i.number,
                payments.c.status == "failed",
                payments.c.kind == "charge",
            )
            .exists()
        )
        query = select(
            i.id, i.number, i.account_id, i.subscription_id, i.status, i.total, i.amount_paid,
            i.credits_applied, i.balance_applied, cast(i.parties, Text).label("parties"),
            awaited.label("awaited"), past_due.label("past_due"), declined.label("declined"),
        ).where(one_of(self._conn, i.number, numbers))  # fmt: skip
        if self._conn.dialect.name == "postgresql":
            # In the order of their numbers, as every batch locks them, so two never deadlock.
            query = query.order_by(i.number).with_for_update(of=invoices)
        d = self._d
        return {
            row.number: PaymentState(
                row.id,
                row.number,
                row.account_id,
                row.subscription_id,
                row.status,
                d(row.total),
                d(row.amount_paid),
                d(row.credits_applied),
                d(row.balance_applied),
                row.parties not in (None, "null"),  # JSON's null, or no value
                bool(row.awaited),
                bool(row.past_due),
                bool(row.declined),
            )
            for row in named_rows(self._conn.execute(query))
        }

    def add_receipts_for_paid(self, paid: list[PaidInFull], now: datetime) -> None:
        """The receipts of invoices paid in full, each repeating its invoice's parties and total
        and showing its lines (`lines_of`): written inside the database from the invoices, so a
        batch of receipts never carries its invoices through Python."""
        if not paid:
            return
        self._w.flush()
        ids, numbers, invoice_numbers, methods = (list(c) for c in zip(*paid, strict=True))
        if self._conn.dialect.name == "postgresql":
            self._conn.execute(
                _RECEIPTS_FOR_PAID,
                {
                    "invoices": array_literal(invoice_numbers), "ids": array_literal(ids),
                    "numbers": array_literal(numbers), "methods": array_literal(methods),
                    "now": now,
                },
            )  # fmt: skip
        else:
            now_value = driver_value(self._conn, receipts.c.issued_at, now)
            self._conn.exec_driver_sql(
                _RECEIPT_FOR_PAID_SQLITE,
                [
                    (id_, number, method, now_value, invoice)
                    for id_, number, invoice, method in zip(
                        ids, numbers, invoice_numbers, methods, strict=True
                    )
                ],
            )

    def invoice(self, number: str) -> Invoice:
        if number in self._held:
            return self._held[number]
        found = self._documents(select(invoices).where(invoices.c.number == number), self._invoice)
        if not found:
            raise NotFound(f"No invoice '{number}'.", code="unknown_invoice")
        return found[0]

    def invoices_for(self, account_id: str, status: str | None = None) -> list[Invoice]:
        return self._all(invoices, account_id, self._invoice, status)

    def invoice_page(
        self, account_id: str, request: PageRequest, status: str | None = None
    ) -> Page[Invoice]:
        return self._page(invoices, account_id, request, self._invoice, status)

    def preload_period_invoices(self, subscription_ids: list[str]) -> None:
        """Remember which periods these subscriptions were invoiced for already."""
        self._w.flush()
        query = select(
            invoices.c.subscription_id, invoices.c.reason, invoices.c.period_start
        ).where(
            one_of(self._conn, invoices.c.subscription_id, subscription_ids),
            invoices.c.period_start.is_not(None),
        )
        self._period_invoices = {(r[0], r[1], r[2]) for r in self._conn.execute(query).all()}
        self._preloaded = set(subscription_ids)

    def has_period_invoice(self, subscription_id: str, reason: str, start: datetime) -> bool:
        if self._period_invoices is not None and subscription_id in self._preloaded:
            return (subscription_id, reason, start) in self._period_invoices
        self._w.flush()
        query = select(invoices.c.id).where(
            invoices.c.subscription_id == subscription_id,
            invoices.c.reason == reason,
            invoices.c.period_start == start,
        )
        return self._conn.execute(query).first() is not None

    def next_attempt_at(self) -> datetime | None:
        self._w.flush()
        row = self._conn.execute(
            select(invoices.c.next_attempt_at)
            .where(invoices.c.status == "open", invoices.c.next_attempt_at.is_not(None))
            .order_by(invoices.c.next_attempt_at)
            .limit(1)
        ).first()
        return None if row is None else row[0]

    def due_for_attempt(self, now: datetime, limit: int) -> list[str]:
        self._w.flush()
        query = (
            select(invoices.c.number)
            .where(invoices.c.status == "open", invoices.c.next_attempt_at <= now)
            .order_by(invoices.c.next_attempt_at, invoices.c.number)
            .limit(limit)
        )
        return [r[0] for r in self._conn.execute(query)]

    def tax_entries(
        self, start: datetime, end: datetime, currency: str | None = None
    ) -> list[TaxEntry]:
        """Every tax line of the invoices (not void) and credit notes issued in [start, end),
        of every account (billed in `currency` when one is given), with the buyer's country as
        the document was issued."""
        self._w.flush()
        found: list[TaxEntry] = []
        for kind, table in (("invoice", invoices), ("credit_note", credit_notes)):
            query = (
                select(table.c.number, table.c.parties, document_taxes)
                .join(document_taxes, document_taxes.c.document_id == table.c.id)
                .where(table.c.issued_at >= start, table.c.issued_at < end)
                .order_by(table.c.issued_at, table.c.number, document_taxes.c.position)
            )
            if currency is not None:
                billed_in = select(accounts.c.id).where(accounts.c.currency == currency)
                query = query.where(table.c.account_id.in_(billed_in.scalar_subquery()))
            if kind == "invoice":
                query = query.where(table.c.status != "void")
            for row in self._conn.execute(query).all():
                parties = Parties.from_dict(row.parties)
                found.append(
                    TaxEntry(
                        kind,  # type: ignore[arg-type]
                        row.number,
                        _country(parties),
                        Decimal(row.rate),
                        row.category,
                        self._d(row.taxable),
                        self._d(row.amount),
                    )
                )
        return found

    # credit notes

    def add_credit_note(self, note: CreditNote) -> None:
        self._w.insert(
            credit_notes,
            [
                dict(
                    id=note.id,
                    account_id=note.account_id,
                    number=note.number,
                    invoice_number=note.invoice_number,
                    applied_to=note.applied_to,
                    credit_to=note.credit_to,
                    issued_at=note.issued_at,
                    total=self._m(note.total),
                    tax_total=self._m(note.tax_total),
                    tax_prices=note.tax_prices,
                    parties=_parties(note.parties),
                )
            ],
        )
        self._add_lines(note.account_id, note.id, note.lines)
        self._add_taxes(note.account_id, note.id, note.tax)

    def credit_note(self, number: str) -> CreditNote:
        query = select(credit_notes).where(credit_notes.c.number == number)
        found = self._documents(query, self._credit_note)
        if not found:
            raise NotFound(f"No credit note '{number}'.", code="unknown_credit_note")
        return found[0]

    def credit_notes_for(self, account_id: str) -> list[CreditNote]:
        return self._all(credit_notes, account_id, self._credit_note)

    def credit_note_page(self, account_id: str, request: PageRequest) -> Page[CreditNote]:
        return self._page(credit_notes, account_id, request, self._credit_note)

    def _credit_note(self, r: Any, lines: tuple[Line, ...], taxes: Taxes) -> CreditNote:
        return CreditNote(
            id=r.id,
            account_id=r.account_id,
            number=r.number,
            invoice_number=r.invoice_number,
            applied_to=r.applied_to,
            credit_to=r.credit_to,
            issued_at=r.issued_at,
            lines=lines,
            total=self._d(r.total),
            tax=taxes,
            tax_prices=r.tax_prices,
            parties=Parties.from_dict(r.parties),
        )

    # receipts

    def add_receipt(self, receipt: Receipt) -> None:
        self._w.insert(
            receipts,
            [
                dict(
                    id=receipt.id,
                    account_id=receipt.account_id,
                    number=receipt.number,
                    invoice_number=receipt.invoice_number,
                    payment_method=receipt.payment_method,
                    issued_at=receipt.issued_at,
                    amount_paid=self._m(receipt.amount_paid),
                    refunded=self._m(receipt.refunded),
                    parties=_parties(receipt.parties),
                )
            ],
        )
        self._add_lines(receipt.account_id, receipt.id, receipt.lines)

    def receipts_for(self, account_id: str) -> list[Receipt]:
        return self._all(receipts, account_id, self._receipt)

    def receipt_page(self, account_id: str, request: PageRequest) -> Page[Receipt]:
        return self._page(receipts, account_id, request, self._receipt)

    def _receipt(self, r: Any, lines: tuple[Line, ...], _: Taxes) -> Receipt:
        return Receipt(
            id=r.id,
            account_id=r.account_id,
            number=r.number,
            invoice_number=r.invoice_number,
            payment_method=r.payment_method,
            issued_at=r.issued_at,
            lines=lines,
            amount_paid=self._d(r.amount_paid),
            refunded=self._d(r.refunded),
            parties=Parties.from_dict(r.parties),
        )
