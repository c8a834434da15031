from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from builders import a_catalog, a_plan, a_subscription, per_unit, utc

from tierline.domain.change import settle
from tierline.domain.events import Expired, Renewed, TrialEnded
from tierline.domain.periods import Period
from tierline.domain.renewal import (
    decide_due,
    first_period,
    next_period,
    renewal_invoice,
    roll_over,
)
from tierline.domain.subscription import (
    ScheduledChange,
    Subscription,
    next_action_at,
    renewal_due_at,
)

CATALOG = a_catalog()


def with_pending(sub: Subscription, **target: Any) -> Subscription:
    plan = sub.plan.with_changes(**target)
    pending = ScheduledChange("chg_1", plan, "downgrade", sub.period.end, utc(2026, 1, 10))
    return replace(sub, pending=pending)


def renewed(sub: Subscription, tz: str = "UTC") -> Subscription:
    """Invoice the next period, then roll over to it, as the billing run does."""
    invoice = renewal_invoice(sub, CATALOG, tz)
    return roll_over(replace(sub, next_charges=invoice.charges), CATALOG, tz)


class TestRenewalInvoice:
    def test_a_renewal_invoices_the_same_plan_for_the_next_period(self) -> None:
        sub = a_subscription(CATALOG, a_plan("basic", quantity=10), start=utc(2026, 1, 1))
        invoice = renewal_invoice(sub, CATALOG, "UTC")
        assert invoice.plan == sub.plan
        assert invoice.period == Period(utc(2026, 2, 1), utc(2026, 3, 1))
        assert [(line.kind, line.amount) for line in invoice.lines] == [
            ("subscription", Decimal("25.00"))
        ]

    def test_a_renewal_priced_again_from_another_catalog_takes_that_catalogs_price(self) -> None:
        # A whole period is kept with the catalog that priced it: another catalog (a new
        # version, or a copy with other prices) never answers with the first one's lines.
        sub = a_subscription(CATALOG, a_plan("basic", quantity=10), start=utc(2026, 1, 1))
        assert renewal_invoice(sub, CATALOG, "UTC").lines[0].amount == Decimal("25.00")
        dearer = replace(
            CATALOG,
            editions=tuple(
                replace(e, prices=(per_unit("3.00"),)) if e.code == "basic" else e
                for e in CATALOG.editions
            ),
        )
        assert dearer.derived == {}
        assert renewal_invoice(sub, dearer, "UTC").lines[0].amount == Decimal("30.00")
        assert renewal_invoice(sub, CATALOG, "UTC").lines[0].amount == Decimal("25.00")

    def test_a_renewal_invoices_the_pending_plan(self) -> None:
        sub = a_subscription(CATALOG, a_plan("pro", quantity=10), start=utc(2026, 1, 1))
        invoice = renewal_invoice(with_pending(sub, edition="basic"), CATALOG, "UTC")
        assert invoice.plan == a_plan("basic", quantity=10)
        assert [line.amount for line in invoice.lines] == [Decimal("25.00")]

    def test_a_renewal_after_a_scheduled_downgrade_bills_the_new_price(self) -> None:
        sub = a_subscription(CATALOG, a_plan("pro", quantity=10), start=utc(2026, 1, 1))
        scheduled = settle(
            sub, a_plan("basic", quantity=10), CATALOG, utc(2026, 1, 16), "UTC", change_id="c"
        ).after
        assert renewal_invoice(scheduled, CATALOG, "UTC").lines[0].amount == Decimal("25.00")

    def test_a_renewal_lists_each_pack(self) -> None:
        plan = a_plan("basic", quantity=10, addons={"external-users": 2})
        sub = a_subscription(CATALOG, plan, start=utc(2026, 1, 1))
        invoice = renewal_invoice(sub, CATALOG, "UTC")
        assert [(line.item, line.amount) for line in invoice.lines] == [
            ("edition", Decimal("25.00")),
            ("addon:external-users", Decimal("18.00")),
        ]

    def test_a_renewal_of_the_free_edition_has_no_lines_but_records_the_edition(self) -> None:
        sub = a_subscription(CATALOG, a_plan("free", quantity=10), start=utc(2026, 1, 1))
        invoice = renewal_invoice(sub, CATALOG, "UTC")
        assert invoice.lines == ()
        assert [c.item for c in invoice.charges] == ["edition"]

    def test_renewal_charges_are_paid_from_the_start_of_the_next_period(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), start=utc(2026, 1, 1))
        invoice = renewal_invoice(sub, CATALOG, "UTC")
        assert [c.paid_from for c in invoice.charges] == [utc(2026, 2, 1)]

    def test_a_pending_cycle_change_starts_a_new_cycle_at_the_period_end(self) -> None:
        sub = a_subscription(CATALOG, a_plan(cycle="month"), start=utc(2026, 1, 31))
        pending = with_pending(sub, cycle="year")
        assert next_period(pending, CATALOG, "UTC") == Period(utc(2026, 2, 28), utc(2027, 2, 28))


