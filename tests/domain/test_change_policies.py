from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from builders import (
    a_catalog,
    a_plan,
    a_policy,
    a_subscription,
    an_edition,
    paid_to_free_refused,
    per_unit,
    policies,
    utc,
)

from tierline.domain.catalog import Catalog, Proration
from tierline.domain.change import Settlement, classify, plan_price, settle
from tierline.domain.entitlements import Effect
from tierline.domain.errors import Invalid, NotAllowed, TransitionNotAllowed
from tierline.domain.lines import Line
from tierline.domain.periods import Period
from tierline.domain.plan import Plan
from tierline.domain.renewal import renewal_invoice, roll_over
from tierline.domain.subscription import Status, Subscription

JAN_16 = utc(2026, 1, 16)  # 16 of January's 31 days are left
JANUARY = Period(utc(2026, 1, 1), utc(2026, 2, 1))


def prorating() -> Catalog:
    """A catalog whose every change is immediate and prorated onto the same invoice."""
    return a_catalog(
        policies=policies(
            default=a_policy("immediate", "prorate", "invoice"),
            transitions=(paid_to_free_refused("basic", "pro"),),
        )
    )


def basic_10(catalog: Catalog, **overrides: Any) -> Subscription:
    """Basic × 10 seats (25.00 a month), paid for January 2026."""
    return a_subscription(catalog, a_plan("basic", quantity=10), start=utc(2026, 1, 1), **overrides)


def change(
    sub: Subscription, target: Plan, catalog: Catalog, now: datetime = JAN_16, tz: str = "UTC"
) -> Settlement:
    return settle(sub, target, catalog, now, tz, change_id="chg_1")


def amounts(lines: tuple[Line, ...]) -> list[tuple[str | None, Decimal]]:
    return [(line.item, line.amount) for line in lines]


