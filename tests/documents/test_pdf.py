"""PDF invoices, credit notes and receipts, read back with a PDF text extractor."""

from __future__ import annotations

import io
import re
import string
import unicodedata
from dataclasses import fields, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import get_args

import pytest
from pypdf import PdfReader

from tierline.documents import (
    CATALOGUES,
    SUPPORTED_LANGUAGES,
    Seller,
    labels_for,
    render_credit_note,
    render_invoice,
    render_receipt,
)
from tierline.documents.formatting import Formatter
from tierline.documents.labels import EN
from tierline.domain.account import Account, PaymentMethod
from tierline.domain.documents import CreditNote, Invoice, Receipt
from tierline.domain.lines import Line, LineKind
from tierline.domain.periods import Period

MARCH = Period(datetime(2026, 3, 5, tzinfo=UTC), datetime(2026, 4, 5, tzinfo=UTC))
UPGRADE = Period(datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 4, 20, tzinfo=UTC))
UNUSED = Period(datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 4, 5, tzinfo=UTC))


# -- builders ---------------------------------------------------------------------------------


def a_seller() -> Seller:
    return Seller(
        name="Tierline Demo SAS",
        address=("12 rue de la Paix", "75002 Paris"),
        email="billing@example.com",
        tax_id="FR12345678901",
    )


def an_account(locale: str = "en", currency: str = "EUR", timezone: str = "UTC") -> Account:
    return Account(
        id="acc_demo",
        name="Les Amis du Vélo",
        currency=currency,
        timezone=timezone,
        locale=locale,
        billing_email="tresorier@example.org",
    )


def an_invoice(scale: int = 1, **changes: object) -> Invoice:
    """10 seats at 125 for March: subtotal 1250, less 50 of credit and 200 of balance."""

    def m(value: str) -> Decimal:
        return Decimal(value) * scale

    invoice = Invoice(
        id="inv_1",
        account_id="acc_demo",
        number="INV-2026-000001",
        subscription_id="sub_1",
        reason="renewal",
        status="paid",
        issued_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
        due_at=datetime(2026, 3, 8, 9, 0, tzinfo=UTC),
        lines=(
            Line("subscription", "Professional edition", m("1250"), 10, m("125"), MARCH, "edition"),
        ),
        subtotal=m("1250"),
        credits_applied=m("50"),
        balance_applied=m("200"),
        total=m("1000"),
        amount_paid=m("1000"),
        paid_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
    )
    return replace(invoice, **changes)  # type: ignore[arg-type]


def a_credit_note(**changes: object) -> CreditNote:
    note = CreditNote(
        id="cn_1",
        account_id="acc_demo",
        number="CN-2026-000002",
        invoice_number="INV-2026-000001",
        applied_to="INV-2026-000003",
        credit_to="refund",
        issued_at=datetime(2026, 3, 20, tzinfo=UTC),
        lines=(Line("refund", "Unused time on Starter", Decimal("-83.33"), period=UNUSED),),
        total=Decimal("-83.33"),
    )
    return replace(note, **changes)  # type: ignore[arg-type]


VISA_4242 = PaymentMethod(id="pm_visa_4242", account_id="acc_demo", token="tok_4242",
                          brand="visa", last4="4242", is_primary=True)  # fmt: skip


def a_receipt(**changes: object) -> Receipt:
    """Seed 003: upgrade to Growth at full price, the unused Starter time refunded, net paid."""
    receipt = Receipt(
        id="rct_1",
        account_id="acc_demo",
        number="RCT-2026-000004",
        invoice_number="INV-2026-000003",
        payment_method="pm_visa_4242",
        issued_at=datetime(2026, 3, 20, tzinfo=UTC),
        lines=(
            Line("subscription", "Growth plan", Decimal("499"), 1, Decimal("499"), UPGRADE),
            Line("refund", "Refund for unused time (CN-2026-000002)", Decimal("-83.33")),
        ),
        amount_paid=Decimal("415.67"),
    )
    return replace(receipt, **changes)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    """The text of every page, spaces of every kind (no-break, narrow, thin) made one space."""
    reader = PdfReader(io.BytesIO(data))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    return squash(raw)


