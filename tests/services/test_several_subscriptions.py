"""Several subscriptions per account: an edition (the base subscription) and packs on their own
cycle beside it, each with its own id, period, anchor and pending change, on both stores.

The default catalog (`service_builders`) sells `external-users` packs by the month only; the
tests that buy them by the year add a yearly price (90.00 a pack). The clock starts on
2026-01-31 10:00 UTC.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_builders import MID_FEBRUARY, START, Billing, policy, utc
from sqlalchemy import Engine

from tierline.clock import TestClock
from tierline.domain.account import Account
from tierline.domain.pages import PageRequest
from tierline.domain.plan import NO_EDITION
from tierline.domain.subscription import Subscription
from tierline.errors import NotAllowed, NotFound, TierlineError
from tierline.payments import SandboxGateway
from tierline.services.change import ChangeRequest, apply_change, cancel_pending_change
from tierline.services.entitlements import (
    CheckEntitlement,
    check_entitlement,
    list_entitlements,
)
from tierline.services.subscriptions import (
    ListSubscriptions,
    SetAutoRenew,
    Subscribe,
    list_subscriptions,
    set_auto_renew,
    subscribe,
)
from tierline.store.uow import UnitOfWork

YEARLY_PACKS = {
    "addons": [
        {
            "code": "external-users",
            "grants": {"external_users": 100},
            "prices": [
                {"cycle": "month", "per_unit": "9.00"},
                {"cycle": "year", "per_unit": "90.00"},
            ],
        }
    ]
}


def packs(
    billing: Billing, count: int = 1, cycle: str = "month", *, account: str = "acme"
) -> Subscription:
    """An add-on-only subscription: `count` external user packs on their own cycle."""
    return subscribe(
        Subscribe(account, NO_EDITION, cycle, addons={"external-users": count}),
        uow=billing.uow, clock=billing.clock, gateway=billing.gateway,
    )  # fmt: skip


def change(billing: Billing, sub: Subscription, **target: Any) -> Subscription:
    request = ChangeRequest(sub.account_id, subscription_id=sub.id, **target)
    return apply_change(
        request, uow=billing.uow, clock=billing.clock, gateway=billing.gateway
    ).subscription


def live(billing: Billing, account: str = "acme") -> list[Subscription]:
    with billing.uow.reading():
        return billing.uow.subscriptions.live_for(account)


class TestSubscribePacksOnTheirOwn:
    def test_packs_beside_a_paid_edition_are_a_second_subscription_with_its_own_anchor(
        self, billing: Billing, acme: Account
    ) -> None:
        base = billing.subscribe("basic", "month", 10)
        billing.advance(MID_FEBRUARY)
        second = packs(billing, 2)
        assert second.id != base.id
        assert (second.plan.edition, second.plan.cycle, dict(second.plan.addons)) == (
            NO_EDITION,
            "month",
            {"external-users": 2},
        )
        # its own month from Feb 14, while the edition's runs Jan 31 → Feb 28
        assert (second.anchor, second.period.end) == (MID_FEBRUARY, utc(2026, 3, 14, 10))
        assert billing.subscription().period.end == utc(2026, 2, 28, 10)
        # 2 packs × 9.00 = 18.00, invoiced for that subscription alone
        last = billing.invoices()[-1]
        assert (last.subscription_id, last.total) == (second.id, Decimal("18.00"))
        assert [line.kind for line in last.lines] == ["addon"]
        assert [s.id for s in live(billing)] == [base.id, second.id]

    def test_packs_by_the_year_beside_a_monthly_edition(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.install(**YEARLY_PACKS)
        billing.subscribe("basic", "month", 10)
        yearly = packs(billing, 1, "year")
        assert yearly.period.end == utc(2027, 1, 31, 10)
        assert billing.invoices()[-1].total == Decimal("90.00")

    def test_packs_without_an_edition_are_refused(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(NotAllowed) as refused:
            packs(billing)
        assert refused.value.code == "not_available_on_edition"
        assert live(billing) == []
        assert billing.invoices() == []

    def test_packs_beside_a_trial_are_refused(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("pro", "month", 10, trial=True)
        with pytest.raises(NotAllowed) as refused:
            packs(billing)
        assert refused.value.code == "not_available_on_edition"
        assert len(live(billing)) == 1

    def test_packs_beside_a_free_edition_are_refused(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("free", "month", 10)
        with pytest.raises(NotAllowed) as refused:
            packs(billing)
        assert refused.value.code == "not_available_on_edition"

    def test_a_subscription_named_as_one_that_exists_is_refused_and_nothing_is_written(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10)
        first = subscribe(
            Subscribe("acme", NO_EDITION, "month", addons={"external-users": 1}, id="packs"),
            uow=billing.uow, clock=billing.clock, gateway=billing.gateway,
        )  # fmt: skip
        before = live(billing)
        with pytest.raises(TierlineError) as refused:
            subscribe(
                Subscribe("acme", NO_EDITION, "year", addons={"external-users": 2}, id="packs"),
                uow=billing.uow, clock=billing.clock, gateway=billing.gateway,
            )  # fmt: skip
        assert (refused.value.code, refused.value.param) == ("already_exists", "id")
        assert live(billing) == before
        assert first.id == "packs"

    def test_a_second_edition_is_refused_beside_the_base(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10)
        packs(billing)
        with pytest.raises(TierlineError) as refused:
            billing.subscribe("pro", "month", 10, trial=False)
        assert refused.value.code == "already_subscribed"


class TestChangeOneOfSeveral:
    def test_a_change_names_its_subscription_and_leaves_the_others_alone(
        self, billing: Billing, acme: Account
    ) -> None:
        base = billing.subscribe("basic", "month", 10)
        second = packs(billing, 1)
        billing.advance(MID_FEBRUARY)  # 14 of 28 days left in both periods
        after = change(billing, second, addons={"external-users": 3})
        assert dict(after.plan.addons) == {"external-users": 3}
        assert billing.subscription().plan == base.plan
        # 3 × 9.00 × 14/28 = 13.50 charged, 1 × 9.00 × 14/28 = 4.50 credited
        last = billing.invoices()[-1]
        assert last.subscription_id == second.id
        assert [(line.kind, line.amount) for line in last.lines] == [
            ("proration_charge", Decimal("13.50")),
            ("proration_credit", Decimal("-4.50")),
        ]

    def test_a_change_without_a_subscription_is_the_base_ones(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10)
        second = packs(billing, 1)
        billing.change(quantity=12)
        assert billing.subscription().plan.quantity == 12
        assert next(s for s in live(billing) if s.id == second.id).plan == second.plan

    def test_an_edition_or_a_quantity_on_a_pack_subscription_is_refused(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10)
        second = packs(billing, 1)
        for target in ({"edition": "pro"}, {"quantity": 5}):
            with pytest.raises(TierlineError) as refused:
                change(billing, second, **target)
            assert refused.value.code == "invalid_request"
            assert refused.value.param == next(iter(target))

    def test_the_last_pack_of_a_pack_subscription_cannot_be_removed(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10)
        second = packs(billing, 1)
        with pytest.raises(TierlineError) as refused:
            change(billing, second, addons={"external-users": 0})
        assert (refused.value.code, refused.value.param) == ("no_addons", "addons")

    def test_another_accounts_subscription_is_not_found(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.account("globex")
        billing.subscribe("basic", "month", 10, account="globex")
        theirs = packs(billing, 1, account="globex")
        billing.subscribe("basic", "month", 10)
        with pytest.raises(NotFound) as refused:
            apply_change(
                ChangeRequest("acme", addons={"external-users": 2}, subscription_id=theirs.id),
                uow=billing.uow, clock=billing.clock, gateway=billing.gateway,
            )  # fmt: skip
        assert refused.value.code == "no_subscription"

    def test_each_subscription_has_its_own_pending_change_and_auto_renewal(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.install(policies={"addon_remove": policy("end_of_period", "none")})
        base = billing.subscribe("basic", "month", 10, addons={"external-users": 1})
        second = packs(billing, 2)
        billing.advance(MID_FEBRUARY)
        change(billing, second, addons={"external-users": 1})
        billing.change(addons={"external-users": 0})
        pending = {s.id: s.pending for s in live(billing)}
        assert pending[second.id] is not None and pending[base.id] is not None
        assert dict(pending[second.id].target.addons) == {"external-users": 1}
        cancel_pending_change("acme", uow=billing.uow, clock=billing.clock,
                              subscription_id=second.id)  # fmt: skip
        pending = {s.id: s.pending for s in live(billing)}
        assert pending[second.id] is None and pending[base.id] is not None
        set_auto_renew(SetAutoRenew("acme", False, second.id), uow=billing.uow, clock=billing.clock)
        renews = {s.id: s.auto_renew for s in live(billing)}
        assert renews == {base.id: True, second.id: False}
        billing.advance(utc(2026, 3, 14, 10))  # the packs' period ended: they expire
        assert [s.id for s in live(billing)] == [base.id]

    def test_packs_on_their_own_end_with_their_period_once_the_edition_has_ended(
        self, billing: Billing, acme: Account
    ) -> None:
        base = billing.subscribe("basic", "month", 10)
        billing.advance(MID_FEBRUARY)
        second = packs(billing, 2)  # Feb 14 → Mar 14, paid
        set_auto_renew(SetAutoRenew("acme", False, base.id), uow=billing.uow, clock=billing.clock)
        billing.advance(utc(2026, 4, 1))
        # the edition ended on Feb 28; the packs served their paid month and were not renewed
        assert live(billing) == []
        assert [i.subscription_id for i in billing.invoices()].count(second.id) == 1
        with billing.uow.reading():
            ended = billing.uow.subscriptions.get(second.id)
        assert (ended.status, ended.ended_at) == ("expired", utc(2026, 3, 14, 10))

    def test_packs_on_their_own_renew_while_the_edition_lives(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10)
        billing.advance(MID_FEBRUARY)
        second = packs(billing, 2)
        billing.advance(utc(2026, 4, 1))
        assert [i.subscription_id for i in billing.invoices()].count(second.id) == 2


class TestLimitsAddUp:
    def test_limits_and_checks_count_the_packs_of_every_live_subscription(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10, addons={"external-users": 1})
        packs(billing, 2)
        listed = {e.name: e.limit for e in list_entitlements("acme", uow=billing.uow)}
        # basic's 100 + 1 pack on the base + 2 packs beside it, 100 each: 400
        assert listed["external_users"] == 400
        decision = check_entitlement(
            CheckEntitlement("acme", "external_users", 400), uow=billing.uow
        )
        assert (decision.allowed, decision.limit) == (True, 400)
        assert not check_entitlement(
            CheckEntitlement("acme", "external_users", 401), uow=billing.uow
        ).allowed

    def test_packs_that_ended_no_longer_count(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic", "month", 10)
        second = packs(billing, 2)
        set_auto_renew(SetAutoRenew("acme", False, second.id), uow=billing.uow, clock=billing.clock)
        billing.advance(utc(2026, 2, 28, 10))
        listed = {e.name: e.limit for e in list_entitlements("acme", uow=billing.uow)}
        assert listed["external_users"] == 100


class TestListSubscriptions:
    def test_list_by_account_and_status_in_pages(self, billing: Billing, acme: Account) -> None:
        base = billing.subscribe("basic", "month", 10)
        first = packs(billing, 1)
        second = packs(billing, 2)
        billing.account("globex")
        billing.subscribe("basic", "month", 10, account="globex")
        set_auto_renew(SetAutoRenew("acme", False, first.id), uow=billing.uow, clock=billing.clock)
        billing.advance(utc(2026, 2, 28, 10))
        page = list_subscriptions(
            ListSubscriptions("acme", request=PageRequest(limit=2)), uow=billing.uow
        )
        assert [s.id for s in page.items] == [base.id, first.id] and page.has_more
        rest = list_subscriptions(
            ListSubscriptions("acme", request=PageRequest(2, first.id)), uow=billing.uow
        )
        assert [s.id for s in rest.items] == [second.id] and not rest.has_more
        expired = list_subscriptions(ListSubscriptions("acme", "expired"), uow=billing.uow)
        assert [s.id for s in expired.items] == [first.id]
        everyone = list_subscriptions(ListSubscriptions(), uow=billing.uow)
        assert len(everyone.items) == 4


# --- per account, what is paid is the value of the days used, over all its subscriptions ------

# Cycles counted in days keep the model to arithmetic: a plan's price buys its cycle's days, and
# a change on day d of an L-day period is worth (new price − old price) × (L − d) / L.
DAY_CYCLES = {
    "cycles": [{"code": "month", "days": 30}, {"code": "week", "days": 7}],
    "editions": [
        {
            "code": "basic",
            "rank": 1,
            "quantity": {"min": 1, "max": 100, "default": 10},
            "limits": {"external_users": 100},
            "prices": [
                {"cycle": "month", "per_unit": "3.00"},
                {"cycle": "week", "per_unit": "0.75"},
            ],
        },
        {
            "code": "pro",
            "rank": 2,
            "quantity": {"min": 1, "max": 100, "default": 10},
            "limits": {"external_users": 100},
            "prices": [
                {"cycle": "month", "per_unit": "6.10"},
                {"cycle": "week", "per_unit": "1.45"},
            ],
        },
    ],
    "addons": [
        {
            "code": "external-users",
            "grants": {"external_users": 100},
            "prices": [
                {"cycle": "month", "per_unit": "9.00"},
                {"cycle": "week", "per_unit": "2.15"},
            ],
        }
    ],
    "policies": {
        "granularity": "day",
        **{
            name: policy("immediate", "prorate", "invoice")
            for name in (
                "upgrade",
                "downgrade",
                "quantity_increase",
                "quantity_decrease",
                "addon_add",
                "addon_remove",
            )
        },
        "transitions": [],
    },
    "renewal": {"lead_days": 0, "retry_days": [1], "when_retries_fail": "cancel"},
}
PRICES = {
    ("basic", "month"): Decimal("3.00"), ("basic", "week"): Decimal("0.75"),
    ("pro", "month"): Decimal("6.10"), ("pro", "week"): Decimal("1.45"),
    ("external-users", "month"): Decimal("9.00"), ("external-users", "week"): Decimal("2.15"),
}  # fmt: skip
DAYS = {"month": 30, "week": 7}


class _Held:
    """The model of one subscription: its plan, cycle and current period, in days from START."""

    def __init__(self, edition: str, cycle: str, quantity: int, pack_count: int, day: int):
        self.edition, self.cycle, self.quantity, self.packs = edition, cycle, quantity, pack_count
        self.end = day + DAYS[cycle]

    def price(self) -> Decimal:
        edition = PRICES[(self.edition, self.cycle)] * self.quantity if self.edition else 0
        return edition + PRICES[("external-users", self.cycle)] * self.packs


steps = st.lists(
    st.one_of(
        st.tuples(st.just("packs"), st.sampled_from(["month", "week"]), st.integers(1, 3)),
        st.tuples(
            st.just("base"),
            st.sampled_from(["basic", "pro"]),
            st.integers(1, 20),
            st.integers(0, 2),
        ),
        st.tuples(st.just("packs_change"), st.integers(0, 5), st.integers(1, 4)),
        st.tuples(st.just("advance"), st.integers(1, 20)),
    ),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.tuples(
        st.sampled_from(["basic", "pro"]),
        st.sampled_from(["month", "week"]),
        st.integers(1, 20),
    ),
    timeline=steps,
)
def test_what_an_account_pays_is_the_value_of_the_days_used_over_all_its_subscriptions(
    engine: Engine, first: tuple[str, str, int], timeline: list[tuple[Any, ...]]
) -> None:
    billing = Billing(UnitOfWork(engine), TestClock(START), SandboxGateway())
    billing.install(**DAY_CYCLES)
    account = f"acct_{uuid.uuid4().hex[:12]}"
    billing.account(account)
    edition, cycle, quantity = first
    held = {billing.subscribe(edition, cycle, quantity, account=account, trial=False).id:
            _Held(edition, cycle, quantity, 0, 0)}  # fmt: skip
    value = held[next(iter(held))].price()
    day = 0

    def renew_until(today: int) -> Decimal:
        renewed = Decimal(0)
        for sub in held.values():
            while sub.end <= today:
                renewed += sub.price()
                sub.end += DAYS[sub.cycle]
        return renewed

    for step in timeline:
        base_id = next(iter(held))
        if step[0] == "advance":
            day += step[1]
            billing.advance(START + timedelta(days=day))
            value += renew_until(day)
        elif step[0] == "packs":
            sub = packs(billing, step[2], step[1], account=account)
            held[sub.id] = _Held(NO_EDITION, step[1], 0, step[2], day)
            value += held[sub.id].price()
        else:
            if step[0] == "base":
                chosen = base_id
                target: dict[str, Any] = {"edition": step[1], "quantity": step[2],
                                          "addons": {"external-users": step[3]}}  # fmt: skip
            else:
                ids = list(held)
                chosen = ids[step[1] % len(ids)]
                target = {"addons": {"external-users": step[2]}}
            model = held[chosen]
            before = model.price()
            after = _Held(
                target.get("edition", model.edition), model.cycle,
                target.get("quantity", model.quantity), target["addons"]["external-users"], day,
            )  # fmt: skip
            if after.price() == before and (after.edition, after.quantity, after.packs) == (
                model.edition, model.quantity, model.packs,
            ):  # fmt: skip
                continue  # nothing to change
            request = ChangeRequest(account, subscription_id=chosen, **target)
            try:
                apply_change(request, uow=billing.uow, clock=billing.clock, gateway=billing.gateway)
            except TierlineError as refused:
                assert refused.code in ("invalid_request",), refused
                continue
            left = Fraction(model.end - day, DAYS[model.cycle])
            value += (after.price() - before) * Decimal(left.numerator) / Decimal(left.denominator)
            model.edition, model.quantity, model.packs = after.edition, after.quantity, after.packs

    invoices = billing.invoices(account)
    lines = [line for invoice in invoices for line in invoice.lines]
    paid = sum((line.amount for line in lines), Decimal(0))
    # each line is rounded once to the cent, and a credit is a share of a rounded charge
    assert abs(paid - value) <= Decimal("0.01") * len(lines), (paid, value)
    assert {invoice.subscription_id for invoice in invoices} <= set(held)
