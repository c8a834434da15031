from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from builders import local, utc

from tierline.domain.periods import (
    CycleLength,
    Period,
    add_months,
    boundary,
    local_day,
    measure,
    period_at,
    period_end,
    unused_fraction,
)

MONTH = CycleLength(months=1)
QUARTER = CycleLength(months=3)
YEAR = CycleLength(months=12)
THIRTY_DAYS = CycleLength(days=30)
PARIS = "Europe/Paris"


class TestPeriodAndCycleValues:
    def test_a_period_must_end_after_it_starts(self) -> None:
        with pytest.raises(ValueError, match="ends after it starts"):
            Period(utc(2026, 1, 2), utc(2026, 1, 1))

    def test_a_period_refuses_naive_datetimes(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            Period(datetime(2026, 1, 1), utc(2026, 2, 1))

    def test_a_period_contains_its_start_but_not_its_end(self) -> None:
        period = Period(utc(2026, 1, 1), utc(2026, 2, 1))
        assert period.contains(utc(2026, 1, 1))
        assert period.contains(utc(2026, 1, 31, 23, 59, 59))
        assert not period.contains(utc(2026, 2, 1))

    def test_a_cycle_is_either_months_or_days(self) -> None:
        with pytest.raises(ValueError):
            CycleLength(months=1, days=30)
        with pytest.raises(ValueError):
            CycleLength()


class TestMonthlyAnchors:
    def test_anchor_jan_31_gives_feb_28_in_a_common_year(self) -> None:
        assert boundary(utc(2026, 1, 31), MONTH, 1) == utc(2026, 2, 28)

    def test_anchor_jan_31_gives_feb_29_in_a_leap_year(self) -> None:
        assert boundary(utc(2028, 1, 31), MONTH, 1) == utc(2028, 2, 29)

    def test_anchor_jan_31_comes_back_to_mar_31_and_apr_30_without_drift(self) -> None:
        anchor = utc(2026, 1, 31)
        assert [boundary(anchor, MONTH, k) for k in (2, 3, 4)] == [
            utc(2026, 3, 31),
            utc(2026, 4, 30),
            utc(2026, 5, 31),
        ]

    def test_the_anchor_time_of_day_is_kept(self) -> None:
        assert boundary(utc(2026, 1, 31, 10, 30), MONTH, 1) == utc(2026, 2, 28, 10, 30)

    def test_a_quarterly_cycle_from_nov_30_gives_feb_28(self) -> None:
        assert boundary(utc(2025, 11, 30), QUARTER, 1) == utc(2026, 2, 28)

    def test_a_yearly_cycle_from_feb_29_gives_feb_28_then_feb_29(self) -> None:
        anchor = utc(2028, 2, 29)
        assert boundary(anchor, YEAR, 1) == utc(2029, 2, 28)
        assert boundary(anchor, YEAR, 4) == utc(2032, 2, 29)

    def test_period_end_is_the_boundary_after_the_period(self) -> None:
        assert period_end(utc(2026, 1, 31), MONTH, 0) == utc(2026, 2, 28)
        assert period_end(utc(2026, 1, 31), MONTH, 1) == utc(2026, 3, 31)

    def test_add_months_clamps_to_the_last_day_of_the_month(self) -> None:
        assert add_months(date(2026, 1, 31), 1, 31) == date(2026, 2, 28)
        assert add_months(date(2026, 2, 28), 1, 31) == date(2026, 3, 31)
        assert add_months(date(2026, 11, 30), 2, 30) == date(2027, 1, 30)


class TestDayCycles:
    def test_a_thirty_day_cycle_adds_thirty_days_per_period(self) -> None:
        anchor = utc(2026, 1, 31, 8)
        assert boundary(anchor, THIRTY_DAYS, 1) == utc(2026, 3, 2, 8)
        assert boundary(anchor, THIRTY_DAYS, 12) == anchor + timedelta(days=360)

    def test_a_day_cycle_stays_at_local_midnight_across_dst(self) -> None:
        anchor = local(PARIS, 2026, 3, 20)
        assert boundary(anchor, CycleLength(days=10), 1, PARIS) == local(PARIS, 2026, 3, 30)
        assert boundary(anchor, CycleLength(days=10), 1, PARIS) == utc(2026, 3, 29, 22)


class TestPeriodAt:
    def test_period_at_finds_the_period_containing_the_instant(self) -> None:
        assert period_at(utc(2026, 1, 31), MONTH, utc(2026, 3, 15)) == Period(
            utc(2026, 2, 28), utc(2026, 3, 31)
        )

    def test_period_at_a_boundary_is_the_period_starting_there(self) -> None:
        assert period_at(utc(2026, 1, 31), MONTH, utc(2026, 3, 31)) == Period(
            utc(2026, 3, 31), utc(2026, 4, 30)
        )

    def test_period_at_the_anchor_is_the_first_period(self) -> None:
        assert period_at(utc(2026, 1, 1), MONTH, utc(2026, 1, 1)) == Period(
            utc(2026, 1, 1), utc(2026, 2, 1)
        )

    def test_period_at_years_later_is_still_counted_from_the_anchor(self) -> None:
        assert period_at(utc(2026, 1, 31), MONTH, utc(2036, 2, 28, 12)) == Period(
            utc(2036, 1, 31), utc(2036, 2, 29)
        )

    def test_period_at_works_for_day_cycles(self) -> None:
        assert period_at(utc(2026, 1, 1), THIRTY_DAYS, utc(2026, 3, 5)) == Period(
            utc(2026, 3, 2), utc(2026, 4, 1)
        )

    def test_period_at_refuses_an_instant_before_the_anchor(self) -> None:
        with pytest.raises(ValueError, match="before anchor"):
            period_at(utc(2026, 1, 31), MONTH, utc(2026, 1, 30))


class TestTimezones:
    def test_a_paris_month_across_spring_dst_ends_at_local_midnight(self) -> None:
        anchor = local(PARIS, 2026, 3, 1)  # 2026-02-28T23:00Z, UTC+1
        end = boundary(anchor, MONTH, 1, PARIS)
        assert end == utc(2026, 3, 31, 22)  # UTC+2 after the change
        assert end.astimezone(ZoneInfo(PARIS)).hour == 0

    def test_a_paris_month_across_autumn_dst_ends_at_local_midnight(self) -> None:
        anchor = local(PARIS, 2026, 10, 1)  # UTC+2
        assert boundary(anchor, MONTH, 1, PARIS) == utc(2026, 10, 31, 23)  # UTC+1

    def test_a_paris_anchor_on_the_31st_keeps_local_days(self) -> None:
        anchor = local(PARIS, 2026, 1, 31)
        ends = [boundary(anchor, MONTH, k, PARIS).astimezone(ZoneInfo(PARIS)) for k in (1, 2, 3)]
        assert [(e.month, e.day, e.hour) for e in ends] == [(2, 28, 0), (3, 31, 0), (4, 30, 0)]

    def test_the_month_is_counted_in_the_accounts_timezone_not_utc(self) -> None:
        # Local midnight Mar 1 in Paris is Feb 28 23:00 UTC; a UTC month would end Mar 28.
        anchor = local(PARIS, 2026, 3, 1)
        assert boundary(anchor, MONTH, 1, "UTC") == utc(2026, 3, 28, 23)
        assert boundary(anchor, MONTH, 1, PARIS) == utc(2026, 3, 31, 22)

    def test_local_day_uses_the_timezone(self) -> None:
        assert local_day(utc(2026, 1, 31, 23, 30), PARIS) == date(2026, 2, 1)
        assert local_day(utc(2026, 1, 31, 23, 30), "UTC") == date(2026, 1, 31)


class TestMeasure:
    def test_measure_counts_whole_local_days(self) -> None:
        assert measure(utc(2026, 1, 1), utc(2026, 2, 1), "day", "UTC") == 31

    def test_measure_counts_calendar_days_not_24_hour_spans(self) -> None:
        # 23:00 → 01:00 next day is two hours but crosses one local midnight.
        assert measure(utc(2026, 1, 1, 23), utc(2026, 1, 2, 1), "day", "UTC") == 1

    def test_measure_counts_days_in_the_accounts_timezone(self) -> None:
        start, end = utc(2026, 1, 1, 22, 30), utc(2026, 1, 2, 22, 30)
        assert measure(start, end, "day", "UTC") == 1
        # In Paris: Jan 1 23:30 → Jan 2 23:30, still one day; in Tokyo: Jan 2 → Jan 3.
        assert measure(start, end, "day", "Asia/Tokyo") == 1
        assert measure(utc(2026, 1, 1, 22, 30), utc(2026, 1, 1, 23, 30), "day", PARIS) == 1

    def test_a_paris_month_with_a_23_hour_day_counts_31_days(self) -> None:
        start, end = local(PARIS, 2026, 3, 1), local(PARIS, 2026, 4, 1)
        assert measure(start, end, "day", PARIS) == 31
        assert measure(start, end, "second", PARIS) == 31 * 86400 - 3600

    def test_measure_in_seconds(self) -> None:
        assert measure(utc(2026, 1, 1), utc(2026, 1, 1, 1, 0, 30), "second", "UTC") == 3630

    def test_an_empty_or_reversed_span_measures_zero(self) -> None:
        assert measure(utc(2026, 1, 2), utc(2026, 1, 1), "day", "UTC") == 0
        assert measure(utc(2026, 1, 2), utc(2026, 1, 2), "second", "UTC") == 0


class TestUnusedFraction:
    def test_half_the_days_left_is_an_exact_half(self) -> None:
        share = unused_fraction(utc(2026, 4, 1), utc(2026, 5, 1), utc(2026, 4, 16), "day", "UTC")
        assert share == Fraction(15, 30)

    def test_sixteen_of_thirty_one_days_left_is_exact(self) -> None:
        share = unused_fraction(utc(2026, 1, 1), utc(2026, 2, 1), utc(2026, 1, 16), "day", "UTC")
        assert share == Fraction(16, 31)

    def test_the_day_of_the_change_counts_as_unused_whatever_the_hour(self) -> None:
        share = unused_fraction(
            utc(2026, 1, 1), utc(2026, 2, 1), utc(2026, 1, 16, 0, 0, 1), "day", "UTC"
        )
        assert share == Fraction(16, 31)

    def test_second_granularity_measures_seconds(self) -> None:
        share = unused_fraction(
            utc(2026, 1, 1), utc(2026, 1, 2), utc(2026, 1, 1, 18), "second", "UTC"
        )
        assert share == Fraction(1, 4)

    def test_before_the_period_nothing_is_used(self) -> None:
        share = unused_fraction(utc(2026, 1, 1), utc(2026, 2, 1), utc(2025, 12, 1), "day", "UTC")
        assert share == 1

    def test_after_the_period_nothing_is_unused(self) -> None:
        share = unused_fraction(utc(2026, 1, 1), utc(2026, 2, 1), utc(2026, 3, 1), "day", "UTC")
        assert share == 0

    def test_a_period_shorter_than_a_day_has_nothing_to_credit_by_day(self) -> None:
        share = unused_fraction(
            utc(2026, 1, 1, 1), utc(2026, 1, 1, 5), utc(2026, 1, 1, 2), "day", "UTC"
        )
        assert share == 0

    def test_unused_days_are_counted_in_the_accounts_timezone(self) -> None:
        start, end = local(PARIS, 2026, 3, 1), local(PARIS, 2026, 4, 1)
        now = local(PARIS, 2026, 3, 30, 0, 30)  # 2026-03-29T22:30Z: still Mar 29 in UTC
        assert unused_fraction(start, end, now, "day", PARIS) == Fraction(2, 31)
