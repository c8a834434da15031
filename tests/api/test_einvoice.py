"""E-invoices through the API: Factur-X (EN 16931) for invoices and credit notes, the XML valid
against the standard's schema (the `factur-x` package's own check) and its totals the
document's.

The catalog is the API tests' (Pro 10.00 a seat a month, 108.00 a year; a cycle change restarts
with a credit note) with a French seller: France 20 %, reverse charge in the EU.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import facturx
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from api.builders import a_catalog, an_account, base_of, error_of, whole_list
from api.test_tax import SELLER, TAX, subscribe_pro
from tierline.runtime import Runtime

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
SUMS = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/"


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    return a_catalog(seller=SELLER, tax=TAX)


def embedded_xml(response: Any) -> bytes:
    """The CII XML embedded in a Factur-X PDF, checked against the schema on the way out."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    name, xml = facturx.get_xml_from_pdf(response.content, check_xsd=True)
    assert name == "factur-x.xml"
    return bytes(xml)


def figure(tree: Any, path: str) -> str:
    found = tree.xpath(path, namespaces=NS)
    assert found, path
    return str(found[0].text)


def tax_rows(tree: Any) -> list[tuple[str, str, str, str]]:
    rows = tree.xpath("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax",
                      namespaces=NS)  # fmt: skip
    return [
        (
            figure(row, "ram:CategoryCode"),
            figure(row, "ram:RateApplicablePercent"),
            figure(row, "ram:BasisAmount"),
            figure(row, "ram:CalculatedAmount"),
        )
        for row in rows
    ]


class TestInvoiceEInvoice:
    def test_factur_x_of_an_invoice_validates_and_its_totals_are_the_invoices(
        self, client: TestClient
    ) -> None:
        """5 seats × 10.00 = 50.00 + 10.00 (20 %) = 60.00, paid."""
        an_account(client, "paris", country="FR", address=["3 rue des Lilas", "75020 Paris"])
        subscribe_pro(client, "paris")
        (invoice,) = whole_list(client, "/v1/accounts/paris/invoices")
        xml = embedded_xml(client.get(f"/v1/invoices/{invoice['number']}/einvoice"))
        tree = etree.fromstring(xml)
        assert figure(tree, "//rsm:ExchangedDocument/ram:ID") == invoice["number"]
        assert figure(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "380"
        assert tax_rows(tree) == [("S", "20", "50.00", "10.00")]
        assert figure(tree, SUMS + "ram:TaxBasisTotalAmount") == "50.00"
        assert figure(tree, SUMS + "ram:TaxTotalAmount") == invoice["tax_total"] == "10.00"
        assert figure(tree, SUMS + "ram:GrandTotalAmount") == invoice["gross"] == "60.00"
        assert figure(tree, SUMS + "ram:DuePayableAmount") == "0.00"  # paid by card
        line_sum = sum(
            Decimal(str(a.text))
            for a in tree.xpath("//ram:SpecifiedTradeSettlementLineMonetarySummation/"
                                "ram:LineTotalAmount", namespaces=NS)
        )  # fmt: skip
        assert line_sum == Decimal(figure(tree, SUMS + "ram:LineTotalAmount"))

    def test_reverse_charge_for_valid_eu_business_id_states_category_ae_and_both_vat_ids(
        self, client: TestClient
    ) -> None:
        an_account(client, "club", country="DE", tax_id="DE136695976", address=["Hauptstr. 1"])
        subscribe_pro(client, "club")
        (invoice,) = whole_list(client, "/v1/accounts/club/invoices")
        response = client.get(
            f"/v1/invoices/{invoice['number']}/einvoice", params={"format": "xml"}
        )
        assert response.headers["content-type"].startswith("application/xml")
        assert facturx.xml_check_xsd(response.content, flavor="factur-x", level="en16931")
        tree = etree.fromstring(response.content)
        assert tax_rows(tree) == [("AE", "0", "50.00", "0.00")]
        assert figure(tree, "//ram:ExemptionReasonCode") == "VATEX-EU-AE"
        ids = [e.text for e in tree.xpath("//ram:SpecifiedTaxRegistration/ram:ID", namespaces=NS)]
        assert ids == ["FR40303265045", "DE136695976"]
        assert figure(tree, "//ram:IncludedNote/ram:Content") == (  # the PDF's mention
            "Reverse charge: VAT to be accounted for by the customer (Article 196, Directive "
            "2006/112/EC)."
        )

    def test_an_unknown_invoice_is_not_found(self, client: TestClient) -> None:
        error_of(client.get("/v1/invoices/INV-2026-999999/einvoice"), 404)


class TestCreditNoteEInvoice:
    def test_factur_x_of_a_credit_note_names_the_invoice_it_credits(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        """Month → year on Feb 14 (half of 28 days unused): the note credits 25.00 at 20 %,
        5.00 tax, 30.00."""
        an_account(client, "paris", country="FR", address=["3 rue des Lilas"])
        subscribe_pro(client, "paris")
        runtime.clock.set(datetime(2026, 2, 14, 10, tzinfo=UTC))
        changed = client.post(f"{base_of(client, 'paris')}/change", json={"cycle": "year"})
        assert changed.status_code == 200, changed.text
        (note,) = whole_list(client, "/v1/accounts/paris/credit_notes")
        assert (note["tax_total"], note["total"]) == ("5.00", "30.00")
        xml = embedded_xml(client.get(f"/v1/credit_notes/{note['number']}/einvoice"))
        tree = etree.fromstring(xml)
        assert figure(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
        assert (
            figure(tree, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == note["invoice"]
        )
        assert tax_rows(tree) == [("S", "20", "25.00", "5.00")]
        assert figure(tree, SUMS + "ram:GrandTotalAmount") == note["total"]


class TestWithoutSeller:
    @pytest.fixture
    def catalog_data(self) -> dict[str, Any]:
        return a_catalog()  # no tax, so no seller is needed

    def test_an_invoice_issued_without_a_seller_is_refused_with_403_and_its_own_code(
        self, client: TestClient
    ) -> None:
        an_account(client, "paris")
        subscribe_pro(client, "paris")
        (invoice,) = whole_list(client, "/v1/accounts/paris/invoices")

        error = error_of(client.get(f"/v1/invoices/{invoice['number']}/einvoice"), 403)

        assert (error["type"], error["code"], error["param"]) == (
            "not_allowed",
            "einvoice_needs_seller",
            None,
        )

    def test_the_refusal_is_its_own_class_and_still_a_not_allowed(self) -> None:
        from tierline.errors import EInvoiceNeedsSeller, NotAllowed

        assert issubclass(EInvoiceNeedsSeller, NotAllowed)
        assert EInvoiceNeedsSeller("x").code == "einvoice_needs_seller"
