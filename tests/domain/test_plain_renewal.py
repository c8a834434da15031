"""A plain renewal, decided at once, is what the due steps would decide one by one.

The billing run takes most subscriptions through `plain_renewal`; every other through
`decide_due`, step by step. Wherever the first answers, the second must agree with it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from builders import a_catalog, a_plan, a_subscription, utc
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from tierline.domain.catalog import Catalog
from tierline.domain.events import Renewed
from tierline.domain.plan import NO_EDITION
from tierline.domain.renewal import Outcome, decide_due, plain_renewal, renewed
from tierline.domain.subscription import (
    PriceChange,
    ScheduledChange,
    Subscription,
    next_action_at,
)

CATALOG = a_catalog()
INVOICE = "INV-2026-000042"
ZONES = ("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Auckland")


def never_invoiced(_start: datetime) -> bool:
    return False


def stepped(sub: Subscription, catalog: Catalog, tz: str, now: datetime) -> list[Outcome]:
    """The due steps up to `now`, as the billing run takes them one by one, each invoice
    named `INVOICE`; the subscription after the last is the last outcome's."""
    outcomes: list[Outcome] = []
    lead = catalog.renewal.lead_days
    while (due := next_action_at(sub, lead)) is not None and due <= now and len(outcomes) < 6:
        outcome = decide_due(sub, catalog, tz, due, invoiced=never_invoiced)
        sub = outcome.invoiced(INVOICE)
        outcomes.append(replace(outcome, subscription=sub))
    return outcomes


@st.composite
def subscriptions(draw: st.DrawFn) -> tuple[Subscription, Catalog, str, datetime]:
    edition = draw(st.sampled_from(["basic", "pro", "free", NO_EDITION]))
    addons = draw(st.sampled_from([{}, {"external-users": 2}, {"workflows": 1}]))
    if edition == "free":
        addons = {}  # packs are sold beside a paid edition
    elif edition == NO_EDITION and not addons:
        addons = {"external-users": 1}
    quantity = {"free": 10, NO_EDITION: 0}.get(edition, draw(st.integers(1, 40)))
    plan = a_plan(
        edition,
        draw(st.sampled_from(["month", "year"])),
        quantity,
        addons,
    )
    tz = draw(st.sampled_from(ZONES))
    start = utc(2025, 1, 1) + timedelta(minutes=draw(st.integers(0, 60 * 24 * 700)))
    lead_days = draw(st.integers(0, 5))
    catalog = replace(CATALOG, renewal=replace(CATALOG.renewal, lead_days=lead_days))
    sub = a_subscription(
        catalog, plan, start=start, tz=tz,
        status=draw(st.sampled_from(["active", "active", "past_due", "trialing", "canceled"])),
        auto_renew=draw(st.sampled_from([True, True, False])), catalog_version=1,
    )  # fmt: skip
    if draw(st.integers(0, 9)) == 0:
        sub = replace(sub, next_charges=sub.charges)
    if draw(st.integers(0, 9)) == 0:
        target = plan.with_changes(cycle="year" if plan.cycle == "month" else "month")
        when = sub.period.end + timedelta(days=draw(st.sampled_from([0, 40, 400])))
        sub = replace(sub, pending=ScheduledChange("chg_1", target, "upgrade", when, start))
    if draw(st.integers(0, 9)) == 0:
        at = sub.period.end + timedelta(days=draw(st.sampled_from([0, 40, 400])))
        sub = replace(sub, price_change=PriceChange(2, at))
    hours = st.one_of(st.integers(-72, 24 * 32), st.integers(-24 * 10, 24 * 400))
    now = sub.period.end + timedelta(hours=draw(hours))
    return sub, catalog, tz, now


class TestAPlainRenewal:
    @settings(max_examples=400, deadline=None)
    @given(subscriptions())
    @example((a_subscription(CATALOG, catalog_version=1), CATALOG, "UTC", utc(2026, 2, 1)))
    def test_is_the_renewal_then_the_roll_over_the_steps_decide(
        self, drawn: tuple[Subscription, Catalog, str, datetime]
    ) -> None:
        sub, catalog, tz, now = drawn
        renewal = plain_renewal(sub, catalog, tz, now)
        event("plain" if renewal else "stepped")
        if renewal is None:
            return
        first, second = stepped(sub, catalog, tz, now)

        assert first.invoice is not None
        assert (first.invoice.reason, first.invoice.period_start, first.invoice.lines) == (
            "renewal", renewal.period.start, renewal.lines,
        )  # fmt: skip
        assert (first.events, first.adapt_content, first.events_after_content) == ((), None, ())
        assert (second.invoice, second.events, second.adapt_content) == (None, (), None)
        assert second.events_after_content == (Renewed(sub.id, renewal.period.end),)
        assert second.subscription == renewed(sub, renewal, INVOICE, version=1)

    def test_is_what_an_active_subscription_has_due_at_its_period_end(self) -> None:
        sub = a_subscription(CATALOG, a_plan("basic", quantity=10), start=utc(2026, 1, 1))

        renewal = plain_renewal(sub, CATALOG, "UTC", sub.period.end)

        assert renewal is not None
        assert renewal.period.start == sub.period.end
        assert [line.amount for line in renewal.lines] == [sum(c.amount for c in sub.charges)]

    def test_is_not_taken_for_what_the_steps_must_decide(self) -> None:
        sub = a_subscription(CATALOG, a_plan("basic", quantity=10), start=utc(2026, 1, 1))
        end = sub.period.end
        packs = a_plan(NO_EDITION, quantity=0, addons={"external-users": 1})
        pending = ScheduledChange("chg_1", a_plan("pro"), "upgrade", end, end)
        others = {
            "before its period ends": (sub, end - timedelta(seconds=1)),
            "two periods due": (sub, end + timedelta(days=31)),
            "the next renewal due, 5 days ahead": (sub, end + timedelta(days=26)),
            "a trial": (replace(sub, status="trialing"), end),
            "auto-renew off": (replace(sub, auto_renew=False), end),
            "invoiced ahead": (replace(sub, next_charges=sub.charges), end),
            "a scheduled change": (replace(sub, pending=pending), end),
            "a price change": (replace(sub, price_change=PriceChange(2, end)), end),
            "packs alone": (a_subscription(CATALOG, packs, start=utc(2026, 1, 1)), end),
            "a free plan": (a_subscription(CATALOG, a_plan("free"), start=utc(2026, 1, 1)), end),
            "canceled": (replace(sub, status="canceled"), end),
        }

        ahead = replace(CATALOG, renewal=replace(CATALOG.renewal, lead_days=5))
        taken = [name for name, (s, now) in others.items() if plain_renewal(s, ahead, "UTC", now)]

        assert taken == []
