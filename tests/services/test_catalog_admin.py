"""The catalog from the console: a review lists what a new version changes and the live
subscriptions it concerns; installing keeps the earlier versions and is in the audit log."""

from __future__ import annotations

import pytest
import yaml
from service_builders import Billing, a_catalog

from tierline.catalog import CatalogError
from tierline.domain.account import Account
from tierline.errors import OperatorNotPermitted
from tierline.services.audit import Actor, audit_entries
from tierline.services.catalog_admin import catalog_versions, install_catalog_for, review_catalog

FINANCE = Actor("op_f", "finance@example.com", "finance")
OWNER = Actor("op_o", "owner@example.com", "owner")


def with_basic_at(price: str) -> str:
    body = a_catalog()
    basic = next(e for e in body["editions"] if e["code"] == "basic")
    basic["prices"] = [{"cycle": "month", "per_unit": price}]
    return yaml.safe_dump(body)


def test_a_review_lists_the_price_change_and_the_live_subscriptions_it_concerns(
    billing: Billing, acme: Account
) -> None:
    billing.subscribe("basic", "month", 10)

    review = review_catalog(FINANCE, with_basic_at("3.50"), uow=billing.uow)

    assert review.current_version == 1
    assert [(c.code, c.field) for c in review.changes] == [("basic", "prices.month")]
    assert review.live == {"basic": 1}
    assert len(catalog_versions(uow=billing.uow)) == 1  # nothing stored


def test_installing_adds_a_version_and_writes_the_audit_log(
    billing: Billing, acme: Account
) -> None:
    version = install_catalog_for(FINANCE, with_basic_at("3.50"), uow=billing.uow,
                                  clock=billing.clock)  # fmt: skip

    assert version == 2
    assert [v.version for v in catalog_versions(uow=billing.uow)] == [2, 1]
    entry = audit_entries(OWNER, uow=billing.uow, limit=1)[0]
    assert (entry.action, entry.before, entry.after) == (
        "catalog.install",
        {"version": 1},
        {"version": 2, "changes": 1},
    )


def test_an_invalid_catalog_is_refused_with_every_problem(billing: Billing, acme: Account) -> None:
    with pytest.raises(CatalogError) as refused:
        review_catalog(FINANCE, with_basic_at("-1"), uow=billing.uow)
    assert refused.value.issues


def test_support_may_not_install_a_catalog(billing: Billing, acme: Account) -> None:
    with pytest.raises(OperatorNotPermitted):
        install_catalog_for(Actor("op_s", "s@example.com", "support"), with_basic_at("3.50"),
                            uow=billing.uow, clock=billing.clock)  # fmt: skip
