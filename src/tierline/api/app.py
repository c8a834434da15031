"""The FastAPI application: REST API under /v1, OpenAPI at /openapi.json, docs at /docs, the
customer portal at /portal and the operator's console at /console."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from tierline import __version__
from tierline.api import errors
from tierline.api.deps import Unauthorized, refuse_nul_characters
from tierline.api.docs import mount_docs
from tierline.api.idempotency import IdempotencyMiddleware
from tierline.api.responses import validation_as_400
from tierline.api.routers import (
    accounts,
    balance,
    catalog,
    clock,
    documents,
    entitlements,
    portal_sessions,
    providers,
    reports,
    subscriptions,
    tax_report,
    webhooks,
)
from tierline.console import mount_console
from tierline.documents import Seller
from tierline.portal import mount_portal
from tierline.runtime import Runtime


class _Tierline(FastAPI):
    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = validation_as_400(super().openapi())
        return self.openapi_schema


def create_app(
    runtime: Runtime,
    *,
    secret_key: str | None = None,
    seller: Seller | None = None,
    secure_cookies: bool = False,
) -> FastAPI:
    """`secret_key` signs portal sessions (random per process when not given); `seller` is the
    operator as printed on the portal's PDF documents; `secure_cookies` sends the portal's
    cookies over HTTPS only."""
    app = _Tierline(
        title="Tierline",
        version=__version__,
        description="Subscription plans and billing. Authenticate with `Authorization: Bearer "
        "<operator API key>`; send an `Idempotency-Key` header with every POST.",
        dependencies=[Depends(refuse_nul_characters)],
        docs_url=None,  # served from the package by `mount_docs`: no CDN
        redoc_url=None,
    )
    app.state.runtime = runtime
    errors.install(app)

    @app.exception_handler(Unauthorized)
    async def _unauthorized(_: Request, __: Unauthorized) -> JSONResponse:
        response = errors.error_response(
            401, "authentication_error", "unauthorized", "A valid operator API key is required."
        )
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    mount_docs(app)
    app.add_middleware(IdempotencyMiddleware)
    for module in (catalog, accounts, subscriptions, balance, documents, clock, webhooks):
        app.include_router(module.router)
    app.include_router(portal_sessions.router)
    app.include_router(entitlements.router)
    app.include_router(providers.router)
    app.include_router(reports.router)
    app.include_router(tax_report.router)
    mount_portal(app, secret_key=secret_key, seller=seller, secure_cookies=secure_cookies)
    mount_console(app, secure_cookies=secure_cookies)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