class TestClassify:
    def test_a_higher_rank_is_an_upgrade(self) -> None:
        result = classify(a_catalog(), a_plan("basic"), a_plan("pro"))
        assert (result.primary, result.classes) == ("upgrade", frozenset({"upgrade"}))

    def test_a_lower_rank_is_a_downgrade(self) -> None:
        assert classify(a_catalog(), a_plan("pro"), a_plan("basic")).primary == "downgrade"

    def test_at_equal_rank_a_dearer_edition_is_an_upgrade(self) -> None:
        catalog = a_catalog(
            editions=(
                an_edition("team", rank=1, prices=(per_unit("3.00"),)),
                an_edition("studio", rank=1, prices=(per_unit("4.00"),)),
            )
        )
        assert classify(catalog, a_plan("team"), a_plan("studio")).primary == "upgrade"

    def test_at_equal_rank_a_cheaper_edition_is_a_downgrade(self) -> None:
        catalog = a_catalog(
            editions=(
                an_edition("team", rank=1, prices=(per_unit("3.00"),)),
                an_edition("studio", rank=1, prices=(per_unit("4.00"),)),
            )
        )
        assert classify(catalog, a_plan("studio"), a_plan("team")).primary == "downgrade"

    def test_rank_wins_over_price(self) -> None:
        catalog = a_catalog(
            editions=(
                an_edition("cheap-top", rank=2, prices=(per_unit("1.00"),)),
                an_edition("dear-low", rank=1, prices=(per_unit("9.00"),)),
            )
        )
        assert classify(catalog, a_plan("dear-low"), a_plan("cheap-top")).primary == "upgrade"

    def test_more_seats_is_a_quantity_increase(self) -> None:
        result = classify(a_catalog(), a_plan(quantity=10), a_plan(quantity=12))
        assert result.primary == "quantity_increase"

    def test_fewer_seats_is_a_quantity_decrease(self) -> None:
        result = classify(a_catalog(), a_plan(quantity=10), a_plan(quantity=8))
        assert result.primary == "quantity_decrease"

    def test_a_new_cycle_is_a_cycle_change(self) -> None:
        result = classify(a_catalog(), a_plan(cycle="month"), a_plan(cycle="year"))
        assert result.primary == "cycle_change"

    def test_a_new_pack_is_an_addon_add(self) -> None:
        result = classify(a_catalog(), a_plan(), a_plan(addons={"external-users": 1}))
        assert result.primary == "addon_add"

    def test_more_of_a_pack_is_an_addon_add(self) -> None:
        before, after = a_plan(addons={"external-users": 1}), a_plan(addons={"external-users": 3})
        assert classify(a_catalog(), before, after).primary == "addon_add"

    def test_dropping_a_pack_is_an_addon_remove(self) -> None:
        result = classify(a_catalog(), a_plan(addons={"workflows": 2}), a_plan())
        assert result.primary == "addon_remove"

    def test_the_same_plan_is_not_a_change(self) -> None:
        with pytest.raises(Invalid, match="already has"):
            classify(a_catalog(), a_plan(), a_plan())

    def test_a_mixed_change_keeps_every_class(self) -> None:
        result = classify(a_catalog(), a_plan("pro", quantity=10), a_plan("basic", "year", 12))
        assert result.classes == frozenset({"downgrade", "cycle_change", "quantity_increase"})

    @pytest.mark.parametrize(
        ("before", "after", "primary"),
        [
            (a_plan("basic", "month"), a_plan("pro", "year"), "upgrade"),
            (a_plan("pro", "month"), a_plan("basic", "year"), "cycle_change"),
            (a_plan("pro", quantity=5), a_plan("basic", quantity=9), "downgrade"),
            (a_plan(quantity=5), a_plan(quantity=9, addons={"workflows": 1}), "quantity_increase"),
            (
                a_plan(quantity=9, addons={"workflows": 1}),
                a_plan(quantity=5, addons={"workflows": 1, "external-users": 1}),
                "quantity_decrease",
            ),
            (
                a_plan(addons={"workflows": 1}),
                a_plan(addons={"external-users": 1}),
                "addon_add",
            ),
        ],
    )
    def test_a_mixed_change_takes_its_highest_class_in_catalog_order(
        self, before: Plan, after: Plan, primary: str
    ) -> None:
        assert classify(a_catalog(), before, after).primary == primary

    def test_a_change_carries_the_policy_of_its_highest_class(self) -> None:
        restart = a_policy("immediate", "restart", "credit_note")
        catalog = a_catalog(policies=policies(cycle_change=restart))
        result = classify(catalog, a_plan("pro", "month"), a_plan("basic", "year"))
        assert result.policy == restart

    def test_plan_price_is_the_full_cycle_list_price_with_addons(self) -> None:
        plan = a_plan("basic", quantity=10, addons={"external-users": 2})
        assert plan_price(a_catalog(), plan) == Decimal("43.00")  # 25.00 + 2 × 9.00


class TestEndOfPeriod:
    def test_a_downgrade_is_scheduled_for_the_period_end_and_charges_nothing(self) -> None:
        catalog = a_catalog()  # downgrade: end_of_period, none
        sub = a_subscription(catalog, a_plan("pro", quantity=10), start=utc(2026, 1, 1))
        result = change(sub, a_plan("basic", quantity=10), catalog)
        assert result.scheduled
        assert result.effective_at == JANUARY.end
        assert (result.charge_lines, result.credit_lines) == ((), ())

    def test_a_scheduled_change_is_pending_and_leaves_the_plan_for_now(self) -> None:
        catalog = a_catalog()
        sub = a_subscription(catalog, a_plan("pro", quantity=10), start=utc(2026, 1, 1))
        after = change(sub, a_plan("basic", quantity=10), catalog).after
        assert after.plan == a_plan("pro", quantity=10)
        assert after.charges == sub.charges
        assert after.pending is not None
        assert (after.pending.id, after.pending.target, after.pending.change_class) == (
            "chg_1",
            a_plan("basic", quantity=10),
            "downgrade",
        )
        assert (after.pending.effective_at, after.pending.created_at) == (JANUARY.end, JAN_16)

    def test_a_scheduled_change_announces_the_next_renewal_at_the_new_price(self) -> None:
        catalog = a_catalog()
        sub = a_subscription(catalog, a_plan("pro", quantity=10), start=utc(2026, 1, 1))
        result = change(sub, a_plan("basic", quantity=10), catalog)
        assert result.next_renewal_amount == Decimal("25.00")


