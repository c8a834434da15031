from tierline.payments.gateway import (
    CardInfo,
    ChargeRequest,
    ChargeResult,
    ChargeStatus,
    Gateway,
    GatewayTimeout,
    MovementKind,
)
from tierline.payments.sandbox import (
    LedgerEntry,
    MemoryLedger,
    Movement,
    SandboxGateway,
    SandboxLedger,
    SqlLedger,
)

__all__ = [
    "CardInfo",
    "ChargeRequest",
    "ChargeResult",
    "ChargeStatus",
    "Gateway",
    "GatewayTimeout",
    "LedgerEntry",
    "MemoryLedger",
    "Movement",
    "MovementKind",
    "SandboxGateway",
    "SandboxLedger",
    "SqlLedger",
]
