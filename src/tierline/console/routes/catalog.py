"""The catalog: the current version as YAML, earlier versions, and a new version reviewed
(every problem against its line, or what changes) before it is installed."""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from tierline.catalog import CatalogError
from tierline.catalog.lines import line_of
from tierline.console.rendering import ConsoleRoute, page, redirect
from tierline.console.session import PostingDep, SessionDep, needs, runtime_of
from tierline.domain.catalog_versions import Existing
from tierline.services.catalog_admin import catalog_versions, install_catalog_for, review_catalog

router = APIRouter(route_class=ConsoleRoute)

MAX_CATALOG_BYTES = 1_000_000


def _yaml(body: dict[str, object]) -> str:
    return yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


@router.get("/catalog")
def catalog(request: Request, session: SessionDep, version: int | None = None) -> Response:
    needs(session, "view")
    rt = runtime_of(request)
    versions = catalog_versions(uow=rt.uow())
    shown = next((v for v in versions if v.version == version), versions[0] if versions else None)
    return page(
        request, session, "catalog.html", active="catalog", versions=versions, shown=shown,
        text=_yaml(shown.body) if shown else "", review=None, issues=None, upload="",
    )  # fmt: skip


def _issues(text: str, error: CatalogError) -> list[dict[str, object]]:
    return [
        {"path": i.path, "message": i.message, "line": line_of(text, i.path)} for i in error.issues
    ]


@router.post("/catalog/review")
def review(request: Request, session: PostingDep, text: Annotated[str, Form()]) -> Response:
    needs(session, "manage_catalog")
    rt = runtime_of(request)
    versions = catalog_versions(uow=rt.uow())
    shown = versions[0] if versions else None
    context: dict[str, Any] = {
        "versions": versions,
        "shown": shown,
        "text": _yaml(shown.body) if shown else "",
    }
    if len(text.encode()) > MAX_CATALOG_BYTES:
        issues = [{"path": "catalog", "message": "larger than 1 MB", "line": None}]
        return page(request, session, "catalog.html", status=400, active="catalog",
                    review=None, issues=issues, upload=text, **context)  # fmt: skip
    try:
        found = review_catalog(session.actor, text, uow=rt.uow())
    except CatalogError as error:
        return page(request, session, "catalog.html", status=400, active="catalog",
                    review=None, issues=_issues(text, error), upload=text, **context)  # fmt: skip
    return page(request, session, "catalog.html", active="catalog", review=found, issues=None,
                upload=text, **context)  # fmt: skip


@router.post("/catalog/install")
def install(
    request: Request,
    session: PostingDep,
    text: Annotated[str, Form()],
    existing: Annotated[Existing, Form()] = "keep",
) -> Response:
    needs(session, "manage_catalog")
    rt = runtime_of(request)
    install_catalog_for(session.actor, text, uow=rt.uow(), clock=rt.clock, existing=existing)
    return redirect("/catalog", done="catalog_installed")
