"""The audit log: owners read it and export it as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tierline.console.rendering import ConsoleRoute, page
from tierline.console.session import SessionDep, needs, runtime_of
from tierline.services.audit import audit_csv, audit_entries

router = APIRouter(route_class=ConsoleRoute)


@router.get("/audit")
def audit(request: Request, session: SessionDep, q: str = "") -> Response:
    needs(session, "read_audit")
    rt = runtime_of(request)
    entries = audit_entries(session.actor, uow=rt.uow(), query=q or None, limit=500)
    return page(request, session, "audit.html", active="audit", entries=entries, q=q)


@router.get("/audit.csv")
def audit_export(request: Request, session: SessionDep, q: str = "") -> Response:
    needs(session, "read_audit")
    rt = runtime_of(request)
    body = audit_csv(session.actor, uow=rt.uow(), query=q or None)
    stamp = rt.clock.now().strftime("%Y%m%d-%H%M")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="tierline-audit-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )
