"""A trial ends by a purchase: the licence of the same plan, or an edition without a trial."""

from __future__ import annotations

import re
from html import unescape

from fastapi import FastAPI
from fastapi.testclient import TestClient
from portal_builders import an_account, csrf_of, fact, signed_in

from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.subscriptions import get_subscription


def confirm(browser: TestClient, review: str) -> None:
    change = re.search(r'name="change" value="([^"]+)"', review)
    assert change is not None
    done = browser.post(
        "/portal/change", data={"csrf": csrf_of(review), "change": unescape(change[1])}
    )
    assert done.status_code == 200, done.text


class TestBuyingTheLicenceOfATrial:
    def test_home_offers_to_buy_the_licence_of_the_trial_edition(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition="professional", trial=True)

        home = signed_in(hap_app, hap, account).get("/portal").text

        assert 'data-testid="buy-licence"' in home
        assert 'href="/portal/change?edition=professional"' in home

    def test_the_review_charges_a_full_first_period_now(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition="professional", trial=True)

        review = signed_in(hap_app, hap, account).get("/portal/change?edition=professional")

        assert review.status_code == 200
        assert "<h1>Review before paying</h1>" in review.text
        assert "The trial ends now and the licence starts" in review.text
        assert fact(review.text, "due-now") == "$140.00"  # 10 seats at $14 for a month

    def test_paying_ends_the_trial_and_starts_the_paid_period_now(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition="professional", trial=True)
        browser = signed_in(hap_app, hap, account)

        confirm(browser, browser.get("/portal/change?edition=professional").text)

        sub = get_subscription(account, uow=hap.uow())
        assert sub.status == "active"
        assert sub.period.start == hap.clock.now()
        (invoice,) = queries.list_invoices(account, uow=hap.uow())
        assert invoice.status == "paid"
        assert invoice.total == 140


class TestMovingATrialToAnEditionWithoutATrial:
    def test_it_is_a_purchase_of_that_edition(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, edition="professional", trial=True, quantity=50)
        browser = signed_in(hap_app, hap, account)

        review = browser.get("/portal/change?edition=enterprise")

        assert review.status_code == 200, review.text
        assert "<h1>Review before paying</h1>" in review.text
        assert fact(review.text, "due-now") != "$0.00"
        confirm(browser, review.text)
        sub = get_subscription(account, uow=hap.uow())
        assert (sub.plan.edition, sub.status) == ("enterprise", "active")
        assert [i.status for i in queries.list_invoices(account, uow=hap.uow())] == ["paid"]

    def test_without_a_card_it_is_not_free(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, edition="professional", trial=True, quantity=50, card=None)
        browser = signed_in(hap_app, hap, account)

        review = browser.get("/portal/change?edition=enterprise").text

        assert "There is no payment method yet: add one first." in review
        sub = get_subscription(account, uow=hap.uow())
        assert (sub.plan.edition, sub.status) == ("professional", "trialing")