def squash(value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    return re.sub(r"\s+", " ", value.replace("\u00a0", " ").replace("\u202f", " ")).strip()


# -- invoices ---------------------------------------------------------------------------------


class TestInvoice:
    def test_french_invoice_shows_lines_totals_and_dates_in_french(self) -> None:
        text = pdf_text(render_invoice(an_invoice(), an_account("fr"), a_seller(), "EUR"))

        assert text.startswith("Facture")
        for expected in (
            "Numéro INV-2026-000001",
            "Date d'émission 5 mars 2026",
            "Date d'échéance 8 mars 2026",
            "Statut Payée le 5 mars 2026",
            "Professional edition Abonnement",
            "5 mars – 5 avr. 2026 10 125,00 € 1 250,00 €",
            "Sous-total 1 250,00 €",
            "Avoirs imputés -50,00 €",
            "Solde utilisé -200,00 €",
            "Total 1 000,00 €",
            "Montant payé 1 000,00 €",
        ):
            assert expected in text

    def test_babel_spaces_are_no_break_spaces_that_the_extractor_keeps_as_spaces(self) -> None:
        fmt = Formatter.of("fr", "UTC", "EUR")

        assert fmt.money(Decimal("1250")) == "1\u202f250,00\u00a0€"
        assert squash(fmt.money(Decimal("1250"))) == "1 250,00 €"

    def test_vietnamese_invoice_prints_dong_without_decimals(self) -> None:
        invoice = an_invoice(scale=1000)
        account = an_account("vi", "VND", "Asia/Ho_Chi_Minh")

        text = pdf_text(render_invoice(invoice, account, a_seller(), "VND"))

        assert text.startswith("Hóa đơn")
        assert "Số INV-2026-000001" in text
        assert "Hạn thanh toán 8 tháng 3, 2026" in text
        assert "125.000 ₫ 1.250.000 ₫" in text
        assert "Tạm tính 1.250.000 ₫" in text
        assert "Tổng cộng 1.000.000 ₫" in text

    def test_italian_invoice(self) -> None:
        text = pdf_text(render_invoice(an_invoice(), an_account("it"), a_seller(), "EUR"))

        assert text.startswith("Fattura")
        assert "Subtotale 1.250,00 €" in text
        assert "Totale 1.000,00 €" in text
        assert "Importo pagato 1.000,00 €" in text
        assert "Stato Pagata il 5 marzo 2026" in text

    def test_open_invoice_shows_due_date_and_amount_due(self) -> None:
        invoice = an_invoice(status="open", paid_at=None, amount_paid=Decimal(0))

        text = pdf_text(render_invoice(invoice, an_account("en"), a_seller(), "USD"))

        assert "Status Open" in text
        assert "Due date March 8, 2026" in text
        assert "Amount paid $0.00" in text
        assert "Amount due $1,000.00" in text

    def test_dates_are_the_days_of_the_accounts_timezone(self) -> None:
        late = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
        invoice = an_invoice(issued_at=late, paid_at=late)

        paris = pdf_text(render_invoice(invoice, an_account("en", timezone="Europe/Paris"),
                                        a_seller(), "EUR"))  # fmt: skip
        la = pdf_text(render_invoice(invoice, an_account("en", timezone="America/Los_Angeles"),
                                     a_seller(), "EUR"))  # fmt: skip

        assert "Issue date March 6, 2026" in paris
        assert "Issue date March 5, 2026" in la

    def test_seller_and_buyer_are_printed(self) -> None:
        text = pdf_text(render_invoice(an_invoice(), an_account("en"), a_seller(), "EUR"))

        for expected in (
            "From Tierline Demo SAS",
            "12 rue de la Paix",
            "VAT number: FR12345678901",
            "Bill to Les Amis du Vélo",
            "tresorier@example.org",
            "Account: acc_demo",
        ):
            assert expected in text

    def test_currency_defaults_to_the_accounts(self) -> None:
        text = pdf_text(render_invoice(an_invoice(), an_account("en", "USD"), a_seller()))

        assert "Total $1,000.00" in text

    def test_text_is_extractable_and_no_page_is_an_image(self) -> None:
        data = render_invoice(an_invoice(), an_account("fr"), a_seller(), "EUR")

        reader = PdfReader(io.BytesIO(data))
        assert all(not page.images for page in reader.pages)
        assert reader.metadata is not None and reader.metadata.title == "Facture INV-2026-000001"

    def test_same_invoice_renders_to_the_same_bytes(self) -> None:
        account = an_account("it")

        first = render_invoice(an_invoice(), account, a_seller(), "EUR")
        assert render_invoice(an_invoice(), account, a_seller(), "EUR") == first

    def test_many_lines_continue_on_a_second_page_with_totals_at_the_end(self) -> None:
        lines = tuple(
            Line("usage", f"SMS batch {n}", Decimal("1.50"), 100, Decimal("0.015"), MARCH)
            for n in range(40)
        )
        invoice = an_invoice(lines=lines, subtotal=Decimal("60"), credits_applied=Decimal(0),
                             balance_applied=Decimal(0), total=Decimal("60"),
                             amount_paid=Decimal("60"))  # fmt: skip

        data = render_invoice(invoice, an_account("en"), a_seller(), "EUR")

        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) >= 2
        last = squash(reader.pages[-1].extract_text())
        assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
        assert "Total €60.00" in last
        assert "SMS batch 39" in pdf_text(data)

    def test_unit_amounts_keep_their_sub_cent_digits(self) -> None:
        line = Line("usage", "SMS", Decimal("1.50"), 100, Decimal("0.015"), MARCH)
        invoice = an_invoice(lines=(line,))

        text = pdf_text(render_invoice(invoice, an_account("en"), a_seller(), "EUR"))

        assert "100 €0.015 €1.50" in text

    def test_decomposed_text_is_printed_composed(self) -> None:
        decomposed = unicodedata.normalize("NFD", "Gói nâng cấp")
        line = Line("addon", decomposed, Decimal("50"), 1, Decimal("50"), MARCH)
        invoice = an_invoice(lines=(line,))

        text = pdf_text(render_invoice(invoice, an_account("vi"), a_seller(), "EUR"))

        assert "Gói nâng cấp Gói bổ sung" in text


