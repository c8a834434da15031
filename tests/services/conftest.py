"""Fixtures for service tests: a `Billing` helper on the test's database, clock and sandbox
gateway, the default catalog installed, and account `acme` with a primary and a backup card.
The builders themselves are in `service_builders.py`."""

from __future__ import annotations

import pytest
from service_builders import Billing

from tierline.clock import TestClock
from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.payments import SandboxGateway
from tierline.store.uow import UnitOfWork


@pytest.fixture
def billing(uow: UnitOfWork, clock: TestClock, gateway: SandboxGateway) -> Billing:
    return Billing(uow, clock, gateway)


@pytest.fixture
def catalog(billing: Billing) -> Catalog:
    """The default catalog, installed."""
    return billing.install()


@pytest.fixture
def acme(billing: Billing, catalog: Catalog) -> Account:
    """Account `acme` with a primary Visa (`main`) and a backup Mastercard (`backup`)."""
    return billing.account()
