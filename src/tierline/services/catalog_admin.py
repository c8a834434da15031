"""The catalog from the console: its versions, a review of a new one (every problem with the
path of its field, or what changes and how many live subscriptions it concerns), and installing
it. A subscription whose price the new version changes keeps the price it was sold at, or takes
the new one at a renewal announced ahead (`tierline.services.catalog_versions`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tierline.catalog import parse_catalog, read_yaml
from tierline.catalog.dump import catalog_to_dict
from tierline.clock import Clock
from tierline.domain.catalog import Catalog
from tierline.domain.catalog_diff import CatalogChange, diff_catalogs
from tierline.domain.catalog_versions import Existing
from tierline.services.audit import Actor, write_entry
from tierline.services.catalog_versions import install_version
from tierline.services.operator_users import require
from tierline.store.catalog_versions import CatalogVersion
from tierline.store.uow import UnitOfWork


def catalog_versions(*, uow: UnitOfWork) -> list[CatalogVersion]:
    """Every version, newest first (the first is the current one)."""
    with uow.reading():
        return uow.catalog_history.all()


@dataclass(frozen=True)
class CatalogReview:
    catalog: Catalog
    current_version: int | None
    changes: list[CatalogChange]
    live: dict[str, int]  # edition code → its live subscriptions


def _parse(text: str) -> Catalog:
    """Raises `CatalogError` with every issue and the path of its field."""
    return parse_catalog(read_yaml(text, "catalog"), "catalog")


def review_catalog(actor: Actor, text: str, *, uow: UnitOfWork) -> CatalogReview:
    """Validate a new catalog and compare it with the current one; nothing is stored."""
    require(actor, "manage_catalog")
    catalog = _parse(text)
    with uow.reading():
        versions = uow.catalog_history.all()
        live: Counter[str] = Counter()
        for row in uow.reports.live_subscriptions():
            if row.edition:  # packs on a subscription of their own are no edition's
                live[row.edition] += 1
    current = versions[0] if versions else None
    changes = diff_catalogs(current.body if current else {}, catalog_to_dict(catalog))
    return CatalogReview(catalog, current.version if current else None, changes, dict(live))


def install_catalog_for(
    actor: Actor,
    text: str,
    *,
    uow: UnitOfWork,
    clock: Clock,
    existing: Existing = "keep",
) -> int:
    """Validate and install a new version; the audit log keeps which version it replaced.
    `existing` says what happens to subscriptions whose price it changes."""
    require(actor, "manage_catalog")
    catalog = _parse(text)
    now = clock.now()
    with uow:
        versions = uow.catalog_history.all()
        before = versions[0].version if versions else None
        version = install_version(uow, catalog, existing, now).version
        changes = diff_catalogs(versions[0].body if versions else {}, catalog_to_dict(catalog))
        write_entry(
            uow, actor, now, "catalog.install", subject=f"v{version}",
            before={"version": before}, after={"version": version, "changes": len(changes)},
        )  # fmt: skip
        uow.commit()
    return version
