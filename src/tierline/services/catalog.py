"""Installing or replacing the operator's catalog."""

from __future__ import annotations

from tierline.clock import Clock
from tierline.domain.catalog import Catalog
from tierline.store.uow import UnitOfWork


def install_catalog(catalog: Catalog, *, uow: UnitOfWork, clock: Clock) -> int:
    """Store a new catalog version; existing subscriptions keep what they paid until renewal."""
    with uow:
        version = uow.catalogs.add(catalog, clock.now())
        uow.commit()
    return version


def current_catalog(*, uow: UnitOfWork) -> Catalog:
    with uow:
        return uow.catalog
