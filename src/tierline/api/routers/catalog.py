"""The catalog: what a pricing page needs, and replacing it from YAML."""

from __future__ import annotations

from typing import Any, cast

from fastapi import APIRouter, Body, Query

from tierline.api.deps import OperatorDep, PageDep, RuntimeDep
from tierline.api.responses import error_responses, refusals
from tierline.api.schemas import (
    CatalogReplacedRead,
    CatalogVersionPage,
    CatalogVersionRead,
    EditionSummaryPage,
    EditionSummaryRead,
    Existing,
    QuoteCreate,
    QuoteRead,
)
from tierline.catalog import catalog_to_dict
from tierline.domain.pages import paginate
from tierline.services import catalog as service
from tierline.services import catalog_admin, queries
from tierline.services import catalog_versions as versions
from tierline.store.catalog_versions import CatalogVersion
from tierline.views import instant, money

_REFUSED = refusals(
    "invalid_catalog", "unknown_edition", "unknown_cycle", "no_price_for_cycle",
    "quantity_out_of_range", "unknown_cursor", "unsupported_currency",
)  # fmt: skip
router = APIRouter(
    tags=["catalog"], responses=error_responses(400, 401, 404, described={400: _REFUSED})
)


@router.get("/v1/catalog")
def get_catalog(rt: RuntimeDep, _: OperatorDep) -> dict[str, Any]:
    """Editions, cycles, add-ons, meters, prices and policies, in the catalog file's format."""
    return catalog_to_dict(service.current_catalog(uow=rt.uow()))


_IN_USE = (
    "currency_in_use: the new catalog does not sell in a currency accounts are billed in (an "
    "account's currency is for life); `param` is `currencies`, and the message names each such "
    "currency and how many accounts are billed in it. Nothing is installed."
)


@router.put(
    "/v1/catalog",
    response_model=CatalogReplacedRead,
    responses=error_responses(409, described={409: _IN_USE}),
)
def replace_catalog(
    rt: RuntimeDep,
    _: OperatorDep,
    body: str = Body(media_type="application/yaml", description="The whole catalog, as YAML."),
    existing: Existing = Query(
        "keep",
        description="What happens to existing subscriptions whose price changes: `keep` (they "
        "keep the price they were sold at until they change plan) or `next_renewal` (they take "
        "the new price at a renewal at least `renewal.price_change_notice_days` away, announced "
        "now by a `subscription.price_changing` message and webhook).",
    ),
) -> CatalogReplacedRead:
    """Install a new catalog version. A subscription whose price does not change moves to it."""
    done = versions.replace_catalog_text(body, existing=existing, uow=rt.uow(), clock=rt.clock)
    return CatalogReplacedRead(**done.__dict__)


@router.get("/v1/catalog/versions", response_model=CatalogVersionPage)
def catalog_versions(rt: RuntimeDep, _: OperatorDep, page: PageDep) -> CatalogVersionPage:
    """Every catalog version installed, newest first (the first is the current one). A cursor is
    a version number."""
    found = catalog_admin.catalog_versions(uow=rt.uow())
    newest = found[0].version if found else None
    listed = paginate(found, lambda v: str(v.version), page)
    return CatalogVersionPage.of(listed, lambda v: _version_read(v, newest))


def _version_read(version: CatalogVersion, newest: int | None) -> CatalogVersionRead:
    return CatalogVersionRead(
        version=version.version,
        created_at=instant(version.created_at),
        existing=cast(Existing | None, version.existing),
        current=version.version == newest,
    )


@router.get("/v1/catalog/quote", response_model=QuoteRead)
def quote(
    rt: RuntimeDep,
    _: OperatorDep,
    edition: str,
    cycle: str,
    quantity: int | None = Query(None, ge=0),
    currency: str | None = Query(
        None, max_length=8, description="One of the catalog's `currencies`; default its `currency`."
    ),
) -> QuoteRead:
    """Total = Price × Quantity for one cycle, in the currency asked."""
    return _quote_read(
        service.quote_price(edition, cycle, quantity, uow=rt.uow(), currency=currency)
    )


@router.post("/v1/catalog/quote", response_model=QuoteRead)
def quote_from_body(body: QuoteCreate, rt: RuntimeDep, _: OperatorDep) -> QuoteRead:
    """The same quote as `GET /v1/catalog/quote`, asked with a JSON body; nothing is stored."""
    found = service.quote_price(
        body.edition, body.cycle, body.quantity, uow=rt.uow(), currency=body.currency
    )
    return _quote_read(found)


def _quote_read(found: service.PriceQuote) -> QuoteRead:
    currency = found.currency
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
