"""Request and response bodies. Amounts are decimal strings in `currency`; instants ISO 8601 UTC."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from tierline.domain.pages import Page

T = TypeVar("T")
X = TypeVar("X")

# What the store holds in an INTEGER column: anything larger is refused as a bad field, not a 500.
MAX_QUANTITY = 2_147_483_647


class _In(BaseModel):
    # Strict: JSON `true` is not a quantity and `"5"` is not a number.
    model_config = ConfigDict(extra="forbid", strict=True)


# A quantity of an edition or an add-on: the catalog's bounds (and the ceiling of
# `tierline.domain.plan`) refuse one out of range with `quantity_out_of_range`.
Quantity = Annotated[
    int, Field(ge=0, description="Within the edition's bounds in the catalog; at most 1,000,000.")
]


class PageRead(BaseModel, Generic[T]):
    """A page of a list: `has_more` says whether another page follows this one (ask for it with
    `starting_after` set to the last item of this one)."""

    data: list[T]
    has_more: bool

    @classmethod
    def of(cls, page: Page[X], read: Callable[[X], T]) -> Self:
        return cls(data=[read(item) for item in page.items], has_more=page.has_more)


# accounts


class AccountCreate(_In):
    id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1, max_length=200)
    currency: str | None = Field(
        None,
        max_length=8,
        description="ISO 4217; one of the catalog's `currencies` (default: the catalog's "
        "`currency`). Every document, payment and balance movement of the account is in it, "
        "for life; refused with `unsupported_currency`.",
    )
    timezone: str = "UTC"
    locale: str = Field("en", max_length=16)
    sales_managed: bool = False
    billing_email: str | None = Field(None, max_length=320)
    country: str | None = Field(
        None, max_length=2, description="ISO 3166-1 alpha-2; decides the tax rate."
    )
    region: str | None = Field(
        None, max_length=16, description="Where the catalog's rates name regions (US: CA)."
    )
    address: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=6, description="Printed lines, as on documents."
    )
    tax_id: str | None = Field(
        None,
        max_length=64,
        description="A business's VAT or tax number, checked for `country` (format and check "
        "digits); refused with `invalid_tax_id`.",
    )


class AccountUpdate(_In):
    """Fields left out stay as they are; `""` removes `region` or `tax_id`, `[]` the address."""

    name: str | None = Field(None, min_length=1, max_length=200)
    timezone: str | None = None
    locale: str | None = Field(None, max_length=16)
    sales_managed: bool | None = None
    billing_email: str | None = Field(None, max_length=320)
    country: str | None = Field(None, max_length=2)
    region: str | None = Field(None, max_length=16)
    address: list[Annotated[str, Field(max_length=200)]] | None = Field(None, max_length=6)
    tax_id: str | None = Field(None, max_length=64)


class AccountRead(BaseModel):
    id: str
    name: str
    currency: str
    timezone: str
    locale: str
    sales_managed: bool
    billing_email: str | None
    created_at: str | None
    country: str | None = None
    region: str | None = None
    address: list[str] = []
    tax_id: str | None = None


class AccountPage(PageRead[AccountRead]):
    pass


# payment methods


class PaymentMethodCreate(_In):
    card: str = Field(description="A sandbox test card number, e.g. 4242424242424242.")
    id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    primary: bool | None = None
    backup: bool = False


class PaymentMethodSetupCreate(_In):
    type: Literal["card", "sepa_debit"] = Field(
        "card", description="A card, or a bank account (IBAN) debited under a SEPA mandate."
    )
    use_as: Literal["primary", "backup", "other"] = "primary"


class PaymentMethodSetupRead(BaseModel):
    """A setup for the customer to confirm with Stripe.js (`stripe.confirmCardSetup` or
    `stripe.confirmSepaDebitSetup` with `client_secret`); the method appears in the account's
    list once the provider confirms it."""

    id: str
    type: Literal["card", "sepa_debit"]
    client_secret: str
    publishable_key: str


class PaymentMethodRead(BaseModel):
    id: str
    brand: str
    last4: str
    is_primary: bool
    is_backup: bool
    expiry: str | None = None  # a card's, as YYYY-MM, when the provider gives it
    bank: str | None = None  # a direct debit's bank code
    mandate_reference: str | None = None  # a direct debit's mandate


class PaymentMethodPage(PageRead[PaymentMethodRead]):
    pass


class PaymentRolesUpdate(_In):
    primary: str | None = None
    backup: str | None = None


# subscriptions


class SubscriptionCreate(_In):
    """An edition (the account's base subscription), or, without `edition`, packs on their own
    cycle beside the account's live paid edition (`not_available_on_edition` otherwise)."""

    account_id: str
    edition: str | None = Field(
        None, description="Omit for an add-on-only subscription: `addons` on their own cycle."
    )
    cycle: str
    quantity: Quantity | None = None
    addons: dict[str, int] = Field(default_factory=dict)
    trial: bool = True
    auto_renew: bool = True


class ChangeCreate(_In):
    edition: str | None = None
    cycle: str | None = None
    quantity: Quantity | None = None
    addons: dict[str, int] = Field(default_factory=dict)


class AutoRenewUpdate(_In):
    enabled: bool


class PendingChangeRead(BaseModel):
    edition: str | None
    cycle: str
    quantity: int
    addons: dict[str, int]
    change: str
    effective_at: str | None


class PriceChangeRead(BaseModel):
    """A new price announced for a renewal (`existing: next_renewal`): one full cycle of the
    plan, before tax, in the subscription's currency."""

    amount_before: str = Field(description="What a full cycle costs until `effective_at`.")
    amount_after: str = Field(description="What it costs from the renewal at `effective_at`.")
    catalog_version: int = Field(description="The catalog version it is priced from then.")
    effective_at: str | None


class SubscriptionRead(BaseModel):
    id: str
    account_id: str
    edition: str | None = Field(description="Null for an add-on-only subscription.")
    cycle: str
    quantity: int
    addons: dict[str, int]
    status: str
    display_status: str
    auto_renew: bool
    current_period_start: str | None
    current_period_end: str | None
    started_at: str | None
    trial_end: str | None
    next_payment_at: str | None
    ended_at: str | None
    pending_change: PendingChangeRead | None
    currency: str
    catalog_version: int = Field(description="The catalog version its renewals are priced from.")
    price_change: PriceChangeRead | None = Field(
        description="A new price announced for a later renewal; null when none is."
    )


class SubscriptionPage(PageRead[SubscriptionRead]):
    pass


class LineRead(BaseModel):
    kind: str
    description: str
    period_start: str | None
    period_end: str | None
    quantity: int | None
    unit_amount: str | None
    amount: str
    subscription: str | None = Field(
        None, description="The subscription an invoice or credit note line bills or credits."
    )


class EffectRead(BaseModel):
    kind: str
    name: str
    before: int | None = None
    after: int | None = None


class ContentActionRead(BaseModel):
    """One action of a reconciliation plan: what happens to one resource of the account."""

    kind: str  # remove | scale | cap | detach | reattach
    resource_id: str
    type: str
    attribute: str | None = None
    before: int | None = None
    after: int | None = None
    rule: str
    reason: str


class PreviewRead(BaseModel):
    change: str
    lines: list[LineRead]
    total_now: str
    credit: str
    credit_to: str
    effective_at: str | None
    scheduled: bool
    next_renewal_amount: str
    effects: list[EffectRead]
    content: list[ContentActionRead] = []
    currency: str


class ChangeRead(BaseModel):
    subscription: SubscriptionRead
    preview: PreviewRead
    invoice: str | None
    credit_note: str | None


# money documents


class TaxRead(BaseModel):
    """A document's tax at one rate and category (EN 16931 VAT breakdown)."""

    rate: str = Field(description="Percent, e.g. 20 or 19.6.")
    category: Literal["standard", "zero", "reverse_charge", "outside_scope"]
    taxable: str
    amount: str
    mention: str | None = Field(
        None, description="What the document must say, e.g. Reverse charge."
    )


class PartyRead(BaseModel):
    name: str
    country: str | None
    region: str | None = None
    address: list[str]
    tax_id: str | None


class PartiesRead(BaseModel):
    """The seller and the buyer as the document was issued to them."""

    seller: PartyRead | None
    buyer: PartyRead


class InvoiceRead(BaseModel):
    number: str
    issued_at: str | None
    status: str
    due_at: str | None
    reason: str
    lines: list[LineRead]
    subtotal: str = Field(description="The sum of the lines as priced.")
    tax: list[TaxRead] = Field([], description="Once per rate and category; empty without tax.")
    tax_total: str = "0"
    gross: str = Field("0", description="Tax included, before credits and balance.")
    credits_applied: str
    balance_applied: str
    total: str = Field(description="What is left to collect after credits and balance.")
    amount_paid: str
    currency: str
    parties: PartiesRead | None = None


class InvoicePage(PageRead[InvoiceRead]):
    pass


class CreditNoteRead(BaseModel):
    number: str
    issued_at: str | None
    invoice: str | None
    lines: list[LineRead]
    tax: list[TaxRead] = []
    tax_total: str = "0"
    gross: str = "0"
    total: str = Field(description="What is credited, tax included.")
    credit_to: str
    currency: str
    parties: PartiesRead | None = None


class CreditNotePage(PageRead[CreditNoteRead]):
    pass


class ReceiptRead(BaseModel):
    number: str
    issued_at: str | None
    invoice: str | None
    payment_method: str | None
    lines: list[LineRead]
    tax: list[TaxRead] = Field(
        [],
        description="The tax of the invoice paid, once per rate and category, as that invoice "
        "has it; empty for a top-up (not taxed when bought) and without tax.",
    )
    tax_total: str = Field("0", description="The invoice's tax; zero for a top-up.")
    gross: str | None = Field(
        None, description="The invoice's amount, tax included; null for a top-up."
    )
    amount_paid: str
    currency: str
    parties: PartiesRead | None = None


class ReceiptPage(PageRead[ReceiptRead]):
    pass


class PaymentRead(BaseModel):
    id: str
    at: str | None
    amount: str
    payment_method: str | None
    status: str
    invoice: str | None
    failure_code: str | None = None
    currency: str


class PaymentPage(PageRead[PaymentRead]):
    pass


class InvoicePaymentCreate(_In):
    payment_method: str | None = Field(
        None, description="The payment method to charge; without it, the primary, then the backup."
    )


class InvoicePaymentRead(BaseModel):
    invoice: InvoiceRead
    receipt: ReceiptRead


# balance and usage


class BalanceRead(BaseModel):
    balance: str
    currency: str


class TopUpCreate(_In):
    amount: str = Field(description='A decimal string, e.g. "50.00".')
    payment_method: str | None = None


class UsageCreate(_In):
    meter: str
    quantity: int = Field(gt=0, le=MAX_QUANTITY)


class UsageRead(BaseModel):
    meter: str
    quantity: int
    fee: str
    balance: str
    currency: str


class BalanceTransactionRead(BaseModel):
    id: str
    at: str | None
    kind: str
    amount: str
    reference: str | None
    currency: str


class BalanceTransactionPage(PageRead[BalanceTransactionRead]):
    pass


class MessageRead(BaseModel):
    id: str = Field(description="`evt_…`: the `webhook-id` of the same event.")
    at: str | None
    kind: str
    text: str
    payload: dict[str, Any]


class MessagePage(PageRead[MessageRead]):
    pass


# catalog


class QuoteCreate(_In):
    edition: str = Field(min_length=1, max_length=64)
    cycle: str = Field(min_length=1, max_length=64)
    quantity: int | None = Field(None, ge=0, description="Default: the edition's default.")
    currency: str | None = Field(
        None, max_length=8, description="One of the catalog's `currencies`; default its `currency`."
    )


class QuoteRead(BaseModel):
    edition: str
    cycle: str
    quantity: int
    unit_amount: str | None
    total: str
    per_month: str | None
    discount_percent: str
    currency: str


class EditionSummaryRead(BaseModel):
    edition: str
    name: str
    subscriptions: int
    units: int


class EditionSummaryPage(PageRead[EditionSummaryRead]):
    pass


Existing = Literal["keep", "next_renewal"]


class CatalogVersionRead(BaseModel):
    version: int
    created_at: str | None
    existing: Existing | None = Field(
        description="What it did to existing subscriptions whose price it changed; null for "
        "the first install."
    )
    current: bool = Field(description="The version new purchases and changes are priced from.")


class CatalogVersionPage(PageRead[CatalogVersionRead]):
    pass


class CatalogReplacedRead(BaseModel):
    version: int
    existing: Existing
    moved: int = Field(description="Subscriptions whose price does not change: on it already.")
    kept: int = Field(description="Subscriptions that keep the price they were sold at.")
    announced: int = Field(
        description="Subscriptions told of the new price, which they take at a later renewal."
    )


class ClockAdvance(_In):
    to: str = Field(description="ISO 8601 instant to move the test clock to.")


class ClockRead(BaseModel):
    now: str | None
