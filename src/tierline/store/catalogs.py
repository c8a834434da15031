"""The operator's catalog, versioned: each replacement is a new row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, Text, cast, func, select

from tierline.catalog import catalog_to_dict, parse_catalog
from tierline.domain.catalog import Catalog
from tierline.domain.catalog_versions import priced_from
from tierline.errors import NotFound
from tierline.store.json_values import loads
from tierline.store.tables import catalogs

# Parsed catalogs by their stored body: a catalog version never changes once written.
_parsed: dict[str, Catalog] = {}
_BODY = cast(catalogs.c.body, Text).label("body")  # as stored: the text is the cache's key


class CatalogRepository:
    """Catalog versions as stored. `current()` is the newest; `priced_from(version, currency)`
    the current catalog with an older version's price list, for a renewal priced from it.
    Versions read are kept for the unit of work: a batch asks for each one once."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._current: tuple[int, Catalog] | None = None
        self._versions: dict[int, Catalog] = {}
        self._priced: dict[tuple[int, str], Catalog] = {}

    def add(self, catalog: Catalog, at: datetime, *, existing: str | None = None) -> int:
        version = (
            self._conn.execute(select(func.coalesce(func.max(catalogs.c.version), 0))).scalar_one()
            + 1
        )
        self._conn.execute(
            catalogs.insert().values(
                version=version, body=catalog_to_dict(catalog), created_at=at, existing=existing
            )
        )
        self._current = (int(version), catalog)
        self._versions[int(version)] = catalog
        self._priced.clear()  # they were made with the catalog current until now
        return int(version)

    def current(self) -> Catalog:
        return self._newest()[1]

    @property
    def current_version(self) -> int:
        return self._newest()[0]

    def _newest(self) -> tuple[int, Catalog]:
        if self._current is None:
            row = self._conn.execute(
                select(catalogs.c.version, _BODY).order_by(catalogs.c.version.desc()).limit(1)
            ).first()
            if row is None:
                raise NotFound("No catalog is loaded.", code="no_catalog")
            self._current = (int(row.version), stored_catalog(row.body))
            self._versions[self._current[0]] = self._current[1]
        return self._current

    def preload(self, versions: Iterable[int | None]) -> None:
        """Read the versions not read yet, in one query (none when every one is the current)."""
        self._newest()
        wanted = {v for v in versions if v is not None and v not in self._versions}
        if not wanted:
            return
        rows = self._conn.execute(
            select(catalogs.c.version, _BODY).where(catalogs.c.version.in_(wanted))
        )
        for row in rows:
            self._versions[int(row.version)] = stored_catalog(row.body)

    def version(self, version: int) -> Catalog:
        if version == self.current_version:
            return self.current()
        self.preload([version])
        if version not in self._versions:
            raise NotFound(f"No catalog version {version}.", code="unknown_catalog_version")
        return self._versions[version]

    def priced_from(self, version: int | None, currency: str) -> Catalog:
        """The current catalog in `currency`, with the prices of catalog `version` (None: the
        current one) where that version sells in `currency` too."""
        current = self.current()
        if version is None or version == self.current_version:
            return current.in_currency(currency)
        key = (version, currency)
        if key not in self._priced:
            old = self.version(version)
            try:
                old_prices = old.in_currency(currency)
            except ValueError:  # that version did not sell in this currency
                old_prices = current.in_currency(currency)
            self._priced[key] = priced_from(current.in_currency(currency), old_prices)
        return self._priced[key]


def stored_catalog(body: str) -> Catalog:
    """The catalog stored as `body`, parsed once per process: every unit of work reads the
    current one, and its stored text is the key."""
    found = _parsed.get(body)
    if found is None:
        found = _parsed[body] = parse_catalog(loads(body), source="stored catalog")
    return found
