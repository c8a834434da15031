"""The words printed on documents, in every language the gettext catalogs have.

`Labels` is a frozen dataclass of the words a document prints, made by `labels(words)` from the
catalogs of `tierline.i18n` (message context "document", "line kind" for a line's kind). Fields
holding `{placeholders}` are filled with `str.format`. An unsupported language falls back to
English (see `tierline.documents.formatting`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tierline.domain.account import PaymentMethod
from tierline.domain.lines import LineKind, LineWords
from tierline.i18n import LANGUAGES, Words, words


@dataclass(frozen=True, kw_only=True)
class Labels:
    # titles
    invoice: str
    credit_note: str
    receipt: str
    # header
    number: str
    issued: str
    due: str
    status: str
    status_open: str
    status_paid: str
    status_uncollectible: str
    status_void: str
    paid_on: str  # {date}
    seller: str
    buyer: str
    account: str
    tax_id: str
    labelled: str  # {label}: {value}, with the language's space before the colon
    # lines
    description: str
    period: str
    quantity: str
    unit_amount: str
    amount: str
    kind_subscription: str
    kind_addon: str
    kind_proration_charge: str
    kind_proration_credit: str
    kind_usage: str
    kind_refund: str
    subscription: str  # named under each line where the account has several subscriptions
    # invoice totals
    subtotal: str
    credits_applied: str
    balance_applied: str
    total: str
    amount_paid: str
    amount_due: str
    # credit note
    credited_invoice: str
    credit_applied_to: str
    remainder: str
    to_invoice: str  # {number}
    to_refund: str
    to_balance: str
    to_next_invoice: str
    total_credited: str
    # receipt
    for_invoice: str
    payment_method: str
    plan_bought: str
    refund_old_plan: str
    credits_and_balance: str
    refunded: str
    balance_top_up: str  # what a receipt for no invoice paid for
    method_card: str  # {brand} {last4}: the card a receipt was paid with
    method_debit: str  # {last4}: the bank account of a direct debit
    top_up_untaxed: str  # a top-up's receipt, when the catalog taxes documents
    # billing details: the buyer's, as documents print them and the portal edits them
    billing_details: str
    country: str
    region: str
    address: str
    address_hint: str
    save_billing_details: str
    billing_details_saved: str
    # tax, once per rate and category (tierline.domain.tax)
    tax: str
    tax_rate: str
    taxable: str
    total_net: str
    total_tax: str
    total_gross: str
    category_standard: str
    category_zero: str
    category_reverse_charge: str
    category_outside_scope: str
    mention_reverse_charge: str
    mention_outside_scope: str
    einvoice: str
    # footer
    page: str  # {page} {pages}
    # what a line says (its description): see `tierline.domain.lines.describe`
    line_remaining: str  # {item}
    line_unused: str  # {item}
    line_credit: str
    line_refund: str
    line_refunded_to_card: str
    line_carried_to_balance: str
    line_paid_from_balance: str

    def pair(self, label: str, value: str) -> str:
        """A label and its value on one line: "VAT number: …", "N° de TVA : …"."""
        return self.labelled.format(label=label, value=value)

    @property
    def lines(self) -> LineWords:
        return LineWords(
            remaining=self.line_remaining,
            unused=self.line_unused,
            credit=self.line_credit,
            refund=self.line_refund,
            refunded_to_card=self.line_refunded_to_card,
            carried_to_balance=self.line_carried_to_balance,
            paid_from_balance=self.line_paid_from_balance,
        )

    def category(self, category: str) -> str:
        """The name of a tax category."""
        names = {
            "standard": self.category_standard,
            "zero": self.category_zero,
            "reverse_charge": self.category_reverse_charge,
            "outside_scope": self.category_outside_scope,
        }
        return names[category]

    def mention(self, category: str) -> str | None:
        """What a document must say for tax of this category, if anything."""
        if category == "reverse_charge":
            return self.mention_reverse_charge
        if category == "outside_scope":
            return self.mention_outside_scope
        return None

    def method(self, method: PaymentMethod) -> str:
        """A payment method as a person knows it: "Mastercard ending in 4444"."""
        debit = method.bank is not None or method.mandate_reference is not None
        if debit or method.brand == "sepa_debit":
            return self.method_debit.format(last4=method.last4)
        brand = {"mastercard": "Mastercard", "amex": "American Express"}.get(
            method.brand.lower(), method.brand.capitalize()
        )
        return self.method_card.format(brand=brand, last4=method.last4)

    def kind(self, kind: LineKind) -> str:
        """The name of a line's kind."""
        names: dict[LineKind, str] = {
            "subscription": self.kind_subscription,
            "addon": self.kind_addon,
            "proration_charge": self.kind_proration_charge,
            "proration_credit": self.kind_proration_credit,
            "usage": self.kind_usage,
            "refund": self.kind_refund,
        }
        return names[kind]


