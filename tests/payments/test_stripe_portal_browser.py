"""The portal's Stripe pages in a real browser (Debian's Chromium through Playwright) against the
local Stripe's test Stripe.js: a card added through a SetupIntent typed into Stripe's element, and
a payment that asks for 3-D Secure completed from the "Complete your payment" banner.

The app runs in uvicorn on a free port of 127.0.0.1, over a SQLite file and a test clock; the
page loads Stripe.js from the local Stripe (`TIERLINE_STRIPE_API_BASE`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser_server import Server
from tests.payments.stripe_billing import NEEDS_AUTHENTICATION, StripeBilling
from tests.payments.stripe_doubles import LocalStripe
from tierline.clock import TestClock
from tierline.errors import PaymentPending
from tierline.payments.stripe import StripeGateway
from tierline.runtime import Runtime
from tierline.store.migrate import migrate
from tierline.store.uow import UnitOfWork, create_engine

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (make installs it)",
)


@pytest.fixture
def shop(
    tmp_path: Path, stripe_gateway: StripeGateway, local_stripe: LocalStripe
) -> Iterator[tuple[StripeBilling, Server]]:
    engine = create_engine(f"sqlite:///{tmp_path / 'tierline.db'}")
    migrate(engine)
    clock = TestClock(datetime(2026, 1, 31, 10, tzinfo=UTC))
    billing = StripeBilling(UnitOfWork(engine), clock, stripe_gateway, local_stripe)  # type: ignore[arg-type]
    billing.install()
    billing.stripe_account()
    with Server(Runtime(engine, clock, stripe_gateway)) as server:
        yield billing, server
    engine.dispose()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser: Browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser.new_page()
        browser.close()


def test_a_card_typed_into_stripes_element_is_added_without_reaching_tierline(
    shop: tuple[StripeBilling, Server], page: Page
) -> None:
    billing, server = shop
    sent_to_tierline: list[str] = []
    page.on(
        "request",
        lambda r: sent_to_tierline.append(f"{r.url} {r.post_data or ''}")
        if r.url.startswith(server.base) else None,
    )  # fmt: skip
    page.goto(server.link("acme"))
    page.goto(f"{server.base}/portal/payment-methods")

    page.get_by_role("button", name="Add a card").first.click()
    page.get_by_placeholder("number").fill("4242424242424242")
    page.get_by_placeholder("exp_month").fill("12")
    page.get_by_placeholder("exp_year").fill("30")
    page.get_by_placeholder("cvc").fill("123")
    page.get_by_placeholder("postal_code").fill("75001")
    page.get_by_role("button", name="Save the payment method").click()

    expect(page.get_by_role("status")).to_contain_text("The payment method was added.")
    expect(page.locator("li[data-method]")).to_contain_text("Visa ending in 4242")
    expect(page.locator("li[data-method]")).to_contain_text("expires 2030-12")
    assert billing.methods() != {}
    assert not any("4242424242424242" in request for request in sent_to_tierline)


def test_a_payment_asking_for_3d_secure_is_completed_from_the_portals_banner(
    shop: tuple[StripeBilling, Server], page: Page
) -> None:
    billing, server = shop
    billing.add_card(NEEDS_AUTHENTICATION)
    with pytest.raises(PaymentPending):
        billing.subscribe("basic")
    page.goto(server.link("acme"))

    page.get_by_role("link", name="Complete your payment").click()
    page.get_by_role("button", name="Confirm the payment").click()
    page.get_by_role("button", name="Complete authentication").click()

    expect(page.get_by_role("status").first).to_contain_text("The payment went through.")
    assert billing.attempt().status == "succeeded"
    assert billing.invoices()[0].status == "paid"
    assert billing.subscription().plan.edition == "basic"
    expect(page.get_by_role("link", name="Complete your payment")).to_have_count(0)