class TestImmediateWithoutProration:
    def test_an_immediate_change_without_proration_changes_the_plan_with_no_lines(self) -> None:
        catalog = a_catalog(policies=policies(quantity_increase=a_policy("immediate", "none")))
        result = change(basic_10(catalog), a_plan("basic", quantity=12), catalog)
        assert not result.scheduled
        assert result.after.plan == a_plan("basic", quantity=12)
        assert (result.charge_lines, result.credit_lines) == ((), ())
        assert result.effective_at == JAN_16

    def test_an_immediate_change_without_proration_bills_the_new_price_at_renewal(self) -> None:
        catalog = a_catalog(policies=policies(quantity_increase=a_policy("immediate", "none")))
        result = change(basic_10(catalog), a_plan("basic", quantity=12), catalog)
        assert result.next_renewal_amount == Decimal("30.00")
        assert result.after.period == JANUARY


class TestProrate:
    def test_upgrade_mid_month_credits_unused_days_and_charges_remaining(self) -> None:
        catalog = prorating()
        result = change(basic_10(catalog), a_plan("pro", quantity=10), catalog)
        # 25.00 × 16/31 = 12.903 → 12.90 back; 50.00 × 16/31 = 25.806 → 25.81 due.
        assert amounts(result.credit_lines) == [("edition", Decimal("-12.90"))]
        assert amounts(result.charge_lines) == [("edition", Decimal("25.81"))]
        assert (result.credited, result.charged) == (Decimal("12.90"), Decimal("25.81"))

    def test_a_prorated_change_keeps_the_period_and_its_anchor(self) -> None:
        catalog = prorating()
        sub = basic_10(catalog)
        after = change(sub, a_plan("pro", quantity=10), catalog).after
        assert (after.period, after.anchor) == (JANUARY, sub.anchor)

    def test_prorated_lines_cover_the_rest_of_the_period(self) -> None:
        catalog = prorating()
        result = change(basic_10(catalog), a_plan("pro", quantity=10), catalog)
        assert result.charge_lines[0].period == Period(JAN_16, JANUARY.end)
        assert result.credit_lines[0].period == Period(JAN_16, JANUARY.end)
        assert result.charge_lines[0].kind == "proration_charge"
        assert result.credit_lines[0].kind == "proration_credit"

    def test_the_new_charge_records_what_was_paid_from_now(self) -> None:
        catalog = prorating()
        after = change(basic_10(catalog), a_plan("pro", quantity=10), catalog).after
        (charge,) = after.charges
        assert (charge.code, charge.amount, charge.list_amount, charge.paid_from) == (
            "pro",
            Decimal("25.81"),
            Decimal("50.00"),
            JAN_16,
        )

    def test_a_credit_names_the_invoice_that_paid_for_the_time(self) -> None:
        catalog = prorating()
        result = change(basic_10(catalog), a_plan("pro", quantity=10), catalog)
        assert result.credit_sources == ("INV-2026-000001",)

    def test_more_seats_mid_month_credit_the_old_quantity_and_charge_the_new(self) -> None:
        catalog = prorating()
        result = change(basic_10(catalog), a_plan("basic", quantity=15), catalog)
        # 37.50 × 16/31 = 19.354 → 19.35
        assert amounts(result.credit_lines) == [("edition", Decimal("-12.90"))]
        assert amounts(result.charge_lines) == [("edition", Decimal("19.35"))]

    def test_adding_a_pack_mid_period_does_not_bill_the_edition_again(self) -> None:
        catalog = prorating()
        target = a_plan("basic", quantity=10, addons={"external-users": 1})
        result = change(basic_10(catalog), target, catalog)
        # 9.00 × 16/31 = 4.645 → 4.65
        assert amounts(result.charge_lines) == [("addon:external-users", Decimal("4.65"))]
        assert result.credit_lines == ()

    def test_adding_a_pack_keeps_the_edition_charge_as_paid(self) -> None:
        catalog = prorating()
        sub = basic_10(catalog)
        target = a_plan("basic", quantity=10, addons={"external-users": 1})
        after = change(sub, target, catalog).after
        assert after.charges[0] == sub.charges[0]
        assert [c.item for c in after.charges] == ["edition", "addon:external-users"]

    def test_removing_a_pack_immediately_credits_only_the_pack(self) -> None:
        catalog = prorating()
        sub = a_subscription(
            catalog, a_plan("basic", quantity=10, addons={"workflows": 2}), start=utc(2026, 1, 1)
        )
        result = change(sub, a_plan("basic", quantity=10), catalog)
        # 30.00 × 16/31 = 15.483 → 15.48
        assert amounts(result.credit_lines) == [("addon:workflows", Decimal("-15.48"))]
        assert result.charge_lines == ()
        assert [c.item for c in result.after.charges] == ["edition"]

    def test_a_second_change_credits_what_the_first_change_charged(self) -> None:
        catalog = prorating()
        first = change(basic_10(catalog), a_plan("pro", quantity=10), catalog).after
        second = change(first, a_plan("pro", quantity=12), catalog, now=utc(2026, 1, 24))
        # The 25.81 paid from Jan 16 covers 16 days; 8 are left on Jan 24: 25.81 × 8/16.
        assert amounts(second.credit_lines) == [("edition", Decimal("-12.91"))]
        # 60.00 × 8/31 = 15.48
        assert amounts(second.charge_lines) == [("edition", Decimal("15.48"))]

    def test_a_change_on_the_first_day_credits_and_charges_whole_periods(self) -> None:
        catalog = prorating()
        result = change(basic_10(catalog), a_plan("pro", quantity=10), catalog, now=utc(2026, 1, 1))
        assert (result.credited, result.charged) == (Decimal("25.00"), Decimal("50.00"))

    def test_a_change_on_the_last_day_moves_that_one_day_to_the_new_plan(self) -> None:
        catalog = prorating()
        result = change(
            basic_10(catalog), a_plan("pro", quantity=10), catalog, now=utc(2026, 1, 31, 12)
        )
        # 25.00 × 1/31 = 0.806 → 0.81; 50.00 × 1/31 = 1.612 → 1.61
        assert (result.credited, result.charged) == (Decimal("0.81"), Decimal("1.61"))

    def test_unused_days_are_counted_in_the_accounts_timezone(self) -> None:
        catalog = prorating()
        sub = a_subscription(
            catalog, a_plan("basic", quantity=10), start=utc(2026, 1, 1), tz="Asia/Tokyo"
        )
        # 2026-01-15T20:00Z is already Jan 16 in Tokyo: the period (Jan 1 09:00 → Feb 1 09:00
        # local) has 16 local days left.
        result = change(
            sub, a_plan("pro", quantity=10), catalog, utc(2026, 1, 15, 20), "Asia/Tokyo"
        )
        assert result.credited == Decimal("12.90")

    def test_the_effects_of_a_change_list_reduced_limits(self) -> None:
        catalog = prorating()
        sub = a_subscription(catalog, a_plan(addons={"external-users": 2}), start=utc(2026, 1, 1))
        result = change(sub, a_plan(addons={"external-users": 1}), catalog)
        assert result.effects == (Effect("limit_reduced", "external_users", 200, 100),)


