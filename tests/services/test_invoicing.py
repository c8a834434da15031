"""Document numbering: gap-free per series and year."""

from __future__ import annotations

import pytest
from service_builders import DECLINED, FIRST_RENEWAL, Billing, eur, policy, utc

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.errors import PaymentFailed


class TestDocumentNumbering:
    def test_invoices_are_numbered_consecutively_across_accounts(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account("acme")
        billing.account("zeta")

        billing.subscribe("basic", account="acme")
        billing.subscribe("pro", account="zeta", trial=False)
        billing.advance(FIRST_RENEWAL)

        numbers = [i.number for a in ("acme", "zeta") for i in billing.invoices(a)]
        assert sorted(numbers) == ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003",
                                   "INV-2026-000004"]  # fmt: skip

    def test_each_series_has_its_own_counter(self, billing: Billing) -> None:
        billing.install(policies={"upgrade": policy(credit_to="credit_note")})
        billing.account()
        billing.subscribe("basic")
        billing.advance(utc(2026, 2, 14, 10))

        billing.change(edition="pro")

        assert [i.number for i in billing.invoices()] == ["INV-2026-000001", "INV-2026-000002"]
        assert [n.number for n in billing.credit_notes()] == ["CN-2026-000001"]
        assert [r.number for r in billing.receipts()] == ["RCT-2026-000001", "RCT-2026-000002"]

    def test_a_new_year_restarts_the_numbers_at_one(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic", cycle="year")

        billing.advance(utc(2027, 2, 1))

        renewal = billing.invoices()[-1]
        assert (renewal.number, renewal.issued_at, renewal.total) == (
            "INV-2027-000001", utc(2027, 1, 31, 10), eur("288.00"),
        )  # fmt: skip
        assert [r.number for r in billing.receipts()] == ["RCT-2026-000001", "RCT-2027-000001"]

    def test_a_refused_payment_leaves_a_void_invoice_and_no_gap(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account("acme")
        billing.account("zeta", cards=(DECLINED,), backup=None)
        billing.subscribe("basic", account="acme")
        with pytest.raises(PaymentFailed):
            billing.subscribe("basic", account="zeta")

        billing.advance(FIRST_RENEWAL)

        assert [i.number for i in billing.invoices("acme")] == [
            "INV-2026-000001", "INV-2026-000003",
        ]  # fmt: skip
        assert [(i.number, i.status) for i in billing.invoices("zeta")] == [
            ("INV-2026-000002", "void")
        ]

    def test_numbers_taken_in_a_rolled_back_unit_of_work_are_given_again(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        uow = billing.uow
        with uow:
            assert uow.sequences.next_number("INV", 2026) == "INV-2026-000001"
        with uow:
            first = uow.sequences.next_number("INV", 2026)
            second = uow.sequences.next_number("INV", 2026)
            uow.commit()
        with uow:
            third = uow.sequences.next_number("INV", 2026)
            other = uow.sequences.next_number("CN", 2026)
            next_year = uow.sequences.next_number("INV", 2027)

        assert (first, second, third) == ("INV-2026-000001", "INV-2026-000002", "INV-2026-000003")
        assert (other, next_year) == ("CN-2026-000001", "INV-2027-000001")
