"""The operator's catalog, versioned: each replacement is a new row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from tierline.catalog import catalog_to_dict, parse_catalog
from tierline.domain.catalog import Catalog
from tierline.errors import NotFound
from tierline.store.tables import catalogs

# Parsed catalogs by their stored body: a catalog version never changes once written.
_parsed: dict[str, Catalog] = {}


class CatalogRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, catalog: Catalog, at: datetime) -> int:
        version = (
            self._conn.execute(select(func.coalesce(func.max(catalogs.c.version), 0))).scalar_one()
            + 1
        )
        self._conn.execute(
            catalogs.insert().values(version=version, body=catalog_to_dict(catalog), created_at=at)
        )
        return int(version)

    def current(self) -> Catalog:
        row = self._conn.execute(
            select(catalogs.c.version, catalogs.c.body).order_by(catalogs.c.version.desc()).limit(1)
        ).first()
        if row is None:
            raise NotFound("No catalog is loaded.", code="no_catalog")
        return _cached(row.body)


def _cached(body: dict[str, Any]) -> Catalog:
    import json

    key = json.dumps(body, sort_keys=True)
    if key not in _parsed:
        _parsed[key] = parse_catalog(body, source="stored catalog")
    return _parsed[key]
