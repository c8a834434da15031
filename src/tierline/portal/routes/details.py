"""Billing details: the organisation's country, region, address and tax id, as its documents
print them and its tax is decided by. Everyone can read them; an administrator can edit them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from tierline.errors import TierlineError
from tierline.portal.rendering import (
    PortalRoute,
    error_text,
    redirect,
    render,
    runtime_of,
    show_for,
)
from tierline.portal.session import AdminDep, ViewerDep
from tierline.services import queries
from tierline.services.accounts import UpdateAccount, update_account

router = APIRouter(route_class=PortalRoute)


@router.get("/billing-details")
def billing_details(request: Request, viewer: ViewerDep) -> Response:
    account = queries.get_account(viewer.account_id, uow=runtime_of(request).uow())
    return render(request, viewer, "billing_details.html", active="billing_details",
                  account=account)  # fmt: skip


@router.post("/billing-details")
def save_billing_details(
    request: Request,
    viewer: AdminDep,
    country: Annotated[str, Form(max_length=2)] = "",
    region: Annotated[str, Form(max_length=16)] = "",
    address: Annotated[str, Form(max_length=1300)] = "",
    tax_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The same checks as the API: a tax id not valid for the country is refused, and nothing
    is saved."""
    rt = runtime_of(request)
    show = show_for(queries.get_account(viewer.account_id, uow=rt.uow()))
    cmd = UpdateAccount(
        viewer.account_id, country=country, region=region, address=address.splitlines(),
        tax_id=tax_id,
    )  # fmt: skip
    try:
        update_account(cmd, uow=rt.uow())
    except TierlineError as error:
        return redirect(request, "/billing-details", error=error_text(show, error))
    return redirect(request, "/billing-details", done=show.labels.billing_details_saved)
