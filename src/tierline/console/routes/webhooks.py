"""Webhooks: the endpoints, recent deliveries with status and attempts, and sending one again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tierline.console.rendering import ConsoleRoute, page, redirect
from tierline.console.session import PostingDep, SessionDep, needs, runtime_of
from tierline.services.webhook_admin import replay_delivery, webhook_overview

router = APIRouter(route_class=ConsoleRoute)


@router.get("/webhooks")
def webhooks(request: Request, session: SessionDep, account: str = "") -> Response:
    needs(session, "view")
    rt = runtime_of(request)
    found = webhook_overview(uow=rt.uow(), account_id=account or None)
    return page(request, session, "webhooks.html", active="webhooks", overview=found,
                account=account)  # fmt: skip


@router.post("/webhooks/{event_id}/{endpoint_id}/replay")
def replay(request: Request, session: PostingDep, event_id: int, endpoint_id: str) -> Response:
    needs(session, "replay_webhook")
    rt = runtime_of(request)
    replay_delivery(session.actor, event_id, endpoint_id, uow=rt.uow(), clock=rt.clock)
    return redirect("/webhooks", done="webhook_replayed")
