"""Every error Tierline raises. They know nothing of HTTP; `api/errors.py` maps them.

    TierlineError
    ├── NotFound
    ├── Invalid ─── QuantityOutOfRange
    ├── NotAllowed ─ TransitionNotAllowed, SalesManaged, NotAvailableOnEdition, TopUpNotAllowed,
    │                InvoiceUncollectible, LimitReached ─ SeatLimitReached
    ├── Conflict ─── StaleVersion, InvoiceAlreadyPaid, PaymentInProgress, PaymentPending
    └── PaymentFailed ─ InsufficientBalance, NoPaymentMethod

The domain raises them too, so they live in `tierline.domain.errors`; this module is their
public home.
"""

from tierline.domain.errors import (
    Conflict,
    InsufficientBalance,
    Invalid,
    InvoiceAlreadyPaid,
    InvoiceUncollectible,
    LimitReached,
    NoPaymentMethod,
    NotAllowed,
    NotAvailableOnEdition,
    NotFound,
    PaymentFailed,
    PaymentInProgress,
    PaymentPending,
    QuantityOutOfRange,
    SalesManaged,
    SeatLimitReached,
    StaleVersion,
    TierlineError,
    TopUpNotAllowed,
    TransitionNotAllowed,
)

__all__ = [
    "Conflict",
    "InsufficientBalance",
    "Invalid",
    "InvoiceAlreadyPaid",
    "InvoiceUncollectible",
    "LimitReached",
    "NoPaymentMethod",
    "NotAllowed",
    "NotAvailableOnEdition",
    "NotFound",
    "PaymentFailed",
    "PaymentInProgress",
    "PaymentPending",
    "QuantityOutOfRange",
    "SalesManaged",
    "SeatLimitReached",
    "StaleVersion",
    "TierlineError",
    "TopUpNotAllowed",
    "TransitionNotAllowed",
]
