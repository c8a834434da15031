"""The console installs a new catalog version with the operator's choice for the subscriptions
whose price it changes."""

from __future__ import annotations

import html
import re

from console_builders import console_as, csrf_of
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.portal.portal_builders import an_account
from tierline.runtime import Runtime
from tierline.services.catalog_admin import catalog_versions


def raised_standard(browser: TestClient) -> str:
    current = browser.get("/console/catalog")
    found = re.search(r'id="catalog-yaml">(.*?)</pre>', current.text, re.S)
    assert found is not None
    body = html.unescape(found.group(1))
    changed = body.replace("per_unit: '8.00'", "per_unit: '9.00'", 1)
    assert changed != body
    return changed


def test_the_review_offers_both_choices_with_the_notice_period(
    fresh: Runtime, fresh_app: FastAPI
) -> None:
    browser = console_as(fresh_app, fresh, "owner")
    changed = raised_standard(browser)

    review = browser.post(
        "/console/catalog/review",
        data={"csrf": csrf_of(browser.get("/console/catalog").text), "text": changed},
    )

    choice = review.text.split('id="existing"', 1)[1].split("</fieldset>", 1)[0]
    assert 'value="keep" checked' in choice
    assert "at least 30 days away" in choice


def test_next_renewal_tells_the_customers_whose_price_changes(
    fresh: Runtime, fresh_app: FastAPI
) -> None:
    account = an_account(fresh, edition="standard")
    browser = console_as(fresh_app, fresh, "owner")
    changed = raised_standard(browser)
    review = browser.post(
        "/console/catalog/review",
        data={"csrf": csrf_of(browser.get("/console/catalog").text), "text": changed},
    )

    done = browser.post(
        "/console/catalog/install",
        data={"csrf": csrf_of(review.text), "text": changed, "existing": "next_renewal"},
    )

    assert "The new catalog version is installed." in done.text
    assert catalog_versions(uow=fresh.uow())[0].existing == "next_renewal"
    with fresh.uow().reading() as uow:
        kinds = [m["kind"] for m in uow.outbox.for_account(account)]
    assert "subscription.price_changing" in kinds
