"""Content reconciliation on the waiting-room catalog (seed 003, examples/waiting-room/), on both
stores: the change preview lists it, the downgrade applies it when it takes effect (at the
monthly renewal), and a later upgrade re-attaches what was detached.

acme subscribes to Enterprise on Jan 31 10:00 (period to Feb 28 10:00) and reports:

    domain d-a  (Jan 1)   rooms r-a1 (Jan 4), r-a2 (Jan 5), r-a3 (Jan 8), r-a4 (Jan 9)
    domain d-b  (Jan 2)   rooms r-b1 (Jan 6), r-b2 (Jan 7)
    domain d-c  (Jan 3)   room  r-c1 (Jan 10)
    capacity  r-a1 2000, r-a2 2000, r-a3 1000, r-a4 4000, r-b1 3000, r-b2 2000, r-c1 500
    entry rate r-a1 300, r-b1 150, the others 100
    priority groups pg-1 (in r-a1), pg-2 (in r-b1); firewall IPs fw-1, fw-2;
    custom template ct-1 (in r-b1)

Standard allows 2 domains, 5 rooms, a capacity of 5000, an entry rate of 200, and none of
priority groups, firewall and custom templates. The seven rules then do, in this order:

    1 keep the 2 domains with the most rooms: d-a (4), d-b (2); d-c goes, with r-c1
    2 6 rooms are left for 5: the most recently activated, r-a4 (Jan 9), goes
    5 priority groups pg-1, pg-2 are removed (and never restored)
    6 firewall IPs fw-1, fw-2 are removed (and never restored)
    7 custom template ct-1 is detached (and re-attached by a later upgrade)
    4 entry rate r-a1 300 → 200 (r-b1's 150 fits)
    3 capacities total 10000 for 5000: halved, r-a1 1000, r-a2 1000, r-b1 1500, r-b2 1000,
      r-a3 500
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from service_builders import FIRST_RENEWAL, Billing, utc

from tierline.catalog import load_catalog, parse_catalog, read_yaml
from tierline.domain.events import ContentReconciled
from tierline.domain.reconciliation import Action, Resource
from tierline.services.catalog import install_catalog
from tierline.services.change import cancel_pending_change
from tierline.services.content import (
    ReportResource,
    list_reconciliations,
    list_resources,
    report_resource,
)

WAITING_ROOM = Path(__file__).parents[2] / "examples" / "waiting-room" / "catalog.yaml"
AFTER_RENEWAL = utc(2026, 3, 1)

EXPECTED_PLAN = [
    ("remove", "d-c", "keep_most_children", None, None, None),
    ("remove", "r-c1", "keep_most_children", None, None, None),
    ("remove", "r-a4", "remove_newest", None, None, None),
    ("remove", "pg-1", "remove_without_feature", None, None, None),
    ("remove", "pg-2", "remove_without_feature", None, None, None),
    ("remove", "fw-1", "remove_without_feature", None, None, None),
    ("remove", "fw-2", "remove_without_feature", None, None, None),
    ("detach", "ct-1", "detach_without_feature", None, None, None),
    ("cap", "r-a1", "cap", "entry_rate", 300, 200),
    ("scale", "r-a1", "scale_proportionally", "capacity", 2000, 1000),
    ("scale", "r-a2", "scale_proportionally", "capacity", 2000, 1000),
    ("scale", "r-b1", "scale_proportionally", "capacity", 3000, 1500),
    ("scale", "r-b2", "scale_proportionally", "capacity", 2000, 1000),
    ("scale", "r-a3", "scale_proportionally", "capacity", 1000, 500),
]

# What is left once the plan is carried out: id → (parent, capacity, entry rate, detached).
EXPECTED_CONTENT = {
    "d-a": (None, None, None, False),
    "d-b": (None, None, None, False),
    "r-a1": ("d-a", 1000, 200, False),
    "r-a2": ("d-a", 1000, 100, False),
    "r-a3": ("d-a", 500, 100, False),
    "r-b1": ("d-b", 1500, 150, False),
    "r-b2": ("d-b", 1000, 100, False),
    "ct-1": ("r-b1", None, None, True),
}


def jan(day: int) -> datetime:
    return datetime(2026, 1, day, tzinfo=UTC)


def resource(
    billing: Billing, id_: str, type_: str, parent: str | None = None, day: int = 1, **attrs: Any
) -> None:
    report_resource(
        ReportResource("acme", id_, type_, parent, attrs, jan(day)),
        uow=billing.uow, clock=billing.clock,
    )  # fmt: skip


def a_waiting_room_account(billing: Billing, catalog: dict[str, Any] | None = None) -> None:
    if catalog is None:
        install_catalog(load_catalog(WAITING_ROOM), uow=billing.uow, clock=billing.clock)
    else:
        install_catalog(parse_catalog(catalog), uow=billing.uow, clock=billing.clock)
    billing.account()


def seed_content(billing: Billing) -> None:
    for n, domain in enumerate(("d-a", "d-b", "d-c"), start=1):
        resource(billing, domain, "domain", day=n)
    rooms = [
        ("r-a1", "d-a", 4, 2000, 300),
        ("r-a2", "d-a", 5, 2000, 100),
        ("r-b1", "d-b", 6, 3000, 150),
        ("r-b2", "d-b", 7, 2000, 100),
        ("r-a3", "d-a", 8, 1000, 100),
        ("r-a4", "d-a", 9, 4000, 100),
        ("r-c1", "d-c", 10, 500, 100),
    ]
    for id_, domain, day, capacity, rate in rooms:
        resource(billing, id_, "waiting_room", domain, day, capacity=capacity, entry_rate=rate)
    resource(billing, "pg-1", "priority_group", "r-a1", 11)
    resource(billing, "pg-2", "priority_group", "r-b1", 12)
    resource(billing, "fw-1", "firewall_ip", None, 13, ip="192.0.2.1")
    resource(billing, "fw-2", "firewall_ip", None, 14, ip="192.0.2.2")
    resource(billing, "ct-1", "custom_template", "r-b1", 15, name="Black Friday")


@pytest.fixture
def enterprise(billing: Billing) -> Billing:
    """acme on Enterprise since Jan 31 10:00, with the content above."""
    a_waiting_room_account(billing)
    billing.subscribe("enterprise", quantity=1)
    seed_content(billing)
    return billing


def plan_of(actions: list[dict[str, Any]] | tuple[Action, ...]) -> list[tuple[Any, ...]]:
    found = [a.as_dict() if isinstance(a, Action) else a for a in actions]
    return [
        (a["kind"], a["resource_id"], a["rule"], a.get("attribute"), a.get("before"),
         a.get("after"))
        for a in found
    ]  # fmt: skip


def content(billing: Billing) -> dict[str, tuple[Any, ...]]:
    def of(r: Resource) -> tuple[Any, ...]:
        return (r.parent, r.attributes.get("capacity"), r.attributes.get("entry_rate"), r.detached)

    return {r.id: of(r) for r in list_resources("acme", uow=billing.uow)}


def events(billing: Billing, kind: str = ContentReconciled.KIND) -> list[dict[str, Any]]:
    with billing.uow:
        return [m for m in billing.uow.outbox.for_account("acme") if m["kind"] == kind]


class TestPreview:
    def test_the_preview_of_a_downgrade_lists_what_it_will_do_to_the_content(
        self, enterprise: Billing
    ) -> None:
        before = content(enterprise)

        preview = enterprise.preview(edition="standard")

        assert preview.scheduled
        assert plan_of(preview.content) == EXPECTED_PLAN
        assert content(enterprise) == before

    def test_every_action_of_the_preview_gives_its_reason(self, enterprise: Billing) -> None:
        preview = enterprise.preview(edition="standard")

        reasons = {a.resource_id: a.reason for a in preview.content}
        assert reasons["r-c1"] == "its parent domain d-c is removed"
        assert reasons["ct-1"] == (
            "feature custom_templates is not in the new edition; a later upgrade re-attaches it"
        )

    def test_a_change_that_takes_nothing_away_previews_no_content_change(
        self, enterprise: Billing
    ) -> None:
        assert enterprise.preview(cycle="year").content == ()


class TestDowngradeAtRenewal:
    def test_the_scheduled_downgrade_leaves_the_content_until_it_takes_effect(
        self, enterprise: Billing
    ) -> None:
        before = content(enterprise)

        enterprise.change(edition="standard")
        enterprise.advance(utc(2026, 2, 27))

        assert content(enterprise) == before
        assert events(enterprise) == []

    def test_at_the_renewal_the_seven_rules_adapt_the_stored_content(
        self, enterprise: Billing
    ) -> None:
        enterprise.change(edition="standard")

        enterprise.advance(AFTER_RENEWAL)

        assert enterprise.subscription().plan.edition == "standard"
        assert content(enterprise) == EXPECTED_CONTENT

    def test_the_content_reconciled_event_lists_every_action(self, enterprise: Billing) -> None:
        enterprise.change(edition="standard")

        enterprise.advance(AFTER_RENEWAL)

        [event] = events(enterprise)
        assert event["at"] == FIRST_RENEWAL
        assert event["text"] == (
            "Your content was adapted to Standard: 7 removed, 5 scaled down, 1 capped, 1 detached."
        )
        payload = event["payload"]
        assert (payload["from_edition"], payload["to_edition"]) == ("enterprise", "standard")
        assert plan_of(payload["actions"]) == EXPECTED_PLAN

    def test_the_plan_carried_out_is_recorded(self, enterprise: Billing) -> None:
        enterprise.change(edition="standard")

        enterprise.advance(AFTER_RENEWAL)

        [record] = list_reconciliations("acme", uow=enterprise.uow)
        [event] = events(enterprise)
        assert record.id == event["payload"]["reconciliation"]
        assert (record.at, record.from_edition, record.to_edition) == (
            FIRST_RENEWAL, "enterprise", "standard",
        )  # fmt: skip
        assert plan_of(list(record.actions)) == EXPECTED_PLAN

    def test_a_later_renewal_on_the_same_plan_reconciles_nothing_more(
        self, enterprise: Billing
    ) -> None:
        enterprise.change(edition="standard")

        enterprise.advance(utc(2026, 4, 1))

        assert len(events(enterprise)) == 1
        assert content(enterprise) == EXPECTED_CONTENT

    def test_a_cancelled_downgrade_leaves_the_content_as_it_is(self, enterprise: Billing) -> None:
        before = content(enterprise)
        enterprise.change(edition="standard")
        cancel_pending_change("acme", uow=enterprise.uow, clock=enterprise.clock)

        enterprise.advance(AFTER_RENEWAL)

        assert content(enterprise) == before
        assert events(enterprise) == []


class TestUpgradeAfterADowngrade:
    def test_an_upgrade_reattaches_templates_and_restores_nothing_removed(
        self, enterprise: Billing
    ) -> None:
        enterprise.change(edition="standard")
        enterprise.advance(AFTER_RENEWAL)

        preview = enterprise.preview(edition="pro")
        enterprise.change(edition="pro")

        assert plan_of(preview.content) == [
            ("reattach", "ct-1", "detach_without_feature", None, None, None)
        ]
        assert content(enterprise) == {**EXPECTED_CONTENT, "ct-1": ("r-b1", None, None, False)}
        last = events(enterprise)[-1]
        assert last["text"] == "Your content was adapted to Pro: 1 re-attached."
        assert plan_of(last["payload"]["actions"]) == plan_of(preview.content)

    def test_an_upgrade_trims_nothing_even_over_the_limits(self, billing: Billing) -> None:
        a_waiting_room_account(billing)
        billing.subscribe("standard", quantity=1)
        for n in range(7):  # Standard allows 5 rooms; the product let 7 in
            resource(billing, f"room{n}", "waiting_room", day=n + 1, capacity=100)
        before = content(billing)

        assert billing.preview(edition="pro").content == ()
        billing.change(edition="pro")

        assert content(billing) == before
        assert events(billing) == []


class TestImmediateDowngrade:
    def test_a_downgrade_that_takes_effect_at_once_adapts_the_content_at_once(
        self, billing: Billing
    ) -> None:
        data = read_yaml(WAITING_ROOM.read_text(), str(WAITING_ROOM))
        data["policies"]["downgrade"] = {"timing": "immediate", "proration": "none"}
        a_waiting_room_account(billing, data)
        billing.subscribe("enterprise", quantity=1)
        seed_content(billing)
        billing.advance(utc(2026, 2, 10))

        result = billing.change(edition="standard")

        assert not result.preview.scheduled
        assert plan_of(result.preview.content) == EXPECTED_PLAN
        assert content(billing) == EXPECTED_CONTENT
        [event] = events(billing)
        assert event["at"] == utc(2026, 2, 10)


class TestReportedContent:
    def test_reporting_a_detached_resource_again_keeps_it_detached(
        self, enterprise: Billing
    ) -> None:
        enterprise.change(edition="standard")
        enterprise.advance(AFTER_RENEWAL)

        resource(enterprise, "ct-1", "custom_template", "r-b1", 15, name="Cyber Monday")

        [template] = list_resources("acme", uow=enterprise.uow, type_="custom_template")
        assert (template.detached, template.attributes) == (True, {"name": "Cyber Monday"})

    def test_a_resource_removed_by_a_downgrade_comes_back_when_reported_again(
        self, enterprise: Billing
    ) -> None:
        enterprise.change(edition="standard")
        enterprise.advance(AFTER_RENEWAL)

        resource(enterprise, "fw-1", "firewall_ip", None, 20, ip="192.0.2.1")

        assert "fw-1" in content(enterprise)
