"""Portal sessions: a one-time link into the customer portal for an account member."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from tierline.api.deps import OperatorDep, RuntimeDep
from tierline.api.responses import error_responses
from tierline.services.portal_sessions import CreatePortalSession, create_portal_session
from tierline.views import instant

router = APIRouter(
    prefix="/v1/portal_sessions", tags=["portal"], responses=error_responses(400, 401, 404, 409)
)


class PortalSessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    account_id: str = Field(min_length=1, max_length=64)
    role: Literal["admin", "member"] = "admin"


class PortalSessionRead(BaseModel):
    id: str
    account_id: str
    role: str
    url: str
    expires_at: str | None


@router.post("", status_code=201, response_model=PortalSessionRead)
def create(
    body: PortalSessionCreate, request: Request, rt: RuntimeDep, _: OperatorDep
) -> PortalSessionRead:
    """A link that opens the portal for the account once, within 10 minutes. Admins buy,
    change, cancel and pay; members only look."""
    session = create_portal_session(
        CreatePortalSession(body.account_id, body.role), uow=rt.uow(), clock=rt.clock
    )
    url = str(request.url_for("portal_login", token=session.token))
    return PortalSessionRead(
        id=session.id,
        account_id=session.account_id,
        role=session.role,
        url=url,
        expires_at=instant(session.expires_at),
    )