class TestSecondGranularity:
    def test_second_granularity_credits_the_unused_seconds(self) -> None:
        catalog = a_catalog(
            policies=policies(granularity="second", upgrade=a_policy("immediate", "prorate"))
        )
        # Jan 16 12:00 is exactly halfway through January.
        result = change(
            basic_10(catalog), a_plan("pro", quantity=10), catalog, utc(2026, 1, 16, 12)
        )
        assert (result.credited, result.charged) == (Decimal("12.50"), Decimal("25.00"))

    def test_day_granularity_gives_the_whole_day_of_the_change_to_the_new_plan(self) -> None:
        catalog = a_catalog(policies=policies(upgrade=a_policy("immediate", "prorate")))
        result = change(
            basic_10(catalog), a_plan("pro", quantity=10), catalog, utc(2026, 1, 16, 12)
        )
        assert result.credited == Decimal("12.90")  # 16 of 31 days


class TestRestart:
    def restarting(self) -> Catalog:
        return a_catalog(policies=policies(upgrade=a_policy("immediate", "restart", "credit_note")))

    def test_restart_credits_the_unused_part_of_the_old_plan(self) -> None:
        catalog = self.restarting()
        result = change(basic_10(catalog), a_plan("pro", quantity=10), catalog)
        assert amounts(result.credit_lines) == [("edition", Decimal("-12.90"))]
        assert result.credit_sources == ("INV-2026-000001",)

    def test_restart_charges_a_full_new_period_from_now(self) -> None:
        catalog = self.restarting()
        now = utc(2026, 1, 16, 10, 30)
        result = change(basic_10(catalog), a_plan("pro", quantity=10), catalog, now)
        assert amounts(result.charge_lines) == [("edition", Decimal("50.00"))]
        assert result.charge_lines[0].period == Period(now, utc(2026, 2, 16, 10, 30))
        assert result.charge_lines[0].kind == "subscription"

    def test_restart_carries_where_the_credit_goes_on_the_change(self) -> None:
        catalog = self.restarting()
        result = change(basic_10(catalog), a_plan("pro", quantity=10), catalog)
        assert result.change.policy == a_policy("immediate", "restart", "credit_note")

    def test_restart_moves_the_anchor_to_the_change(self) -> None:
        catalog = self.restarting()
        after = change(basic_10(catalog), a_plan("pro", quantity=10), catalog).after
        assert after.anchor == JAN_16
        assert after.period == Period(JAN_16, utc(2026, 2, 16))
        assert [(c.amount, c.paid_from) for c in after.charges] == [(Decimal("50.00"), JAN_16)]

    def test_a_cycle_change_restarts_with_a_full_year_by_default(self) -> None:
        catalog = a_catalog()  # cycle_change: immediate, restart
        result = change(basic_10(catalog), a_plan("basic", "year", 10), catalog)
        assert result.credited == Decimal("12.90")
        assert amounts(result.charge_lines) == [("edition", Decimal("240.00"))]  # 10 × 24.00
        assert result.after.period == Period(JAN_16, utc(2027, 1, 16))

    def test_restart_credits_every_item_including_kept_packs(self) -> None:
        catalog = self.restarting()
        sub = a_subscription(
            catalog, a_plan("basic", quantity=10, addons={"workflows": 1}), start=utc(2026, 1, 1)
        )
        result = change(sub, a_plan("pro", quantity=10, addons={"workflows": 1}), catalog)
        # 15.00 × 16/31 = 7.74
        assert amounts(result.credit_lines) == [
            ("edition", Decimal("-12.90")),
            ("addon:workflows", Decimal("-7.74")),
        ]
        assert result.charged == Decimal("65.00")


