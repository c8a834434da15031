"""Line descriptions in the reader's language: every kind of line in English, French, Italian and
Vietnamese, with its figures and its unit in the right plural form, on the page and in the PDF."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from test_pdf import MARCH, a_receipt, a_seller, an_account, an_invoice, pdf_text

from tierline.documents import render_invoice, render_receipt
from tierline.documents.formatting import Formatter
from tierline.domain.lines import Line, LineKind, Topic, Wording


def a_line(
    kind: LineKind, topic: Topic, quantity: int | None = None, **wording: str | None
) -> Line:
    return Line(kind, "stored in English", Decimal("10"), quantity, None, MARCH,
                wording=Wording(topic, **wording))  # fmt: skip


def describe(
    locale: str, line: Line, units: dict[str, dict[str, dict[str, str]]] | None = None
) -> str:
    return Formatter.of(locale, "UTC", "EUR", units).describe(line)


PRO_SEATS = {"name": "Professional", "unit": "seat"}

# (kind, topic, quantity, wording) → the description in en, fr, it, vi
EXPECTED: list[tuple[LineKind, Topic, int | None, dict[str, str | None], dict[str, str]]] = [
    ("subscription", "item", 12, PRO_SEATS, {
        "en": "Professional × 12 seats",
        "fr": "Professional × 12 sièges",
        "it": "Professional × 12 postazioni",
        "vi": "Professional × 12 chỗ",
    }),
    ("subscription", "item", 1, PRO_SEATS, {
        "en": "Professional × 1 seat",
        "fr": "Professional × 1 siège",
        "it": "Professional × 1 postazione",
        "vi": "Professional × 1 chỗ",
    }),
    ("addon", "item", 2, {"name": "External user pack"}, {
        "en": "External user pack × 2",
        "fr": "External user pack × 2",
        "it": "External user pack × 2",
        "vi": "External user pack × 2",
    }),
    ("proration_charge", "remaining", 25, {"name": "Standard", "unit": "seat"}, {
        "en": "Remaining time on Standard × 25 seats",
        "fr": "Temps restant sur Standard × 25 sièges",
        "it": "Tempo residuo su Standard × 25 postazioni",
        "vi": "Thời gian còn lại của Standard × 25 chỗ",
    }),
    ("proration_credit", "unused", 10, {"name": "Standard", "unit": "seat"}, {
        "en": "Unused time on Standard × 10 seats",
        "fr": "Temps non utilisé sur Standard × 10 sièges",
        "it": "Tempo non utilizzato su Standard × 10 postazioni",
        "vi": "Thời gian chưa sử dụng của Standard × 10 chỗ",
    }),
    ("refund", "credit", None, {"reference": "CN-2026-000001"}, {
        "en": "Refund for unused time (CN-2026-000001)",
        "fr": "Remboursement du temps non utilisé (CN-2026-000001)",
        "it": "Rimborso per il tempo non utilizzato (CN-2026-000001)",
        "vi": "Hoàn tiền cho thời gian chưa sử dụng (CN-2026-000001)",
    }),
    ("proration_credit", "credit", None, {"reference": None}, {
        "en": "Credit for unused time",
        "fr": "Avoir pour le temps non utilisé",
        "it": "Credito per il tempo non utilizzato",
        "vi": "Tín dụng cho thời gian chưa sử dụng",
    }),
    ("refund", "refunded_to_card", None, {}, {
        "en": "Refunded to the card",
        "fr": "Remboursé sur la carte",
        "it": "Rimborsato sulla carta",
        "vi": "Đã hoàn về thẻ",
    }),
    ("proration_credit", "carried_to_balance", None, {}, {
        "en": "Carried to the balance",
        "fr": "Reporté sur le solde",
        "it": "Accreditato sul saldo",
        "vi": "Đã chuyển vào số dư",
    }),
    ("proration_credit", "paid_from_balance", None, {}, {
        "en": "Paid from balance",
        "fr": "Payé avec le solde",
        "it": "Pagato con il saldo",
        "vi": "Thanh toán từ số dư",
    }),
]  # fmt: skip


class TestEveryLineInEveryLanguage:
    @pytest.mark.parametrize("locale", ["en", "fr", "it", "vi"])
    @pytest.mark.parametrize(
        ("kind", "topic", "quantity", "wording", "expected"),
        EXPECTED,
        ids=[f"{kind}-{topic}-{quantity}" for kind, topic, quantity, _, _ in EXPECTED],
    )
    def test_the_line_reads_in_the_language_with_its_figures(
        self,
        locale: str,
        kind: LineKind,
        topic: Topic,
        quantity: int | None,
        wording: dict[str, str | None],
        expected: dict[str, str],
    ) -> None:
        assert describe(locale, a_line(kind, topic, quantity, **wording)) == expected[locale]

    def test_english_reads_as_the_stored_description(self) -> None:
        from tierline.domain.lines import describe as stored

        for kind, topic, quantity, wording, expected in EXPECTED:
            line = a_line(kind, topic, quantity, **wording)
            assert line.wording is not None
            assert stored(kind, line.wording, quantity) == expected["en"]


class TestPlurals:
    @pytest.mark.parametrize(
        ("locale", "quantity", "expected"),
        [
            ("en", 0, "Pro × 0 contacts"),
            ("fr", 0, "Pro × 0 contact"),  # French counts 0 as one
            ("fr", 2, "Pro × 2 contacts"),
            ("it", 1, "Pro × 1 contatto"),
            ("it", 3, "Pro × 3 contatti"),
            ("vi", 1, "Pro × 1 liên hệ"),
            ("en", 1500, "Pro × 1,500 contacts"),
            ("fr", 1500, "Pro × 1\u202f500 contacts"),
            ("it", 1500, "Pro × 1.500 contatti"),
        ],
    )
    def test_the_count_takes_the_languages_plural_form_and_digit_grouping(
        self, locale: str, quantity: int, expected: str
    ) -> None:
        line = a_line("subscription", "item", quantity, name="Pro", unit="contact")
        assert describe(locale, line) == expected

    def test_the_catalogs_forms_win_over_the_known_ones(self) -> None:
        units = {"seat": {"fr": {"one": "place", "other": "places"}}}
        line = a_line("subscription", "item", 3, **PRO_SEATS)
        assert describe("fr", line, units) == "Professional × 3 places"
        assert describe("it", line, units) == "Professional × 3 postazioni"

    def test_a_unit_nobody_named_is_written_as_the_catalog_wrote_it(self) -> None:
        line = a_line("subscription", "item", 3, name="Pro", unit="gizmo")
        assert describe("fr", line) == "Pro × 3 gizmo"

    def test_a_line_written_before_lines_had_a_wording_keeps_its_description(self) -> None:
        line = Line("subscription", "Professional edition", Decimal("10"), 10)
        assert describe("fr", line) == "Professional edition"


class TestInThePdf:
    def test_a_french_invoice_prints_its_line_in_french(self) -> None:
        line = a_line("proration_charge", "remaining", 12, name="Professional", unit="seat")
        pdf = render_invoice(an_invoice(lines=(line,)), an_account("fr"), a_seller(), "EUR")
        text = pdf_text(pdf)
        assert "Temps restant sur Professional × 12 sièges" in text
        assert "stored in English" not in text

    def test_the_catalogs_unit_forms_reach_the_pdf(self) -> None:
        line = a_line("subscription", "item", 2, name="Pro", unit="workstation")
        units = {"workstation": {"it": {"one": "postazione", "other": "postazioni"}}}
        pdf = render_invoice(an_invoice(lines=(line,)), an_account("it"), a_seller(), "EUR",
                             units=units)  # fmt: skip
        assert "Pro × 2 postazioni" in pdf_text(pdf)

    def test_a_vietnamese_receipt_prints_where_the_credit_went(self) -> None:
        receipt = replace(
            a_receipt(),
            lines=(a_line("refund", "credit", None, reference="CN-2026-000001"),
                   a_line("refund", "refunded_to_card")),
        )  # fmt: skip
        text = pdf_text(render_receipt(receipt, an_account("vi"), a_seller(), "EUR"))
        assert "Hoàn tiền cho thời gian chưa sử dụng (CN-2026-000001)" in text
        assert "Đã hoàn về thẻ" in text
