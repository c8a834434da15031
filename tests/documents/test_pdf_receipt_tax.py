"""Tax on PDF receipts, read back with a PDF text extractor: a receipt for an invoice prints that
invoice's tax (once per rate and category), its net, tax and gross, and its reverse-charge
mention; a top-up's receipt says that no tax applies to a prepaid top-up; without tax, a receipt
is what it was."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import cast

import pytest
import test_pdf_tax
from test_pdf import VISA_4242, a_receipt, a_seller, an_account, an_invoice, pdf_text
from test_pdf_tax import BERLIN, PARIS, REVERSE, SELLER, STANDARD

from tierline.documents import render_receipt
from tierline.documents.labels import CATALOGUES
from tierline.domain.documents import Invoice, Receipt
from tierline.domain.lines import Line
from tierline.domain.parties import Parties, Party
from tierline.domain.tax import TaxTreatment


def a_taxed_invoice(buyer: Party, treatment: TaxTreatment) -> Invoice:
    """5 seats × 10.00 = 50.00 net; at 20 %: 10.00 tax, 60.00 gross; at 0 %: 50.00."""
    return cast(Invoice, test_pdf_tax.a_taxed_invoice(buyer, treatment))


def receipt_of(invoice: Invoice, buyer: Party) -> Receipt:
    """The receipt of `invoice`: its lines and what the card paid."""
    return a_receipt(
        invoice_number=invoice.number, lines=invoice.lines, amount_paid=invoice.total,
        parties=Parties(SELLER, buyer),
    )  # fmt: skip


def a_top_up_receipt() -> Receipt:
    return a_receipt(invoice_number=None, lines=(), amount_paid=Decimal("50.00"),
                     parties=Parties(SELLER, PARIS))  # fmt: skip


class TestAReceiptOfATaxedInvoice:
    def test_french_receipt_prints_the_invoices_tax_table_and_net_tax_gross(self) -> None:
        """5 seats × 10.00 = 50.00 net, 20 %: 10.00 tax, 60.00 gross, paid by card."""
        invoice = a_taxed_invoice(PARIS, STANDARD)
        receipt = receipt_of(invoice, PARIS)

        text = pdf_text(render_receipt(receipt, an_account("fr"), a_seller(), "EUR",
                                       invoice=invoice, taxed=True))  # fmt: skip

        fr = CATALOGUES["fr"]
        for expected in (
            "Facture réglée INV-2026-000001",
            "Facture INV-2026-000001",  # the heading of the invoice's tax
            f"{fr.tax} {fr.tax_rate} {fr.taxable} {fr.amount}",
            f"{fr.category_standard} 20 % 50,00 € 10,00 €",
            "Total HT 50,00 €",
            "Total TVA 10,00 €",
            "Total TTC 60,00 €",
            "Montant payé 60,00 €",
            "Camille Martin",
            "Association Software SAS",
        ):
            assert expected in text, expected
        assert fr.mention_reverse_charge not in text
        assert fr.top_up_untaxed not in text
        assert text.index("Total TTC") < text.index("Montant payé")

    def test_english_receipt_takes_the_figures_from_the_invoice_not_the_payment(self) -> None:
        """Half of the 60.00 gross paid from the balance: the receipt still shows the invoice's
        50.00 / 10.00 / 60.00, and the 30.00 the card paid."""
        invoice = replace(a_taxed_invoice(PARIS, STANDARD), balance_applied=Decimal("30.00"),
                          total=Decimal("30.00"), amount_paid=Decimal("30.00"))  # fmt: skip
        receipt = a_receipt(
            invoice_number=invoice.number, amount_paid=Decimal("30.00"),
            lines=(*invoice.lines, Line("proration_credit", "Paid from balance", Decimal("-30"))),
        )  # fmt: skip

        text = pdf_text(render_receipt(receipt, an_account("en"), a_seller(), "EUR",
                                       invoice=invoice, taxed=True))  # fmt: skip

        for expected in ("Standard rate 20 % €50.00 €10.00", "Total excl. VAT €50.00",
                         "Total VAT €10.00", "Total incl. VAT €60.00", "Credits and balance",
                         "Amount paid €30.00"):  # fmt: skip
            assert expected in text, expected

    def test_a_receipt_of_an_inclusive_invoice_prints_its_net_below_its_gross(self) -> None:
        """60.00 tax included at 20 %: 10.00 of tax, 50.00 net."""
        invoice = replace(
            a_taxed_invoice(PARIS, STANDARD),
            subtotal=Decimal("60.00"), tax_prices="inclusive",
        )  # fmt: skip
        text = pdf_text(render_receipt(receipt_of(invoice, PARIS), an_account("en"), a_seller(),
                                       "EUR", invoice=invoice))  # fmt: skip

        assert "Total excl. VAT €50.00" in text
        assert "Total incl. VAT €60.00" in text


class TestAReceiptOfAReverseChargedInvoice:
    @pytest.mark.parametrize(
        ("language", "gross", "paid"),
        [("en", "Total incl. VAT €50.00", "Amount paid €50.00"),
         ("it", "Totale IVA inclusa 50,00 €", "Importo pagato 50,00 €")],
    )  # fmt: skip
    def test_the_receipt_has_the_legal_mention_and_the_buyers_vat_number(
        self, language: str, gross: str, paid: str
    ) -> None:
        invoice = a_taxed_invoice(BERLIN, REVERSE)
        receipt = receipt_of(invoice, BERLIN)

        text = pdf_text(render_receipt(receipt, an_account(language), a_seller(), "EUR",
                                       invoice=invoice, taxed=True))  # fmt: skip

        words = CATALOGUES[language]
        assert words.mention_reverse_charge in text
        assert f"{words.category_reverse_charge} 0 %" in text
        assert "DE136695976" in text and "Club Berlin GmbH" in text
        assert gross in text, text
        assert paid in text

    @pytest.mark.parametrize("language", ["en", "fr", "it", "vi"])
    def test_the_mention_and_tax_words_are_in_every_language(self, language: str) -> None:
        invoice = a_taxed_invoice(BERLIN, REVERSE)
        receipt = receipt_of(invoice, BERLIN)

        text = pdf_text(render_receipt(receipt, an_account(language), a_seller(), "EUR",
                                       invoice=invoice))  # fmt: skip

        words = CATALOGUES[language]
        for expected in (words.mention_reverse_charge, words.total_net, words.total_tax,
                         words.total_gross, words.taxable):  # fmt: skip
            assert expected in text, expected


class TestATopUpReceipt:
    @pytest.mark.parametrize(
        ("language", "words"),
        [("en", ("Balance top-up", "No VAT applies to a prepaid top-up", "Amount paid €50.00")),
         ("fr", ("Recharge du solde", "Aucune TVA ne s'applique à une recharge prépayée",
                 "Montant payé 50,00 €"))],
    )  # fmt: skip
    def test_says_no_tax_applies_to_a_prepaid_top_up(
        self, language: str, words: tuple[str, ...]
    ) -> None:
        text = pdf_text(render_receipt(a_top_up_receipt(), an_account(language), a_seller(),
                                       "EUR", method=VISA_4242, taxed=True))  # fmt: skip

        labels = CATALOGUES[language]
        assert labels.top_up_untaxed in text
        for expected in words:
            assert expected in text, expected
        for absent in (labels.total_net, labels.total_tax, labels.total_gross, labels.taxable):
            assert absent not in text, absent

    @pytest.mark.parametrize("language", ["en", "fr", "it", "vi"])
    def test_the_words_are_in_every_language(self, language: str) -> None:
        text = pdf_text(render_receipt(a_top_up_receipt(), an_account(language), a_seller(),
                                       "EUR", taxed=True))  # fmt: skip

        assert CATALOGUES[language].top_up_untaxed in text


class TestWithoutTax:
    """A catalog without `tax`: invoices carry none, and a receipt is byte for byte what it was."""

    def test_a_receipt_of_an_invoice_without_tax_is_unchanged(self) -> None:
        invoice = an_invoice(number="INV-2026-000003")
        receipt = a_receipt()

        before = render_receipt(receipt, an_account("it"), a_seller(), "EUR", method=VISA_4242)
        after = render_receipt(receipt, an_account("it"), a_seller(), "EUR", method=VISA_4242,
                               invoice=invoice, taxed=False)  # fmt: skip

        assert after == before

    def test_a_top_up_receipt_is_unchanged(self) -> None:
        receipt = a_top_up_receipt()

        before = render_receipt(receipt, an_account("fr"), a_seller(), "EUR")
        after = render_receipt(receipt, an_account("fr"), a_seller(), "EUR", taxed=False)

        assert after == before
        assert CATALOGUES["fr"].top_up_untaxed not in pdf_text(after)


def test_a_receipt_is_not_printed_with_another_invoices_tax() -> None:
    invoice = a_taxed_invoice(PARIS, STANDARD)
    receipt = a_receipt(invoice_number="INV-2026-000009")

    with pytest.raises(ValueError, match="INV-2026-000009"):
        render_receipt(receipt, an_account("en"), a_seller(), "EUR", invoice=invoice)
