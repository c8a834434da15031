"""Factur-X XML of real documents (the tax examples run on a store), checked against the
standard's schema, with the sums EN 16931 requires."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import facturx
import pytest
from lxml import etree

from tierline.catalog.loader import load_catalog
from tierline.documents import Seller, cii_xml, einvoice_of
from tierline.domain.catalog import Catalog
from tierline.simulate.runner import load_scenario, run
from tierline.store.migrate import migrate
from tierline.store.uow import UnitOfWork, create_engine

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tax"
NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def documents_of(scenario: str) -> tuple[UnitOfWork, list[Any]]:
    engine = create_engine("sqlite://")
    migrate(engine)
    run(load_scenario(EXAMPLES / scenario), base=EXAMPLES, engine=engine)
    uow = UnitOfWork(engine)
    with uow.reading():
        docs: list[Any] = []
        for account in ("paris", "berlin", "lyon"):
            if uow.accounts.find(account) is None:
                continue
            found = uow.accounts.get(account)
            docs += [(d, found) for d in uow.documents.invoices_for(account)]
            docs += [(d, found) for d in uow.documents.credit_notes_for(account)]
    return uow, docs


def amounts(tree: Any, path: str) -> list[Decimal]:
    return [Decimal(str(e.text)) for e in tree.xpath(path, namespaces=NS)]


@pytest.mark.parametrize("scenario", ["vat.yaml", "inclusive-rate-change.yaml"])
def test_every_documents_xml_validates_and_its_sums_hold(scenario: str) -> None:
    """BR-CO-10: the lines add up to the line total; BR-S-08: each rate's lines to its basis;
    BR-CO-15: basis + tax = grand total; the totals are the document's."""
    _, docs = documents_of(scenario)
    assert docs
    for doc, account in docs:
        xml = cii_xml(doc, account, currency="EUR")
        assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
        tree = etree.fromstring(xml)
        lines = amounts(
            tree, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
        )
        sums = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
        (line_total,) = amounts(tree, sums + "LineTotalAmount")
        (basis,) = amounts(tree, sums + "TaxBasisTotalAmount")
        (tax,) = amounts(tree, sums + "TaxTotalAmount")
        (grand,) = amounts(tree, sums + "GrandTotalAmount")
        assert sum(lines, Decimal(0)) == line_total == basis
        assert basis + tax == grand == abs(doc.gross)
        assert tax == doc.tax_total
        bases = amounts(
            tree, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:BasisAmount"
        )
        assert sum(bases, Decimal(0)) == basis


def test_the_factur_x_pdf_embeds_the_xml_in_the_accounts_language() -> None:
    _, docs = documents_of("vat.yaml")
    doc, account = docs[0]
    pdf = einvoice_of(
        doc, account, Seller("ignored: the document names its seller"), currency="EUR"
    )
    name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert name == "factur-x.xml"
    assert xml == cii_xml(doc, account, currency="EUR")


def line_names(xml: bytes) -> list[str]:
    tree = etree.fromstring(xml)
    return [str(e.text) for e in tree.xpath("//ram:SpecifiedTradeProduct/ram:Name", namespaces=NS)]


def a_french_catalog() -> Catalog:
    """The tax examples' catalog with its editions named in French too."""
    catalog = load_catalog(EXAMPLES / "catalog.yaml")
    french = {"standard": "Standard", "pro": "Professionnel"}
    editions = tuple(
        replace(e, names={"en": e.name, "fr": french[e.code]}) for e in catalog.editions
    )
    return replace(catalog, editions=editions)


def test_the_xml_names_each_line_in_the_accounts_language_as_the_pdf_does() -> None:
    _, docs = documents_of("vat.yaml")
    (invoice, account), (note, _) = (
        (d, a)
        for d, a in docs
        if a.id == "paris" and d.number in ("INV-2026-000004", "CN-2026-000001")
    )  # the upgrade to Pro (a new period) and the credit for Standard's unused time
    french = replace(account, locale="fr")
    catalog = a_french_catalog()

    assert line_names(cii_xml(invoice, french, currency="EUR", catalog=catalog)) == [
        "Professionnel × 5 sièges"
    ]
    assert line_names(cii_xml(note, french, currency="EUR", catalog=catalog)) == [
        "Temps non utilisé sur Standard × 5 sièges"
    ]
    assert line_names(cii_xml(invoice, account, currency="EUR", catalog=catalog)) == [
        "Pro × 5 seats"
    ]


def test_the_xml_states_the_reverse_charge_mention_in_the_accounts_language() -> None:
    _, docs = documents_of("vat.yaml")
    invoice, account = next((d, a) for d, a in docs if a.id == "berlin")
    tree = etree.fromstring(cii_xml(invoice, replace(account, locale="fr"), currency="EUR"))

    (note,) = tree.xpath("//ram:IncludedNote/ram:Content", namespaces=NS)
    (reason,) = tree.xpath("//ram:ExemptionReason", namespaces=NS)
    french = "Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)."
    assert note.text == reason.text == french
