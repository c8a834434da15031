"""An account's content (the resources its plan limits) and its reconciliation on plan changes.

The operator's product reports resources (`report_resource`). When a change gives the account
less (a limit reduced or a feature removed, as `change_effects` says), `reconcile_content`
computes the plan of `tierline.domain.reconciliation.reconcile` for the new plan from the
stored resources, records it, applies it to them and writes a `subscription.content_reconciled`
event listing every action, so that the product can do the same to its own data. A change that
gives more only re-attaches what was detached for a feature that is back (`reattach`), and
reports it with the same event. The change preview shows the same plan (`content_plan`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from tierline.clock import Clock
from tierline.domain.catalog import Catalog
from tierline.domain.entitlements import account_plan, change_effects, features_of, limits_of
from tierline.domain.events import ContentReconciled
from tierline.domain.pages import Page, PageRequest
from tierline.domain.plan import Plan
from tierline.domain.reconciliation import Action, Resource, apply, reattach, reconcile
from tierline.errors import Invalid, NotFound
from tierline.ids import new_id
from tierline.services.messages import notify
from tierline.store.entitlements import Reconciliation, actions_as_json
from tierline.store.uow import UnitOfWork

AttributeValue = int | str | None


@dataclass(frozen=True)
class ReportResource:
    """A resource as the product has it now; reporting it again replaces it (and brings back
    one that was removed). Whether it is detached is Tierline's to say, not the product's."""

    account_id: str
    id: str
    type: str
    parent: str | None = None
    attributes: Mapping[str, AttributeValue] = field(default_factory=dict)
    activated_at: datetime | None = None


def _checked(cmd: ReportResource) -> None:
    if not cmd.type.strip():
        raise Invalid("A resource needs a type.", code="invalid_resource", param="type")
    if cmd.parent == cmd.id:
        raise Invalid(
            "A resource cannot be its own parent.", code="invalid_resource", param="parent"
        )
    for name, value in cmd.attributes.items():
        if isinstance(value, bool) or not isinstance(value, int | str | None):
            raise Invalid(
                f"Attribute '{name}' must be an integer, a string or null.",
                code="invalid_resource", param=f"attributes.{name}",
            )  # fmt: skip
    if cmd.activated_at is not None and cmd.activated_at.tzinfo is None:
        raise Invalid(
            "activated_at needs a timezone.", code="invalid_resource", param="activated_at"
        )


def report_resource(cmd: ReportResource, *, uow: UnitOfWork, clock: Clock) -> Resource:
    _checked(cmd)
    now = clock.now()
    with uow:
        uow.accounts.get(cmd.account_id)
        uow.resources.lock_account(cmd.account_id)
        found = uow.resources.find(cmd.account_id, cmd.id)
        detached = found is not None and not found[1] and found[0].detached
        resource = Resource(
            cmd.id, cmd.type, cmd.parent, dict(cmd.attributes), cmd.activated_at, detached
        )
        uow.resources.put(cmd.account_id, resource, now, exists=found is not None)
        uow.commit()
    return resource


def remove_resource(account_id: str, resource_id: str, *, uow: UnitOfWork, clock: Clock) -> None:
    """The product removed it. Its children stay reported until the product removes them."""
    now = clock.now()
    with uow:
        uow.accounts.get(account_id)
        found = uow.resources.find(account_id, resource_id)
        if found is None or found[1]:
            raise NotFound(f"No resource '{resource_id}'.", code="unknown_resource")
        uow.resources.remove(account_id, [resource_id], now)
        uow.commit()


def list_resources(account_id: str, *, uow: UnitOfWork, type_: str | None = None) -> list[Resource]:
    """The resources in use (detached ones included, flagged), oldest activated first."""
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.resources.for_account(account_id, type_)


def resource_page(
    account_id: str, request: PageRequest, *, uow: UnitOfWork, type_: str | None = None
) -> Page[Resource]:
    """The resources in use, oldest activated first, never activated last."""
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.resources.page_for(account_id, request, type_)


def list_reconciliations(account_id: str, *, uow: UnitOfWork) -> list[Reconciliation]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.reconciliations.for_account(account_id)


def reconciliation_page(
    account_id: str, request: PageRequest, *, uow: UnitOfWork
) -> Page[Reconciliation]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.reconciliations.page_for(account_id, request)


# --- reconciliation on a plan change ----------------------------------------------------------


def _plan(
    catalog: Catalog, resources: list[Resource], before: Plan, after: Plan
) -> tuple[Action, ...]:
    less = any(
        e.kind in ("limit_reduced", "feature_removed")
        for e in change_effects(catalog, before, after)
    )
    if less:
        return reconcile(
            resources,
            catalog.reconciliation,
            limits_of(catalog, after),
            features_of(catalog, after),
        )
    return reattach(resources, catalog.reconciliation, features_of(catalog, after))


def over_account(
    uow: UnitOfWork, account_id: str, subscription_id: str | None, before: Plan, after: Plan
) -> tuple[Plan, Plan]:
    """A subscription's plans before and after a change, as what the account holds over its
    live subscriptions (the base's edition, every subscription's packs added up)."""
    others = [s.plan for s in uow.subscriptions.live_for(account_id) if s.id != subscription_id]
    if not others and not before.addons_only:
        return before, after

    def held(plan: Plan) -> Plan:
        plans = [plan, *others]
        base = next((p for p in plans if not p.addons_only), None)
        combined = account_plan(base, [p for p in plans if p is not base])
        return plan if combined is None else combined

    return held(before), held(after)


def content_plan(
    uow: UnitOfWork,
    account_id: str,
    before: Plan,
    after: Plan,
    subscription_id: str | None = None,
) -> tuple[Action, ...]:
    """What moving from `before` to `after` would do to the stored content; stores nothing.
    Without reconciliation rules in the catalog, nothing is read."""
    catalog = uow.catalog
    if not catalog.reconciliation or before == after:
        return ()
    before, after = over_account(uow, account_id, subscription_id, before, after)
    resources = uow.resources.for_account(account_id)
    return _plan(catalog, resources, before, after) if resources else ()


def reconcile_content(
    uow: UnitOfWork,
    account_id: str,
    subscription_id: str,
    before: Plan,
    after: Plan,
    now: datetime,
) -> tuple[Action, ...]:
    """Adapt the stored content to `after`, now that it takes effect, inside the caller's unit
    of work: compute the plan again, record it, apply it and announce it. Returns the plan."""
    catalog = uow.catalog
    if not catalog.reconciliation or before == after:
        return ()
    before, after = over_account(uow, account_id, subscription_id, before, after)
    resources = uow.resources.for_account(account_id)
    plan = _plan(catalog, resources, before, after) if resources else ()
    if not plan:
        return ()
    record = Reconciliation(
        new_id("rec"), account_id, subscription_id, now, before.edition, after.edition,
        actions_as_json(plan),
    )  # fmt: skip
    uow.reconciliations.add(record)
    uow.resources.replace_all(account_id, resources, apply(resources, plan), now)
    edition = catalog.edition(after.edition)
    reconciled = ContentReconciled(
        subscription_id, record.id, before.edition, after.edition, tuple(record.actions),
        edition.name if edition else after.edition,
    )  # fmt: skip
    notify(uow, account_id, now, reconciled)
    return plan
