from tierline.payments.gateway import (
    CardInfo,
    ChargeResult,
    Gateway,
    GatewayTimeout,
    SandboxGateway,
)

__all__ = ["CardInfo", "ChargeResult", "Gateway", "GatewayTimeout", "SandboxGateway"]
