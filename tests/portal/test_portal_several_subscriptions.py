"""Seed 000's external user pack is sold "monthly and annual" whatever the edition's cycle: the
Packs page lets the admin buy one on another cycle, which makes a second subscription of the
account; Home lists every subscription and each has its own manage page.

HAP's catalog: Standard 8.00 a seat a month; the external user pack 30.00 a month, 300.00 a year.
"""

from __future__ import annotations

import html
import io
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from portal_builders import an_account, csrf_of, fact, signed_in
from pypdf import PdfReader

from tierline.domain.plan import NO_EDITION
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.subscriptions import account_subscriptions


def _packs_bought_by_the_year(hap: Runtime, hap_app: FastAPI) -> tuple[str, TestClient]:
    account = an_account(hap)  # Standard, monthly, 10 seats
    browser = signed_in(hap_app, hap, account)
    page = browser.get("/portal/packs").text
    form = re.search(r'data-testid="own-cycle-external-users".*?</form>', page, re.S)
    assert form, "no form to buy the pack on another cycle"
    assert '<option value="year">Annual</option>' in form.group(0)
    review = browser.get("/portal/packs/subscribe?cycle=year&addon.external-users=2")
    assert review.status_code == 200
    assert fact(review.text, "cycle") == "Annual"
    assert fact(review.text, "total") == "$600.00"  # 2 packs × 300.00
    change = html.unescape(re.search(r'name="change" value="([^"]*)"', review.text).group(1))
    done = browser.post(
        "/portal/packs/subscribe", data={"csrf": csrf_of(review.text), "change": change}
    )
    assert done.status_code == 200
    assert "Your subscription is active." in done.text
    return account, browser


class TestPacksOnAnotherCycle:
    def test_a_pack_bought_by_the_year_beside_a_monthly_edition_is_a_second_subscription(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account, _ = _packs_bought_by_the_year(hap, hap_app)

        base, packs = account_subscriptions(account, uow=hap.uow())
        assert (base.plan.edition, base.plan.cycle, dict(base.plan.addons)) == (
            "standard",
            "month",
            {},
        )
        assert (packs.plan.edition, packs.plan.cycle, dict(packs.plan.addons)) == (
            NO_EDITION,
            "year",
            {"external-users": 2},
        )

    def test_home_lists_every_subscription_with_its_manage_page(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account, browser = _packs_bought_by_the_year(hap, hap_app)
        _, packs = account_subscriptions(account, uow=hap.uow())

        home = browser.get("/portal").text

        listed = re.search(r'data-testid="subscriptions".*?</section>', home, re.S)
        assert listed, "Home does not list the subscriptions"
        rows = re.findall(
            r'<tr data-subscription="([^"]+)">\s*<th scope="row">([^<]+)<', listed.group(0)
        )
        assert [html.unescape(name) for _, name in rows] == [
            "Standard · 10 seats · Monthly",
            "Annual · External user pack (100 users) × 2",
        ]
        assert f"/portal/subscription?id={packs.id}" in listed.group(0)
        # external users: Standard's 100 + 2 packs × 100 beside it = 300
        assert 'data-use="external_users">' in home
        used = re.search(r'data-use="external_users"[^>]*>([^<]*)<', home)
        assert used and used.group(1).strip().endswith("300")

    def test_each_subscription_has_its_own_manage_page_and_renewal(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account, browser = _packs_bought_by_the_year(hap, hap_app)
        _, packs = account_subscriptions(account, uow=hap.uow())

        page = browser.get(f"/portal/subscription?id={packs.id}").text
        assert fact(page, "plan").startswith("Annual · External user pack (100 users) × 2")
        assert f'name="subscription" value="{packs.id}"' in page
        off = browser.post(
            "/portal/subscription/auto-renew",
            data={"csrf": csrf_of(page), "enabled": "0", "subscription": packs.id},
        )

        assert "Automatic renewal is off: the service ends on January 31, 2027." in off.text
        base_after, packs_after = account_subscriptions(account, uow=hap.uow())
        assert (base_after.auto_renew, packs_after.auto_renew) == (True, False)

    def test_another_accounts_subscription_is_not_found(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        theirs, _ = _packs_bought_by_the_year(hap, hap_app)
        _, packs = account_subscriptions(theirs, uow=hap.uow())
        mine = signed_in(hap_app, hap, an_account(hap))

        assert mine.get(f"/portal/subscription?id={packs.id}").status_code == 404


def test_the_invoice_pdfs_name_the_subscription_of_their_lines(
    hap: Runtime, hap_app: FastAPI
) -> None:
    account, browser = _packs_bought_by_the_year(hap, hap_app)
    base, packs = account_subscriptions(account, uow=hap.uow())
    invoices = {i.subscription_id: i.number for i in queries.list_invoices(account, uow=hap.uow())}

    for sub in (base, packs):
        pdf = browser.get(f"/portal/invoices/{invoices[sub.id]}.pdf")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert f"Subscription: {sub.id}" in re.sub(r"\s+", " ", text)