# -- credit notes -----------------------------------------------------------------------------


class TestCreditNote:
    def test_credit_note_shows_the_invoice_it_credits_and_where_the_credit_went(self) -> None:
        text = pdf_text(render_credit_note(a_credit_note(), an_account("fr"), a_seller(), "EUR"))

        assert text.startswith("Avoir")
        for expected in (
            "Numéro CN-2026-000002",
            "Avoir sur la facture INV-2026-000001",
            "Crédit imputé sur Facture INV-2026-000003",
            "Reliquat éventuel Remboursé sur le moyen de paiement",
            "Unused time on Starter Remboursement",
            "20 mars – 5 avr. 2026",
            "Total de l'avoir 83,33 €",
        ):
            assert expected in text

    def test_credit_to_balance_says_the_account_balance(self) -> None:
        note = a_credit_note(credit_to="balance", applied_to=None)

        text = pdf_text(render_credit_note(note, an_account("en"), a_seller(), "USD"))

        assert "Credit applied to Account balance" in text
        assert "Total credited $83.33" in text

    def test_credit_note_not_yet_applied_waits_for_the_next_invoice(self) -> None:
        note = a_credit_note(credit_to="credit_note", applied_to=None)

        text = pdf_text(render_credit_note(note, an_account("it"), a_seller(), "EUR"))

        assert text.startswith("Nota di credito")
        assert "Credito applicato a La prossima fattura" in text


# -- receipts ---------------------------------------------------------------------------------


