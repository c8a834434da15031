"""`Idempotency-Key` on POST: a request with a key has its effect at most once, and a retry with
the same key and body gets the first response back for 24 hours.

A key belongs to the operator API key that sent it (the id of its row, whatever the spelling of
the `Authorization` header). A request without a valid API key is not recorded: it gets its 401.

The first request claims the key: a record naming it as owner, with a lease that starts then
(30 s unless the middleware is told otherwise). While it runs, the claim is in a context variable;
the first commit of the request's effect marks the record `effect_committed` in the same
transaction, provided the request still owns it (else that commit fails with 409
`idempotency_claim_lost` and changes nothing). After the response, the record keeps the status and
body (`done`), or is deleted after a 401 or a 5xx that committed no effect.

The next request with that key and body gets:

- `done`: the first response again, with `Idempotent-Replayed: true`;
- a lease still running: 409 `idempotency_in_progress`;
- a lease run out with no effect committed (the first request died before its effect): the
  request takes the key over, with a new lease, and runs;
- an effect committed but no response recorded (the first request died after its effect, or
  ended in a 5xx after it): 409 `idempotency_outcome_unknown`, for as long as the key is kept.
  The request never runs again; its response cannot be replayed because it was never recorded,
  and a made-up success would not have the body the route promises. The client reads the
  resource (the balance, the subscription) to learn the outcome.

The same key with another method, path or body is 409 `idempotency_conflict`.

A request that runs longer than the lease before its first commit can be taken over while still
alive; its commit then fails, so one of the two has the effect. The lease must therefore be longer
than any request takes to reach its first commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Literal

from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from tierline.api.errors import error_response
from tierline.runtime import Runtime
from tierline.services.operators import authenticate
from tierline.store.operators import (
    DONE,
    EFFECT_COMMITTED,
    IdempotencyClaim,
    IdempotencyRecord,
    IdempotencyRepository,
    current_claim,
)

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(hours=24)
LEASE = timedelta(seconds=30)

Verdict = Literal["claimed", "conflict", "replay", "in_progress", "outcome_unknown", "take_over"]


def request_hash(method: str, path: str, body: bytes) -> str:
    """What makes two requests "the same request" for one key."""
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def verdict(found: IdempotencyRecord, hashed: str, now: datetime, lease: timedelta) -> Verdict:
    """What a request with a key already recorded gets (see the module's docstring)."""
    if found.request_hash != hashed:
        return "conflict"
    if found.state == DONE:
        return "replay"
    if found.owner is not None and found.claimed_at + lease > now:
        return "in_progress"
    if found.state == EFFECT_COMMITTED:
        return "outcome_unknown"
    return "take_over"


def _claim(
    rt: Runtime, claim: IdempotencyClaim, hashed: str, lease: timedelta = LEASE
) -> tuple[Verdict, IdempotencyRecord | None]:
    now = rt.clock.now()
    with rt.uow() as uow:
        uow.idempotency.expire(now - KEPT_FOR)
        decided, found = _decide(uow.idempotency, claim, hashed, now, lease)
        uow.commit()
    return decided, found


def _decide(
    records: IdempotencyRepository,
    claim: IdempotencyClaim,
    hashed: str,
    now: datetime,
    lease: timedelta,
) -> tuple[Verdict, IdempotencyRecord | None]:
    if records.claim(claim, hashed, now):
        return "claimed", None
    found = records.find(claim.scope, claim.key)
    if found is None:  # released between the two statements: ask for a retry
        return "in_progress", None
    decided = verdict(found, hashed, now, lease)
    if decided != "take_over":
        return decided, found
    if records.take_over(claim, found.owner, now):
        return "claimed", None
    return "in_progress", found  # another retry took it over first


def _finish(rt: Runtime, claim: IdempotencyClaim, status: int, body: bytes) -> None:
    """Record the response, or free the key when it is not an outcome worth replaying (a 401, a
    5xx); a 5xx after a committed effect keeps the key, with no owner and no response."""
    with rt.uow() as uow:
        if status == 401 or status >= 500:
            if not uow.idempotency.release(claim):
                uow.idempotency.abandon(claim)
        else:
            uow.idempotency.complete(claim, status, body.decode())
        uow.commit()


def _scope(rt: Runtime, authorization: str) -> str | None:
    """The id of the API key the request authenticates with, read as `api.deps.operator` does."""
    scheme, credentials = get_authorization_scheme_param(authorization)
    if scheme.lower() != "bearer" or not credentials:
        return None
    return authenticate(credentials, uow=rt.uow())


def _refusal(decided: Verdict) -> Response:
    code, message = {
        "conflict": ("idempotency_conflict", f"This {HEADER} was used with another request."),
        "in_progress": (
            "idempotency_in_progress",
            f"A request with this {HEADER} is still running; retry later.",
        ),
        "outcome_unknown": (
            "idempotency_outcome_unknown",
            f"A request with this {HEADER} took effect, but its response was lost; it will not "
            "run again. Read the resource to see the outcome.",
        ),
    }[decided]
    return error_response(409, "conflict", code, message, HEADER)


class IdempotencyMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, lease: timedelta = LEASE) -> None:
        super().__init__(app)
        self.lease = lease

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        key = request.headers.get(HEADER)
        if request.method != "POST" or not key:
            return await call_next(request)
        rt: Runtime = request.app.state.runtime
        scope = await run_in_threadpool(_scope, rt, request.headers.get("Authorization", ""))
        if scope is None:
            return await call_next(request)  # the route answers 401
        if len(key) > 255:
            return error_response(
                400, "invalid_request_error", "invalid_request",
                f"{HEADER} is at most 255 characters.", HEADER,
            )  # fmt: skip
        hashed = request_hash(request.method, request.url.path, await request.body())
        claim = IdempotencyClaim(scope, key, secrets.token_hex(16))
        decided, found = await run_in_threadpool(_claim, rt, claim, hashed, self.lease)
        if decided == "replay":
            assert found is not None and found.status_code is not None
            return Response(
                found.response_body,
                status_code=found.status_code,
                media_type="application/json",
                headers={"Idempotent-Replayed": "true"},
            )
        if decided != "claimed":
            return _refusal(decided)
        return await self._run(request, call_next, rt, claim)

    async def _run(
        self,
        request: Request,
        call_next: RequestResponseEndpoint,
        rt: Runtime,
        claim: IdempotencyClaim,
    ) -> Response:
        try:
            response = await _call_claimed(request, call_next, claim)
        except BaseException:
            # An unhandled error (a 500): free the key for a retry unless the effect happened.
            await run_in_threadpool(_finish, rt, claim, 500, b"")
            raise
        chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
        content = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
        await run_in_threadpool(_finish, rt, claim, response.status_code, content)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return Response(content, status_code=response.status_code, headers=headers)


async def _call_claimed(
    request: Request, call_next: RequestResponseEndpoint, claim: IdempotencyClaim
) -> Response:
    """Run the route with `claim` in the context: the route's task and the threads it runs sync
    code in get a copy, so its commits see it; the middleware's own commits after it do not."""
    token = current_claim.set(claim)
    try:
        return await call_next(request)
    finally:
        current_claim.reset(token)
