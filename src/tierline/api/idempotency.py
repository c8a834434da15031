"""`Idempotency-Key` on POST: the same key and body replay the first response for 24 hours;
the same key with another body is a 409; concurrent requests with one key have one effect."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from tierline.api.errors import error_response
from tierline.runtime import Runtime

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(hours=24)


def _claim(rt: Runtime, scope: str, key: str, request_hash: str) -> tuple[bool, object]:
    now = rt.clock.now()
    with rt.uow() as uow:
        uow.idempotency.expire(now - KEPT_FOR)
        claimed = uow.idempotency.claim(scope, key, request_hash, now)
        existing = None if claimed else uow.idempotency.find(scope, key)
        uow.commit()
    return claimed, existing


def _finish(rt: Runtime, scope: str, key: str, status: int, body: bytes) -> None:
    with rt.uow() as uow:
        if status == 401 or status >= 500:
            uow.idempotency.release(scope, key)  # not an outcome worth replaying
        else:
            uow.idempotency.complete(scope, key, status, body.decode())
        uow.commit()


class IdempotencyMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        key = request.headers.get(HEADER)
        if request.method != "POST" or not key:
            return await call_next(request)
        if len(key) > 255:
            return error_response(
                400, "invalid_request_error", "invalid_request",
                f"{HEADER} is at most 255 characters.", HEADER,
            )  # fmt: skip
        rt: Runtime = request.app.state.runtime
        auth = request.headers.get("Authorization", "")
        scope = hashlib.sha256(auth.encode()).hexdigest()
        body = await request.body()
        request_hash = hashlib.sha256(
            request.method.encode() + b" " + request.url.path.encode() + b"\n" + body
        ).hexdigest()
        claimed, existing = await run_in_threadpool(_claim, rt, scope, key, request_hash)
        if not claimed:
            assert existing is not None
            if existing.request_hash != request_hash:  # type: ignore[attr-defined]
                return error_response(
                    409, "conflict", "idempotency_conflict",
                    f"This {HEADER} was used with another request.", HEADER,
                )  # fmt: skip
            if existing.status_code is None:  # type: ignore[attr-defined]
                return error_response(
                    409, "conflict", "idempotency_in_progress",
                    f"A request with this {HEADER} is still running; retry later.", HEADER,
                )  # fmt: skip
            return Response(
                existing.response_body,  # type: ignore[attr-defined]
                status_code=existing.status_code,  # type: ignore[attr-defined]
                media_type="application/json",
                headers={"Idempotent-Replayed": "true"},
            )
        try:
            response = await call_next(request)
        except BaseException:
            # An unhandled error (a 500): free the key so a retry runs again.
            await run_in_threadpool(_finish, rt, scope, key, 500, b"")
            raise
        chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
        content = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
        await run_in_threadpool(_finish, rt, scope, key, response.status_code, content)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return Response(content, status_code=response.status_code, headers=headers)