class TestReceipt:
    def test_italian_receipt_shows_new_plan_refund_of_old_plan_and_amount_paid(self) -> None:
        text = pdf_text(
            render_receipt(a_receipt(), an_account("it"), a_seller(), "EUR", method=VISA_4242)
        )

        assert text.startswith("Ricevuta")
        for expected in (
            "Numero RCT-2026-000004",
            "Fattura saldata INV-2026-000003",
            "Metodo di pagamento Visa che termina con 4242",
            "Piano acquistato",
            "Growth plan Abbonamento 20 mar – 20 apr 2026 1 499,00 € 499,00 €",
            "Rimborso del piano precedente",
            "Refund for unused time (CN-2026-000002) Rimborso -83,33 €",
            "Importo pagato 415,67 €",
        ):
            assert expected in text
        assert text.index("Piano acquistato") < text.index("Rimborso del piano precedente")

    def test_refund_larger_than_the_new_plan_shows_the_rest_refunded(self) -> None:
        receipt = a_receipt(
            lines=(
                Line("subscription", "Basic plan", Decimal("100"), 1, Decimal("100"), UPGRADE),
                Line("refund", "Refund for unused time", Decimal("-150")),
                Line("refund", "Refunded to the card", Decimal("50")),
            ),
            amount_paid=Decimal(0),
            refunded=Decimal("50"),
        )

        text = pdf_text(render_receipt(receipt, an_account("en"), a_seller(), "USD"))

        assert "Refund for the previous plan" in text
        assert "Refund for unused time Refund -$150.00" in text
        assert "Amount paid $0.00" in text
        assert "Refunded $50.00" in text

    def test_credits_and_balance_lines_have_their_own_section(self) -> None:
        receipt = a_receipt(
            lines=(
                Line("subscription", "Growth plan", Decimal("499"), 1, Decimal("499"), UPGRADE),
                Line("proration_credit", "Paid from balance", Decimal("-99")),
            ),
            amount_paid=Decimal("400"),
        )

        text = pdf_text(render_receipt(receipt, an_account("fr"), a_seller(), "EUR"))

        assert "Reçu" in text
        assert "Crédits et solde" in text
        assert "Paid from balance" in text
        assert "Remboursement de l'ancienne formule" not in text
        assert "Montant payé 400,00 €" in text

    @pytest.mark.parametrize(
        ("locale", "words", "method"),
        [("en", ("Balance top-up", "Amount paid €50.00"), "Visa ending in 4242"),
         ("fr", ("Recharge du solde", "Montant payé 50,00 €"), "Visa se terminant par 4242")],
    )  # fmt: skip
    def test_a_top_up_receipt_names_the_top_up_the_method_and_the_amount_paid(
        self, locale: str, words: tuple[str, str], method: str
    ) -> None:
        receipt = a_receipt(invoice_number=None, lines=(), amount_paid=Decimal("50.00"))

        text = pdf_text(
            render_receipt(receipt, an_account(locale), a_seller(), "EUR", method=VISA_4242)
        )

        assert all(expected in text for expected in words), text
        assert method in text
        assert "pm_visa_4242" not in text
        assert EN.plan_bought not in text and "INV-" not in text

    def test_a_method_no_longer_on_file_is_not_named_by_its_id(self) -> None:
        text = pdf_text(render_receipt(a_receipt(), an_account("en"), a_seller(), "EUR"))

        assert "pm_visa_4242" not in text
        assert "Payment method" not in text

    def test_vietnamese_receipt(self) -> None:
        receipt = a_receipt(
            lines=(
                Line("subscription", "Growth", Decimal("499000"), 1, Decimal("499000"), UPGRADE),
                Line("refund", "Refund for unused time", Decimal("-83000")),
            ),
            amount_paid=Decimal("416000"),
        )
        account = an_account("vi", "VND", "Asia/Ho_Chi_Minh")

        text = pdf_text(render_receipt(receipt, account, a_seller(), "VND"))

        assert text.startswith("Biên lai")
        assert "Hoàn tiền gói cũ" in text
        assert "-83.000 ₫" in text
        assert "Số tiền đã thanh toán 416.000 ₫" in text


