"""Hypothesis properties of the domain: the money and time rules that never bend (DESIGN.md)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from builders import (
    a_catalog,
    a_cycle,
    a_plan,
    a_policy,
    a_subscription,
    an_addon,
    an_edition,
    per_unit,
    policies,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from tierline.domain.catalog import Catalog, Proration
from tierline.domain.change import plan_price, settle
from tierline.domain.journal import (
    BALANCE,
    JournalEntry,
    balance_applied,
    balance_of,
    card_payment,
    credit_note_issued,
    credit_to_balance,
    invoice_issued,
    refund_to_card,
    top_up,
    usage_fee,
)
from tierline.domain.lines import Charge
from tierline.domain.money import (
    currency_exponent,
    from_minor,
    multiply,
    quantum,
    round_fraction,
    to_minor,
)
from tierline.domain.periods import (
    CycleLength,
    Granularity,
    Period,
    boundary,
    period_at,
    unused_fraction,
)
from tierline.domain.plan import Plan
from tierline.domain.renewal import renewal_invoice, roll_over
from tierline.domain.subscription import Subscription

PROPERTY = settings(max_examples=150, deadline=None)

TIMEZONES = st.sampled_from(
    [
        "UTC",
        "Europe/Paris",
        "America/New_York",
        "America/Sao_Paulo",
        "Asia/Tokyo",
        "Asia/Kolkata",
        "Australia/Sydney",
        "Pacific/Auckland",
    ]
)
GRANULARITIES: st.SearchStrategy[Granularity] = st.sampled_from(["day", "second"])
CURRENCIES = st.sampled_from(["EUR", "JPY", "KWD"])
INSTANTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=UTC)
)
CYCLE_LENGTHS = st.one_of(
    st.sampled_from([1, 3, 6, 12]).map(lambda m: CycleLength(months=m)),
    st.integers(1, 400).map(lambda d: CycleLength(days=d)),
)


def amount_in(currency: str, units: int) -> Decimal:
    return from_minor(units, currency)


# (1) A credit for unused time never exceeds what was paid for it ------------------------------


@dataclass(frozen=True)
class PaidTime:
    currency: str
    tz: str
    granularity: Granularity
    period: Period
    paid_from: datetime
    paid: Decimal
    list_price: Decimal  # the full-cycle price; what was paid may be a prorated share of it
    now: datetime


@st.composite
def paid_times(draw: st.DrawFn) -> PaidTime:
    currency, tz = draw(CURRENCIES), draw(TIMEZONES)
    start, length = draw(INSTANTS), draw(CYCLE_LENGTHS)
    period = Period(start, boundary(start, length, 1, tz))
    span = int((period.end - period.start).total_seconds())
    paid_from = start + timedelta(seconds=draw(st.integers(0, span - 1)))
    now = start + timedelta(seconds=draw(st.integers(-10 * 86400, span + 10 * 86400)))
    paid = amount_in(currency, draw(st.integers(0, 10**9)))
    list_price = paid + amount_in(currency, draw(st.integers(0, 10**9)))
    return PaidTime(currency, tz, draw(GRANULARITIES), period, paid_from, paid, list_price, now)


def crediting_catalog(currency: str, granularity: Granularity, proration: Proration) -> Catalog:
    return a_catalog(
        currency=currency,
        policies=policies(
            granularity=granularity, upgrade=a_policy("immediate", proration, "refund")
        ),
    )


@PROPERTY
@given(paid_times(), st.sampled_from(["prorate", "restart"]))
def test_a_credit_for_unused_time_never_exceeds_what_was_paid_for_it(
    case: PaidTime, proration: Proration
) -> None:
    """Whatever was paid, from whenever, and whenever the change comes, under prorate or
    restart, the credit for the unused part of an item lies between zero and the amount paid
    for it (never its list price), in whole minor units."""
    catalog = crediting_catalog(case.currency, case.granularity, proration)
    charge = Charge(
        item="edition",
        code="basic",
        quantity=1,
        unit_amount=None,
        list_amount=case.list_price,
        amount=case.paid,
        paid_from=case.paid_from,
        invoice="INV-2026-000001",
    )
    sub = a_subscription(
        catalog,
        a_plan("basic", quantity=1),
        start=case.period.start,
        tz=case.tz,
        period=case.period,
        charges=(charge,),
    )
    result = settle(sub, a_plan("pro", quantity=1), catalog, case.now, case.tz, change_id="c")
    assert 0 <= result.credited <= case.paid
    for line in result.credit_lines:
        assert line.amount.as_tuple().exponent == -currency_exponent(case.currency)


@PROPERTY
@given(paid_times())
def test_the_unused_share_of_a_period_is_between_zero_and_one(case: PaidTime) -> None:
    """unused_fraction is an exact fraction in [0, 1] wherever `now` falls."""
    share = unused_fraction(case.paid_from, case.period.end, case.now, case.granularity, case.tz)
    assert isinstance(share, Fraction)
    assert 0 <= share <= 1


# (2) Prorate-then-renew charges between the cheapest and the dearest plan held -----------------

EDITIONS = ("bronze", "silver", "gold")


@dataclass(frozen=True)
class Journey:
    tz: str
    granularity: Granularity
    unit_prices: tuple[Decimal, ...]
    pack_price: Decimal
    start: datetime
    first: Plan
    # per period: the changes made in it, as (parts per million of the period elapsed, target)
    periods: tuple[tuple[tuple[int, Plan], ...], ...]


def plans() -> st.SearchStrategy[Plan]:
    return st.builds(
        lambda edition, quantity, packs: a_plan(edition, "month", quantity, {"pack": packs}),
        st.sampled_from(EDITIONS),
        st.integers(1, 50),
        st.integers(0, 3),
    )


@st.composite
def journeys(draw: st.DrawFn) -> Journey:
    changes = st.lists(st.tuples(st.integers(0, 999_999), plans()), max_size=3).map(
        lambda cs: tuple(sorted(cs, key=lambda c: c[0]))
    )
    return Journey(
        tz=draw(TIMEZONES),
        granularity=draw(GRANULARITIES),
        unit_prices=tuple(amount_in("EUR", draw(st.integers(1, 50_000))) for _ in EDITIONS),
        pack_price=amount_in("EUR", draw(st.integers(0, 20_000))),
        start=draw(INSTANTS),
        first=draw(plans()),
        periods=tuple(draw(st.lists(changes, min_size=1, max_size=4))),
    )


def prorating_catalog(journey: Journey) -> Catalog:
    return a_catalog(
        cycles=(a_cycle("month", months=1),),
        editions=tuple(
            an_edition(code, rank=rank, prices=(per_unit(str(price)),))
            for rank, (code, price) in enumerate(zip(EDITIONS, journey.unit_prices, strict=True))
        ),
        addons=(an_addon("pack", prices=(per_unit(str(journey.pack_price)),)),),
        policies=policies(
            granularity=journey.granularity, default=a_policy("immediate", "prorate", "invoice")
        ),
    )


def assert_charged_between_cheapest_and_dearest(journey: Journey, renew_at: int | None) -> None:
    """Run the journey; renew at `renew_at` parts per million of each period (None: at its end)."""
    catalog = prorating_catalog(journey)
    tz = journey.tz
    sub = a_subscription(catalog, journey.first, start=journey.start, tz=tz)
    total = sum((c.amount for c in sub.charges), Decimal(0))
    lines = len(sub.charges)
    held = [plan_price(catalog, journey.first)]

    def invoice_renewal(sub: Subscription) -> Subscription:
        nonlocal total, lines
        invoice = renewal_invoice(sub, catalog, tz)
        total += sum((line.amount for line in invoice.lines), Decimal(0))
        lines += len(invoice.lines)
        return replace(sub, next_charges=invoice.charges)

    for index, changes in enumerate(journey.periods):
        last = index == len(journey.periods) - 1
        span = int((sub.period.end - sub.period.start).total_seconds())
        for number, (ppm, target) in enumerate(changes):
            if not last and renew_at is not None and ppm >= renew_at and not sub.next_charges:
                sub = invoice_renewal(sub)
            if target == sub.plan:
                continue
            now = sub.period.start + timedelta(seconds=span * ppm // 1_000_000)
            result = settle(sub, target, catalog, now, tz, change_id=f"c{index}.{number}")
            assert result.after.period == sub.period
            total += result.charged - result.credited
            lines += len(result.charge_lines) + len(result.credit_lines)
            held.append(plan_price(catalog, target))
            sub = result.after
        if not last:
            if sub.next_charges is None:
                sub = invoice_renewal(sub)
            sub = roll_over(sub, catalog, tz)
    whole = len(journey.periods)
    tolerance = lines * quantum("EUR")
    assert whole * min(held) - tolerance <= total <= whole * max(held) + tolerance


@settings(max_examples=200, deadline=None)
@given(journeys())
def test_prorate_then_renew_charges_between_the_cheapest_and_dearest_plan_held(
    journey: Journey,
) -> None:
    """Over whole periods, any sequence of prorated changes charges in total (charge lines minus
    credit lines, plus every full-period invoice) no more than the dearest plan held for the
    whole time and no less than the cheapest, within one minor unit per line."""
    assert_charged_between_cheapest_and_dearest(journey, renew_at=None)


@settings(max_examples=100, deadline=None)
@given(journeys(), st.integers(0, 999_999))
def test_changes_after_an_early_renewal_invoice_still_charge_between_cheapest_and_dearest(
    journey: Journey, renew_at: int
) -> None:
    """The same bound holds when each renewal is invoiced before its period ends (renewal lead
    days) and changes come between that invoice and the roll-over: the invoiced next period is
    settled too, so nothing is charged twice or lost."""
    assert_charged_between_cheapest_and_dearest(journey, renew_at)


# (3) Anchored periods never drift -------------------------------------------------------------


@dataclass(frozen=True)
class Anchoring:
    tz: str
    months: int
    anchor: datetime


@st.composite
def anchorings(draw: st.DrawFn) -> Anchoring:
    tz = draw(TIMEZONES)
    day = draw(st.integers(1, 31))
    year = draw(st.integers(2000, 2040))
    month = draw(
        st.sampled_from([m for m in range(1, 13) if calendar.monthrange(year, m)[1] >= day])
    )
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    wall = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))
    return Anchoring(tz, draw(st.sampled_from([1, 3, 12])), wall.astimezone(UTC))


@settings(max_examples=100, deadline=None)
@given(anchorings())
def test_periods_never_drift_over_120_renewals(case: Anchoring) -> None:
    """Renewing 120 times from any anchor (day 1–31, any hour, 1/3/12-month cycles, several
    timezones), the k-th period boundary equals boundary(anchor, length, k): it keeps the
    anchor's local day where the month has it, else falls on the month's last day."""
    code = f"m{case.months}"
    catalog = a_catalog(
        cycles=(a_cycle(code, months=case.months),),
        editions=(an_edition("basic", prices=(per_unit("1.00", code),)),),
        addons=(),
    )
    length = CycleLength(months=case.months)
    zone = ZoneInfo(case.tz)
    local_anchor = case.anchor.astimezone(zone)
    sub = a_subscription(catalog, a_plan(cycle=code, quantity=1), start=case.anchor, tz=case.tz)
    for k in range(1, 121):
        end = sub.period.end
        assert end == boundary(case.anchor, length, k, case.tz)
        local_end = end.astimezone(zone)
        months_on = (local_end.year - local_anchor.year) * 12 + local_end.month
        assert months_on - local_anchor.month == k * case.months
        last = calendar.monthrange(local_end.year, local_end.month)[1]
        assert local_end.day == min(local_anchor.day, last)
        rolled = roll_over(sub, catalog, case.tz)
        assert rolled.period.start == end
        assert rolled.anchor == case.anchor
        sub = rolled


# (4) Journal entries balance -----------------------------------------------------------------

ENTRY_KINDS = (
    "invoice",
    "credit_note",
    "balance_applied",
    "payment",
    "credit_to_balance",
    "refund",
    "top_up",
    "usage",
)
AT = datetime(2026, 1, 1, tzinfo=UTC)


def entry(kind: str, amount: Decimal) -> JournalEntry:
    builders = {
        "invoice": lambda: invoice_issued(amount, AT, "INV-2026-000001"),
        "credit_note": lambda: credit_note_issued(amount, AT, "CN-2026-000001"),
        "balance_applied": lambda: balance_applied(amount, AT, "INV-2026-000001"),
        "payment": lambda: card_payment(amount, AT, "INV-2026-000001"),
        "credit_to_balance": lambda: credit_to_balance(amount, AT, None),
        "refund": lambda: refund_to_card(amount, AT, None),
        "top_up": lambda: top_up(amount, AT, None),
        "usage": lambda: usage_fee(amount, AT, None),
    }
    return builders[kind]()


@PROPERTY
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ENTRY_KINDS),
            st.integers(-(10**10), 10**10).map(lambda units: from_minor(units, "EUR")),
        ),
        max_size=30,
    )
)
def test_journal_entries_sum_to_zero_and_the_balance_is_their_balance_lines(
    movements: list[tuple[str, Decimal]],
) -> None:
    """Every entry built from any amounts sums to zero, so the whole journal does; balance_of
    is minus the sum of the balance-ledger lines, which is top-ups and credits placed on the
    balance less what the balance paid."""
    entries = [entry(kind, amount) for kind, amount in movements]
    for e in entries:
        assert sum((line.amount for line in e.lines), Decimal(0)) == 0
    lines = [line for e in entries for line in e.lines]
    assert sum((line.amount for line in lines), Decimal(0)) == 0
    balance_lines = sum((line.amount for line in lines if line.ledger == BALANCE), Decimal(0))
    assert balance_of(lines) == -balance_lines
    placed = sum((a for k, a in movements if k in ("top_up", "credit_to_balance")), Decimal(0))
    spent = sum((a for k, a in movements if k in ("balance_applied", "usage")), Decimal(0))
    assert balance_of(lines) == placed - spent


# A prorated change of cycle keeps the anchor -------------------------------------------------

CYCLES = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class CycleSwitch:
    anchoring: Anchoring
    granularity: Granularity
    old: str
    new: str
    periods_before: int
    ppm: int  # parts per million of the current period elapsed at the change


@st.composite
def cycle_switches(draw: st.DrawFn) -> CycleSwitch:
    old, new = draw(st.permutations(list(CYCLES)))[:2]
    return CycleSwitch(
        draw(anchorings()), draw(GRANULARITIES), old, new, draw(st.integers(0, 14)),
        draw(st.integers(0, 999_999)),
    )  # fmt: skip


@PROPERTY
@given(cycle_switches())
def test_a_prorated_cycle_change_keeps_the_anchor_and_charges_at_most_a_whole_period(
    case: CycleSwitch,
) -> None:
    """Whichever cycle moves to whichever, from any anchor and at any moment: the anchor stays,
    the new cycle's first period ends on its next boundary counted from the anchor and costs
    between nothing and its whole price, the credit never exceeds what was paid, and the renewal
    after it is the whole anchored period that follows."""
    tz = case.anchoring.tz
    anchor = case.anchoring.anchor
    catalog = a_catalog(
        cycles=tuple(a_cycle(code, months=months) for code, months in CYCLES.items()),
        policies=policies(
            granularity=case.granularity, cycle_change=a_policy("immediate", "prorate")
        ),
    )
    sub = a_subscription(catalog, a_plan("basic", case.old, 10), start=anchor, tz=tz)
    for _ in range(case.periods_before):
        invoiced = replace(sub, next_charges=renewal_invoice(sub, catalog, tz).charges)
        sub = roll_over(invoiced, catalog, tz)
    span = int((sub.period.end - sub.period.start).total_seconds())
    now = sub.period.start + timedelta(seconds=span * case.ppm // 1_000_000)
    target = a_plan("basic", case.new, 10)

    result = settle(sub, target, catalog, now, tz, change_id="c")

    length = CycleLength(months=CYCLES[case.new])
    whole = period_at(anchor, length, now, tz)
    assert result.after.anchor == anchor
    assert result.after.period == Period(now, whole.end)
    assert 0 <= result.charged <= plan_price(catalog, target)
    assert 0 <= result.credited <= sum((c.amount for c in sub.charges), Decimal(0))
    following = renewal_invoice(result.after, catalog, tz)
    assert following.period == period_at(anchor, length, whole.end, tz)
    assert following.period.start == whole.end
    assert sum((line.amount for line in following.lines), Decimal(0)) == plan_price(catalog, target)


# Money ---------------------------------------------------------------------------------------


@PROPERTY
@given(CURRENCIES, st.integers(-(10**12), 10**12))
def test_minor_units_round_trip(currency: str, units: int) -> None:
    """from_minor then to_minor gives back the same integer, in every exponent."""
    assert to_minor(from_minor(units, currency), currency) == units


@PROPERTY
@given(
    CURRENCIES,
    st.integers(-(10**9), 10**9),
    st.fractions(min_value=-2, max_value=2, max_denominator=10**6),
)
def test_multiply_rounds_once_half_up_and_symmetrically(
    currency: str, units: int, factor: Fraction
) -> None:
    """amount × factor is the exact product rounded once: within half a minor unit of it, and
    the negated product rounds to the negated result."""
    amount = from_minor(units, currency)
    result = multiply(amount, factor, currency)
    exact = Fraction(amount) * factor
    step = Fraction(quantum(currency))
    assert abs(Fraction(result) - exact) <= step / 2
    assert multiply(-amount, factor, currency) == -result
    assert round_fraction(exact, currency) == result