class TestCycleChangeUnderProrate:
    """Monthly → yearly on March 20th, anchored on January 1st: the billing day stays.

    Basic × 10 seats costs 25.00 a month and 240.00 a year (10 × 2.50 × 12 × 80 %). March has
    31 days, 12 of them left from the 20th; the yearly period counted from the anchor that holds
    March 20th is 2026-01-01 → 2027-01-01, 365 days, 287 of them left from the 20th.
    """

    MARCH_20 = utc(2026, 3, 20)

    def march(self, catalog: Catalog, plan: Plan | None = None) -> Subscription:
        """Paid for March, its third month counted from the anchor on January 1st."""
        plan = plan or a_plan("basic", quantity=10)
        return a_subscription(catalog, plan, start=utc(2026, 3, 1), anchor=utc(2026, 1, 1))

    def test_the_unused_part_of_the_month_is_credited(self) -> None:
        catalog = prorating()
        result = change(self.march(catalog), a_plan("basic", "year", 10), catalog, self.MARCH_20)
        # 25.00 × 12/31 = 9.677… → 9.68
        assert amounts(result.credit_lines) == [("edition", Decimal("-9.68"))]
        assert result.credit_lines[0].period == Period(self.MARCH_20, utc(2026, 4, 1))

    def test_the_first_year_runs_to_the_next_anniversary_of_the_anchor_at_a_share(self) -> None:
        catalog = prorating()
        result = change(self.march(catalog), a_plan("basic", "year", 10), catalog, self.MARCH_20)
        # 240.00 × 287/365 = 188.712… → 188.71
        assert amounts(result.charge_lines) == [("edition", Decimal("188.71"))]
        line = result.charge_lines[0]
        assert (line.kind, line.period) == (
            "proration_charge",
            Period(self.MARCH_20, utc(2027, 1, 1)),
        )

    def test_the_anchor_stays_and_the_period_ends_on_the_boundary(self) -> None:
        catalog = prorating()
        after = change(
            self.march(catalog), a_plan("basic", "year", 10), catalog, self.MARCH_20
        ).after
        assert (after.anchor, after.period) == (
            utc(2026, 1, 1),
            Period(self.MARCH_20, utc(2027, 1, 1)),
        )
        assert [(c.amount, c.list_amount, c.paid_from) for c in after.charges] == [
            (Decimal("188.71"), Decimal("240.00"), self.MARCH_20)
        ]

    def test_the_renewal_after_the_first_year_is_a_whole_year_from_the_boundary(self) -> None:
        catalog = prorating()
        after = change(
            self.march(catalog), a_plan("basic", "year", 10), catalog, self.MARCH_20
        ).after
        invoice = renewal_invoice(after, catalog, "UTC")
        assert invoice.period == Period(utc(2027, 1, 1), utc(2028, 1, 1))
        assert amounts(invoice.lines) == [("edition", Decimal("240.00"))]

    def test_an_upgrade_with_a_new_cycle_keeps_the_anchor_when_upgrades_prorate(self) -> None:
        catalog = prorating()
        result = change(self.march(catalog), a_plan("pro", "year", 10), catalog, self.MARCH_20)
        # Pro × 10 a year: 10 × 5.00 × 12 × 80 % = 480.00; × 287/365 = 377.424… → 377.42
        assert result.change.primary == "upgrade"
        assert (result.credited, result.charged) == (Decimal("9.68"), Decimal("377.42"))
        assert result.after.anchor == utc(2026, 1, 1)

    def test_yearly_to_monthly_runs_to_the_next_month_boundary(self) -> None:
        catalog = prorating()
        sub = a_subscription(catalog, a_plan("basic", "year", 10), start=utc(2026, 1, 1))
        result = change(sub, a_plan("basic", "month", 10), catalog, self.MARCH_20)
        # Credit: 240.00 × 287/365 = 188.71; first month: 25.00 × 12/31 = 9.68 (to April 1st)
        assert (result.credited, result.charged) == (Decimal("188.71"), Decimal("9.68"))
        assert result.after.period == Period(self.MARCH_20, utc(2026, 4, 1))
        assert renewal_invoice(result.after, catalog, "UTC").period == Period(
            utc(2026, 4, 1), utc(2026, 5, 1)
        )

    def test_a_change_on_the_boundary_buys_a_whole_period(self) -> None:
        catalog = prorating()
        sub = a_subscription(catalog, a_plan("basic", "year", 10), start=utc(2026, 1, 1))
        result = change(sub, a_plan("basic", "month", 10), catalog, utc(2026, 3, 1))
        assert amounts(result.charge_lines) == [("edition", Decimal("25.00"))]
        assert result.charge_lines[0].kind == "subscription"
        assert result.after.period == Period(utc(2026, 3, 1), utc(2026, 4, 1))

    def test_more_seats_during_the_first_year_are_a_share_of_the_whole_year(self) -> None:
        catalog = prorating()
        first = change(
            self.march(catalog), a_plan("basic", "year", 10), catalog, self.MARCH_20
        ).after
        result = change(first, a_plan("basic", "year", 20), catalog, utc(2026, 7, 1))
        # From July 1st, 184 of the year's 365 days are left. Credit: the 188.71 paid for the
        # 287 days from March 20th, × 184/287 = 120.98…; charge: 480.00 × 184/365 = 241.97…
        assert (result.credited, result.charged) == (Decimal("120.98"), Decimal("241.97"))

    def test_a_preview_and_a_change_settle_alike(self) -> None:
        catalog = prorating()
        sub = self.march(catalog)
        first = change(sub, a_plan("basic", "year", 10), catalog, self.MARCH_20)
        again = change(sub, a_plan("basic", "year", 10), catalog, self.MARCH_20)
        assert first == again


