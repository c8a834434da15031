"""Catalog versions: what a renewal is priced from, and what a new version does to a subscription.

The subscription is Basic × 10 seats, monthly, anchored on 2026-01-01: 10 × 2.50 = 25.00 a month
in version 1. Version 2 raises Basic to 3.00 a seat (30.00 a month) and lowers Pro to 4.00; the
operator installs it on 2026-01-10.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from builders import a_catalog, a_plan, a_subscription, an_edition, per_unit, utc

from tierline.domain.catalog import Catalog, Renewal
from tierline.domain.catalog_diff import Affected, for_customers
from tierline.domain.catalog_versions import (
    after_due_step,
    first_renewal_from,
    priced_from,
    renewal_version,
    reprice,
)
from tierline.domain.events import PriceChanging
from tierline.domain.periods import Period
from tierline.domain.renewal import renewal_invoice
from tierline.domain.subscription import PriceChange, ScheduledChange, Subscription

JAN_10 = utc(2026, 1, 10)
V1 = a_catalog()


def v2(**overrides: Any) -> Catalog:
    """Basic 3.00 a seat, Pro 4.00 (no trial); everything else as version 1."""
    return replace(
        a_catalog(
            editions=(
                *V1.editions[:1],
                an_edition("basic", rank=1, prices=(per_unit("3.00"),)),
                an_edition("pro", rank=2, prices=(per_unit("4.00"),)),
            )
        ),
        **overrides,
    )


def basic(**overrides: Any) -> Subscription:
    fields: dict[str, Any] = {"catalog_version": 1, **overrides}
    return a_subscription(V1, a_plan("basic", quantity=10), start=utc(2026, 1, 1), **fields)


def reprice_to_v2(sub: Subscription, existing: Any, now: datetime = JAN_10, **catalog: Any) -> Any:
    return reprice(sub, priced=V1, new=v2(**catalog), version=2, existing=existing, now=now,
                   tz="UTC")  # fmt: skip


class TestPricedFrom:
    def test_a_renewal_priced_from_the_old_version_charges_its_price(self) -> None:
        catalog = priced_from(v2(), V1)
        invoice = renewal_invoice(basic(), catalog, "UTC")
        assert [line.amount for line in invoice.lines] == [Decimal("25.00")]

    def test_every_rule_but_the_prices_is_the_current_versions(self) -> None:
        current = v2(renewal=Renewal(lead_days=3))
        catalog = priced_from(current, V1)
        assert catalog.renewal.lead_days == 3
        assert catalog.edition("pro").trial_days == 0  # type: ignore[union-attr]
        assert catalog.edition("pro").prices == V1.edition("pro").prices  # type: ignore[union-attr]

    def test_an_edition_the_old_version_lacks_keeps_the_current_price(self) -> None:
        team = an_edition("team", rank=3, prices=(per_unit("7.00"),))
        current = v2(editions=(*v2().editions, team))
        assert priced_from(current, V1).edition("team") == team


class TestRenewalVersion:
    def test_a_renewal_is_priced_from_the_subscriptions_own_version(self) -> None:
        assert renewal_version(basic(), current=2) == 1

    def test_a_subscription_without_a_version_follows_the_current_one(self) -> None:
        assert renewal_version(basic(catalog_version=None), current=2) == 2

    def test_an_announced_version_prices_the_renewal_on_its_date(self) -> None:
        on_feb_1 = basic(price_change=PriceChange(2, utc(2026, 2, 1)))
        on_mar_1 = basic(price_change=PriceChange(2, utc(2026, 3, 1)))
        assert (renewal_version(on_feb_1, 3), renewal_version(on_mar_1, 3)) == (2, 1)

    def test_a_scheduled_change_of_plan_is_bought_at_the_current_version(self) -> None:
        change = ScheduledChange("chg_1", a_plan("pro"), "upgrade", utc(2026, 2, 1), JAN_10)
        assert renewal_version(basic(pending=change), current=3) == 3


class TestAfterDueStep:
    def test_the_renewal_moves_the_subscription_to_the_version_it_was_priced_from(self) -> None:
        before = basic(price_change=PriceChange(2, utc(2026, 2, 1)))
        renewed = replace(before, next_charges=())
        after = after_due_step(before, renewed, 2)
        assert (after.catalog_version, after.price_change) == (2, None)

    def test_a_later_announced_version_waits_for_its_own_renewal(self) -> None:
        before = basic(price_change=PriceChange(2, utc(2026, 3, 1)))
        after = after_due_step(before, replace(before, next_charges=()), 1)
        assert (after.catalog_version, after.price_change) == (1, PriceChange(2, utc(2026, 3, 1)))

    def test_a_change_of_plan_at_a_newer_version_overtakes_an_announced_one(self) -> None:
        before = basic(price_change=PriceChange(2, utc(2026, 3, 1)))
        after = after_due_step(before, replace(before, next_charges=()), 3)
        assert (after.catalog_version, after.price_change) == (3, None)

    def test_a_roll_over_changes_no_version(self) -> None:
        before = basic(next_charges=())
        rolled = replace(before, next_charges=None, period=Period(utc(2026, 2, 1), utc(2026, 3, 1)))
        assert after_due_step(before, rolled, 7).catalog_version == 1


class TestReprice:
    def test_keep_leaves_a_subscription_whose_price_changes_on_its_version(self) -> None:
        result = reprice_to_v2(basic(), "keep")
        assert result.subscription == basic()
        assert result.notice is None

    def test_a_subscription_whose_price_does_not_change_moves_to_the_new_version(self) -> None:
        result = reprice_to_v2(basic(), "keep", editions=V1.editions)
        assert (result.subscription.catalog_version, result.notice) == (2, None)

    def test_next_renewal_announces_the_first_renewal_30_days_away(self) -> None:
        result = reprice_to_v2(basic(), "next_renewal")
        # Jan 10 + 30 days = Feb 9: the renewal on Feb 1 is too close; the one on Mar 1 is not.
        assert result.subscription.price_change == PriceChange(2, utc(2026, 3, 1))
        assert result.subscription.catalog_version == 1
        assert result.notice == PriceChanging(
            subscription="sub_1", edition="basic", edition_name="Basic",
            old_amount=Decimal("25.00"), new_amount=Decimal("30.00"), currency="EUR",
            effective_at=utc(2026, 3, 1),
        )  # fmt: skip

    def test_the_notice_period_is_the_new_versions(self) -> None:
        result = reprice_to_v2(basic(), "next_renewal", renewal=Renewal(price_change_notice_days=7))
        assert result.subscription.price_change == PriceChange(2, utc(2026, 2, 1))

    def test_a_plan_the_new_version_cannot_sell_keeps_its_price(self) -> None:
        result = reprice_to_v2(basic(), "next_renewal", editions=(V1.editions[0],))
        assert (result.subscription, result.notice) == (basic(), None)

    def test_an_ended_subscription_is_left_alone(self) -> None:
        ended = basic(status="expired")
        assert reprice_to_v2(ended, "next_renewal").subscription == ended


class TestFirstRenewalFrom:
    def test_the_period_end_when_it_is_far_enough(self) -> None:
        assert first_renewal_from(basic(), V1, utc(2026, 1, 20), "UTC") == utc(2026, 2, 1)

    def test_a_renewal_on_the_earliest_day_itself_counts(self) -> None:
        assert first_renewal_from(basic(), V1, utc(2026, 3, 1), "UTC") == utc(2026, 3, 1)

    def test_a_period_invoiced_ahead_already_is_skipped(self) -> None:
        invoiced = basic(next_charges=())
        assert first_renewal_from(invoiced, V1, utc(2026, 1, 20), "UTC") == utc(2026, 3, 1)

    def test_boundaries_are_counted_from_the_anchor(self) -> None:
        sub = a_subscription(V1, a_plan("basic"), start=utc(2026, 1, 31))
        assert first_renewal_from(sub, V1, utc(2026, 3, 1), "UTC") == utc(2026, 3, 31)


class TestForCustomers:
    def test_prices_up_and_down_per_unit_and_cycle(self) -> None:
        diff = for_customers(V1, v2())
        moves = [(m.code, m.cycle, m.before, m.after, m.direction) for m in diff.prices]
        # year: 12 months at 20 % off: basic 2.50 → 24.00 and 3.00 → 28.80; pro 48.00 → 38.40
        assert moves == [
            ("basic", "month", Decimal("2.50"), Decimal("3.00"), "up"),
            ("basic", "year", Decimal("24.00"), Decimal("28.80"), "up"),
            ("pro", "month", Decimal("5.00"), Decimal("4.00"), "down"),
            ("pro", "year", Decimal("48.00"), Decimal("38.40"), "down"),
        ]

    def test_editions_added_and_removed_are_named(self) -> None:
        team = an_edition("team", name="Team", rank=3, prices=(per_unit("7.00"),))
        diff = for_customers(V1, v2(editions=(*v2().editions[:2], team)))
        assert (diff.editions_added, diff.editions_removed) == (("Team",), ("Pro",))

    def test_subscriptions_are_counted_by_what_their_plan_costs_after(self) -> None:
        plans = [
            (a_plan("basic", quantity=10), "EUR"),
            (a_plan("pro", quantity=2), "EUR"),
            (a_plan("basic", quantity=10, addons={"workflows": 1}), "EUR"),
            (a_plan("free", quantity=10), "EUR"),
        ]
        assert for_customers(V1, v2(), plans).affected == Affected(more=2, less=1, same=1)

    def test_a_plan_the_new_version_cannot_sell_is_counted_apart(self) -> None:
        without_pro = v2(editions=v2().editions[:2])
        plans = [(a_plan("pro", quantity=2), "EUR")]
        assert for_customers(V1, without_pro, plans).affected == Affected(gone=1)
