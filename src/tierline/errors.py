"""Every error Tierline raises. They know nothing of HTTP; `api/errors.py` maps them.

    TierlineError
    ├── NotFound
    ├── Invalid ─── QuantityOutOfRange, InvalidSignature, InvalidTaxId
    ├── NotAllowed ─ TransitionNotAllowed, SalesManaged, NotAvailableOnEdition, TopUpNotAllowed,
    │                InvoiceUncollectible, RawCardRefused, HostedSetupUnavailable,
    │                LimitReached ─ SeatLimitReached
    ├── Conflict ─── StaleVersion, InvoiceAlreadyPaid, PaymentInProgress, PaymentPending,
    │                PurchasePaidBack
    └── PaymentFailed ─ InsufficientBalance, NoPaymentMethod

The domain raises them too, so they live in `tierline.domain.errors`; this module is their
public home.
"""

from tierline.domain.errors import (
    Conflict,
    HostedSetupUnavailable,
    InsufficientBalance,
    Invalid,
    InvalidSignature,
    InvalidTaxId,
    InvoiceAlreadyPaid,
    InvoiceUncollectible,
    InvoiceVoid,
    LimitReached,
    NoPaymentMethod,
    NotAllowed,
    NotAvailableOnEdition,
    NotFound,
    PaymentFailed,
    PaymentInProgress,
    PaymentPending,
    PurchasePaidBack,
    QuantityOutOfRange,
    RawCardRefused,
    SalesManaged,
    SeatLimitReached,
    StaleVersion,
    TierlineError,
    TopUpNotAllowed,
    TransitionNotAllowed,
)

__all__ = [
    "Conflict",
    "HostedSetupUnavailable",
    "InsufficientBalance",
    "Invalid",
    "InvalidSignature",
    "InvalidTaxId",
    "InvoiceAlreadyPaid",
    "InvoiceUncollectible",
    "InvoiceVoid",
    "LimitReached",
    "NoPaymentMethod",
    "NotAllowed",
    "NotAvailableOnEdition",
    "NotFound",
    "PaymentFailed",
    "PaymentInProgress",
    "PaymentPending",
    "PurchasePaidBack",
    "QuantityOutOfRange",
    "RawCardRefused",
    "SalesManaged",
    "SeatLimitReached",
    "StaleVersion",
    "TierlineError",
    "TopUpNotAllowed",
    "TransitionNotAllowed",
]