class TestRollOver:
    def test_roll_over_moves_to_the_next_anchored_period(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), start=utc(2026, 1, 31))
        assert sub.period == Period(utc(2026, 1, 31), utc(2026, 2, 28))
        assert renewed(sub).period == Period(utc(2026, 2, 28), utc(2026, 3, 31))

    def test_roll_over_never_drifts_from_the_anchor(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), start=utc(2026, 1, 31))
        ends = []
        for _ in range(4):
            sub = renewed(sub)
            ends.append(sub.period.end)
        assert ends == [utc(2026, 3, 31), utc(2026, 4, 30), utc(2026, 5, 31), utc(2026, 6, 30)]

    def test_roll_over_keeps_the_anchor(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), start=utc(2026, 1, 31))
        assert renewed(sub).anchor == utc(2026, 1, 31)

    def test_roll_over_takes_the_charges_invoiced_for_the_next_period(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), start=utc(2026, 1, 1))
        invoice = renewal_invoice(sub, CATALOG, "UTC")
        rolled = roll_over(replace(sub, next_charges=invoice.charges), CATALOG, "UTC")
        assert rolled.charges == invoice.charges
        assert rolled.next_charges is None

    def test_roll_over_applies_the_pending_change(self) -> None:
        sub = a_subscription(CATALOG, a_plan("pro", quantity=10), start=utc(2026, 1, 1))
        rolled = renewed(with_pending(sub, edition="basic"))
        assert rolled.plan == a_plan("basic", quantity=10)
        assert rolled.pending is None
        assert [c.list_amount for c in rolled.charges] == [Decimal("25.00")]

    def test_roll_over_to_a_new_cycle_moves_the_anchor_to_the_period_end(self) -> None:
        sub = a_subscription(CATALOG, a_plan(cycle="month"), start=utc(2026, 1, 31))
        rolled = renewed(with_pending(sub, cycle="year"))
        assert (rolled.anchor, rolled.period) == (
            utc(2026, 2, 28),
            Period(utc(2026, 2, 28), utc(2027, 2, 28)),
        )

    def test_roll_over_with_auto_renew_off_expires_at_the_period_end(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), start=utc(2026, 1, 1), auto_renew=False)
        rolled = roll_over(sub, CATALOG, "UTC")
        assert (rolled.status, rolled.ended_at) == ("expired", utc(2026, 2, 1))
        assert rolled.display_status == "Inactive"
        assert not rolled.is_live

    def test_roll_over_with_auto_renew_off_drops_a_pending_change(self) -> None:
        sub = a_subscription(CATALOG, a_plan("pro"), start=utc(2026, 1, 1), auto_renew=False)
        rolled = roll_over(with_pending(sub, edition="basic"), CATALOG, "UTC")
        assert rolled.pending is None
        assert rolled.plan.edition == "pro"

    def test_roll_over_in_paris_stays_at_local_midnight(self) -> None:
        start = utc(2026, 2, 28, 23)  # Mar 1 00:00 in Paris
        sub = a_subscription(CATALOG, a_plan(), start=start, tz="Europe/Paris")
        assert renewed(sub, "Europe/Paris").period == Period(
            utc(2026, 3, 31, 22), utc(2026, 4, 30, 22)
        )


