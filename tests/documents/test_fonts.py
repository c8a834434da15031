"""The fonts are parsed once per process and shared by every document: each document still
embeds what it uses, whatever was rendered before it, byte for byte as fpdf2's own `add_font`."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from fpdf import FPDF
from test_pdf import MARCH, a_receipt, a_seller, an_account, an_invoice, pdf_text

from tierline.documents import render_invoice, render_receipt
from tierline.documents.layout import _BOLD, _REGULAR, FONT, _add_face
from tierline.domain.lines import Line

GREEK_AND_CYRILLIC = "Ελληνικά και Русский"


def _written(add: str, words: str) -> bytes:
    pdf = FPDF()
    if add == "fpdf2":
        pdf.add_font(FONT, "", _REGULAR)
        pdf.add_font(FONT, "B", _BOLD)
    else:
        _add_face(pdf, _REGULAR, "")
        _add_face(pdf, _BOLD, "B")
    pdf.set_creation_date(MARCH.start)
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.cell(text=words)
    pdf.set_font(FONT, "", 10)
    pdf.cell(text=words.upper())
    return bytes(pdf.output())


class TestSharedFonts:
    def test_a_shared_face_writes_the_same_bytes_as_fpdf2s_add_font(self) -> None:
        for words in ("Facture 1 250,00 €", "Hóa đơn 1.250 ₫", GREEK_AND_CYRILLIC):
            assert _written("shared", words) == _written("fpdf2", words), words

    def test_characters_beyond_the_usual_ones_are_embedded_too(self) -> None:
        account = replace(an_account("en"), name="Общество Ёлка")
        line = Line("addon", GREEK_AND_CYRILLIC, Decimal("50"), 1, Decimal("50"), MARCH)

        text = pdf_text(render_invoice(an_invoice(lines=(line,)), account, a_seller(), "EUR"))

        assert "Общество Ёлка" in text
        assert GREEK_AND_CYRILLIC in text

    def test_a_document_is_the_same_whatever_was_rendered_before_it(self) -> None:
        french = an_account("fr")
        first = render_receipt(a_receipt(), french, a_seller(), "EUR")

        other = replace(an_account("vi"), name="Hội Yêu Xe Đạp — Общество")
        render_invoice(an_invoice(), other, a_seller(), "VND")
        render_receipt(a_receipt(), other, a_seller(), "EUR")

        again = render_receipt(a_receipt(), french, a_seller(), "EUR")
        assert again == first
        assert "Reçu Numéro RCT-2026-000004" in pdf_text(again)
