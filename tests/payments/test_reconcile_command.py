"""`tierline payments reconcile` with the Stripe settings, against the local Stripe: a payment
whose sender stopped after Stripe took it is found by its key and recorded, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from tests.conftest import Store
from tests.payments.stripe_billing import VISA, StripeBilling
from tests.payments.stripe_doubles import SECRET_KEY, Crash, LocalStripe, RecordingClient
from tierline.cli import app
from tierline.clock import TestClock
from tierline.payments.stripe import StripeGateway
from tierline.store.uow import UnitOfWork


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # the command reaches it by URL
def test_reconcile_records_what_stripe_did_with_an_attempt_left_sent(
    store: Store, local_stripe: LocalStripe, stripe_gateway: StripeGateway,
    stripe_http: RecordingClient,
) -> None:  # fmt: skip
    clock = TestClock(datetime.now(UTC) - timedelta(hours=1))
    billing = StripeBilling(UnitOfWork(store.engine), clock, stripe_gateway, local_stripe)  # type: ignore[arg-type]
    billing.install()
    billing.stripe_account()
    billing.add_card(VISA)
    stripe_http.crash_after = "/v1/payment_intents"
    with pytest.raises(Crash):
        billing.subscribe("basic")
    env = {
        "TIERLINE_DATABASE_URL": store.url, "TIERLINE_PAYMENTS": "stripe",
        "TIERLINE_STRIPE_SECRET_KEY": SECRET_KEY, "TIERLINE_STRIPE_API_BASE": local_stripe.url,
    }  # fmt: skip

    result = CliRunner().invoke(app, ["payments", "reconcile", "--older-than", "600"], env=env)
    again = CliRunner().invoke(app, ["payments", "reconcile", "--older-than", "600"], env=env)

    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("asked 1, recorded 1, still waiting 0, not received 0")
    assert again.output.strip() == "asked 0, recorded 0, still waiting 0, not received 0"
    assert billing.attempt().status == "succeeded"
    assert billing.invoices()[0].status == "paid"
    assert len(stripe_http.posts_to("/v1/payment_intents")) == 1