class TestFirstPeriod:
    def test_the_first_period_runs_one_cycle_from_the_start(self) -> None:
        assert first_period(a_plan(cycle="year"), CATALOG, utc(2028, 2, 29), "UTC") == Period(
            utc(2028, 2, 29), utc(2029, 2, 28)
        )


class TestLifecycle:
    def test_a_trial_is_shown_as_try(self) -> None:
        sub = a_subscription(CATALOG, a_plan("pro"), status="trialing")
        assert sub.display_status == "Try"

    def test_past_due_is_still_shown_as_active(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), status="past_due")
        assert (sub.display_status, sub.is_live) == ("Active", True)

    def test_renewal_is_due_lead_days_before_the_period_ends(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), start=utc(2026, 1, 1))
        assert renewal_due_at(sub, 3) == utc(2026, 1, 29)

    def test_the_next_action_is_the_renewal_until_the_next_period_is_invoiced(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), start=utc(2026, 1, 1))
        assert next_action_at(sub, 3) == utc(2026, 1, 29)
        invoiced = replace(sub, next_charges=renewal_invoice(sub, CATALOG, "UTC").charges)
        assert next_action_at(invoiced, 3) == utc(2026, 2, 1)

    def test_the_next_action_of_a_trial_is_its_end(self) -> None:
        sub = a_subscription(CATALOG, a_plan("pro"), start=utc(2026, 1, 1), status="trialing")
        assert next_action_at(sub, 3) == utc(2026, 2, 1)

    def test_an_expired_subscription_needs_no_action(self) -> None:
        sub = a_subscription(CATALOG, a_plan(), status="expired")
        assert next_action_at(sub, 0) is None


class TestChangeScheduledAfterEarlyRenewal:
    """A change for the period end, asked after that renewal was invoiced (lead days)."""

    def test_it_waits_for_the_end_of_the_period_already_invoiced(self) -> None:
        sub = a_subscription(CATALOG, a_plan("pro", quantity=25), start=utc(2026, 1, 1))
        invoiced = replace(sub, next_charges=renewal_invoice(sub, CATALOG, "UTC").charges)
        settled = settle(invoiced, a_plan("pro", quantity=10), CATALOG, utc(2026, 1, 30), "UTC",
                         change_id="chg_1")  # fmt: skip
        assert settled.scheduled
        # February was invoiced for 25 seats on Jan 29: the change starts with March.
        assert settled.effective_at == utc(2026, 3, 1)

    def test_the_invoiced_period_keeps_the_plan_it_was_paid_for(self) -> None:
        sub = a_subscription(CATALOG, a_plan("pro", quantity=25), start=utc(2026, 1, 1))
        invoiced = replace(sub, next_charges=renewal_invoice(sub, CATALOG, "UTC").charges)
        settled = settle(invoiced, a_plan("pro", quantity=10), CATALOG, utc(2026, 1, 30), "UTC",
                         change_id="chg_1")  # fmt: skip
        february = roll_over(settled.after, CATALOG, "UTC")
        assert february.plan.quantity == 25
        assert february.pending is not None
        march = renewal_invoice(february, CATALOG, "UTC")
        # 10 seats × 5.00 = 50.00 from March on
        assert march.plan.quantity == 10
        assert [line.amount for line in march.lines] == [Decimal("50.00")]
        assert (
            roll_over(replace(february, next_charges=march.charges), CATALOG, "UTC").pending is None
        )


