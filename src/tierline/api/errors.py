"""The one place where errors become HTTP: status codes and the `{"error": …}` body."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException

from tierline.errors import (
    Conflict,
    Invalid,
    NotAllowed,
    NotFound,
    PaymentFailed,
    TierlineError,
)

_STATUS: list[tuple[type[TierlineError], int, str]] = [
    (NotFound, 404, "not_found"),
    (Invalid, 400, "invalid_request_error"),
    (NotAllowed, 403, "not_allowed"),
    (Conflict, 409, "conflict"),
    (PaymentFailed, 402, "payment_error"),
]


def error_body(type_: str, code: str, message: str, param: str | None = None) -> dict[str, Any]:
    return {"error": {"type": type_, "code": code, "message": message, "param": param}}


def status_of(error: TierlineError) -> tuple[int, str]:
    for kind, status, type_ in _STATUS:
        if isinstance(error, kind):
            return status, type_
    return 400, "invalid_request_error"


def error_response(
    status: int, type_: str, code: str, message: str, param: str | None = None
) -> JSONResponse:
    return JSONResponse(error_body(type_, code, message, param), status_code=status)


def _param(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(TierlineError)
    async def _tierline(_: Request, error: TierlineError) -> JSONResponse:
        status, type_ = status_of(error)
        return error_response(status, type_, error.code, error.message, error.param)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid request"}
        if first.get("type") == "json_invalid":  # its loc holds a character offset, not a field
            ctx = first.get("ctx")
            detail = ctx.get("error", "") if isinstance(ctx, dict) else ""
            message = f"The body is not valid JSON: {detail}".rstrip(": ")
            return error_response(400, "invalid_request_error", "invalid_request", message)
        param = _param(tuple(first.get("loc", ())))
        message = f"{param}: {first.get('msg')}" if param else str(first.get("msg"))
        return error_response(
            400, "invalid_request_error", "invalid_request", message, param or None
        )

    @app.exception_handler(DataError)
    async def _unstorable(_: Request, __: DataError) -> JSONResponse:
        # The store refused a value from the request (a NUL character in a text on PostgreSQL,
        # a number out of its column's range): bad input, not a server error.
        return error_response(
            400, "invalid_request_error", "invalid_request",
            "A value in the request cannot be stored: no NUL characters, numbers in range.",
        )  # fmt: skip

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code == 400:  # e.g. a body that is not UTF-8 JSON
            detail = str(error.detail)
            return error_response(400, "invalid_request_error", "invalid_request", detail)
        codes = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}
        code = codes.get(error.status_code, "http_error")
        response = error_response(error.status_code, code, code, str(error.detail))
        response.headers.update(error.headers or {})
        if error.status_code == 405:
            response.headers["Allow"] = _allowed(request, response.headers.get("Allow", ""))
        return response


_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _allowed(request: Request, route_allows: str) -> str:
    """The methods the OpenAPI document has at the request's path: a path may be served by
    several routes, and the one that refused knows only its own (`route_allows`, used for a
    path the document does not list)."""
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    for template, item in paths.items():
        pattern = "[^/]+".join(re.escape(part) for part in re.split(r"\{[^}]+\}", template))
        if re.fullmatch(pattern, request.url.path):
            return ", ".join(sorted(m.upper() for m in item if m in _METHODS))
    return route_allows