class TestScheduledCycleChange:
    """A change of cycle that waits for the period's end, under each proration."""

    def catalog(self, proration: Proration) -> Catalog:
        return a_catalog(policies=policies(cycle_change=a_policy("end_of_period", proration)))

    def test_under_prorate_the_first_year_runs_from_the_period_end_to_the_anchor(self) -> None:
        catalog = self.catalog("prorate")
        sub = a_subscription(catalog, a_plan("basic", quantity=10), start=utc(2026, 3, 1),
                             anchor=utc(2026, 1, 1))  # fmt: skip
        result = change(sub, a_plan("basic", "year", 10), catalog, utc(2026, 3, 20))
        assert result.scheduled and result.effective_at == utc(2026, 4, 1)
        # April 1st → January 1st: 275 of 365 days; 240.00 × 275/365 = 180.821… → 180.82
        assert result.next_renewal_amount == Decimal("180.82")
        invoice = renewal_invoice(result.after, catalog, "UTC")
        assert invoice.period == Period(utc(2026, 4, 1), utc(2027, 1, 1))
        assert amounts(invoice.lines) == [("edition", Decimal("180.82"))]
        rolled = roll_over(replace(result.after, next_charges=invoice.charges), catalog, "UTC")
        assert (rolled.anchor, rolled.period) == (
            utc(2026, 1, 1),
            Period(utc(2026, 4, 1), utc(2027, 1, 1)),
        )
        assert renewal_invoice(rolled, catalog, "UTC").period == Period(
            utc(2027, 1, 1), utc(2028, 1, 1)
        )

    @pytest.mark.parametrize("proration", ["restart", "none"])
    def test_otherwise_a_whole_year_starts_at_the_period_end(self, proration: Proration) -> None:
        catalog = self.catalog(proration)
        sub = a_subscription(catalog, a_plan("basic", quantity=10), start=utc(2026, 3, 1),
                             anchor=utc(2026, 1, 1))  # fmt: skip
        result = change(sub, a_plan("basic", "year", 10), catalog, utc(2026, 3, 20))
        assert result.next_renewal_amount == Decimal("240.00")
        invoice = renewal_invoice(result.after, catalog, "UTC")
        assert invoice.period == Period(utc(2026, 4, 1), utc(2027, 4, 1))
        rolled = roll_over(replace(result.after, next_charges=invoice.charges), catalog, "UTC")
        assert rolled.anchor == utc(2026, 4, 1)


