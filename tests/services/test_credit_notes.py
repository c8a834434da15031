"""Credit notes for part of an invoice and refunds of a payment, issued by an operator: what is
left on each line counts earlier credit notes, a credit keeps the rate of the line it credits,
a refund is a payment attempt committed before the collector sends it, and every step is in the
audit log. On each store.

Figures: Basic is 3.00 a seat a month, so 10 seats cost 30.00 (36.00 with French VAT at 20 %);
the clock starts on 2026-01-31 10:00 UTC.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from service_builders import MID_FEBRUARY, Billing, eur, policy, utc
from test_on_behalf import FINANCE, OWNER, SUPPORT, last_entry
from test_tax_on_documents import SELLER, details, tax_rules, taxes

from tierline.domain.account import Account
from tierline.domain.tax import TaxTreatment
from tierline.errors import (
    CreditAboveWhatIsLeft,
    Invalid,
    InvoiceNotCreditable,
    NothingToCredit,
    OperatorNotPermitted,
    PaymentNotRefundable,
    RefundAboveWhatIsLeft,
)
from tierline.services.credit_notes import (
    CreditInvoice,
    RefundPayment,
    credit_invoice,
    creditable,
    preview_credit_note,
    preview_refund,
    refund_payment,
)
from tierline.services.invoice_void import VoidInvoice, void_invoice

DEBIT_CARD = "4000056655665556"  # declined once the first payment is made


def credit(
    billing: Billing, invoice: str, lines: dict[int, str | None], credit_to: str = "balance"
) -> object:
    return credit_invoice(
        FINANCE, CreditInvoice("acme", invoice, lines, credit_to, "goodwill"), uow=billing.uow,
        clock=billing.clock, gateway=billing.gateway,
    )  # fmt: skip


def refund(billing: Billing, payment: str, amount: str = "") -> object:
    return refund_payment(
        FINANCE, RefundPayment("acme", payment, amount), uow=billing.uow, clock=billing.clock,
        gateway=billing.gateway,
    )  # fmt: skip


def paid_subscription(billing: Billing) -> str:
    billing.subscribe("basic", "month", 10, trial=False)
    (invoice,) = billing.invoices()
    assert invoice.status == "paid"
    return invoice.number


def every_entry_balances(billing: Billing) -> bool:
    return all(sum(line.amount for line in e.lines) == 0 for e in billing.journal())


class TestPartialCreditNote:
    def test_a_partial_credit_note_to_the_balance_leaves_the_rest_of_the_line(
        self, billing: Billing, acme: Account
    ) -> None:
        number = paid_subscription(billing)
        preview = preview_credit_note(
            FINANCE, CreditInvoice("acme", number, {0: "10.00"}), uow=billing.uow
        )

        issued = credit(billing, number, {0: "10.00"})

        assert preview.gross == issued.credit_note.total == eur("10.00")  # type: ignore[attr-defined]
        assert issued.credit_note.invoice_number == number  # type: ignore[attr-defined]
        assert billing.balance() == eur("10.00")
        _, lines = creditable(FINANCE, "acme", number, uow=billing.uow)
        assert [(c.credited, c.left) for c in lines] == [(eur("10.00"), eur("20.00"))]
        assert every_entry_balances(billing)
        entry = last_entry(billing)
        assert (entry["by"], entry["action"]) == ("finance@example.com", "credit_note.issue")
        assert entry["after"]["gross"] == "10.00"  # type: ignore[index]
        assert entry["after"]["lines"] == {"0": "10.00"}  # type: ignore[index]

    def test_a_partial_credit_note_never_credits_more_than_the_line_left(
        self, billing: Billing, acme: Account
    ) -> None:
        number = paid_subscription(billing)
        credit(billing, number, {0: "25.00"})

        with pytest.raises(CreditAboveWhatIsLeft) as refused:
            credit(billing, number, {0: "5.01"})

        assert (refused.value.code, refused.value.param) == (
            "credit_above_what_is_left",
            "lines[0].amount",
        )
        assert len(billing.credit_notes()) == 1
        credit(billing, number, {0: None})  # all that is left: 5.00
        assert [n.total for n in billing.credit_notes()] == [eur("25.00"), eur("5.00")]
        with pytest.raises(NothingToCredit):
            credit(billing, number, {0: None})

    def test_nothing_selected_is_refused_naming_the_lines(
        self, billing: Billing, acme: Account
    ) -> None:
        number = paid_subscription(billing)
        with pytest.raises(NothingToCredit) as refused:
            credit(billing, number, {})
        assert (refused.value.code, refused.value.param) == ("nothing_to_credit", "lines")
        with pytest.raises(Invalid) as bad:
            credit(billing, number, {0: "-1"})
        assert (bad.value.code, bad.value.param) == ("invalid_amount", "lines[0].amount")
        with pytest.raises(Invalid) as nowhere:
            credit(billing, number, {0: "1.00"}, credit_to="invoice")
        assert nowhere.value.param == "credit_to"

    def test_a_void_invoice_is_not_credited(self, billing: Billing, catalog: object) -> None:
        billing.account("acme", cards=(DEBIT_CARD,), backup=None)
        billing.subscribe("basic", "month", 10, trial=False)
        billing.decline(DEBIT_CARD)
        billing.advance(utc(2026, 2, 28, 10))
        invoice = next(i for i in billing.invoices() if i.status == "open")
        void_invoice(FINANCE, VoidInvoice("acme", invoice.number, "outage"), uow=billing.uow,
                     clock=billing.clock)  # fmt: skip

        with pytest.raises(InvoiceNotCreditable) as refused:
            credit(billing, invoice.number, {0: None})

        assert (refused.value.code, refused.value.param) == ("invoice_not_creditable", "invoice")

    def test_a_credit_refunded_to_the_card_is_an_attempt_sent_after_the_commit(
        self, billing: Billing, acme: Account
    ) -> None:
        number = paid_subscription(billing)

        issued = credit(billing, number, {0: "12.00"}, credit_to="refund")

        refund_attempt = issued.refund  # type: ignore[attr-defined]
        assert refund_attempt is not None
        assert (refund_attempt.kind, refund_attempt.reason, refund_attempt.status) == (
            "refund",
            "refund",
            "refunded",
        )
        assert refund_attempt.amount == eur("12.00")
        assert refund_attempt.reference == issued.credit_note.number  # type: ignore[attr-defined]
        assert [amount for _, amount, _ in billing.gateway.refunded] == [eur("12.00")]
        assert billing.balance() == 0
        assert every_entry_balances(billing)
        assert [e.kind for e in billing.journal()][-2:] == ["credit_note", "refund"]

    def test_support_and_read_only_may_not_issue_a_credit_note(
        self, billing: Billing, acme: Account
    ) -> None:
        number = paid_subscription(billing)
        with pytest.raises(OperatorNotPermitted):
            credit_invoice(SUPPORT, CreditInvoice("acme", number, {0: None}), uow=billing.uow,
                           clock=billing.clock, gateway=billing.gateway)  # fmt: skip
        assert billing.credit_notes() == []
        credit_invoice(OWNER, CreditInvoice("acme", number, {0: "1.00"}), uow=billing.uow,
                       clock=billing.clock, gateway=billing.gateway)  # fmt: skip
        assert len(billing.credit_notes()) == 1


class TestTaxOnPartialCredit:
    def test_a_partial_credit_keeps_the_lines_rate_after_a_rate_change_and_counts_earlier_notes(
        self, billing: Billing
    ) -> None:
        """Invoice at 20 %: 30.00 + 6.00. On Feb 14 (21 % since Feb 10) an upgrade credits the
        unused half, 15.00 at 20 %. 15.00 is left on the line: crediting it all gives back
        3.00 at 20 % (18.00), never at 21 %."""
        billing.install(
            seller=SELLER, tax=tax_rules(french_change=utc(2026, 2, 10)),
            policies={"upgrade": policy(proration="restart", credit_to="credit_note")},
        )  # fmt: skip
        billing.account()
        details(billing, country="FR")
        number = paid_subscription(billing)
        billing.advance(MID_FEBRUARY)
        billing.change(edition="pro")

        with pytest.raises(CreditAboveWhatIsLeft):
            credit(billing, number, {0: "15.01"})
        issued = credit(billing, number, {0: None})

        note = issued.credit_note  # type: ignore[attr-defined]
        assert taxes(note.tax) == [("20", "standard", "15.00", "3.00")]
        assert note.total == eur("18.00")
        assert [line.tax for line in note.lines] == [TaxTreatment(Decimal(20), "standard")]
        assert every_entry_balances(billing)

    def test_a_refund_of_part_of_a_taxed_charge_is_documented_tax_included(
        self, billing: Billing
    ) -> None:
        """10.00 of the 36.00 charged: 8.33 net + 1.67 tax."""
        billing.install(seller=SELLER, tax=tax_rules())
        billing.account()
        details(billing, country="FR")
        paid_subscription(billing)
        (charge,) = billing.payments()

        done = refund(billing, charge.id, "10.00")

        note = done.credit_note  # type: ignore[attr-defined]
        assert taxes(note.tax) == [("20", "standard", "8.33", "1.67")]
        assert note.total == done.refund.amount == eur("10.00")  # type: ignore[attr-defined]


class TestRefundPayment:
    def test_a_charge_refunded_in_part_then_in_full_is_never_refunded_twice(
        self, billing: Billing, acme: Account
    ) -> None:
        number = paid_subscription(billing)
        (charge,) = billing.payments()
        preview = preview_refund(
            FINANCE, RefundPayment("acme", charge.id, "12.00"), uow=billing.uow
        )
        assert (preview.left, preview.amount) == (eur("30.00"), eur("12.00"))

        first = refund(billing, charge.id, "12.00")
        rest = refund(billing, charge.id)

        assert first.credit_note.total == eur("12.00")  # type: ignore[attr-defined]
        assert rest.credit_note.total == eur("18.00")  # type: ignore[attr-defined]
        assert all(n.invoice_number == number for n in billing.credit_notes())
        assert [amount for _, amount, _ in billing.gateway.refunded] == [eur("12.00"), eur("18.00")]
        with pytest.raises(RefundAboveWhatIsLeft) as refused:
            refund(billing, charge.id, "0.01")
        assert (refused.value.code, refused.value.param) == ("refund_above_what_is_left", "amount")
        assert every_entry_balances(billing)
        entry = last_entry(billing)
        assert entry["action"] == "payment.refund"
        assert entry["after"]["left"] == "0.00"  # type: ignore[index]

    def test_a_refund_the_closed_card_refuses_is_kept_on_the_balance_and_can_be_sent_again(
        self, billing: Billing, acme: Account
    ) -> None:
        paid_subscription(billing)
        (charge,) = billing.payments()
        billing.gateway.close_card(str(charge.token))

        refund(billing, charge.id, "12.00")

        refused = [p for p in billing.payments() if p.kind == "refund"]
        assert [(p.status, p.failure_code) for p in refused] == [("failed", "card_closed")]
        assert billing.gateway.refunded == []
        assert billing.balance() == eur("12.00")  # the money stays with the account
        assert billing.messages()[-1] == "payment.refund_failed"
        assert "added to your balance, which is now 12.00 EUR" in billing.message_texts()[-1]
        assert every_entry_balances(billing)
        assert sum(
            (line.amount for e in billing.journal() for line in e.lines if line.ledger == "cash"),
            eur("0"),
        ) == eur("30.00")  # the charge is still all the cash the account paid
        # What the card refused is no longer counted as refunded: it can be tried again.
        preview = preview_refund(FINANCE, RefundPayment("acme", charge.id), uow=billing.uow)
        assert preview.amount == eur("18.00")  # 30.00 less the 12.00 credit note issued

    def test_a_refund_never_credits_what_a_credit_note_to_the_balance_took_already(
        self, billing: Billing, acme: Account
    ) -> None:
        number = paid_subscription(billing)
        credit(billing, number, {0: "20.00"})
        (charge,) = billing.payments()

        preview = preview_refund(FINANCE, RefundPayment("acme", charge.id), uow=billing.uow)
        done = refund(billing, charge.id)

        assert preview.left == done.credit_note.total == eur("10.00")  # type: ignore[attr-defined]
        with pytest.raises(RefundAboveWhatIsLeft):
            refund(billing, charge.id, "0.01")

    def test_a_refund_above_what_is_left_is_refused_before_anything_is_stored(
        self, billing: Billing, acme: Account
    ) -> None:
        paid_subscription(billing)
        (charge,) = billing.payments()
        with pytest.raises(RefundAboveWhatIsLeft):
            refund(billing, charge.id, "30.01")
        assert billing.credit_notes() == []
        assert [p.kind for p in billing.payments()] == ["charge"]

    def test_only_a_succeeded_charge_of_an_invoice_is_refunded(
        self, billing: Billing, catalog: object
    ) -> None:
        billing.account("acme", cards=(DEBIT_CARD,), backup=None)
        billing.subscribe("basic", "month", 10, trial=False)
        billing.decline(DEBIT_CARD)
        billing.advance(utc(2026, 2, 28, 10))
        failed = next(p for p in billing.payments() if p.status == "failed")
        with pytest.raises(PaymentNotRefundable) as refused:
            refund(billing, failed.id)
        assert (refused.value.code, refused.value.param) == ("payment_not_refundable", "payment")

    def test_support_may_not_refund_a_payment(self, billing: Billing, acme: Account) -> None:
        paid_subscription(billing)
        (charge,) = billing.payments()
        with pytest.raises(OperatorNotPermitted):
            refund_payment(SUPPORT, RefundPayment("acme", charge.id), uow=billing.uow,
                           clock=billing.clock, gateway=billing.gateway)  # fmt: skip
