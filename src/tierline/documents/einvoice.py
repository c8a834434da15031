"""Invoices and credit notes as EN 16931 e-invoices: Factur-X, the PDF with its Cross Industry
Invoice (CII) XML embedded, at the EN 16931 profile.

    xml = cii_xml(invoice, account, currency="EUR")
    pdf = factur_x(render_invoice(invoice, account, seller), xml)
    pdf = einvoice_of(invoice, account, seller, currency="EUR")   # the two at once

The XML states what the document states: its lines without tax (BT-131), its tax once per rate
and category (BG-23, with the exemption reason for reverse charge and for sales outside the
scope of VAT), the net, tax and gross totals (BT-109, BT-110, BT-112), what was paid before
(credits, balance, card: BT-113) and what is still due (BT-115). A document issued without
tax is stated as outside the scope of VAT (category O), which names no VAT numbers (BR-O-02).
Each line is named as the PDF names it, in the account's language (with `catalog=`, the
catalog's edition and add-on names in that language), and the tax mentions (reverse charge,
outside the scope of VAT) are the PDF's, in that language too.
Amounts are the document's own, never worked out again, so the e-invoice and the PDF agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import facturx
from lxml import etree

from tierline.documents.formatting import Formatter
from tierline.documents.labels import Labels
from tierline.documents.render import render_credit_note, render_invoice
from tierline.documents.seller import Seller
from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.domain.document_tax import net_amounts
from tierline.domain.documents import CreditNote, Invoice
from tierline.domain.lines import Line
from tierline.domain.money import quantum
from tierline.domain.parties import Party
from tierline.domain.tax import EN16931_CATEGORY, VATEX, TaxLine
from tierline.domain.units import Units
from tierline.domain.values import replace
from tierline.errors import EInvoiceNeedsSeller

PROFILE = "urn:cen.eu:en16931:2017"  # BT-24, the EN 16931 profile of Factur-X
INVOICE_TYPE = "380"  # UNTDID 1001: commercial invoice
CREDIT_NOTE_TYPE = "381"  # credit note
_UNIT = "C62"  # UN/ECE rec. 20: one (a unit)

_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


class EInvoiceInvalid(Exception):
    """The XML does not validate against the standard's schema (a defect, never the user's)."""


@dataclass(frozen=True)
class _Figures:
    """What an e-invoice states, from an invoice or a credit note."""

    number: str
    type_code: str
    issued_at: datetime
    due_at: datetime | None
    lines: tuple[Line, ...]
    tax: tuple[TaxLine, ...]
    prices: str | None
    gross: Decimal
    due: Decimal
    seller: Party
    buyer: Party
    referenced: str | None  # the invoice a credit note credits (BT-25)


def cii_xml(
    doc: Invoice | CreditNote,
    account: Account,
    *,
    currency: str,
    units: Units | None = None,
    catalog: Catalog | None = None,
) -> bytes:
    """The document as CII XML (EN 16931 profile), checked against the standard's schema.

    Each line is named as the PDF names it, in the account's language: the catalog's edition
    and add-on names in that language (`catalog`), its units' forms (`units`)."""
    figures = _figures(doc, account, currency)
    names = catalog.names_in(account.locale) if catalog is not None else None
    fmt = Formatter.of(account.locale, account.timezone, currency, units, names)
    xml = _build(figures, currency, tuple(fmt.describe(line) for line in figures.lines), fmt.labels)
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as error:  # the package raises a bare Exception with the schema's words
        raise EInvoiceInvalid(str(error)) from error
    return xml


def factur_x(pdf: bytes, xml: bytes, *, lang: str = "en") -> bytes:
    """The PDF with the XML embedded as `factur-x.xml`, and the PDF/A-3 metadata Factur-X asks
    for."""
    out: bytes = facturx.generate_from_binary(
        pdf, xml, flavor="factur-x", level="en16931", check_xsd=False, lang=lang
    )
    return out


