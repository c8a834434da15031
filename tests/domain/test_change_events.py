"""What a change announces: the event names the plan it leads to and what else changed."""

from __future__ import annotations

from decimal import Decimal

from builders import a_catalog, a_plan, a_policy, a_subscription, policies, utc

from tierline.domain.change import settle
from tierline.domain.change_events import announcement
from tierline.domain.events import ChangeScheduled, SubscriptionChanged


def test_an_upgrade_made_now_names_the_edition_and_the_seats_that_changed() -> None:
    catalog = a_catalog(policies=policies(default=a_policy("immediate", "prorate", "invoice")))
    sub = a_subscription(catalog, a_plan("basic", quantity=10), start=utc(2026, 1, 1))
    s = settle(sub, a_plan("pro", quantity=12), catalog, utc(2026, 1, 16), "UTC", change_id="c")

    event = announcement(catalog, s, Decimal("20.00"), "EUR")

    assert isinstance(event, SubscriptionChanged)
    assert (event.kind, event.edition, event.total_now, event.currency) == (
        "subscription.upgraded", "pro", Decimal("20.00"), "EUR",
    )  # fmt: skip
    assert (event.quantity_before, event.quantity_after) == (10, 12)
    assert event.packs_before is None


def test_a_change_at_period_end_is_announced_as_scheduled_for_then() -> None:
    catalog = a_catalog(policies=policies(default=a_policy("end_of_period", "none", "none")))
    sub = a_subscription(catalog, a_plan("pro", quantity=10), start=utc(2026, 1, 1))
    s = settle(sub, a_plan("basic", quantity=10), catalog, utc(2026, 1, 16), "UTC", change_id="c")

    event = announcement(catalog, s, Decimal("0.00"), "EUR")

    assert isinstance(event, ChangeScheduled)
    assert (event.edition, event.effective_at) == ("basic", utc(2026, 2, 1))
    assert event.quantity_before is None
