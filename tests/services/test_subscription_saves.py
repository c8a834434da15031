"""A subscription saved after it was read writes the columns that changed; read again, it is
what was saved, in a unit of work of its own or in a billing batch."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.services.service_builders import FIRST_RENEWAL, Billing, utc
from tierline.domain.account import Account
from tierline.domain.periods import Period
from tierline.domain.plan import Plan
from tierline.domain.subscription import Subscription
from tierline.errors import StaleVersion


def saved(billing: Billing, change: dict[str, object], *, batch: bool = False) -> Subscription:
    uow = billing.uow.batch() if batch else billing.uow
    with uow:
        sub = uow.subscriptions.current_for("acme")
        assert sub is not None
        after = uow.subscriptions.save(replace(sub, **change))  # type: ignore[arg-type]
        uow.commit()
    return after


def test_a_saved_change_reads_back_whole(billing: Billing, acme: Account) -> None:
    billing.subscribe(edition="basic", quantity=10)
    period = Period(FIRST_RENEWAL, utc(2026, 3, 31, 10))

    after = saved(billing, {"plan": Plan("pro", "month", 12, {}), "period": period})

    assert billing.subscription() == after
    assert after.started_at == billing.subscription().started_at  # a column left as it was


@pytest.mark.parametrize("batch", [False, True], ids=["alone", "in a batch"])
def test_each_saved_field_reads_back(billing: Billing, acme: Account, batch: bool) -> None:
    billing.subscribe(edition="basic", quantity=10)
    first = billing.subscription()
    changes: list[dict[str, object]] = [
        {"status": "past_due"},
        {"auto_renew": False},
        {"anchor": utc(2026, 2, 1)},
        {"charges": ()},
        {"next_charges": first.charges},
        {"catalog_version": 7},
        {"ended_at": utc(2026, 3, 1)},
    ]
    for change in changes:
        after = saved(billing, change, batch=batch)
        assert billing.subscription() == after, change


def test_a_save_from_an_old_read_is_refused(billing: Billing, acme: Account) -> None:
    billing.subscribe(edition="basic", quantity=10)
    old = billing.subscription()
    saved(billing, {"auto_renew": False})

    with billing.uow, pytest.raises(StaleVersion):
        billing.uow.subscriptions.save(replace(old, auto_renew=True))
