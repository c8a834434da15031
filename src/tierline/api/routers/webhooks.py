"""Webhook endpoints: where events are sent, signed per the Standard Webhooks spec."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from tierline.api.deps import OperatorDep, PageDep, RuntimeDep
from tierline.api.responses import ErrorBody, refusals
from tierline.api.schemas import PageRead
from tierline.domain.webhooks import WebhookEndpoint
from tierline.services import webhooks as service
from tierline.views import instant

router = APIRouter(prefix="/v1/webhook_endpoints", tags=["webhooks"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorBody,
        "description": refusals("invalid_url", "invalid_event_type", "unknown_cursor"),
    },
    401: {"model": ErrorBody, "description": "No valid operator API key."},
}


class WebhookEndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=service.MAX_URL_LENGTH, description="An http(s) URL.")
    event_types: list[str] = Field(
        default_factory=list,
        description="The event types to send, e.g. `invoice.paid`; none means every event.",
    )


class WebhookEndpointRead(BaseModel):
    id: str
    url: str
    event_types: list[str]
    created_at: str | None


class WebhookEndpointPage(PageRead[WebhookEndpointRead]):
    pass


class WebhookEndpointCreated(WebhookEndpointRead):
    secret: str = Field(
        description="The signing secret (`whsec_…`), shown this once: verify each request's "
        "`webhook-signature` with it."
    )


def endpoint_read(endpoint: WebhookEndpoint) -> WebhookEndpointRead:
    return WebhookEndpointRead(
        id=endpoint.id,
        url=endpoint.url,
        event_types=list(endpoint.event_types),
        created_at=instant(endpoint.created_at),
    )


@router.post("", status_code=201, response_model=WebhookEndpointCreated, responses=_ERRORS)
def create_endpoint(
    body: WebhookEndpointCreate, rt: RuntimeDep, _: OperatorDep
) -> WebhookEndpointCreated:
    endpoint = service.create_endpoint(body.url, body.event_types, uow=rt.uow(), clock=rt.clock)
    return WebhookEndpointCreated(**endpoint_read(endpoint).model_dump(), secret=endpoint.secret)


@router.get("", response_model=WebhookEndpointPage, responses=_ERRORS)
def list_endpoints(rt: RuntimeDep, _: OperatorDep, page: PageDep) -> WebhookEndpointPage:
    """The endpoints not deleted, oldest first."""
    return WebhookEndpointPage.of(service.endpoint_page(page, uow=rt.uow()), endpoint_read)


@router.delete(
    "/{endpoint_id}",
    status_code=204,
    responses={
        **_ERRORS,
        404: {"model": ErrorBody, "description": "No such endpoint, or deleted already."},
    },
)
def delete_endpoint(endpoint_id: str, rt: RuntimeDep, _: OperatorDep) -> Response:
    service.delete_endpoint(endpoint_id, uow=rt.uow())
    return Response(status_code=204)
