"""Tax on PDF documents: seller and buyer with their tax ids, the tax once per rate, net / tax /
gross, and the reverse-charge mention, read back with a PDF text extractor."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from test_pdf import a_credit_note, a_seller, an_account, an_invoice, pdf_text

from tierline.documents import render_credit_note, render_invoice
from tierline.documents.labels import CATALOGUES
from tierline.domain.lines import Line
from tierline.domain.parties import Parties, Party
from tierline.domain.tax import TaxLine, TaxTreatment

SELLER = Party("Association Software SAS", "FR", ("12 rue Oberkampf", "75011 Paris"),
               "FR40303265045")  # fmt: skip
PARIS = Party("Camille Martin", "FR", ("3 rue des Lilas", "75020 Paris"))
BERLIN = Party("Club Berlin GmbH", "DE", ("Hauptstr. 1", "10115 Berlin"), "DE136695976")
STANDARD = TaxTreatment(Decimal(20), "standard")
REVERSE = TaxTreatment(Decimal(0), "reverse_charge")


def a_taxed_invoice(buyer: Party, treatment: TaxTreatment) -> object:
    """5 seats × 10.00 = 50.00 net; at 20 %: 10.00 tax, 60.00 gross; at 0 %: 50.00."""
    tax = Decimal("10.00") if treatment.rate else Decimal("0.00")
    line = Line("subscription", "Standard × 5 seats", Decimal("50.00"), 5, Decimal("10.00"),
                item="edition", tax=treatment)  # fmt: skip
    return an_invoice(
        lines=(line,), subtotal=Decimal("50.00"), credits_applied=Decimal(0),
        balance_applied=Decimal(0), total=Decimal("50.00") + tax,
        amount_paid=Decimal("50.00") + tax,
        tax=(TaxLine(treatment.rate, treatment.category, Decimal("50.00"), tax),),
        tax_prices="exclusive", parties=Parties(SELLER, buyer),
    )  # fmt: skip


class TestTaxedInvoice:
    def test_french_invoice_shows_the_tax_table_and_net_tax_gross(self) -> None:
        invoice = a_taxed_invoice(PARIS, STANDARD)
        text = pdf_text(render_invoice(invoice, an_account("fr"), a_seller(), "EUR"))  # type: ignore[arg-type]
        fr = CATALOGUES["fr"]
        for expected in (fr.category_standard, "20 %", "Total HT 50,00 €", "Total TVA 10,00 €",
                         "Total TTC 60,00 €", "3 rue des Lilas", "Camille Martin",
                         "Association Software SAS", "N° de TVA : FR40303265045"):  # fmt: skip
            assert expected in text.replace("N° de TVA: ", "N° de TVA : "), expected
        assert fr.mention_reverse_charge not in text

    def test_reverse_charge_for_valid_eu_business_id_shows_legal_mention(self) -> None:
        invoice = a_taxed_invoice(BERLIN, REVERSE)
        text = pdf_text(render_invoice(invoice, an_account("en"), a_seller(), "EUR"))  # type: ignore[arg-type]
        en = CATALOGUES["en"]
        assert en.mention_reverse_charge in text
        assert "VAT number: DE136695976" in text
        assert "Total incl. VAT €50.00" in text

    @pytest.mark.parametrize("language", ["en", "fr", "it", "vi"])
    def test_the_mention_and_tax_words_are_in_every_language(self, language: str) -> None:
        invoice = a_taxed_invoice(BERLIN, REVERSE)
        text = pdf_text(render_invoice(invoice, an_account(language), a_seller(), "EUR"))  # type: ignore[arg-type]
        words = CATALOGUES[language]
        for expected in (words.mention_reverse_charge, words.total_gross, words.taxable):
            assert expected in text, expected

    def test_the_buyer_printed_is_the_one_the_invoice_was_issued_to(self) -> None:
        invoice = a_taxed_invoice(BERLIN, REVERSE)
        moved = replace(an_account("en"), name="Renamed GmbH")
        text = pdf_text(render_invoice(invoice, moved, a_seller(), "EUR"))  # type: ignore[arg-type]
        assert "Club Berlin GmbH" in text and "Renamed GmbH" not in text


class TestTaxedCreditNote:
    def test_credit_note_prints_positive_amounts_with_its_tax(self) -> None:
        """24.19 credited at 20 %: 4.84 tax, 29.03 in all."""
        line = Line("proration_credit", "Unused time on Standard", Decimal("24.19"),
                    item="edition", tax=STANDARD)  # fmt: skip
        note = a_credit_note(
            lines=(line,), total=Decimal("29.03"), credit_to="credit_note",
            tax=(TaxLine(Decimal(20), "standard", Decimal("24.19"), Decimal("4.84")),),
            tax_prices="exclusive", parties=Parties(SELLER, PARIS),
            issued_at=datetime(2026, 3, 17, tzinfo=UTC),
        )  # fmt: skip
        text = pdf_text(render_credit_note(note, an_account("en"), a_seller(), "EUR"))
        assert "Total excl. VAT €24.19" in text
        assert "Total VAT €4.84" in text
        assert "Total credited €29.03" in text
        assert "-€" not in text and "−€" not in text
