"""Every catalog version installed, for the console's catalog page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from tierline.errors import NotFound
from tierline.store.tables import catalogs


@dataclass(frozen=True)
class CatalogVersion:
    version: int
    created_at: datetime
    body: dict[str, Any]  # as `tierline.catalog.dump.catalog_to_dict` wrote it
    # What it did to existing subscriptions whose price it changed: keep | next_renewal; None
    # for the first install (or one installed before versions said).
    existing: str | None = None


class CatalogHistory:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def all(self) -> list[CatalogVersion]:
        """Newest first."""
        rows = self._conn.execute(
            select(
                catalogs.c.version, catalogs.c.created_at, catalogs.c.body, catalogs.c.existing
            ).order_by(catalogs.c.version.desc())
        )
        return [CatalogVersion(int(v), at, dict(body), existing) for v, at, body, existing in rows]

    def get(self, version: int) -> CatalogVersion:
        row = self._conn.execute(
            select(
                catalogs.c.version, catalogs.c.created_at, catalogs.c.body, catalogs.c.existing
            ).where(catalogs.c.version == version)
        ).first()
        if row is None:
            raise NotFound(f"No catalog version {version}.", code="unknown_catalog_version")
        return CatalogVersion(int(row[0]), row[1], dict(row[2]), row[3])
