"""PDF invoices, credit notes and receipts, in the account's locale.

    render_invoice(invoice, account, seller, currency=None) -> bytes
    render_credit_note(note, account, seller, currency=None) -> bytes
    render_receipt(receipt, account, seller, currency=None) -> bytes

    einvoice_of(invoice_or_credit_note, account, seller, currency=...) -> bytes  # Factur-X

`currency` defaults to the account's. The words come from `labels.CATALOGUES` (English, French,
Italian, Vietnamese; any other language prints in English), amounts and dates from Babel in the
account's locale and timezone.
"""

from tierline.documents.einvoice import EInvoiceInvalid, cii_xml, einvoice_of
from tierline.documents.formatting import labels_for, resolve_locale
from tierline.documents.labels import CATALOGUES, Labels
from tierline.documents.render import render_credit_note, render_invoice, render_receipt
from tierline.documents.seller import Seller

SUPPORTED_LANGUAGES = tuple(CATALOGUES)

__all__ = [
    "CATALOGUES",
    "SUPPORTED_LANGUAGES",
    "EInvoiceInvalid",
    "Labels",
    "Seller",
    "cii_xml",
    "einvoice_of",
    "labels_for",
    "render_credit_note",
    "render_invoice",
    "render_receipt",
    "resolve_locale",
]