# -- locales and labels -----------------------------------------------------------------------


def _placeholders(value: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(value) if name}


class TestLabels:
    def test_english_french_italian_and_vietnamese_are_supported(self) -> None:
        assert set(SUPPORTED_LANGUAGES) >= {"en", "fr", "it", "vi"}

    @pytest.mark.parametrize("language", sorted(CATALOGUES))
    def test_every_label_is_translated_with_the_same_placeholders(self, language: str) -> None:
        labels = CATALOGUES[language]
        for field in fields(labels):
            value = getattr(labels, field.name)
            english = getattr(EN, field.name)
            assert isinstance(value, str) and value.strip(), f"{language}.{field.name} is empty"
            assert _placeholders(value) == _placeholders(english), f"{language}.{field.name}"
            assert unicodedata.is_normalized("NFC", value), f"{language}.{field.name} is not NFC"

    @pytest.mark.parametrize("language", sorted(set(CATALOGUES) - {"en"}))
    def test_labels_are_not_left_in_english(self, language: str) -> None:
        # "Total" is French too; Italian and Vietnamese join a label and its value as English does
        same_word = {"fr": {"total"}, "it": {"labelled"}, "vi": {"labelled"}}
        labels = CATALOGUES[language]
        untranslated = {
            field.name
            for field in fields(labels)
            if getattr(labels, field.name) == getattr(EN, field.name)
        }
        assert untranslated <= same_word.get(language, set())

    @pytest.mark.parametrize("language", sorted(CATALOGUES))
    def test_every_line_kind_has_a_name(self, language: str) -> None:
        labels = CATALOGUES[language]
        for kind in get_args(LineKind):
            assert labels.kind(kind)

    @pytest.mark.parametrize("language", sorted(CATALOGUES))
    def test_every_document_renders_its_words_in_every_language(self, language: str) -> None:
        labels = CATALOGUES[language]
        account = an_account(language)

        invoice = pdf_text(render_invoice(an_invoice(), account, a_seller(), "EUR"))
        note = pdf_text(render_credit_note(a_credit_note(), account, a_seller(), "EUR"))
        receipt = pdf_text(render_receipt(a_receipt(), account, a_seller(), "EUR"))

        for word in (labels.invoice, labels.subtotal, labels.credits_applied,
                     labels.balance_applied, labels.total, labels.amount_paid,
                     labels.kind_subscription, labels.page.format(page=1, pages=1)):  # fmt: skip
            assert squash(word) in invoice, word
        for word in (labels.credit_note, labels.credited_invoice, labels.total_credited,
                     labels.kind_refund):  # fmt: skip
            assert squash(word) in note, word
        for word in (labels.receipt, labels.plan_bought, labels.refund_old_plan,
                     labels.amount_paid):  # fmt: skip
            assert squash(word) in receipt, word

    @pytest.mark.parametrize("tag", ["de", "zz-bogus", "", "en_GB", "x"])
    def test_unsupported_or_unknown_locale_falls_back_to_english(self, tag: str) -> None:
        assert labels_for(tag) is EN

        text = pdf_text(render_invoice(an_invoice(), an_account(tag), a_seller(), "EUR"))

        assert text.startswith("Invoice")
        assert "Subtotal" in text
        assert "1,250.00" in text

    @pytest.mark.parametrize(
        ("tag", "title"),
        [("fr-CA", "Facture"), ("vi_VN", "Hóa đơn"), ("it_CH", "Fattura"), ("FR", "Facture")],
    )
    def test_a_regional_tag_prints_in_its_language(self, tag: str, title: str) -> None:
        assert labels_for(tag).invoice == title

    def test_unknown_timezone_prints_utc_days(self) -> None:
        late = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
        invoice = an_invoice(issued_at=late)

        text = pdf_text(render_invoice(invoice, an_account("en", timezone="Mars/Olympus"),
                                       a_seller(), "EUR"))  # fmt: skip

        assert "Issue date March 5, 2026" in text
