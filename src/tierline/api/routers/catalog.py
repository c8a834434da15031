"""The catalog: what a pricing page needs, and replacing it from YAML."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Query

from tierline.api.deps import OperatorDep, PageDep, RuntimeDep
from tierline.api.responses import error_responses, refusals
from tierline.api.schemas import (
    CatalogVersionRead,
    EditionSummaryPage,
    EditionSummaryRead,
    QuoteRead,
)
from tierline.catalog import catalog_to_dict
from tierline.domain.pages import paginate
from tierline.services import catalog as service
from tierline.services import queries
from tierline.views import money

_REFUSED = refusals(
    "invalid_catalog", "unknown_edition", "unknown_cycle", "no_price_for_cycle",
    "quantity_out_of_range", "unknown_cursor",
)  # fmt: skip
router = APIRouter(
    tags=["catalog"], responses=error_responses(400, 401, 404, described={400: _REFUSED})
)


@router.get("/v1/catalog")
def get_catalog(rt: RuntimeDep, _: OperatorDep) -> dict[str, Any]:
    """Editions, cycles, add-ons, meters, prices and policies, in the catalog file's format."""
    return catalog_to_dict(service.current_catalog(uow=rt.uow()))


@router.put("/v1/catalog", response_model=CatalogVersionRead)
def replace_catalog(
    rt: RuntimeDep,
    _: OperatorDep,
    body: str = Body(media_type="application/yaml", description="The whole catalog, as YAML."),
) -> CatalogVersionRead:
    """Existing subscriptions keep what they paid; new prices apply from their next renewal."""
    version = service.replace_catalog_yaml(body, uow=rt.uow(), clock=rt.clock)
    return CatalogVersionRead(version=version)


@router.get("/v1/catalog/quote", response_model=QuoteRead)
def quote(
    rt: RuntimeDep,
    _: OperatorDep,
    edition: str,
    cycle: str,
    quantity: int | None = Query(None, ge=0),
) -> QuoteRead:
    found = service.quote_price(edition, cycle, quantity, uow=rt.uow())
    currency = service.current_catalog(uow=rt.uow()).currency
    return QuoteRead(
        edition=found.edition,
        cycle=found.cycle,
        quantity=found.quantity,
        unit_amount=None if found.unit_amount is None else money(found.unit_amount, currency),
        total=money(found.total, currency),
        per_month=None if found.per_month is None else money(found.per_month, currency),
        discount_percent=str(found.discount_percent),
        currency=currency,
    )


@router.get("/v1/plans/summary", response_model=EditionSummaryPage)
def plan_summary(rt: RuntimeDep, _: OperatorDep, page: PageDep) -> EditionSummaryPage:
    """Every edition, in the catalog's order, with the number of live subscriptions and units
    on it. A cursor is an edition's code."""
    editions = queries.plan_summary(uow=rt.uow())  # as many as the catalog has
    found = paginate(editions, lambda s: s.edition, page)
    return EditionSummaryPage.of(found, lambda s: EditionSummaryRead(**s.__dict__))
