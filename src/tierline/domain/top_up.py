"""Recharging the prepaid balance: what a top-up charges, and to which method."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tierline.domain.account import Account, PaymentMethod, charge_order, refuse_if_sales_managed
from tierline.domain.catalog import Catalog
from tierline.domain.errors import Invalid, NoPaymentMethod, NotFound, TopUpNotAllowed
from tierline.domain.subscription import Subscription


@dataclass(frozen=True)
class TopUpReview:
    """A top-up as it would be made: the amount, the method charged, and the one charged next
    should it fail (the backup, when no method was named)."""

    amount: Decimal
    currency: str
    method: PaymentMethod
    then: PaymentMethod | None


def decide_top_up(
    catalog: Catalog,
    account: Account,
    subscription: Subscription | None,
    methods: Sequence[PaymentMethod],
    amount: Decimal,
    payment_method: str | None,
) -> TopUpReview:
    """`subscription` is the account's latest; `payment_method` the method named, if any (then
    it alone is charged)."""
    refuse_if_sales_managed(account)
    live = subscription is not None and subscription.is_live
    edition = catalog.edition(subscription.plan.edition) if subscription and live else None
    if edition is None or edition.free:
        raise TopUpNotAllowed("The free edition does not support recharging the balance.")
    rules = catalog.balance
    high = rules.top_up_max
    if amount < rules.top_up_min or (high is not None and amount > high):
        upper = f" and at most {high}" if high is not None else ""
        raise Invalid(
            f"A top-up is at least {rules.top_up_min}{upper} {catalog.currency}.",
            code="invalid_amount", param="amount",
            details={"min": str(rules.top_up_min), "max": None if high is None else str(high)},
        )  # fmt: skip
    if payment_method is not None:
        chosen = [m for m in methods if m.id == payment_method]
        if not chosen:
            raise NotFound(f"No payment method '{payment_method}'.", param="payment_method")
    else:
        chosen = charge_order(list(methods))
    if not chosen:
        raise NoPaymentMethod("Add a payment method first.", param="payment_method")
    return TopUpReview(amount, catalog.currency, chosen[0], chosen[1] if len(chosen) > 1 else None)