class TestTrial:
    def trialing(self, catalog: Catalog) -> Subscription:
        return a_subscription(
            catalog, a_plan("pro", quantity=10), start=utc(2026, 1, 1), status="trialing"
        )

    def test_a_downgrade_to_another_trial_edition_applies_at_once_without_money(self) -> None:
        catalog = a_catalog(
            editions=(
                an_edition("basic", rank=1, prices=(per_unit("2.50"),), trial_days=14),
                an_edition("pro", rank=2, prices=(per_unit("5.00"),), trial_days=14),
            )
        )  # downgrade is end_of_period outside a trial
        result = change(self.trialing(catalog), a_plan("basic", quantity=10), catalog)
        assert not result.scheduled
        assert result.after.plan == a_plan("basic", quantity=10)
        assert result.after.status == "trialing"
        assert (result.charge_lines, result.credit_lines) == ((), ())

    def test_buying_the_licence_of_the_trial_plan_ends_the_trial_with_a_full_period(
        self,
    ) -> None:
        catalog = a_catalog()
        result = change(self.trialing(catalog), a_plan("pro", quantity=10), catalog)
        assert not result.scheduled
        assert result.after.status == "active"
        assert result.after.period == Period(JAN_16, utc(2026, 2, 16))
        assert result.after.anchor == JAN_16
        assert amounts(result.charge_lines) == [("edition", Decimal("50.00"))]
        assert result.credit_lines == ()

    def test_moving_a_trial_to_an_edition_without_a_trial_buys_that_edition(self) -> None:
        catalog = a_catalog()  # basic has no trial
        result = change(self.trialing(catalog), a_plan("basic", quantity=10), catalog)
        assert not result.scheduled
        assert (result.after.plan, result.after.status) == (a_plan("basic", quantity=10), "active")
        assert amounts(result.charge_lines) == [("edition", Decimal("25.00"))]

    def test_moving_a_trial_to_the_free_edition_buys_nothing(self) -> None:
        catalog = a_catalog(policies=policies())
        result = change(self.trialing(catalog), a_plan("free", quantity=10), catalog)
        assert result.after.plan.edition == "free"
        assert result.charge_lines == ()

    def test_more_seats_during_a_trial_charge_nothing(self) -> None:
        catalog = prorating()
        result = change(self.trialing(catalog), a_plan("pro", quantity=20), catalog)
        assert result.after.plan.quantity == 20
        assert (result.charged, result.credited) == (Decimal(0), Decimal(0))
        assert result.after.period == JANUARY

    def test_a_pack_cannot_be_bought_during_a_trial(self) -> None:
        catalog = prorating()
        target = a_plan("pro", quantity=10, addons={"external-users": 1})
        with pytest.raises(NotAllowed) as caught:
            change(self.trialing(catalog), target, catalog)
        assert caught.value.code == "not_available_on_edition"


