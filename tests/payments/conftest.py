"""Fixtures for the Stripe adapter: a local Stripe (localstripe) per test process, emptied for
each test, and the adapter on it with an HTTP client that keeps what it sends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.payments.stripe_billing import StripeBilling
from tests.payments.stripe_doubles import (
    PUBLISHABLE_KEY,
    SECRET_KEY,
    WEBHOOK_SECRET,
    LocalStripe,
    RecordingClient,
)
from tierline.clock import TestClock
from tierline.payments.stripe import StripeGateway
from tierline.store.uow import UnitOfWork


@pytest.fixture(scope="session")
def local_stripe() -> Iterator[LocalStripe]:
    server = LocalStripe()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def stripe_http() -> RecordingClient:
    return RecordingClient()


@pytest.fixture
def stripe_gateway(local_stripe: LocalStripe, stripe_http: RecordingClient) -> StripeGateway:
    local_stripe.clear()
    return StripeGateway(
        SECRET_KEY, publishable_key=PUBLISHABLE_KEY, webhook_secret=WEBHOOK_SECRET,
        api_base=local_stripe.url, http_client=stripe_http,
    )  # fmt: skip


@pytest.fixture
def on_stripe(
    uow: UnitOfWork, clock: TestClock, stripe_gateway: StripeGateway, local_stripe: LocalStripe
) -> StripeBilling:
    """The default catalog installed, and account `acme` with no payment method yet."""
    billing = StripeBilling(uow, clock, stripe_gateway, local_stripe)  # type: ignore[arg-type]
    billing.install()
    billing.stripe_account()
    return billing
