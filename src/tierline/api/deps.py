"""Request dependencies: the runtime, the operator's API key, and input no store keeps."""

from __future__ import annotations

import contextlib
import json
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tierline.domain.pages import DEFAULT_LIMIT, MAX_LIMIT, PageRequest
from tierline.errors import Invalid
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


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def refuse_nul_characters(request: Request) -> None:
    """A NUL character anywhere in the path, the query or the body is refused, naming the field
    that holds it: no store keeps one (PostgreSQL refuses it in text)."""
    found = next((k for k, v in request.path_params.items() if "\x00" in str(v)), None)
    found = found or next(
        (k for k, v in request.query_params.multi_items() if "\x00" in k + v), None
    )
    content_type = request.headers.get("content-type", "")
    if found is None and content_type.startswith("application/json"):
        body = await request.body()
        if b"\\u0000" in body:  # how JSON writes a NUL
            with contextlib.suppress(ValueError, RecursionError):  # not JSON: FastAPI says so
                found = _nul_in(json.loads(body))
    elif found is None and content_type.startswith(_FORMS):
        form = await request.form()
        found = next((k for k, v in form.multi_items() if "\x00" in f"{k}{v}"), None)
    if found is not None:
        name = found.replace("\x00", "\\0")
        raise Invalid(f"{name}: must not contain a NUL character.", param=name or None)


def _nul_in(body: Any) -> str | None:
    """The dotted path (`addons.storage`, `event_types.0`) of a text or a key holding a NUL."""
    stack: list[tuple[str, Any]] = [("", body)]
    while stack:  # no recursion: a body may nest as deep as the JSON parser allows
        path, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return path
        if isinstance(value, dict):
            children: Any = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        else:
            continue
        for key, child in children:
            at = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return at
            stack.append((at, child))
    return None


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
