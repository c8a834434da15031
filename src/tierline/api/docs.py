"""The API's documentation pages, served whole from the package: no CDN, so they work offline.

    mount_docs(app)    # /docs (Swagger UI), /docs/oauth2-redirect, /redoc, and their assets

Swagger UI's and ReDoc's scripts, stylesheet and icon are the ones the `fastapi-offline` package
ships; they are served under `/docs/assets/`. The app must be made with `docs_url=None` and
`redoc_url=None`, so FastAPI does not add its CDN-loading pages.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import HTMLResponse

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs/assets"
DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"

__all__ = ["ASSETS", "ASSETS_URL", "mount_docs"]


def mount_docs(app: FastAPI) -> None:
    """Serve Swagger UI at /docs and ReDoc at /redoc, with assets from the package. The pages
    read their app from the request: FastAPI keeps the endpoints it has seen in process-wide
    caches, so an endpoint that closed over its app would keep every app made alive."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs_assets")
    app.add_api_route(DOCS_URL, swagger_ui, include_in_schema=False)
    app.add_api_route(OAUTH2_REDIRECT_URL, swagger_ui_redirect, include_in_schema=False)
    app.add_api_route(REDOC_URL, redoc, include_in_schema=False)


def swagger_ui(request: Request) -> HTMLResponse:
    app, root = request.app, request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=_openapi_url(request), title=f"{app.title} API",
        oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_URL}",
        swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
        swagger_ui_parameters=app.swagger_ui_parameters,
    )  # fmt: skip


def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(
        openapi_url=_openapi_url(request), title=f"{request.app.title} API",
        redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png", with_google_fonts=False,
    )  # fmt: skip


def _openapi_url(request: Request) -> str:
    return f"{request.scope.get('root_path', '')}{request.app.openapi_url or '/openapi.json'}"
