"""Reports over a database built through the services, with figures worked by hand from the
default catalog (basic 3.00 a seat a month, 28.80 a seat a year; pro 6.00 with a 14-day
trial)."""

from __future__ import annotations

from decimal import Decimal

from service_builders import FIRST_RENEWAL, MID_FEBRUARY, VISA, Billing, policy, utc

from tierline.services import reports

DEBIT_CARD = "4000056655665556"  # a Visa of its own, declined by one test only


class TestRecurring:
    def test_mrr_counts_an_annual_subscription_as_a_twelfth_and_no_trial(
        self, billing: Billing
    ) -> None:
        billing.install()
        for account in ("acme", "beta", "gamma"):
            billing.account(account)
        billing.subscribe("basic", "month", 10, account="acme")  # 30.00 a month
        billing.subscribe("basic", "year", 10, account="beta")  # 288.00 a year: 24.00
        billing.subscribe("pro", "month", 10, account="gamma")  # on trial: nothing

        [eur] = reports.recurring(uow=billing.uow)

        assert (eur.currency, eur.mrr, eur.arr) == ("EUR", Decimal("54.00"), Decimal("648.00"))
        assert (eur.paying_subscriptions, eur.paying_accounts) == (2, 2)

    def test_the_plan_list_has_each_edition_and_cycle_with_its_accounts(
        self, billing: Billing
    ) -> None:
        billing.install()
        for account in ("acme", "beta", "gamma"):
            billing.account(account)
        billing.subscribe("basic", "month", 10, account="acme")
        billing.subscribe("basic", "month", 4, account="beta")
        billing.subscribe("pro", "month", 10, account="gamma")

        lines = reports.plans(uow=billing.uow)

        assert [(p.edition, p.cycle, p.subscriptions, p.accounts, p.trials, p.units)
                for p in lines] == [
            ("basic", "month", 2, 2, 0, 14),
            ("pro", "month", 1, 1, 1, 10),
        ]  # fmt: skip


class TestRevenue:
    def test_revenue_is_paid_invoices_less_credit_notes_per_month(self, billing: Billing) -> None:
        billing.install(policies={"upgrade": policy("immediate", "restart", "credit_note")})
        billing.account("acme")
        billing.subscribe("basic", "month", 10)  # paid Jan 31: 30.00
        billing.advance(MID_FEBRUARY)
        # Half of the 28-day period is unused: a credit note of 15.00; a new month of pro at
        # 60.00 is invoiced from today, the credit note paying 15.00 of it.
        billing.change(edition="pro")

        found = reports.revenue(uow=billing.uow, clock=billing.clock, months=2)

        assert [(r.month, r.invoiced, r.credited, r.net) for r in found] == [
            ("2026-01", Decimal("30.00"), Decimal(0), Decimal("30.00")),
            ("2026-02", Decimal("60.00"), Decimal("15.00"), Decimal("45.00")),
        ]


class TestAccounts:
    def test_an_account_whose_subscription_expired_is_churned_in_that_month(
        self, billing: Billing
    ) -> None:
        billing.install()
        billing.account("acme")
        billing.account("beta")
        billing.subscribe("basic", "month", 10, account="acme", auto_renew=False)
        billing.subscribe("basic", "month", 10, account="beta")
        billing.advance(utc(2026, 3, 1))  # acme's period ended on Feb 28

        found = reports.accounts(uow=billing.uow, clock=billing.clock, months=3)

        assert [(m.month, m.new, m.churned) for m in found] == [
            ("2026-01", 2, 0),
            ("2026-02", 0, 1),
            ("2026-03", 0, 0),
        ]


class TestCollection:
    def test_a_declined_renewal_counts_as_failed_and_puts_the_account_in_dunning(
        self, billing: Billing
    ) -> None:
        billing.install()
        billing.account("acme", cards=(DEBIT_CARD,), backup=None)
        billing.account("beta", cards=(VISA,), backup=None)
        billing.subscribe("basic", "month", 10, account="acme")
        billing.subscribe("basic", "month", 10, account="beta")
        billing.decline(DEBIT_CARD)
        billing.advance(FIRST_RENEWAL)

        found = reports.collection(uow=billing.uow, clock=billing.clock, months=1)

        assert [(f.month, f.failed, f.amount) for f in found.failed] == [
            ("2026-02", 1, Decimal("30.00"))
        ]
        [dunning] = found.dunning
        assert (dunning.account_id, dunning.due, dunning.attempts) == ("acme", Decimal("30.00"), 1)
