"""Request dependencies: the runtime and the operator's API key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

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


RuntimeDep = Annotated[Runtime, Depends(runtime)]
OperatorDep = Annotated[str, Depends(operator)]


def uow_of(rt: Runtime) -> UnitOfWork:
    return rt.uow()