def einvoice_of(
    doc: Invoice | CreditNote,
    account: Account,
    seller: Seller,
    *,
    currency: str,
    units: Units | None = None,
    catalog: Catalog | None = None,
) -> bytes:
    """The document's PDF, in the account's language, with its CII XML embedded; both name the
    catalog's editions and add-ons in that language (`catalog`)."""
    xml = cii_xml(doc, account, currency=currency, units=units, catalog=catalog)
    if isinstance(doc, Invoice):
        pdf = render_invoice(doc, account, seller, currency, units=units, catalog=catalog)
    else:
        pdf = render_credit_note(doc, account, seller, currency, units=units, catalog=catalog)
    return factur_x(pdf, xml, lang=account.locale)


# -- figures ------------------------------------------------------------------------------------


def _figures(doc: Invoice | CreditNote, account: Account, currency: str) -> _Figures:
    parties = doc.parties
    buyer = parties.buyer if parties else Party.of_account(account)
    seller = parties.seller if parties and parties.seller else None
    if seller is None:
        raise EInvoiceNeedsSeller(
            f"{doc.number} was issued without a seller: an e-invoice needs the catalog's "
            "`seller` (name, address, country, tax id)."
        )
    if buyer.country is None:  # taxed as in the seller's country (tierline.domain.document_tax)
        buyer = Party(buyer.name, seller.country, buyer.address, buyer.tax_id, buyer.region)
    if isinstance(doc, Invoice):
        return _Figures(
            doc.number, INVOICE_TYPE, doc.issued_at, doc.due_at, doc.lines, doc.tax,
            doc.tax_prices, doc.gross, doc.amount_due if doc.status != "void" else Decimal(0),
            seller, buyer, None,
        )  # fmt: skip
    positive = tuple(line if line.amount >= 0 else _negated(line) for line in doc.lines)
    return _Figures(
        doc.number, CREDIT_NOTE_TYPE, doc.issued_at, None, positive, doc.tax, doc.tax_prices,
        abs(doc.gross), Decimal(0), seller, buyer, doc.invoice_number,
    )  # fmt: skip


def _negated(line: Line) -> Line:
    return replace(line, amount=-line.amount)


# -- XML ------------------------------------------------------------------------------------------


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    prefix, name = tag.split(":")
    child = etree.SubElement(parent, f"{{{_NS[prefix]}}}{name}", attrs)
    if text is not None:
        child.text = text
    return child


def _amount(value: Decimal, currency: str) -> str:
    return str(value.quantize(quantum(currency)))


def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _day(instant: datetime) -> str:
    return instant.strftime("%Y%m%d")