def labels(w: Words) -> Labels:
    """The labels in `w`'s language, from the gettext catalogs (context "document", "line kind").

    A field with placeholders keeps them for `str.format` (`Page {page} of {pages}`)."""
    return Labels(
        invoice=w.pgettext("document", "Invoice"),
        credit_note=w.pgettext("document", "Credit note"),
        receipt=w.pgettext("document", "Receipt"),
        number=w.pgettext("document", "Number"),
        issued=w.pgettext("document", "Issue date"),
        due=w.pgettext("document", "Due date"),
        status=w.pgettext("document", "Status"),
        subscription=w.pgettext("document", "Subscription"),
        status_open=w.pgettext("document", "Open"),
        status_paid=w.pgettext("document", "Paid"),
        status_uncollectible=w.pgettext("document", "Uncollectible"),
        status_void=w.pgettext("document", "Void"),
        paid_on=w.pgettext("document", "Paid on %(date)s", date="{date}"),
        seller=w.pgettext("document", "From"),
        buyer=w.pgettext("document", "Bill to"),
        account=w.pgettext("document", "Account"),
        tax_id=w.pgettext("document", "VAT number"),
        labelled=w.pgettext("document", "%(label)s: %(value)s", label="{label}", value="{value}"),
        description=w.pgettext("document", "Description"),
        period=w.pgettext("document", "Period"),
        quantity=w.pgettext("document", "Qty"),
        unit_amount=w.pgettext("document", "Unit price"),
        amount=w.pgettext("document", "Amount"),
        kind_subscription=w.pgettext("line kind", "Subscription"),
        kind_addon=w.pgettext("line kind", "Add-on"),
        kind_proration_charge=w.pgettext("line kind", "Prorated charge"),
        kind_proration_credit=w.pgettext("line kind", "Credit for unused time"),
        kind_usage=w.pgettext("line kind", "Usage"),
        kind_refund=w.pgettext("line kind", "Refund"),
        subtotal=w.pgettext("document", "Subtotal"),
        credits_applied=w.pgettext("document", "Credits applied"),
        balance_applied=w.pgettext("document", "Balance applied"),
        total=w.pgettext("document", "Total"),
        amount_paid=w.pgettext("document", "Amount paid"),
        amount_due=w.pgettext("document", "Amount due"),
        credited_invoice=w.pgettext("document", "Credits invoice"),
        credit_applied_to=w.pgettext("document", "Credit applied to"),
        remainder=w.pgettext("document", "Any remainder"),
        to_invoice=w.pgettext("document", "Invoice %(number)s", number="{number}"),
        to_refund=w.pgettext("document", "Refunded to the payment method"),
        to_balance=w.pgettext("document", "Account balance"),
        to_next_invoice=w.pgettext("document", "The next invoice"),
        total_credited=w.pgettext("document", "Total credited"),
        for_invoice=w.pgettext("document", "For invoice"),
        payment_method=w.pgettext("document", "Payment method"),
        plan_bought=w.pgettext("document", "Plan purchased"),
        refund_old_plan=w.pgettext("document", "Refund for the previous plan"),
        credits_and_balance=w.pgettext("document", "Credits and balance"),
        refunded=w.pgettext("document", "Refunded"),
        balance_top_up=w.pgettext("document", "Balance top-up"),
        method_card=w.pgettext(
            "document", "%(brand)s ending in %(last4)s", brand="{brand}", last4="{last4}"
        ),
        method_debit=w.pgettext(
            "document", "SEPA Direct Debit, account ending in %(last4)s", last4="{last4}"
        ),
        top_up_untaxed=w.pgettext(
            "document",
            "No VAT applies to a prepaid top-up: VAT is charged on the usage it pays for, when "
            "it is used.",
        ),
        billing_details=w.pgettext("document", "Billing details"),
        country=w.pgettext("document", "Country"),
        region=w.pgettext("document", "Region"),
        address=w.pgettext("document", "Address"),
        address_hint=w.pgettext("document", "One line each, as printed on invoices"),
        save_billing_details=w.pgettext("document", "Save billing details"),
        billing_details_saved=w.pgettext("document", "Your billing details were saved."),
        tax=w.pgettext("document", "VAT"),
        tax_rate=w.pgettext("document", "Rate"),
        taxable=w.pgettext("document", "Taxable amount"),
        total_net=w.pgettext("document", "Total excl. VAT"),
        total_tax=w.pgettext("document", "Total VAT"),
        total_gross=w.pgettext("document", "Total incl. VAT"),
        category_standard=w.pgettext("document", "Standard rate"),
        category_zero=w.pgettext("document", "Zero rate"),
        category_reverse_charge=w.pgettext("document", "Reverse charge"),
        category_outside_scope=w.pgettext("document", "Outside the scope of VAT"),
        mention_reverse_charge=w.pgettext(
            "document",
            "Reverse charge: VAT to be accounted for by the customer (Article 196, Directive "
            "2006/112/EC).",
        ),
        mention_outside_scope=w.pgettext(
            "document", "VAT not applicable: outside the scope of EU VAT."
        ),
        einvoice=w.pgettext("document", "E-invoice (Factur-X)"),
        page=w.pgettext("document", "Page %(page)s of %(pages)s", page="{page}", pages="{pages}"),
        line_remaining=w.pgettext("document", "Remaining time on %(item)s", item="{item}"),
        line_unused=w.pgettext("document", "Unused time on %(item)s", item="{item}"),
        line_credit=w.pgettext("document", "Credit for unused time"),
        line_refund=w.pgettext("document", "Refund for unused time"),
        line_refunded_to_card=w.pgettext("document", "Refunded to the card"),
        line_carried_to_balance=w.pgettext("document", "Carried to the balance"),
        line_paid_from_balance=w.pgettext("document", "Paid from balance"),
    )


CATALOGUES: dict[str, Labels] = {language: labels(words(language)) for language in LANGUAGES}
"""Labels by language code; the keys are the supported languages."""
EN = CATALOGUES["en"]
