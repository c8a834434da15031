"""Request dependencies: the runtime and the operator's API key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tierline.domain.pages import DEFAULT_LIMIT, MAX_LIMIT, PageRequest
from tierline.runtime import Runtime
from tierline.services.operators import authenticate
from tierline.store.uow import UnitOfWork

_bearer = HTTPBearer(auto_error=False, description="An operator API key: `tierline apikey create`.")


class Unauthorized(Exception):
    pass


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def operator(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The id of the calling API key; 401 for a missing or unknown key, with no more said."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized
    key_id = authenticate(credentials.credentials, uow=runtime(request).uow())
    if key_id is None:
        raise Unauthorized
    request.state.operator = key_id
    return key_id


def page_request(
    limit: Annotated[
        int,
        Query(
            ge=1, le=MAX_LIMIT, description=f"At most this many items (default {DEFAULT_LIMIT})."
        ),
    ] = DEFAULT_LIMIT,
    starting_after: Annotated[
        str | None,
        Query(
            description="The last item of the previous page: its `id` (a document's `number`, "
            "an entitlement's `name`, an edition's `edition`). One the list does not hold is "
            "refused: `unknown_cursor`."
        ),
    ] = None,
) -> PageRequest:
    """Where a page of a list starts and how long it is; every list endpoint takes these."""
    return PageRequest(limit, starting_after)


RuntimeDep = Annotated[Runtime, Depends(runtime)]
OperatorDep = Annotated[str, Depends(operator)]
PageDep = Annotated[PageRequest, Depends(page_request)]


def uow_of(rt: Runtime) -> UnitOfWork:
    return rt.uow()
