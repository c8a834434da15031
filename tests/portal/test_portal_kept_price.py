"""Home shows the price a subscription pays: the one it was sold at, when a new catalog version
raised the list price with `existing: keep`."""

from __future__ import annotations

from dataclasses import replace

from fastapi import FastAPI
from portal_builders import HAP, an_account, fact, signed_in

from tierline.catalog import load_catalog
from tierline.domain.catalog import Price
from tierline.runtime import Runtime
from tierline.services.catalog import install_catalog


def test_home_shows_the_kept_price_and_a_new_customer_the_new_one(
    hap: Runtime, hap_app: FastAPI
) -> None:
    before = an_account(hap, quantity=12)  # 12 × 8.00 = 96.00 a month
    catalog = load_catalog(HAP)
    raised = replace(
        catalog,
        editions=tuple(
            replace(e, prices=tuple(_plus_one(p) for p in e.prices)) if e.code == "standard" else e
            for e in catalog.editions
        ),
    )
    install_catalog(raised, uow=hap.uow(), clock=hap.clock, existing="keep")
    after = an_account(hap, quantity=12)  # 12 × 9.00 = 108.00 a month

    kept = signed_in(hap_app, hap, before).get("/portal").text
    new = signed_in(hap_app, hap, after).get("/portal").text

    assert fact(kept, "price").startswith("$96.00")
    assert fact(new, "price").startswith("$108.00")


def _plus_one(price: Price) -> Price:
    """One more a seat: Standard's 8.00 a month becomes 9.00."""
    return price if price.per_unit is None else replace(price, per_unit=price.per_unit + 1)
