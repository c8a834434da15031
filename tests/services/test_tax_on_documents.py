"""Billing details and tax on documents, through the services, on each store.

The default catalog (`service_builders`) plus a French seller: France 20 % (21 % from
2026-02-10 in the rate-change tests, a made-up rate), Germany 19 %, reverse charge in the EU.
Basic costs 3.00 a seat a month, Pro 6.00; the clock starts on 2026-01-31 10:00 UTC and on
2026-02-14 10:00 half of the 28-day first period is unused.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from service_builders import MID_FEBRUARY, Billing, eur, policy, utc

from tierline.domain.account import Account
from tierline.domain.journal import REVENUE, tax_ledger
from tierline.domain.tax import TaxLine, TaxTreatment
from tierline.errors import Invalid, InvalidTaxId
from tierline.services.accounts import UpdateAccount, update_account
from tierline.taxids import TaxId, TaxIdConfirmation

SELLER = {
    "name": "Association Software SAS",
    "address": ["12 rue Oberkampf", "75011 Paris"],
    "country": "FR",
    "tax_id": "FR40303265045",
}
EU = ["AT", "BE", "DE", "ES", "FR", "IT", "NL"]


def tax_rules(prices: str = "exclusive", *, french_change: datetime | None = None) -> Any:
    france: list[dict[str, Any]] = [{"country": "FR", "rate": "20"}]
    if french_change is not None:
        day = french_change.date()
        france = [
            {"country": "FR", "rate": "20", "until": day},
            {"country": "FR", "rate": "21", "from": day},
        ]
    return {
        "prices": prices,
        "rates": [*france, {"country": "DE", "rate": "19"}],
        "reverse_charge": EU,
        "otherwise": "0",
    }


def details(billing: Billing, account: str = "acme", **fields: Any) -> Account:
    return update_account(UpdateAccount(account, **fields), uow=billing.uow)


def taxes(lines: tuple[TaxLine, ...]) -> list[tuple[str, str, str, str]]:
    return [(str(t.rate), t.category, str(t.taxable), str(t.amount)) for t in lines]


class TestBillingDetails:
    def test_tax_id_is_stored_in_its_compact_form_with_the_address(
        self, billing: Billing, acme: Account
    ) -> None:
        saved = details(
            billing, country="de", tax_id="DE 136 695 976", address=["Hauptstr. 1", "10115 Berlin"]
        )
        assert (saved.country, saved.tax_id, saved.address) == (
            "DE", "DE136695976", ("Hauptstr. 1", "10115 Berlin"),
        )  # fmt: skip
        with billing.uow:
            assert billing.uow.accounts.get("acme") == saved

    def test_invalid_tax_id_is_refused_naming_the_field(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(InvalidTaxId) as refused:
            details(billing, country="DE", tax_id="DE136695977")  # a wrong check digit
        assert (refused.value.code, refused.value.param) == ("invalid_tax_id", "tax_id")
        with billing.uow:
            assert billing.uow.accounts.get("acme").tax_id is None

    def test_a_tax_id_needs_a_country(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(Invalid) as refused:
            details(billing, tax_id="DE136695976")
        assert refused.value.param == "country"

    def test_moving_country_checks_the_tax_id_again(self, billing: Billing, acme: Account) -> None:
        details(billing, country="DE", tax_id="DE136695976")
        with pytest.raises(InvalidTaxId):
            details(billing, country="FR")
        assert details(billing, country="FR", tax_id="").tax_id is None

    def test_unknown_country_code_is_refused(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(Invalid) as refused:
            details(billing, country="XX")
        assert (refused.value.code, refused.value.param) == ("invalid_country", "country")

    def test_a_registry_that_knows_the_vat_number_unregistered_refuses_it(
        self, billing: Billing, acme: Account
    ) -> None:
        class Registry:
            def __init__(self, registered: bool | None) -> None:
                self.registered = registered
                self.asked: list[str] = []

            def confirm(self, tax_id: TaxId, *, requester: TaxId | None = None) -> Any:
                self.asked.append(tax_id.number)
                return TaxIdConfirmation(tax_id.number, self.registered, utc(2026, 1, 31))

        unregistered = Registry(False)
        with pytest.raises(InvalidTaxId):
            update_account(
                UpdateAccount("acme", country="DE", tax_id="DE136695976"),
                uow=billing.uow, registry=unregistered,
            )  # fmt: skip
        assert unregistered.asked == ["DE136695976"]
        unreachable = Registry(None)  # the offline check stands when the registry cannot answer
        saved = update_account(
            UpdateAccount("acme", country="DE", tax_id="DE136695976"),
            uow=billing.uow, registry=unreachable,
        )  # fmt: skip
        assert saved.tax_id == "DE136695976"


class TestTaxOnInvoices:
    def test_french_consumer_invoice_adds_20_percent_once_per_rate(self, billing: Billing) -> None:
        """10 seats × 3.00 = 30.00 net; 6.00 tax; 36.00 charged."""
        billing.install(seller=SELLER, tax=tax_rules())
        billing.account()
        details(billing, country="FR")
        billing.subscribe(edition="basic", quantity=10)
        (invoice,) = billing.invoices()
        assert taxes(invoice.tax) == [("20", "standard", "30.00", "6.00")]
        assert (invoice.subtotal, invoice.tax_total, invoice.gross, invoice.total) == (
            eur("30.00"), eur("6.00"), eur("36.00"), eur("36.00"),
        )  # fmt: skip
        assert [line.tax for line in invoice.lines] == [TaxTreatment(Decimal(20), "standard")]
        assert [p.amount for p in billing.payments()] == [eur("36.00")]
        assert invoice.parties is not None and invoice.parties.seller is not None
        assert invoice.parties.seller.tax_id == "FR40303265045"

    def test_reverse_charge_for_valid_eu_business_id_charges_zero_with_the_category(
        self, billing: Billing
    ) -> None:
        billing.install(seller=SELLER, tax=tax_rules())
        billing.account()
        details(billing, country="DE", tax_id="DE136695976", address=["Hauptstr. 1"])
        billing.subscribe(edition="basic", quantity=10)
        (invoice,) = billing.invoices()
        assert taxes(invoice.tax) == [("0", "reverse_charge", "30.00", "0.00")]
        assert invoice.tax[0].mention == "Reverse charge"
        assert invoice.parties is not None
        assert invoice.parties.buyer.tax_id == "DE136695976"
        assert invoice.total == eur("30.00")

    def test_german_consumer_pays_german_vat(self, billing: Billing) -> None:
        """30.00 × 19 % = 5.70."""
        billing.install(seller=SELLER, tax=tax_rules())
        billing.account()
        details(billing, country="DE")
        billing.subscribe(edition="basic", quantity=10)
        assert taxes(billing.invoices()[0].tax) == [("19", "standard", "30.00", "5.70")]

    def test_inclusive_prices_find_the_tax_inside_the_gross(self, billing: Billing) -> None:
        """7 seats × 3.00 = 21.00 tax included: 21.00 × 20/120 = 3.50 tax, 17.50 taxable."""
        billing.install(seller=SELLER, tax=tax_rules("inclusive"))
        billing.account()
        details(billing, country="FR")
        billing.subscribe(edition="basic", quantity=7)
        (invoice,) = billing.invoices()
        assert taxes(invoice.tax) == [("20", "standard", "17.50", "3.50")]
        assert invoice.gross == invoice.subtotal == eur("21.00")
        assert invoice.tax[0].taxable + invoice.tax[0].amount == invoice.gross

    def test_without_a_catalog_tax_documents_carry_none(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.install()
        billing.subscribe(edition="basic", quantity=10)
        (invoice,) = billing.invoices()
        assert (invoice.tax, invoice.gross, invoice.total) == ((), eur("30.00"), eur("30.00"))


class TestCreditsAfterARateChange:
    def test_credit_note_keeps_the_rate_of_the_invoice_it_credits(self, billing: Billing) -> None:
        """Invoice at 20 % on Jan 31: 30.00 + 6.00. On Feb 14 (21 % since Feb 10) an upgrade
        restarts: the note credits 15.00 at 20 % (3.00 tax, 18.00); the new month 60.00 at 21 %
        = 12.60 tax, 72.60 − 18.00 = 54.60 charged."""
        billing.install(
            seller=SELLER, tax=tax_rules(french_change=utc(2026, 2, 10)),
            policies={"upgrade": policy(proration="restart", credit_to="credit_note")},
        )  # fmt: skip
        billing.account()
        details(billing, country="FR")
        billing.subscribe(edition="basic", quantity=10, trial=False)
        billing.advance(MID_FEBRUARY)
        billing.change(edition="pro")
        (note,) = billing.credit_notes()
        assert taxes(note.tax) == [("20", "standard", "15.00", "3.00")]
        assert note.total == eur("18.00")
        upgrade = billing.invoices()[-1]
        assert taxes(upgrade.tax) == [("21", "standard", "60.00", "12.60")]
        assert (upgrade.credits_applied, upgrade.total) == (eur("18.00"), eur("54.60"))

    def test_credit_on_the_same_invoice_is_taxed_at_the_rate_it_was_charged(
        self, billing: Billing
    ) -> None:
        """Prorate on the invoice: −15.00 at 20 % (−3.00) and +30.00 at 21 % (6.30): two tax
        lines, 18.30 charged."""
        billing.install(
            seller=SELLER, tax=tax_rules(french_change=utc(2026, 2, 10)),
            policies={"upgrade": policy(proration="prorate", credit_to="invoice")},
        )  # fmt: skip
        billing.account()
        details(billing, country="FR")
        billing.subscribe(edition="basic", quantity=10, trial=False)
        billing.advance(MID_FEBRUARY)
        preview = billing.preview(edition="pro")
        billing.change(edition="pro")
        upgrade = billing.invoices()[-1]
        assert taxes(upgrade.tax) == [
            ("21", "standard", "30.00", "6.30"),
            ("20", "standard", "-15.00", "-3.00"),
        ]
        assert upgrade.total == preview.total_now == eur("18.30")

    def test_a_credit_note_never_credits_more_tax_than_its_invoice_charged(
        self, billing: Billing
    ) -> None:
        """Two restarts in the same period: each note credits from the first invoice's 6.00."""
        billing.install(
            seller=SELLER, tax=tax_rules(),
            policies={"upgrade": policy(proration="restart", credit_to="credit_note"),
                      "downgrade": policy(proration="restart", credit_to="credit_note")},
        )  # fmt: skip
        billing.account()
        details(billing, country="FR")
        billing.subscribe(edition="basic", quantity=10, trial=False)
        billing.advance(MID_FEBRUARY)
        billing.change(edition="pro")
        billing.advance(utc(2026, 2, 15, 10))
        billing.change(edition="basic")
        by_invoice: dict[str | None, Decimal] = {}
        for note in billing.credit_notes():
            by_invoice[note.invoice_number] = by_invoice.get(note.invoice_number, Decimal(0)) + (
                note.tax_total
            )
        for invoice in billing.invoices():
            assert by_invoice.get(invoice.number, Decimal(0)) <= invoice.tax_total


