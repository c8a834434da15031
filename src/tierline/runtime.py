"""One running Tierline: a database, a clock and a payment gateway, shared by the API, the
portal, the CLI and the billing run."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from tierline.clock import Clock
from tierline.payments import Gateway
from tierline.store.uow import UnitOfWork


@dataclass
class Runtime:
    engine: Engine
    clock: Clock
    gateway: Gateway

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)
