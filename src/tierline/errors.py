"""Every error Tierline raises. They know nothing of HTTP; `api/errors.py` maps them.

    TierlineError
    ├── NotFound
    ├── Invalid ─── QuantityOutOfRange, InvalidSignature, InvalidTaxId, UnsupportedLocale,
    │               UnsupportedCurrency
    ├── NotAllowed ─ TransitionNotAllowed, SalesManaged, NotAvailableOnEdition, TopUpNotAllowed,
    │                InvoiceUncollectible, RawCardRefused, HostedSetupUnavailable,
    │                EInvoiceNeedsSeller, LimitReached ─ SeatLimitReached
    ├── Conflict ─── StaleVersion, InvoiceAlreadyPaid, PaymentInProgress, PaymentPending,
    │                PurchasePaidBack, CurrencyInUse
    │
    │  the console: Invalid ─ PasswordTooShort, InvalidTotpCode; NotAllowed ─ OperatorNotPermitted,
    │  SignInRefused, TooManySignInAttempts, OperatorLinkInvalid, InvoiceNotVoidable;
    │  Conflict ─ OperatorExists
    │  credit notes and refunds: Invalid ─ NothingToCredit, CreditAboveWhatIsLeft,
    │  RefundAboveWhatIsLeft; NotAllowed ─ InvoiceNotCreditable, PaymentNotRefundable
    └── PaymentFailed ─ InsufficientBalance, NoPaymentMethod

The domain raises them too, so they live in `tierline.domain.errors`; this module is their
public home.
"""

from tierline.domain.errors import (
    Conflict,
    CreditAboveWhatIsLeft,
    CurrencyInUse,
    EInvoiceNeedsSeller,
    HostedSetupUnavailable,
    InsufficientBalance,
    Invalid,
    InvalidSignature,
    InvalidTaxId,
    InvalidTotpCode,
    InvoiceAlreadyPaid,
    InvoiceNotCreditable,
    InvoiceNotVoidable,
    InvoiceUncollectible,
    InvoiceVoid,
    LimitReached,
    NoPaymentMethod,
    NotAllowed,
    NotAvailableOnEdition,
    NotFound,
    NothingToCredit,
    OperatorExists,
    OperatorLinkInvalid,
    OperatorNotPermitted,
    PasswordTooShort,
    PaymentFailed,
    PaymentInProgress,
    PaymentNotRefundable,
    PaymentPending,
    PurchasePaidBack,
    QuantityOutOfRange,
    RawCardRefused,
    RefundAboveWhatIsLeft,
    SalesManaged,
    SeatLimitReached,
    SignInRefused,
    StaleVersion,
    TierlineError,
    TooManySignInAttempts,
    TopUpNotAllowed,
    TransitionNotAllowed,
    UnsupportedCurrency,
    UnsupportedLocale,
)

__all__ = [
    "Conflict",
    "CreditAboveWhatIsLeft",
    "CurrencyInUse",
    "EInvoiceNeedsSeller",
    "HostedSetupUnavailable",
    "InsufficientBalance",
    "Invalid",
    "InvalidSignature",
    "InvalidTaxId",
    "InvalidTotpCode",
    "InvoiceAlreadyPaid",
    "InvoiceNotCreditable",
    "InvoiceNotVoidable",
    "InvoiceUncollectible",
    "InvoiceVoid",
    "LimitReached",
    "NoPaymentMethod",
    "NotAllowed",
    "NotAvailableOnEdition",
    "NotFound",
    "NothingToCredit",
    "OperatorExists",
    "OperatorLinkInvalid",
    "OperatorNotPermitted",
    "PasswordTooShort",
    "PaymentFailed",
    "PaymentInProgress",
    "PaymentNotRefundable",
    "PaymentPending",
    "PurchasePaidBack",
    "QuantityOutOfRange",
    "RawCardRefused",
    "RefundAboveWhatIsLeft",
    "SalesManaged",
    "SeatLimitReached",
    "SignInRefused",
    "StaleVersion",
    "TierlineError",
    "TooManySignInAttempts",
    "TopUpNotAllowed",
    "TransitionNotAllowed",
    "UnsupportedCurrency",
    "UnsupportedLocale",
]
