"""Entitlements on the HAP catalog (seed 000, examples/hap/catalog.yaml), on both stores.

acme subscribes on Jan 31 10:00 to Standard × 10 seats, monthly (period to Feb 28 10:00):
100 external users included, +100 per external user pack (30.00 a month); 10,000 workflow
executions a period, +10,000 per pack; 50 applications. Workflow executions, data sync rows and
attachment uploads are per-period quotas; the rest are totals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from service_builders import FIRST_RENEWAL, START, Billing, utc
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from tierline.catalog import load_catalog
from tierline.domain.entitlement_checks import Decision, Suggestion
from tierline.domain.periods import Period
from tierline.domain.usage import Member
from tierline.errors import Invalid, LimitReached, NotFound, SeatLimitReached
from tierline.services.catalog import install_catalog
from tierline.services.content import ReportResource, list_resources, report_resource
from tierline.services.entitlements import (
    CheckEntitlement,
    Entitlement,
    RecordConsumption,
    ReportMember,
    check_entitlement,
    list_entitlements,
    list_members,
    record_consumption,
    remove_member,
    report_member,
)
from tierline.services.subscriptions import SetAutoRenew, set_auto_renew
from tierline.store.uow import UnitOfWork

EXAMPLES = Path(__file__).parents[2] / "examples"
FIRST_PERIOD = Period(START, FIRST_RENEWAL)
SECOND_PERIOD = Period(FIRST_RENEWAL, utc(2026, 3, 31, 10))


@pytest.fixture
def hap(billing: Billing) -> Billing:
    """The HAP catalog installed and acme on Standard × 10 seats, monthly."""
    install_catalog(load_catalog(EXAMPLES / "hap" / "catalog.yaml"), uow=billing.uow,
                    clock=billing.clock)  # fmt: skip
    billing.account()
    billing.subscribe("standard", quantity=10)
    return billing


def member(
    billing: Billing,
    person: str,
    application: str = "crm",
    status: str = "normal",
    counts_toward: str = "seats",
) -> Member:
    return report_member(
        ReportMember("acme", person, application, status, counts_toward),
        uow=billing.uow, clock=billing.clock,
    )  # fmt: skip


def consume(billing: Billing, limit: str, amount: int) -> Entitlement:
    return record_consumption(
        RecordConsumption("acme", limit, amount), uow=billing.uow, clock=billing.clock
    )


def checked(billing: Billing, limit: str, amount: int = 1, account: str = "acme") -> Decision:
    return check_entitlement(CheckEntitlement(account, limit, amount), uow=billing.uow)


def entitlements(billing: Billing) -> dict[str, Entitlement]:
    return {e.name: e for e in list_entitlements("acme", uow=billing.uow)}


def used(billing: Billing, name: str) -> tuple[int, int | None, int | None]:
    found = entitlements(billing)[name]
    return found.used, found.limit, found.remaining


class TestMembers:
    def test_normal_members_take_the_seats_bought(self, hap: Billing) -> None:
        for person in ("ann", "bob", "cyd"):
            member(hap, person)

        assert used(hap, "seats") == (3, 10, 7)

    @pytest.mark.parametrize(
        "status", ["pending_approval", "pending_activation", "deactivated", "logged_off"]
    )
    def test_members_that_are_not_normal_take_no_seat(self, hap: Billing, status: str) -> None:
        member(hap, "ann")
        member(hap, "bob", status=status)

        assert used(hap, "seats") == (1, 10, 9)

    def test_one_person_in_two_applications_takes_two_seats(self, hap: Billing) -> None:
        member(hap, "ann", "crm")
        member(hap, "ann", "hr")

        assert used(hap, "seats") == (2, 10, 8)

    def test_a_member_beyond_the_seats_is_refused_with_the_reason_and_expand(
        self, hap: Billing
    ) -> None:
        for n in range(10):
            member(hap, f"p{n}")

        with pytest.raises(SeatLimitReached) as refused:
            member(hap, "eleventh")

        assert refused.value.code == "seat_limit_reached"
        assert (refused.value.used, refused.value.limit) == (10, 10)
        assert "All 10 seat(s) are taken" in refused.value.message
        assert "expand the subscription to 11 seat(s)" in refused.value.message
        assert len(list_members("acme", uow=hap.uow)) == 10

    def test_members_that_take_no_seat_are_accepted_beyond_the_seats(self, hap: Billing) -> None:
        for n in range(10):
            member(hap, f"p{n}")

        member(hap, "invited", status="pending_activation")

        assert used(hap, "seats") == (10, 10, 0)
        assert len(list_members("acme", uow=hap.uow)) == 11

    def test_activating_a_pending_member_beyond_the_seats_is_refused(self, hap: Billing) -> None:
        member(hap, "invited", status="pending_approval")
        for n in range(10):
            member(hap, f"p{n}")

        with pytest.raises(SeatLimitReached):
            member(hap, "invited")

        [invited] = [m for m in list_members("acme", uow=hap.uow) if m.person_id == "invited"]
        assert invited.status == "pending_approval"

    def test_a_member_reported_again_keeps_its_seat_when_every_seat_is_taken(
        self, hap: Billing
    ) -> None:
        for n in range(10):
            member(hap, f"p{n}")

        again = member(hap, "p0")

        assert again.status == "normal"
        assert used(hap, "seats") == (10, 10, 0)

    def test_expanding_the_seats_lets_one_more_member_in(self, hap: Billing) -> None:
        for n in range(10):
            member(hap, f"p{n}")

        hap.change(quantity=11)
        member(hap, "eleventh")

        assert used(hap, "seats") == (11, 11, 0)

    def test_a_removed_member_frees_its_seat(self, hap: Billing) -> None:
        for n in range(10):
            member(hap, f"p{n}")

        remove_member("acme", "p3", "crm", uow=hap.uow, clock=hap.clock)
        member(hap, "newcomer")

        assert used(hap, "seats") == (10, 10, 0)

    def test_removing_an_unknown_member_is_not_found(self, hap: Billing) -> None:
        with pytest.raises(NotFound) as refused:
            remove_member("acme", "nobody", "crm", uow=hap.uow, clock=hap.clock)

        assert refused.value.code == "unknown_member"

    def test_an_external_user_beyond_the_included_100_is_refused_and_the_pack_named(
        self, hap: Billing
    ) -> None:
        for n in range(100):
            member(hap, f"guest{n}", "portal", counts_toward="external_users")

        with pytest.raises(LimitReached) as refused:
            member(hap, "guest100", "portal", counts_toward="external_users")

        assert refused.value.code == "limit_reached"
        assert "External user pack (100 users)" in refused.value.message
        assert used(hap, "external_users") == (100, 100, 0)
        assert used(hap, "seats") == (0, 10, 10)

    def test_an_external_user_pack_lets_100_more_in(self, hap: Billing) -> None:
        for n in range(100):
            member(hap, f"guest{n}", "portal", counts_toward="external_users")

        hap.change(addons={"external-users": 1})
        member(hap, "guest100", "portal", counts_toward="external_users")

        assert used(hap, "external_users") == (101, 200, 99)

    def test_an_unknown_status_is_refused(self, hap: Billing) -> None:
        with pytest.raises(Invalid) as refused:
            member(hap, "ann", status="active")

        assert (refused.value.code, refused.value.param) == ("invalid_status", "status")

    def test_members_cannot_count_toward_a_quota(self, hap: Billing) -> None:
        with pytest.raises(Invalid) as refused:
            member(hap, "ann", counts_toward="workflow_executions")

        assert refused.value.code == "not_a_member_limit"

    def test_a_normal_member_needs_a_live_subscription(self, billing: Billing) -> None:
        install_catalog(load_catalog(EXAMPLES / "hap" / "catalog.yaml"), uow=billing.uow,
                        clock=billing.clock)  # fmt: skip
        billing.account()

        with pytest.raises(NotFound) as refused:
            member(billing, "ann")

        assert refused.value.code == "no_subscription"


class TestConsumption:
    def test_quota_consumption_counts_in_the_current_period(self, hap: Billing) -> None:
        consume(hap, "workflow_executions", 600)
        after = consume(hap, "workflow_executions", 1)

        assert after == Entitlement("workflow_executions", 601, 10000, 9399, True, FIRST_PERIOD)

    def test_a_quota_starts_again_at_zero_at_each_period_start(self, hap: Billing) -> None:
        consume(hap, "workflow_executions", 9000)

        hap.advance(utc(2026, 3, 1))

        found = entitlements(hap)["workflow_executions"]
        assert (found.used, found.remaining, found.period) == (0, 10000, SECOND_PERIOD)
        assert consume(hap, "workflow_executions", 5).used == 5

    def test_a_pack_adds_to_the_quota_of_the_period(self, hap: Billing) -> None:
        consume(hap, "workflow_executions", 10000)
        assert checked(hap, "workflow_executions").allowed is False

        hap.change(addons={"workflow-executions": 1})

        assert used(hap, "workflow_executions") == (10000, 20000, 10000)
        assert checked(hap, "workflow_executions").allowed is True

    def test_a_total_that_is_not_a_quota_is_kept_across_periods(self, hap: Billing) -> None:
        consume(hap, "applications", 3)
        consume(hap, "applications", -1)

        hap.advance(utc(2026, 3, 1))

        assert used(hap, "applications") == (2, 50, 48)

    def test_consumption_over_the_quota_is_recorded_and_leaves_nothing(self, hap: Billing) -> None:
        after = consume(hap, "workflow_executions", 10500)

        assert (after.used, after.limit, after.remaining) == (10500, 10000, 0)

    def test_giving_back_more_than_was_consumed_is_refused(self, hap: Billing) -> None:
        consume(hap, "applications", 2)

        with pytest.raises(Invalid) as refused:
            consume(hap, "applications", -3)

        assert (refused.value.code, refused.value.param) == ("invalid_amount", "amount")
        assert used(hap, "applications") == (2, 50, 48)

    def test_a_zero_amount_is_refused(self, hap: Billing) -> None:
        with pytest.raises(Invalid):
            consume(hap, "applications", 0)

    def test_seats_are_counted_from_members_not_consumption(self, hap: Billing) -> None:
        with pytest.raises(Invalid) as refused:
            consume(hap, "seats", 1)

        assert refused.value.code == "not_a_consumption_limit"

    def test_consumption_on_an_unknown_limit_is_refused(self, hap: Billing) -> None:
        with pytest.raises(Invalid) as refused:
            consume(hap, "sms_credits", 1)

        assert (refused.value.code, refused.value.param) == ("unknown_limit", "limit")


class TestCheckEntitlement:
    def test_a_fitting_action_is_allowed_with_used_limit_and_remaining(self, hap: Billing) -> None:
        for n in range(40):
            member(hap, f"guest{n}", "portal", counts_toward="external_users")

        decision = check_entitlement(CheckEntitlement("acme", "external_users", 60), uow=hap.uow)

        assert (decision.allowed, decision.used, decision.limit, decision.remaining) == (
            True, 40, 100, 60,
        )  # fmt: skip
        assert decision.suggestion is None

    def test_an_action_over_the_quota_is_refused_with_the_pack_that_allows_it(
        self, hap: Billing
    ) -> None:
        consume(hap, "workflow_executions", 9999)

        decision = check_entitlement(
            CheckEntitlement("acme", "workflow_executions", 2), uow=hap.uow
        )

        assert (decision.allowed, decision.used, decision.limit, decision.remaining) == (
            False, 9999, 10000, 1,
        )  # fmt: skip
        assert decision.suggestion == Suggestion(
            "addon", "workflow-executions", "Workflow executions +10,000", 1
        )

    def test_a_check_changes_nothing(self, hap: Billing) -> None:
        consume(hap, "workflow_executions", 10)

        checked(hap, "workflow_executions", 5)
        checked(hap, "workflow_executions", 5)

        assert used(hap, "workflow_executions") == (10, 10000, 9990)

    def test_a_check_on_an_unknown_limit_is_invalid(self, hap: Billing) -> None:
        with pytest.raises(Invalid) as refused:
            checked(hap, "storage_gb")

        assert refused.value.code == "unknown_limit"

    def test_a_check_for_an_unknown_account_is_not_found(self, hap: Billing) -> None:
        with pytest.raises(NotFound) as refused:
            checked(hap, "seats", account="nobody")

        assert refused.value.code == "unknown_account"

    def test_a_check_after_the_subscription_expired_is_not_found(self, hap: Billing) -> None:
        set_auto_renew(SetAutoRenew("acme", False), uow=hap.uow, clock=hap.clock)
        hap.advance(utc(2026, 3, 1))

        with pytest.raises(NotFound) as refused:
            checked(hap, "seats")

        assert refused.value.code == "no_subscription"

    def test_a_check_does_not_wait_for_a_writer_holding_the_lock(
        self, hap: Billing, engine: Engine, impatient_engine: Engine
    ) -> None:
        consume(hap, "workflow_executions", 100)
        check = CheckEntitlement("acme", "workflow_executions", 1)
        more = RecordConsumption("acme", "workflow_executions", 1)

        with UnitOfWork(engine) as billing_run:  # holds the lock; its write is not committed
            billing_run.consumption.add("acme", "workflow_executions", START, 50, START)
            # a writer from elsewhere waits for it, and gives up after 100 ms …
            with pytest.raises(OperationalError):
                record_consumption(more, uow=UnitOfWork(impatient_engine), clock=hap.clock)
            # … a check does not wait: it reads what is committed
            decision = check_entitlement(check, uow=UnitOfWork(impatient_engine))

        assert (decision.allowed, decision.used, decision.remaining) == (True, 100, 9900)


class TestListEntitlements:
    def test_every_limit_of_the_plan_is_listed_seats_first(self, hap: Billing) -> None:
        hap.change(addons={"external-users": 2})
        member(hap, "ann")
        member(hap, "guest", "portal", counts_toward="external_users")
        consume(hap, "data_sync_rows", 2500)

        listed = list_entitlements("acme", uow=hap.uow)

        assert listed == [
            Entitlement("seats", 1, 10, 9),
            Entitlement("applications", 0, 50, 50),
            Entitlement("attachment_upload_gb", 0, 100, 100, True, FIRST_PERIOD),
            Entitlement("data_sync_rows", 2500, 100000, 97500, True, FIRST_PERIOD),
            Entitlement("external_users", 1, 300, 299),
            Entitlement("workflow_executions", 0, 10000, 10000, True, FIRST_PERIOD),
        ]

    def test_an_unlimited_limit_has_nothing_to_count_down(self, hap: Billing) -> None:
        hap.change(edition="enterprise", quantity=50)
        consume(hap, "applications", 7)

        assert used(hap, "applications") == (7, None, None)


class TestResources:
    def test_a_limit_a_count_rule_ties_to_a_type_is_measured_on_its_resources(
        self, billing: Billing
    ) -> None:
        install_catalog(load_catalog(EXAMPLES / "waiting-room" / "catalog.yaml"),
                        uow=billing.uow, clock=billing.clock)  # fmt: skip
        billing.account()
        billing.subscribe("standard", quantity=1)
        for n, capacity in enumerate((1000, 1500, 2000)):
            report_resource(
                ReportResource("acme", f"room{n}", "waiting_room", None, {"capacity": capacity}),
                uow=billing.uow, clock=billing.clock,
            )  # fmt: skip

        rooms = check_entitlement(CheckEntitlement("acme", "waiting_rooms", 3), uow=billing.uow)
        capacity = check_entitlement(CheckEntitlement("acme", "capacity", 600), uow=billing.uow)

        assert (rooms.allowed, rooms.used, rooms.limit) == (False, 3, 5)
        assert (capacity.allowed, capacity.used, capacity.limit) == (False, 4500, 5000)
        assert capacity.suggestion == Suggestion("edition", "pro", "Pro")
        assert len(list_resources("acme", uow=billing.uow)) == 3