class TestTaxInTheJournal:
    def test_journal_records_tax_owed_per_rate_and_every_entry_balances(
        self, billing: Billing
    ) -> None:
        """Invoice 36.00 = 30.00 revenue + 6.00 owed at 20 %; the note takes back 15.00 and
        3.00; the usage of 100 SMS (5.00 + 1.00) is paid from a 10.00 top-up."""
        billing.install(
            seller=SELLER, tax=tax_rules(),
            policies={"upgrade": policy(proration="restart", credit_to="credit_note")},
        )  # fmt: skip
        billing.account()
        details(billing, country="FR")
        billing.subscribe(edition="basic", quantity=10, trial=False)
        billing.advance(MID_FEBRUARY)
        billing.change(edition="pro")
        billing.top_up("10.00")
        assert billing.usage(100) == eur("5.00")
        assert billing.balance() == eur("4.00")
        entries = billing.journal()
        for entry in entries:
            assert sum((line.amount for line in entry.lines), Decimal(0)) == 0
        owed = -sum(
            (line.amount for e in entries for line in e.lines if line.ledger == tax_ledger(
                Decimal(20))),
            Decimal(0),
        )  # fmt: skip
        # 6.00 (first invoice) − 3.00 (note) + 12.00 (Pro month, 60.00) + 1.00 (usage)
        assert owed == eur("16.00")
        revenue = -sum(
            (line.amount for e in entries for line in e.lines if line.ledger == REVENUE),
            Decimal(0),
        )
        assert revenue == eur("30.00") - eur("15.00") + eur("60.00") + eur("5.00")

    def test_usage_paid_from_the_balance_needs_the_gross(self, billing: Billing) -> None:
        """100 SMS: 5.00 + 1.00 tax; a 10.00 balance pays it, 4.00 does not pay it again."""
        billing.install(seller=SELLER, tax=tax_rules())
        billing.account()
        details(billing, country="FR")
        billing.subscribe(edition="basic", quantity=10, trial=False)
        billing.top_up("10.00")
        billing.usage(100)
        from tierline.errors import InsufficientBalance

        with pytest.raises(InsufficientBalance):
            billing.usage(100)
        assert billing.balance() == eur("4.00")
