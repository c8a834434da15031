"""A receipt downloaded from the portal prints the tax of the invoice it pays; a top-up's receipt
says no tax applies to it. On the tax example's catalog (a French seller, 20 %), and on HAP's,
which has no tax."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from portal_builders import EXAMPLES, a_runtime, an_account, signed_in
from pypdf import PdfReader

from tierline.documents.labels import CATALOGUES
from tierline.domain.documents import Receipt
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.balance import TopUp, top_up

TAXED = EXAMPLES / "tax" / "catalog.yaml"


@pytest.fixture(scope="module")
def taxed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    rt = a_runtime(tmp_path_factory.mktemp("receipt-tax"), TAXED)
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="module")
def taxed_app(taxed: Runtime) -> FastAPI:
    from tierline.api.app import create_app

    return create_app(taxed, secret_key="portal-tests")


def receipt_pdf(app: FastAPI, rt: Runtime, account: str, receipt: Receipt) -> str:
    response = signed_in(app, rt, account).get(f"/portal/receipts/{receipt.number}.pdf")
    assert response.status_code == 200, response.text
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def receipts_of(rt: Runtime, account: str) -> list[Receipt]:
    return queries.list_receipts(account, uow=rt.uow())


class TestTaxedCatalog:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [("en", ("Standard rate 20 % €10.00 €2.00", "Total excl. VAT €10.00", "Total VAT €2.00",
                 "Total incl. VAT €12.00", "Amount paid €12.00")),
         ("fr", ("Taux normal 20 % 10,00 € 2,00 €", "Total HT 10,00 €", "Total TVA 2,00 €",
                 "Total TTC 12,00 €", "Montant payé 12,00 €"))],
    )  # fmt: skip
    def test_a_receipt_prints_the_tax_of_the_invoice_it_pays(
        self, taxed: Runtime, taxed_app: FastAPI, locale: str, expected: tuple[str, ...]
    ) -> None:
        """Standard, 1 seat: 10.00 + 2.00 (20 %, French by default), paid by card."""
        account = an_account(taxed, locale=locale, edition="standard")
        (invoice,) = queries.list_invoices(account, uow=taxed.uow())
        (receipt,) = receipts_of(taxed, account)
        assert receipt.invoice_number == invoice.number

        text = receipt_pdf(taxed_app, taxed, account, receipt)

        for words in expected:
            assert words in text, words
        assert CATALOGUES[locale].to_invoice.format(number=invoice.number) in text

    def test_a_top_up_receipt_says_no_tax_applies(self, taxed: Runtime, taxed_app: FastAPI) -> None:
        account = an_account(taxed, locale="it", edition="standard")
        top_up(TopUp(account, "50.00"), uow=taxed.uow(), clock=taxed.clock, gateway=taxed.gateway)
        (receipt,) = [r for r in receipts_of(taxed, account) if r.invoice_number is None]

        text = receipt_pdf(taxed_app, taxed, account, receipt)

        it = CATALOGUES["it"]
        assert it.top_up_untaxed in text
        assert it.total_gross not in text
        assert "Importo pagato 50,00 €" in text


class TestCatalogWithoutTax:
    def test_receipts_print_no_tax(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap)
        top_up(TopUp(account, "50.00"), uow=hap.uow(), clock=hap.clock, gateway=hap.gateway)

        texts = [receipt_pdf(hap_app, hap, account, r) for r in receipts_of(hap, account)]

        assert len(texts) == 2
        for text in texts:
            for absent in ("VAT", "Total excl.", "No VAT applies"):
                assert absent not in text, absent
