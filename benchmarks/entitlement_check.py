"""entitlement-check: latency of `check_entitlement` at a fixed rate, as the operator's product
would call it on every request.

Open loop, one thread: check i is due at start + i / rate; its latency runs from when it was
due to when it answered, so a slow check also delays (and is charged to) the ones after it.
The account is on HAP's Standard × 200 seats with 150 normal members, 60 external users and
some workflow executions consumed; the checks cycle through seats, external users and the
workflow executions quota (examples/hap/catalog.yaml).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.fixtures import database
from tierline.catalog import load_catalog
from tierline.clock import TestClock
from tierline.payments import SandboxGateway
from tierline.services.accounts import (
    AddPaymentMethod,
    CreateAccount,
    add_payment_method,
    create_account,
)
from tierline.services.catalog import install_catalog
from tierline.services.entitlements import (
    CheckEntitlement,
    RecordConsumption,
    ReportMember,
    check_entitlement,
    record_consumption,
    report_member,
)
from tierline.services.subscriptions import Subscribe, subscribe
from tierline.store.uow import UnitOfWork

HAP = Path(__file__).parents[1] / "examples" / "hap" / "catalog.yaml"
START = datetime(2026, 1, 31, 10, tzinfo=UTC)
CHECKS = (
    CheckEntitlement("acme", "seats", 1),
    CheckEntitlement("acme", "external_users", 5),
    CheckEntitlement("acme", "workflow_executions", 1),
)


@dataclass(frozen=True)
class Result:
    rate: float  # checks per second asked
    achieved: float  # checks per second done
    p50_ms: float
    p99_ms: float
    count: int


def _seed(uow: UnitOfWork, clock: TestClock) -> None:
    install_catalog(load_catalog(HAP), uow=uow, clock=clock)
    create_account(CreateAccount(name="Acme", id="acme"), uow=uow, clock=clock)
    gateway = SandboxGateway()
    add_payment_method(
        AddPaymentMethod("acme", "4242424242424242", id="visa"),
        uow=uow, clock=clock, gateway=gateway,
    )  # fmt: skip
    subscribe(
        Subscribe("acme", "standard", "month", 200, {}, False),
        uow=uow, clock=clock, gateway=gateway,
    )  # fmt: skip
    for n in range(150):
        report_member(ReportMember("acme", f"p{n}", "crm", "normal"), uow=uow, clock=clock)
    for n in range(60):
        guest = ReportMember("acme", f"g{n}", "portal", "normal", "external_users")
        report_member(guest, uow=uow, clock=clock)
    record_consumption(RecordConsumption("acme", "workflow_executions", 4321), uow=uow,
                       clock=clock)  # fmt: skip


def _percentile(sorted_values: list[float], share: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


def measure(workdir: Path, *, rate: float = 500, seconds: float = 5.0) -> Result:
    with database("sqlite", workdir) as db:
        uow = UnitOfWork(db.engine)
        _seed(uow, TestClock(START))
        for check in CHECKS * 20:  # warm the connection pool and the statement cache
            check_entitlement(check, uow=uow)
        count = int(rate * seconds)
        latencies: list[float] = []
        began = time.perf_counter()
        for i in range(count):
            due = began + i / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            decision = check_entitlement(CHECKS[i % len(CHECKS)], uow=uow)
            latencies.append(time.perf_counter() - due)
            assert decision.allowed
        elapsed = time.perf_counter() - began
    latencies.sort()
    return Result(
        rate=rate,
        achieved=count / elapsed,
        p50_ms=_percentile(latencies, 0.50) * 1000,
        p99_ms=_percentile(latencies, 0.99) * 1000,
        count=count,
    )
