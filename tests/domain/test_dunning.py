"""A failed collection round: the catalog's retries, then cancellation or past due."""

from __future__ import annotations

from datetime import datetime, timedelta

from builders import a_catalog, a_subscription, an_unpaid_invoice, utc
from hypothesis import given
from hypothesis import strategies as st

from tierline.domain.dunning import after_failed_round

RENEWED = utc(2026, 2, 1)
RETRIES = (1, 3, 5)


def test_the_first_failure_schedules_the_first_retry_and_the_subscription_falls_past_due() -> None:
    sub = a_subscription(a_catalog())

    dunning = after_failed_round(
        an_unpaid_invoice(), sub, retry_days=RETRIES, when_retries_fail="cancel", now=RENEWED
    )

    invoice = dunning.invoice
    assert (invoice.attempts, invoice.first_failed_at) == (1, RENEWED)
    assert invoice.next_attempt_at == RENEWED + timedelta(days=1)
    assert dunning.subscription is not None and dunning.subscription.status == "past_due"
    assert not dunning.canceled


def test_retries_are_counted_from_the_first_failure_not_the_last() -> None:
    sub = a_subscription(a_catalog(), status="past_due")
    second = an_unpaid_invoice(attempts=1, first_failed_at=RENEWED)

    dunning = after_failed_round(
        second, sub, retry_days=RETRIES, when_retries_fail="cancel",
        now=RENEWED + timedelta(days=1),
    )  # fmt: skip

    assert dunning.invoice.next_attempt_at == RENEWED + timedelta(days=3)
    assert dunning.invoice.attempts == 2


def test_when_every_retry_failed_the_invoice_is_written_off_and_the_subscription_cancelled() -> (
    None
):
    sub = a_subscription(a_catalog(), status="past_due")
    last = an_unpaid_invoice(attempts=3, first_failed_at=RENEWED)
    now = RENEWED + timedelta(days=5)

    dunning = after_failed_round(last, sub, retry_days=RETRIES, when_retries_fail="cancel", now=now)

    assert (dunning.invoice.status, dunning.invoice.next_attempt_at) == ("uncollectible", None)
    after = dunning.subscription
    assert after is not None
    assert (after.status, after.ended_at, after.auto_renew, after.pending) == (
        "canceled", now, False, None,
    )  # fmt: skip
    assert dunning.canceled


def test_a_catalog_that_keeps_unpaid_subscriptions_leaves_them_past_due() -> None:
    sub = a_subscription(a_catalog(), status="past_due")
    last = an_unpaid_invoice(attempts=3, first_failed_at=RENEWED)

    dunning = after_failed_round(
        last, sub, retry_days=RETRIES, when_retries_fail="past_due",
        now=RENEWED + timedelta(days=5),
    )  # fmt: skip

    assert dunning.invoice.status == "open" and dunning.invoice.next_attempt_at is None
    assert dunning.subscription is not None and dunning.subscription.status == "past_due"


def test_without_retries_the_first_failure_cancels_at_once() -> None:
    dunning = after_failed_round(
        an_unpaid_invoice(), a_subscription(a_catalog()), retry_days=(),
        when_retries_fail="cancel", now=RENEWED,
    )  # fmt: skip

    assert dunning.canceled and dunning.invoice.status == "uncollectible"


def test_a_subscription_that_ended_meanwhile_is_left_as_it_is() -> None:
    ended = a_subscription(a_catalog(), status="expired")

    dunning = after_failed_round(
        an_unpaid_invoice(), ended, retry_days=RETRIES, when_retries_fail="cancel", now=RENEWED
    )

    assert dunning.subscription == ended
    assert dunning.invoice.attempts == 1


@given(
    retries=st.lists(st.integers(0, 60), max_size=5).map(lambda d: tuple(sorted(d))),
    failures=st.integers(1, 8),
    gaps=st.lists(st.integers(0, 30), min_size=8, max_size=8),
)
def test_a_retry_is_always_later_than_the_failure_and_the_rounds_are_counted(
    retries: tuple[int, ...], failures: int, gaps: list[int]
) -> None:
    invoice = an_unpaid_invoice()
    sub = a_subscription(a_catalog())
    now: datetime = RENEWED
    for i in range(failures):
        dunning = after_failed_round(
            invoice, sub, retry_days=retries, when_retries_fail="cancel", now=now
        )
        invoice, after = dunning.invoice, dunning.subscription
        assert invoice.attempts == i + 1
        assert invoice.next_attempt_at is None or invoice.next_attempt_at > now
        assert invoice.first_failed_at == RENEWED
        if dunning.canceled:
            assert after is not None and not after.is_live
            break
        assert after is not None
        sub = after
        now = invoice.next_attempt_at or now + timedelta(days=gaps[i])
