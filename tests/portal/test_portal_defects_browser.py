"""The portal defects of issue 15, each walked in a real browser (Debian's Chromium through
Playwright) as a person would, with a screenshot test-artifacts/portal/defect-<name>.png.

The server and the browser are those of test_portal_browser.py: one uvicorn server over the HAP
seed for this file, one browser context per test. The recharge confirmation and the unsubscribe
confirmation are walked there (test_recharge_the_balance, test_unsubscribe_and_resubscribe).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import test_portal_browser as browser
from playwright.sync_api import Page, expect
from portal_builders import DECLINED_CARD, an_account
from pypdf import PdfReader

from tests.browser_server import Server
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.accounts import AddPaymentMethod, add_payment_method
from tierline.services.balance import TopUp, top_up
from tierline.services.change import ChangeRequest, apply_change
from tierline.services.subscriptions import get_subscription

pytestmark = browser.pytestmark
hap_server = browser.hap_server
chromium = browser.chromium
page = browser.page

MASTERCARD = "5555555555554444"
WORKFLOW_PACK = "Workflow executions +10,000"


def shot(page: Page, name: str) -> None:
    browser.shot(page, f"defect-{name}")


def with_packs(rt: Runtime, account: str, **packs: int) -> None:
    addons = {code.replace("_", "-"): count for code, count in packs.items()}
    apply_change(
        ChangeRequest(account, addons=addons), uow=rt.uow(), clock=rt.clock, gateway=rt.gateway
    )


def open_packs(page: Page) -> None:
    page.get_by_role("link", name="Expand: External user pack (100 users)").click()
    expect(page.get_by_role("heading", name="Packs")).to_be_visible()


def test_the_review_of_a_pack_the_balance_pays_shows_the_balance_and_the_card(
    hap_server: Server, page: Page
) -> None:
    account = an_account(hap_server.rt)
    top_up(TopUp(account, "50.00"), uow=hap_server.rt.uow(), clock=hap_server.rt.clock,
           gateway=hap_server.rt.gateway)  # fmt: skip
    page.goto(hap_server.link(account))
    open_packs(page)

    page.get_by_role("button", name=f"Expand: {WORKFLOW_PACK}").click()

    expect(page.get_by_role("heading", name="Review before paying")).to_be_visible()
    expect(page).to_have_title(re.compile("Review before paying"))
    balance = page.locator('[data-fact="from-balance"]')
    expect(balance).to_contain_text("-$15.00")
    expect(balance).to_contain_text("$50.00")
    expect(balance).to_contain_text("$35.00")
    expect(page.get_by_text("Paid from balance", exact=True)).to_be_visible()
    expect(page.get_by_text("The card pays", exact=True)).to_be_visible()
    expect(page.locator('[data-fact="due-now"]')).to_have_text("$0.00")
    shot(page, "review-paid-from-balance")
    page.get_by_role("button", name="Pay from balance and update subscription").click()

    expect(page.locator('[data-fact="balance"]')).to_have_text("$35.00")


def test_buying_the_licence_of_a_trial_is_a_purchase(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt, edition="professional", trial=True)
    page.goto(hap_server.link(account))
    expect(page.locator('[data-fact="status"]')).to_have_text("Try")

    page.get_by_test_id("buy-licence").click()

    expect(page.get_by_role("heading", name="Review before paying")).to_be_visible()
    expect(page.get_by_test_id("trial-purchase")).to_contain_text(
        "The trial ends now and the licence starts"
    )
    expect(page.locator('[data-fact="due-now"]')).to_have_text("$140.00")
    shot(page, "trial-licence-review")
    page.get_by_role("button", name=re.compile("^Pay")).click()

    expect(page.locator('[data-fact="edition"]')).to_have_text("Professional")
    expect(page.locator('[data-fact="status"]')).to_have_text("Active")
    shot(page, "trial-licence-paid")
    (invoice,) = queries.list_invoices(account, uow=hap_server.rt.uow())
    assert (invoice.status, invoice.total) == ("paid", Decimal("140.00"))


def test_moving_a_trial_to_an_edition_without_a_trial_is_a_purchase(
    hap_server: Server, page: Page
) -> None:
    account = an_account(hap_server.rt, edition="professional", trial=True, quantity=50)
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Plans").click()

    page.get_by_role("button", name="Upgrade: Enterprise").click()

    expect(page.get_by_role("heading", name="Review before paying")).to_be_visible()
    due = page.locator('[data-fact="due-now"]')
    expect(due).not_to_have_text("$0.00")
    expect(due).to_have_text(re.compile(r"^\$[\d,]+\.\d\d$"))
    shot(page, "trial-to-enterprise-review")
    page.get_by_role("button", name=re.compile("^Pay")).click()

    expect(page.locator('[data-fact="edition"]')).to_have_text("Enterprise")
    expect(page.locator('[data-fact="status"]')).to_have_text("Active")
    shot(page, "trial-to-enterprise-paid")
    invoices = queries.list_invoices(account, uow=hap_server.rt.uow())
    assert [i.status for i in invoices] == ["paid"] and invoices[0].total > 0


def test_the_backup_card_paid_for_a_declined_primary_says_so(
    hap_server: Server, page: Page
) -> None:
    rt = hap_server.rt
    account = an_account(rt)
    for card, primary in ((DECLINED_CARD, True), (MASTERCARD, False)):
        add_payment_method(
            AddPaymentMethod(account, card, id=f"{card[-4:]}-{account}", primary=primary,
                             backup=not primary),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
    page.goto(hap_server.link(account))
    expect(page.get_by_test_id("declined-primary")).to_have_count(0)
    open_packs(page)
    page.get_by_role("button", name=f"Expand: {WORKFLOW_PACK}").click()

    page.get_by_role("button", name="Pay and update subscription").click()

    banner = page.get_by_test_id("declined-primary")
    expect(banner).to_contain_text("Your primary card, Visa ending in 0002, was declined")
    expect(banner).to_contain_text("the backup card paid")
    page.get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    expect(banner).to_contain_text("Your primary card, Visa ending in 0002, was declined")
    expect(banner.get_by_role("link", name="Update the primary card")).to_be_visible()
    shot(page, "backup-card-banner-home")
    (paid,) = [i for i in queries.list_invoices(account, uow=rt.uow()) if i.total == 15]
    page.get_by_role("link", name="Messages").click()
    expect(
        page.get_by_text(
            f"Your primary card, Visa ending in 0002, was declined for {paid.number}; the backup "
            "card, Mastercard ending in 4444, paid $15.00. Update the primary card in Payment "
            "methods."
        )
    ).to_be_visible()
    shot(page, "backup-card-message")
    page.get_by_role("link", name="Home", exact=True).click()
    banner.get_by_role("link", name="Update the primary card").click()
    expect(page.get_by_role("heading", name="Payment methods", level=1)).to_be_visible()
    expect(page.get_by_test_id("declined-primary")).to_be_visible()


def test_a_receipt_names_the_card_and_the_balance_shows_document_numbers(
    hap_server: Server, page: Page
) -> None:
    account = an_account(hap_server.rt, card=MASTERCARD)
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Balance", exact=True).click()
    page.get_by_label("Amount (USD)").fill("50")
    page.get_by_role("button", name="Recharge").click()
    expect(page.locator('[data-fact="card"]')).to_have_text("Mastercard ending in 4444")
    page.get_by_role("button", name="Pay $50.00 and recharge").click()
    expect(page.locator('[data-fact="balance"]')).to_have_text("$50.00")

    receipts = queries.list_receipts(account, uow=hap_server.rt.uow())
    (receipt,) = [r for r in receipts if not r.invoice_number]
    transactions = page.locator("#transactions")
    expect(transactions).to_contain_text(receipt.number)
    expect(transactions).not_to_contain_text("topup_")
    shot(page, "balance-references")
    page.get_by_role("link", name="Billing history").click()
    expect(page.locator("#receipts")).to_contain_text(receipt.number)
    shot(page, "receipt-in-billing-history")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download Receipt {receipt.number} (PDF)").click()

    body = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Mastercard ending in 4444" in text
    assert receipt.payment_method is not None and receipt.payment_method not in text


def test_homes_price_includes_the_packs(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt, quantity=12)
    page.goto(hap_server.link(account))
    expect(page.locator('[data-fact="price"]')).to_have_text(re.compile(r"^\$96\.00"))
    open_packs(page)
    page.get_by_role("button", name="Expand: External user pack (100 users)").click()
    page.get_by_role("button", name="Pay and update subscription").click()

    page.get_by_role("link", name="Home", exact=True).click()

    price = page.locator('[data-fact="price"]')
    expect(price).to_have_text(re.compile(r"^\$126\.00"))  # 12 seats at $8, one pack at $30
    parts = page.get_by_test_id("price-parts")
    expect(parts).to_contain_text("Standard: $96.00")
    expect(parts).to_contain_text("External user pack (100 users) × 1: $30.00")
    shot(page, "home-price-with-packs")
    assert get_subscription(account, uow=hap_server.rt.uow()).plan.addons["external-users"] == 1


def test_a_downgrade_to_free_lists_the_packs_it_removes(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt)
    with_packs(hap_server.rt, account, external_users=1, attachment_uploads=2,
               workflow_executions=1)  # fmt: skip
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Plans").click()

    page.get_by_role("button", name="Downgrade: Free").click()

    expect(page.get_by_test_id("refusal")).to_have_count(0)
    expect(page.get_by_role("heading", name="This change removes 3 packs")).to_be_visible()
    removed = page.get_by_test_id("removed-packs").get_by_role("listitem")
    expect(removed).to_have_text(
        [
            "External user pack (100 users) × 1",
            "Attachment uploads +100 GB × 2",
            "Workflow executions +10,000 × 1",
        ],
        use_inner_text=True,
    )
    expect(page.locator('[data-fact="effective"]')).to_have_text("On February 28, 2026")
    shot(page, "downgrade-to-free-removes-packs")
    page.get_by_role("button", name="Schedule the change").click()

    expect(page.get_by_role("status").last).to_contain_text("Your change is scheduled for")
    pending = get_subscription(account, uow=hap_server.rt.uow()).pending
    assert pending is not None and pending.target.edition == "free"
    assert not any(pending.target.addons.values())


def test_messages_are_in_the_order_they_were_written(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt)
    page.goto(hap_server.link(account))
    open_packs(page)
    page.get_by_role("button", name=f"Expand: {WORKFLOW_PACK}").click()
    page.get_by_role("button", name="Pay and update subscription").click()

    page.get_by_role("link", name="Messages").click()

    texts = page.locator("ol.messages li p").all_inner_texts()
    first, pack = (i.number for i in queries.list_invoices(account, uow=hap_server.rt.uow()))
    assert texts == [  # newest first, each moment in the order it was written
        f"Invoice {pack} paid: $15.00.",
        "Your subscription was updated: Standard, Workflow executions +10,000 × 1 added; the "
        "update is effective now.",
        f"Invoice {pack} issued: $15.00 to pay.",
        f"Invoice {first} paid: $80.00.",
        "Your Standard license is active: 10 seats, billed every month.",
        f"Invoice {first} issued: $80.00 to pay.",
    ]
    shot(page, "messages-in-order")


def test_the_plans_quantity_box_updates_every_row_and_notes_a_raised_minimum(
    hap_server: Server, page: Page
) -> None:
    page.goto(hap_server.link(an_account(hap_server.rt, edition=None)))
    page.get_by_role("link", name="Plans").click()
    everywhere = page.get_by_label("Quantity (seat)", exact=True)
    expect(everywhere).to_have_value("")  # nothing typed yet: each edition at its own quantity
    expect(page.locator("#total-standard")).to_have_text("$80.00")
    expect(page.locator("#qty-enterprise")).to_have_value("50")
    expect(page.locator("p[data-note]:visible")).to_have_count(0)
    shot(page, "plans-without-a-subscription")

    everywhere.fill("12")

    expect(page.locator("#qty-standard")).to_have_value("12")
    expect(page.locator("#total-standard")).to_have_text("$96.00")
    expect(page.locator("#qty-professional")).to_have_value("12")
    expect(page.locator("#total-professional")).to_have_text("$168.00")
    expect(page.locator("#qty-enterprise")).to_have_value("50")
    expect(page.locator("#note-enterprise")).to_have_text("Raised to this edition's minimum: 50")
    expect(page.locator("#note-standard")).to_be_hidden()
    expect(page.locator("#qty-free")).to_have_value("10")
    expect(page.locator("#note-free")).to_have_text("Lowered to this edition's maximum: 10")
    shot(page, "plans-quantity-12")

    everywhere.fill("3")

    expect(page.locator("#qty-standard")).to_have_value("10")
    expect(page.locator("#total-standard")).to_have_text("$80.00")
    expect(page.locator("#note-standard")).to_have_text("Raised to this edition's minimum: 10")
    expect(page.locator("#note-professional")).to_have_text("Raised to this edition's minimum: 10")
    shot(page, "plans-quantity-below-minimum")
