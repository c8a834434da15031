"""Every message the services write carries the facts its template needs, so that it can be
read in the account's language; an English reader gets the stored sentence's meaning."""

from __future__ import annotations

from service_builders import Billing, utc

from tierline.documents.formatting import Formatter
from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.notify.messages import message_text
from tierline.services import queries
from tierline.services.change import cancel_pending_change
from tierline.services.subscriptions import SetAutoRenew, set_auto_renew


def test_every_message_of_a_customer_journey_reads_in_french(
    billing: Billing, catalog: Catalog, acme: Account
) -> None:
    billing.subscribe("basic", quantity=10, trial=False)
    billing.top_up("50.00")
    billing.advance(utc(2026, 2, 14))
    billing.change(edition="pro")
    billing.change(quantity=5)  # fewer units: scheduled for the period end
    billing.change(quantity=12)  # replaces it, effective now
    billing.change(edition="basic")  # a downgrade, scheduled
    cancel_pending_change("acme", uow=billing.uow, clock=billing.clock)
    billing.change(edition="basic")  # scheduled again, applied at the renewal
    billing.account("trialist")
    billing.subscribe("pro", account="trialist", trial=True)
    set_auto_renew(SetAutoRenew("trialist", False), uow=billing.uow, clock=billing.clock)
    billing.advance(utc(2026, 3, 20))  # acme renews on Basic; the trial ends without renewal
    set_auto_renew(SetAutoRenew("acme", False), uow=billing.uow, clock=billing.clock)
    billing.advance(utc(2026, 5, 1))  # acme's subscription ends

    french = Formatter.of("fr", "UTC", "EUR")
    seen = set()
    for account in ("acme", "trialist"):
        for m in queries.list_messages(account, uow=billing.uow):
            seen.add(m["kind"])
            text = message_text(m["kind"], m["payload"], m["text"], french)
            assert text != m["text"], (m["kind"], m["payload"])
    assert {
        "subscription.created", "invoice.finalized", "invoice.paid", "balance.topped_up",
        "subscription.upgraded", "subscription.quantity_decrease_scheduled",
        "subscription.updated", "subscription.downgrade_scheduled",
        "subscription.change_canceled", "subscription.auto_renew_changed",
        "subscription.trial_started", "subscription.renewed", "subscription.downgrade_applied",
        "subscription.expired",
    } <= seen  # fmt: skip