def never_invoiced(_start: datetime) -> bool:
    return False


class TestDecideDue:
    def test_within_the_lead_days_the_next_period_is_invoiced_ahead(self) -> None:
        sub = a_subscription(CATALOG, a_plan("basic", quantity=10), start=utc(2026, 1, 1))

        outcome = decide_due(sub, CATALOG, "UTC", sub.period.end, invoiced=never_invoiced)

        assert outcome.invoice is not None
        assert (outcome.invoice.reason, outcome.invoice.period_start) == ("renewal", sub.period.end)
        assert outcome.subscription.next_charges
        assert outcome.events == ()
        named = outcome.invoiced("INV-2026-000002").next_charges or ()
        assert {charge.invoice for charge in named} == {"INV-2026-000002"}

    def test_a_period_invoiced_already_by_a_run_that_stopped_is_not_invoiced_again(self) -> None:
        sub = a_subscription(CATALOG, a_plan("basic", quantity=10), start=utc(2026, 1, 1))

        def invoiced(start: datetime) -> bool:
            return start == sub.period.end

        outcome = decide_due(sub, CATALOG, "UTC", sub.period.end, invoiced=invoiced)

        assert outcome.invoice is None
        assert outcome.subscription.next_charges  # the period is still billed ahead

    def test_at_period_end_a_scheduled_change_applies_then_the_content_adapts_then_it_renews(
        self,
    ) -> None:
        sub = with_pending(
            a_subscription(CATALOG, a_plan("pro", quantity=10), start=utc(2026, 1, 1)),
            edition="basic",
        )
        invoiced_ahead = replace(sub, next_charges=renewal_invoice(sub, CATALOG, "UTC").charges)

        outcome = decide_due(
            invoiced_ahead, CATALOG, "UTC", sub.period.end, invoiced=never_invoiced
        )

        assert outcome.subscription.plan.edition == "basic"
        assert [e.kind for e in outcome.events] == ["subscription.downgrade_applied"]
        assert outcome.adapt_content == (sub.plan, outcome.subscription.plan)
        assert outcome.events_after_content == (Renewed("sub_1", utc(2026, 3, 1)),)
        assert outcome.invoice is None

    def test_with_auto_renewal_off_the_period_end_expires_the_subscription(self) -> None:
        sub = a_subscription(CATALOG, a_plan("basic"), start=utc(2026, 1, 1), auto_renew=False)

        outcome = decide_due(sub, CATALOG, "UTC", sub.period.end, invoiced=never_invoiced)

        assert outcome.subscription.status == "expired"
        assert outcome.events == (Expired("sub_1", ended_at=sub.period.end),)

    def test_a_trial_with_auto_renewal_on_converts_and_invoices_its_first_paid_period(
        self,
    ) -> None:
        trial = a_subscription(CATALOG, a_plan("pro", quantity=3), status="trialing")

        outcome = decide_due(trial, CATALOG, "UTC", trial.period.end, invoiced=never_invoiced)

        assert outcome.subscription.status == "active"
        assert outcome.events == (TrialEnded("sub_1"),)
        assert outcome.invoice is not None
        assert outcome.invoice.reason == "trial_end"
        assert sum(line.amount for line in outcome.invoice.lines) == Decimal("15.00")
        charged = outcome.invoiced("INV-2026-000009").charges
        assert {charge.invoice for charge in charged} == {"INV-2026-000009"}

    def test_a_trial_with_auto_renewal_off_expires_at_its_end_with_nothing_to_pay(self) -> None:
        trial = a_subscription(CATALOG, a_plan("pro"), status="trialing", auto_renew=False)

        outcome = decide_due(trial, CATALOG, "UTC", trial.period.end, invoiced=never_invoiced)

        assert outcome.subscription.status == "expired"
        assert outcome.events == (Expired("sub_1", trial=True),)
        assert outcome.invoice is None