def _build(f: _Figures, currency: str, names: Sequence[str], labels: Labels) -> bytes:
    root = etree.Element(f"{{{_NS['rsm']}}}CrossIndustryInvoice", nsmap=_NS)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", PROFILE)

    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ram:ID", f.number)
    _el(document, "ram:TypeCode", f.type_code)
    _el(_el(document, "ram:IssueDateTime"), "udt:DateTimeString", _day(f.issued_at), format="102")
    for mention in dict.fromkeys(m for m in (labels.mention(t.category) for t in f.tax) if m):
        _el(_el(document, "ram:IncludedNote"), "ram:Content", mention)

    trade = _el(root, "rsm:SupplyChainTradeTransaction")
    taxes = f.tax or _untaxed(f.lines)
    nets = net_amounts(f.lines, f.tax, f.prices, currency)  # type: ignore[arg-type]
    for position, (line, net, name) in enumerate(zip(f.lines, nets, names, strict=True), 1):
        _line(trade, position, line, net, name, taxes, currency)

    outside = any(t.category == "outside_scope" for t in taxes)
    agreement = _el(trade, "ram:ApplicableHeaderTradeAgreement")
    _party(agreement, "ram:SellerTradeParty", f.seller, with_vat=not outside)
    _party(agreement, "ram:BuyerTradeParty", f.buyer, with_vat=not outside)
    _el(trade, "ram:ApplicableHeaderTradeDelivery")

    settlement = _el(trade, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", currency)
    for tax in taxes:
        _header_tax(settlement, tax, currency, labels)
    if f.due_at is not None and f.due > 0:
        terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
        _el(_el(terms, "ram:DueDateDateTime"), "udt:DateTimeString", _day(f.due_at), format="102")
    taxable = sum((t.taxable for t in taxes), Decimal(0))
    tax_total = sum((t.amount for t in taxes), Decimal(0))
    sums = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(sums, "ram:LineTotalAmount", _amount(sum(nets, Decimal(0)), currency))
    _el(sums, "ram:TaxBasisTotalAmount", _amount(taxable, currency))
    _el(sums, "ram:TaxTotalAmount", _amount(tax_total, currency), currencyID=currency)
    _el(sums, "ram:GrandTotalAmount", _amount(f.gross, currency))
    _el(sums, "ram:TotalPrepaidAmount", _amount(f.gross - f.due, currency))
    _el(sums, "ram:DuePayableAmount", _amount(f.due, currency))
    if f.referenced:
        _el(_el(settlement, "ram:InvoiceReferencedDocument"), "ram:IssuerAssignedID", f.referenced)
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return out


def _untaxed(lines: Sequence[Line]) -> tuple[TaxLine, ...]:
    """A document issued without tax: its whole amount outside the scope of VAT."""
    total = sum((line.amount for line in lines), Decimal(0))
    return (TaxLine(Decimal(0), "outside_scope", total, total - total),)


def _line(
    trade: etree._Element,
    position: int,
    line: Line,
    net: Decimal,
    name: str,
    taxes: Sequence[TaxLine],
    currency: str,
) -> None:
    item = _el(trade, "ram:IncludedSupplyChainTradeLineItem")
    _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(position))
    _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", name or line.kind)
    # The price of one unit: the line's net amount for one (a prorated line is not quantity ×
    # unit price); a credit on an invoice is a quantity of −1 at a positive price (BR-27).
    agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
    price = _el(agreement, "ram:NetPriceProductTradePrice")
    _el(price, "ram:ChargeAmount", _amount(abs(net), currency))
    delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
    _el(delivery, "ram:BilledQuantity", "-1" if net < 0 else "1", unitCode=_UNIT)
    settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
    treatment = line.tax or taxes[0].treatment
    tax = _el(settlement, "ram:ApplicableTradeTax")
    _el(tax, "ram:TypeCode", "VAT")
    _el(tax, "ram:CategoryCode", EN16931_CATEGORY[treatment.category])
    if treatment.category != "outside_scope":
        _el(tax, "ram:RateApplicablePercent", _percent(treatment.rate))
    if line.period is not None:
        period = _el(settlement, "ram:BillingSpecifiedPeriod")
        start = _el(period, "ram:StartDateTime")
        _el(start, "udt:DateTimeString", _day(line.period.start), format="102")
        end = _el(period, "ram:EndDateTime")
        _el(end, "udt:DateTimeString", _day(line.period.end), format="102")
    sums = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _el(sums, "ram:LineTotalAmount", _amount(net, currency))


def _party(parent: etree._Element, tag: str, party: Party, *, with_vat: bool) -> None:
    node = _el(parent, tag)
    _el(node, "ram:Name", party.name)
    address = _el(node, "ram:PostalTradeAddress")
    lines = list(party.address)
    for name, value in zip(("ram:LineOne", "ram:LineTwo"), lines[:2], strict=False):
        _el(address, name, value)
    if len(lines) > 2:
        _el(address, "ram:LineThree", ", ".join(lines[2:]))
    _el(address, "ram:CountryID", party.country or "")
    if party.region:
        _el(address, "ram:CountrySubDivisionName", party.region)
    if with_vat and party.tax_id:
        registration = _el(node, "ram:SpecifiedTaxRegistration")
        _el(registration, "ram:ID", party.tax_id, schemeID="VA")


def _header_tax(settlement: etree._Element, tax: TaxLine, currency: str, labels: Labels) -> None:
    node = _el(settlement, "ram:ApplicableTradeTax")
    _el(node, "ram:CalculatedAmount", _amount(tax.amount, currency))
    _el(node, "ram:TypeCode", "VAT")
    mention = labels.mention(tax.category)
    if mention:
        _el(node, "ram:ExemptionReason", mention)
    _el(node, "ram:BasisAmount", _amount(tax.taxable, currency))
    _el(node, "ram:CategoryCode", EN16931_CATEGORY[tax.category])
    if tax.category in VATEX:
        _el(node, "ram:ExemptionReasonCode", VATEX[tax.category])
    if tax.category != "outside_scope":
        _el(node, "ram:RateApplicablePercent", _percent(tax.rate))
