"""Webhook endpoints: where the operator wants events sent. The signing secret is shown once,
when the endpoint is created."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from tierline.clock import Clock
from tierline.domain.pages import Page, PageRequest
from tierline.domain.webhooks import WebhookEndpoint
from tierline.errors import Invalid
from tierline.ids import new_id
from tierline.notify.webhooks import new_secret
from tierline.store.uow import UnitOfWork

MAX_URL_LENGTH = 2000
_EVENT_TYPE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _check_url(url: str) -> None:
    if len(url) > MAX_URL_LENGTH or any(c.isspace() for c in url):
        raise Invalid("Not a valid URL.", code="invalid_url", param="url")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # raises on a bad port
    except ValueError:
        raise Invalid("Not a valid URL.", code="invalid_url", param="url") from None
    if parts.scheme not in ("http", "https") or not host:
        raise Invalid(
            "A webhook URL is an http:// or https:// address.", code="invalid_url", param="url"
        )


def _event_types(event_types: Sequence[str]) -> tuple[str, ...]:
    for kind in event_types:
        if not isinstance(kind, str) or not _EVENT_TYPE.match(kind):
            raise Invalid(
                f"Not an event type: {kind!r}.", code="invalid_event_type", param="event_types"
            )
    return tuple(dict.fromkeys(event_types))


def create_endpoint(
    url: str, event_types: Sequence[str] = (), *, uow: UnitOfWork, clock: Clock
) -> WebhookEndpoint:
    """Register an endpoint for the events of these types (all of them if none are given) that
    happen from now on; the result carries its signing secret."""
    _check_url(url)
    endpoint = WebhookEndpoint(
        id=new_id("we"),
        url=url,
        secret=new_secret(),
        event_types=_event_types(event_types),
        enabled=True,
        created_at=clock.now(),
    )
    with uow:
        uow.webhooks.add(endpoint)
        uow.commit()
    return endpoint


def list_endpoints(*, uow: UnitOfWork) -> list[WebhookEndpoint]:
    with uow.reading():
        return uow.webhooks.list_endpoints()


def endpoint_page(request: PageRequest, *, uow: UnitOfWork) -> Page[WebhookEndpoint]:
    with uow.reading():
        return uow.webhooks.endpoint_page(request)


def get_endpoint(endpoint_id: str, *, uow: UnitOfWork) -> WebhookEndpoint:
    with uow.reading():
        return uow.webhooks.get(endpoint_id)


def delete_endpoint(endpoint_id: str, *, uow: UnitOfWork) -> None:
    """Stop sending to an endpoint; deliveries still waiting for it are canceled. The record
    stays, so past deliveries keep their endpoint."""
    with uow:
        uow.webhooks.get(endpoint_id)  # NotFound if unknown or already deleted
        uow.webhooks.disable(endpoint_id)
        uow.commit()
