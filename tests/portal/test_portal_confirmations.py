"""Money typed into the portal, quantities past any edition's, and the steps that ask before
charging a card or turning renewal off."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi import FastAPI
from markupsafe import escape
from portal_builders import an_account, csrf_of, fact, signed_in

from tierline.domain.pages import MAX_LIMIT, PageRequest
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.balance import get_balance
from tierline.services.subscriptions import get_subscription


def charges(rt: Runtime, account: str) -> list[Decimal]:
    """What the account's cards were asked to pay, oldest first."""
    page = queries.payment_page(account, PageRequest(MAX_LIMIT, None), uow=rt.uow())
    return [p.amount for p in page.items]


def form_action(html: str, button: str) -> tuple[str, str]:
    """The method and action of the form holding the button with this text."""
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        if f">{escape(button)}</button>" in form:
            found = re.search(r'method="(\w+)" action="([^"]+)"', form)
            assert found, form
            return found.group(1), found.group(2)
    raise AssertionError(f"no form with a {button!r} button")


class TestRechargeReview:
    def test_the_recharge_form_leads_to_a_review_not_to_a_charge(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap))

        page = browser.get("/portal/balance").text

        assert form_action(page, "Recharge") == ("get", "/portal/balance/recharge")

    def test_the_review_shows_the_amount_and_the_card_and_charges_nothing(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        before = charges(hap, account)

        review = browser.get("/portal/balance/recharge", params={"amount": "30"})

        assert review.status_code == 200, review.text
        assert fact(review.text, "amount") == "$30.00"
        assert fact(review.text, "card") == "Visa ending in 4242"
        assert fact(review.text, "balance-after") == "$30.00"
        pay = "Pay {amount} and recharge".format(amount="$30.00")
        assert form_action(review.text, pay) == ("post", "/portal/balance/recharge")
        assert charges(hap, account) == before
        assert get_balance(account, uow=hap.uow()) == Decimal("0.00")

    def test_confirming_the_review_charges_the_card_and_recharges(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        review = browser.get("/portal/balance/recharge", params={"amount": "30"}).text
        amount = re.search(r'name="amount" value="([^"]+)"', review)
        assert amount is not None

        done = browser.post(
            "/portal/balance/recharge", data={"csrf": csrf_of(review), "amount": amount.group(1)}
        )

        assert "Your balance was recharged; it is now $30.00." in done.text
        assert charges(hap, account)[-1] == Decimal("30.00")

    def test_a_recharge_has_its_receipt_in_the_billing_history(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, locale="it"))
        csrf = csrf_of(browser.get("/portal/balance").text)
        browser.post("/portal/balance/recharge", data={"csrf": csrf, "amount": "30.00"})

        billing = browser.get("/portal/billing").text

        receipts = billing[billing.index('id="receipts"') :]
        assert re.search(
            r"<td[^>]*>Ricarica del saldo</td><td class=\"num\"[^>]*>30,00\xa0USD</td>", receipts
        )

    def test_the_review_is_in_the_accounts_language_and_reads_its_decimal_comma(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, locale="fr"))

        review = browser.get("/portal/balance/recharge", params={"amount": "12,50"}).text

        assert str(escape("Vérifiez votre recharge")) in review
        assert fact(review, "amount") == "12,50\xa0$US"
        assert 'name="amount" value="12.50"' in review

    @pytest.mark.parametrize(
        "amount",
        ["1e3", "1_0.00", " 10.00 ", "\u0661\u0660", "1,000.00", "999999999999"],
        ids=["exponent", "underscore", "spaces around", "Arabic-Indic digits", "thousands comma",
             "twelve digits"],
    )  # fmt: skip
    def test_an_amount_that_is_not_a_top_up_is_refused_on_review_and_on_confirm(
        self, hap: Runtime, hap_app: FastAPI, amount: str
    ) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        before = charges(hap, account)

        review = browser.get("/portal/balance/recharge", params={"amount": amount})
        csrf = csrf_of(browser.get("/portal/balance").text)
        confirm = browser.post("/portal/balance/recharge", data={"csrf": csrf, "amount": amount})

        for page in (review, confirm):
            assert page.url.path == "/portal/balance"
            assert 'role="alert"' in page.text
        assert charges(hap, account) == before
        assert get_balance(account, uow=hap.uow()) == Decimal("0.00")

    def test_the_balance_page_states_the_smallest_and_largest_top_up(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        page = signed_in(hap_app, hap, an_account(hap)).get("/portal/balance").text

        assert "From {min} to {max}".format(min="$10.00", max="$10,000.00") in page


class TestUnsubscribeConfirmation:
    def test_unsubscribe_leads_to_a_confirmation_and_changes_nothing_yet(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        manage = browser.get("/portal/subscription").text
        method, action = form_action(manage, "Unsubscribe")

        page = browser.request(method.upper(), action)

        assert (method, action) == ("get", "/portal/subscription/unsubscribe")
        assert page.status_code == 200
        assert fact(page.text, "unsubscribe") == (
            "Your subscription will not renew: you can use the service until {date}, then "
            "it ends. Until then you can turn automatic renewal back on."
        ).format(date="February 28, 2026")
        confirm = form_action(page.text, "Turn off automatic renewal")
        assert confirm == ("post", "/portal/subscription/auto-renew")
        assert get_subscription(account, uow=hap.uow()).auto_renew

    def test_confirming_turns_automatic_renewal_off(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        page = browser.get("/portal/subscription/unsubscribe").text

        done = browser.post(
            "/portal/subscription/auto-renew", data={"csrf": csrf_of(page), "enabled": "0"}
        )

        assert "Automatic renewal is off: the service ends on February 28, 2026." in done.text
        assert not get_subscription(account, uow=hap.uow()).auto_renew

    def test_with_renewal_already_off_the_confirmation_goes_back_to_the_subscription(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        csrf = csrf_of(browser.get("/portal/subscription").text)
        browser.post("/portal/subscription/auto-renew", data={"csrf": csrf, "enabled": "0"})

        page = browser.get("/portal/subscription/unsubscribe")

        assert page.url.path == "/portal/subscription"


class TestQuantityCeiling:
    @pytest.mark.parametrize(
        "quantity", ["10000000000000000000000000", str(2**63), "1000001"],
        ids=["26 digits", "two to the 63", "one past the ceiling"],
    )  # fmt: skip
    def test_the_plans_total_refuses_a_quantity_past_the_ceiling(
        self, hap: Runtime, hap_app: FastAPI, quantity: str
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap))
        params = {"edition": "enterprise", "cycle": "month", "quantity": quantity}

        response = browser.get("/portal/quote", params=params)

        assert response.status_code == 200
        body = response.json()
        assert (body["ok"], body["code"], body["param"]) == (
            False,
            "quantity_out_of_range",
            "quantity",
        )
        assert (
            body["message"] == f"At most 1,000,000 can be bought at once; {int(quantity):,} asked."
        )

    @pytest.mark.parametrize(
        "path",
        ["/portal/change?quantity=10000000000000000000000000",
         "/portal/change?addon.external-users=10000000000000000000000000",
         "/portal/change?quantity=" + "9" * 5000],
        ids=["seats", "packs", "five thousand digits"],
    )  # fmt: skip
    def test_a_change_past_the_ceiling_is_refused_as_a_page(
        self, hap: Runtime, hap_app: FastAPI, path: str
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, edition="enterprise", quantity=50))

        page = browser.get(path)

        assert page.status_code == 400
        assert "<h1>" in page.text

    def test_subscribing_past_the_ceiling_is_refused_as_a_page(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, edition=None))
        query = "edition=enterprise&cycle=month&quantity=10000000000000000000000000"

        page = browser.get(f"/portal/subscribe?{query}")

        assert page.status_code == 400
        assert "At most 1,000,000 can be bought at once" in page.text
