"""What a purchase is paid with, said plainly: the balance on the review page, the card on the
receipt, and the kind of each balance movement rather than its internal reference."""

from __future__ import annotations

import io
import re
from html import unescape

from fastapi import FastAPI
from portal_builders import an_account, csrf_of, fact, signed_in
from pypdf import PdfReader

from tierline.domain.documents import Receipt
from tierline.runtime import Runtime
from tierline.services import accounts, queries
from tierline.services.balance import TopUp, top_up
from tierline.services.change import ChangeRequest, apply_change
from tierline.services.subscriptions import get_subscription

MASTERCARD = "5555555555554444"

PACK = "/portal/change?addon.workflow-executions=1"


def with_balance(rt: Runtime, account: str, amount: str) -> None:
    top_up(TopUp(account, amount), uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)


class TestTheReviewOfAPurchaseTheBalancePays:
    def test_the_balance_line_shows_what_it_pays_and_the_card_pays_nothing(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        with_balance(hap, account, "50.00")

        page = signed_in(hap_app, hap, account).get(PACK).text

        assert "<h1>Review before paying</h1>" in page
        assert fact(page, "from-balance").startswith("-$15.00")
        assert "$50.00" in fact(page, "from-balance")
        assert "$35.00" in fact(page, "from-balance")
        assert "The card pays" in page
        assert fact(page, "due-now") == "$0.00"

    def test_a_balance_smaller_than_the_price_leaves_the_rest_to_the_card(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        with_balance(hap, account, "10.00")

        page = signed_in(hap_app, hap, account).get(PACK).text

        assert fact(page, "from-balance").startswith("-$10.00")
        assert fact(page, "due-now") == "$5.00"

    def test_when_the_balance_pays_it_all_the_button_says_it_pays_from_the_balance(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        with_balance(hap, account, "50.00")

        page = signed_in(hap_app, hap, account).get(PACK).text

        assert confirm_button(page) == "Pay from balance and update subscription"
        assert "Paid with:" not in page  # no card is charged

    def test_when_the_card_pays_a_part_the_button_says_pay(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        with_balance(hap, account, "10.00")

        page = signed_in(hap_app, hap, account).get(PACK).text

        assert confirm_button(page) == "Pay and update subscription"

    def test_without_a_balance_the_card_pays_it_all(self, hap: Runtime, hap_app: FastAPI) -> None:
        page = signed_in(hap_app, hap, an_account(hap)).get(PACK).text

        assert 'data-fact="from-balance"' not in page
        assert "Amount due now" in page
        assert fact(page, "due-now") == "$15.00"

    def test_a_change_that_costs_nothing_now_is_reviewed_not_paid(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition="professional")

        page = signed_in(hap_app, hap, account).get("/portal/change?edition=standard").text

        assert "<h1>Review the change</h1>" in page
        assert "Review before paying" not in page


def confirm_button(html: str) -> str:
    """The words of the review's confirming button."""
    form = html[html.index('class="card confirm"') :]
    found = re.search(r'<button type="submit">(.*?)</button>', form, re.S)
    assert found, "no confirming button"
    return unescape(found.group(1)).strip()


def top_up_receipt(rt: Runtime, account: str) -> Receipt:
    return next(r for r in queries.list_receipts(account, uow=rt.uow()) if not r.invoice_number)


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


class TestAReceiptNamesTheCardItWasPaidWith:
    def test_a_top_up_receipt_says_mastercard_ending_in_4444(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, card=MASTERCARD)
        with_balance(hap, account, "50.00")
        receipt = top_up_receipt(hap, account)
        assert receipt.payment_method is not None

        pdf = signed_in(hap_app, hap, account).get(f"/portal/receipts/{receipt.number}.pdf")

        text = pdf_text(pdf.content)
        assert "Mastercard ending in 4444" in text
        assert receipt.payment_method not in text

    def test_the_card_is_named_in_the_accounts_language(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="fr", card=MASTERCARD)
        with_balance(hap, account, "50.00")
        receipt = top_up_receipt(hap, account)

        pdf = signed_in(hap_app, hap, account).get(f"/portal/receipts/{receipt.number}.pdf")

        assert "Mastercard se terminant par 4444" in pdf_text(pdf.content)

    def test_a_card_removed_since_is_still_named_as_it_was_when_it_paid(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, card=MASTERCARD)
        with_balance(hap, account, "50.00")
        receipt = top_up_receipt(hap, account)
        assert receipt.payment_method is not None
        accounts.remove_payment_method(account, receipt.payment_method, uow=hap.uow())

        pdf = signed_in(hap_app, hap, account).get(f"/portal/receipts/{receipt.number}.pdf")

        text = pdf_text(pdf.content)
        assert "Mastercard ending in 4444" in text
        assert receipt.payment_method not in text

    def test_the_receipt_of_an_invoice_names_a_card_removed_since(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, card=MASTERCARD)
        (receipt,) = queries.list_receipts(account, uow=hap.uow())  # the first month's
        assert receipt.invoice_number is not None and receipt.payment_method is not None
        accounts.remove_payment_method(account, receipt.payment_method, uow=hap.uow())

        pdf = signed_in(hap_app, hap, account).get(f"/portal/receipts/{receipt.number}.pdf")

        assert "Mastercard ending in 4444" in pdf_text(pdf.content)


class TestTheBalanceTransactions:
    def test_a_top_up_names_its_receipt_not_an_internal_reference(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        with_balance(hap, account, "50.00")
        receipt = top_up_receipt(hap, account)

        page = signed_in(hap_app, hap, account).get("/portal/balance").text

        table = page[page.index('id="transactions"') :]
        assert receipt.number in table
        assert "topup_" not in page


class TestADowngradeToAnEditionWithoutPacks:
    def test_the_review_lists_the_packs_the_downgrade_removes(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        apply_change(
            ChangeRequest(account, addons={"external-users": 1, "attachment-uploads": 2,
                                           "workflow-executions": 1}),
            uow=hap.uow(), clock=hap.clock, gateway=hap.gateway,
        )  # fmt: skip
        browser = signed_in(hap_app, hap, account)

        page = browser.get("/portal/change?edition=free")

        assert page.status_code == 200
        assert 'data-testid="refusal"' not in page.text
        assert "This change removes 3 packs" in page.text
        removed = page.text[page.text.index('data-testid="removed-packs"') :]
        for name in ("External user pack (100 users) × 1", "Attachment uploads +100 GB × 2",
                     "Workflow executions +10,000 × 1"):  # fmt: skip
            assert name in removed
        assert fact(page.text, "effective") == "On February 28, 2026"

    def test_confirming_it_schedules_the_downgrade_without_the_packs(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        apply_change(
            ChangeRequest(account, addons={"external-users": 1}),
            uow=hap.uow(), clock=hap.clock, gateway=hap.gateway,
        )  # fmt: skip
        browser = signed_in(hap_app, hap, account)
        page = browser.get("/portal/change?edition=free")
        query = re.search(r'name="change" value="([^"]+)"', page.text)
        assert query is not None

        done = browser.post(
            "/portal/change", data={"csrf": csrf_of(page.text), "change": unescape(query[1])}
        )

        assert done.status_code == 200
        sub = get_subscription(account, uow=hap.uow())
        assert sub.pending is not None
        assert sub.pending.target.edition == "free"
        assert not any(sub.pending.target.addons.values())
