"""Payment providers' webhooks: `POST /v1/providers/stripe/webhooks`.

No API key: Stripe signs each event (`Stripe-Signature`), and an event whose signature does not
verify is refused with 400 and changes nothing. An event processed before is acknowledged again.
It is Stripe's endpoint, not the operator's: the OpenAPI document leaves it out.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from tierline.api.deps import RuntimeDep
from tierline.services.provider_events import receive_provider_event

router = APIRouter(prefix="/v1/providers", tags=["providers"])


class ProviderEventRead(BaseModel):
    id: str
    type: str
    duplicate: bool


@router.post("/stripe/webhooks", response_model=ProviderEventRead, include_in_schema=False)
async def stripe_webhook(
    request: Request,
    rt: RuntimeDep,
    stripe_signature: Annotated[str, Header()] = "",
) -> ProviderEventRead:
    """Stripe's events: payments succeeded, failed, processing or waiting for authentication;
    setups succeeded; refunds updated. Others are acknowledged and ignored."""
    payload = await request.body()
    received = await run_in_threadpool(
        lambda: receive_provider_event(
            payload, stripe_signature, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway
        )
    )
    return ProviderEventRead(id=received.id, type=received.kind, duplicate=received.duplicate)