class TestLeavingTheFreeEdition:
    def free(self, catalog: Catalog) -> Subscription:
        return a_subscription(catalog, a_plan("free", quantity=10), start=utc(2026, 1, 1))

    def test_leaving_a_free_edition_starts_a_paid_period_now(self) -> None:
        catalog = prorating()
        result = change(self.free(catalog), a_plan("basic", quantity=10), catalog)
        assert result.after.period == Period(JAN_16, utc(2026, 2, 16))
        assert result.after.anchor == JAN_16

    def test_leaving_a_free_edition_charges_a_full_period_and_credits_nothing(self) -> None:
        catalog = prorating()
        result = change(self.free(catalog), a_plan("basic", quantity=10), catalog)
        assert amounts(result.charge_lines) == [("edition", Decimal("25.00"))]
        assert result.credit_lines == ()

    def test_leaving_a_free_edition_is_immediate_even_if_upgrades_wait(self) -> None:
        catalog = a_catalog(policies=policies(upgrade=a_policy("end_of_period", "none")))
        result = change(self.free(catalog), a_plan("basic", quantity=10), catalog)
        assert not result.scheduled
        assert result.charged == Decimal("25.00")

    def test_moving_from_paid_to_free_is_refused_with_the_catalog_message(self) -> None:
        catalog = prorating()
        with pytest.raises(TransitionNotAllowed, match="create a new free platform"):
            change(basic_10(catalog), a_plan("free", quantity=10), catalog)


class TestEndedSubscriptions:
    @pytest.mark.parametrize("status", ["expired", "canceled"])
    def test_a_subscription_that_has_ended_refuses_changes(self, status: Status) -> None:
        catalog = prorating()
        sub = basic_10(catalog, status=status)
        with pytest.raises(NotAllowed) as caught:
            change(sub, a_plan("pro", quantity=10), catalog)
        assert caught.value.code == "subscription_inactive"

    def test_a_past_due_subscription_can_still_change(self) -> None:
        catalog = prorating()
        sub = basic_10(catalog, status="past_due")
        assert change(sub, a_plan("pro", quantity=10), catalog).charged == Decimal("25.81")
