"""The portal in a real browser (Debian's Chromium through Playwright), walked as a person would:
each flow of the seeds, with a screenshot of every page under test-artifacts/portal/.

The app runs in uvicorn on a free port of 127.0.0.1, over a SQLite file and a test clock.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from portal_builders import (
    ASSOCIATION,
    DECLINED_CARD,
    HAP,
    WAITING_ROOM,
    a_runtime,
    an_account,
    an_open_bill,
    members,
    waiting_rooms,
)
from pypdf import PdfReader

from tests.browser_server import Server
from tierline.services import queries
from tierline.services.subscriptions import get_subscription

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "portal"

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (make installs it)",
)


@pytest.fixture(scope="module")
def hap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(a_runtime(tmp_path_factory.mktemp("browser-hap"), HAP)) as server:
        yield server


@pytest.fixture(scope="module")
def association_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(a_runtime(tmp_path_factory.mktemp("browser-assoc"), ASSOCIATION)) as server:
        yield server


@pytest.fixture(scope="module")
def waiting_room_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(a_runtime(tmp_path_factory.mktemp("browser-rooms"), WAITING_ROOM)) as server:
        yield server


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1100, "height": 800}, accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_subscribe_then_upgrade_with_a_preview_before_paying(
    hap_server: Server, page: Page
) -> None:
    account = an_account(hap_server.rt, edition=None)
    page.goto(hap_server.link(account))
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    shot(page, "01-home-no-subscription")
    page.get_by_role("link", name="Choose a plan").click()

    # Plans: Total = Price × Quantity updates as the user types.
    expect(page.get_by_role("heading", name="Plans")).to_be_visible()
    quantity = page.get_by_label("Quantity (seat) — Standard")
    quantity.fill("12")
    expect(page.locator("#total-standard")).to_have_text("$96.00")
    shot(page, "02-plans-monthly-12-seats")
    page.get_by_role("button", name="Choose: Standard").click()

    expect(page.get_by_role("heading", name="Subscribe")).to_be_visible()
    expect(page.locator('[data-fact="due-now"]')).to_have_text("$96.00")
    shot(page, "03-subscribe-review")
    page.get_by_role("button", name="Pay and subscribe").click()

    expect(page.get_by_role("status")).to_have_text("Your subscription is active.")
    expect(page.locator('[data-fact="edition"]')).to_have_text("Standard")
    expect(page.locator('[data-fact="status"]')).to_have_text("Active")
    shot(page, "04-home-active-standard")

    page.get_by_role("link", name="Upgrade").click()
    page.get_by_role("button", name="Upgrade: Professional").click()
    expect(page.get_by_role("heading", name="Review before paying")).to_be_visible()
    expect(page.locator('[data-fact="effective"]')).to_have_text("Immediately")
    due = page.locator('[data-fact="due-now"]').inner_text()
    assert due.startswith("$") and due != "$0.00"
    shot(page, "05-upgrade-preview")
    page.get_by_role("button", name="Pay and update subscription").click()

    expect(page.get_by_role("status")).to_contain_text("the change is effective now")
    expect(page.locator('[data-fact="edition"]')).to_have_text("Professional")
    shot(page, "06-home-after-upgrade")
    page.get_by_role("link", name="Messages").click()
    expect(page.get_by_text("upgraded to Professional")).to_be_visible()
    shot(page, "07-messages")


def test_expand_seats_from_home(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt)
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Expand: seat").click()
    expect(page.get_by_role("heading", name="Expand — seat")).to_be_visible()
    page.get_by_label("Quantity (seat)").fill("15")
    shot(page, "08-expand-seats")
    page.get_by_role("button", name="Update subscription").click()
    expect(page.get_by_text("Expand — From Standard · 10 seat")).to_be_visible()
    shot(page, "09-expand-preview")
    page.get_by_role("button", name="Pay and update subscription").click()
    expect(page.locator('[data-fact="quantity"]')).to_have_text("0 / 15")
    assert get_subscription(account, uow=hap_server.rt.uow()).plan.quantity == 15


def test_buy_an_external_user_pack_from_the_use_section(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt)
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Expand: External user pack (100 users)").click()
    expect(page.get_by_role("heading", name="Packs")).to_be_visible()
    shot(page, "10-packs")
    page.get_by_role("button", name="Expand: External user pack (100 users)").click()
    expect(page.get_by_text("Buy packs")).to_be_visible()
    expect(page.get_by_text("External users: from 100 to 200")).to_be_visible()
    shot(page, "11-pack-preview")
    page.get_by_role("button", name="Pay and update subscription").click()
    expect(page.get_by_role("cell", name="External user pack (100 users) × 1")).to_be_visible()
    shot(page, "12-home-with-pack")


def test_a_refused_downgrade_shows_the_catalogs_message(
    association_server: Server, page: Page
) -> None:
    account = an_account(association_server.rt, edition="serenity")
    page.goto(association_server.link(account))
    page.get_by_role("link", name="Plans").click()
    shot(page, "13-association-plans")
    page.get_by_role("button", name="Downgrade: Liberty").click()
    expect(page.get_by_role("heading", name="This change is not possible")).to_be_visible()
    expect(page.get_by_test_id("refusal")).to_contain_text(
        "It is not possible to switch from a paid offer to a free offer"
    )
    shot(page, "14-refused-downgrade")


def test_an_association_upgrade_issues_a_credit_note(
    association_server: Server, page: Page
) -> None:
    account = an_account(association_server.rt, edition="serenity", locale="fr")
    page.goto(association_server.link(account))
    page.get_by_role("link", name="Offres").click()
    page.get_by_role("button", name="Monter en gamme : Professional").click()
    expect(page.get_by_text("émis en avoir et imputé sur la nouvelle facture")).to_be_visible()
    shot(page, "15-association-upgrade-preview-fr")
    page.get_by_role("button", name="Payer et mettre à jour l'abonnement").click()
    page.get_by_role("link", name="Historique de facturation").click()
    expect(page.locator("#credit-notes")).to_be_visible()
    shot(page, "16-billing-with-credit-note-fr")


def test_a_failed_card_shows_the_payment_error(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt)
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Payment methods").click()
    page.get_by_label("Card number").fill(DECLINED_CARD)
    page.get_by_label("Primary").check()
    page.get_by_role("button", name="Add card").click()
    expect(page.get_by_role("status")).to_have_text("The card was added.")
    page.get_by_role("button", name="Remove: Visa ending in 4242").click()
    expect(page.get_by_role("status")).to_have_text("The card was removed.")
    shot(page, "17-payment-methods-declined-card")
    page.goto(f"{hap_server.base}/portal/change?quantity=20")
    page.get_by_role("button", name="Pay and update subscription").click()
    expect(page.get_by_role("alert")).to_have_text("The payment failed: The card was declined.")
    shot(page, "18-payment-failed")
    assert get_subscription(account, uow=hap_server.rt.uow()).plan.quantity == 10


def test_unsubscribe_and_resubscribe(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt)
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Manage your subscription").first.click()
    shot(page, "19-manage-subscription")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator('[data-fact="unsubscribe"]')).to_contain_text("until February 28, 2026")
    shot(page, "19b-unsubscribe-confirmation")
    assert get_subscription(account, uow=hap_server.rt.uow()).auto_renew
    page.get_by_role("button", name="Turn off automatic renewal").click()
    expect(page.get_by_role("status")).to_have_text(
        "Automatic renewal is off: the service ends on February 28, 2026."
    )
    shot(page, "20-unsubscribed")
    page.get_by_role("button", name="Turn automatic renewal back on").click()
    expect(page.get_by_role("status")).to_have_text("Automatic renewal is on again.")
    assert get_subscription(account, uow=hap_server.rt.uow()).auto_renew


def test_schedule_a_downgrade_then_cancel_it(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt, edition="professional")
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Plans").click()
    page.get_by_role("button", name="Downgrade: Standard").click()
    expect(page.locator('[data-fact="effective"]')).to_have_text("On February 28, 2026")
    expect(page.get_by_text("Be careful to export and download the data")).to_be_visible()
    shot(page, "21-downgrade-preview")
    page.get_by_role("button", name="Schedule the change").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your change is scheduled for February 28, 2026."
    )
    page.get_by_role("link", name="Manage your subscription").first.click()
    expect(page.locator('[data-fact="pending"]')).to_contain_text("Change to Standard")
    shot(page, "22-scheduled-downgrade")
    page.get_by_role("button", name="Cancel this change").click()
    expect(page.get_by_text("No change is scheduled.")).to_be_visible()
    assert get_subscription(account, uow=hap_server.rt.uow()).pending is None


def test_recharge_the_balance(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt, locale="vi")
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Số dư").click()
    page.get_by_label("Số tiền (USD)").fill("30")
    page.get_by_role("button", name="Nạp tiền").click()
    expect(page.locator('[data-fact="card"]')).to_contain_text("4242")
    shot(page, "23a-recharge-review-vi")
    page.get_by_role("button", name=re.compile("^Thanh toán 30,00")).click()
    expect(page.locator('[data-fact="balance"]')).to_contain_text("30,00")
    expect(page.locator("#transactions")).to_contain_text("Nạp tiền")
    shot(page, "23-balance-recharged-vi")


def test_the_free_edition_cannot_recharge(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt, edition="free", locale="it")
    page.goto(hap_server.link(account))
    shot(page, "24-home-free-it")
    page.get_by_role("link", name="Saldo").click()
    expect(page.get_by_test_id("no-recharge")).to_have_text(
        "Il piano gratuito non consente di ricaricare il saldo."
    )
    shot(page, "25-balance-free-it")


def test_download_an_invoice_pdf(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt)
    number = queries.list_invoices(account, uow=hap_server.rt.uow())[0].number
    page.goto(hap_server.link(account))
    page.get_by_role("link", name="Billing history").click()
    shot(page, "26-billing-history")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download Invoice {number} (PDF)").click()
    body = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert number in text and "$80.00" in text


def test_a_phone_sized_screen(hap_server: Server, chromium: Browser) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    account = an_account(hap_server.rt, locale="fr")
    page.goto(hap_server.link(account))
    expect(page.get_by_role("heading", name="Accueil")).to_be_visible()
    shot(page, "27-home-phone-fr")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    page.goto(f"{hap_server.base}/portal/plans")
    shot(page, "28-plans-phone-fr")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the plans page scrolls sideways ({width}px)"
    context.close()


def test_a_member_only_looks(hap_server: Server, page: Page) -> None:
    account = an_account(hap_server.rt)
    page.goto(hap_server.link(account, role="member"))
    expect(page.get_by_text("only administrators can buy")).to_be_visible()
    assert page.get_by_role("link", name="Upgrade").count() == 0
    shot(page, "29-home-member")
    page.get_by_role("link", name="Manage your subscription").first.click()
    assert page.get_by_role("button", name="Unsubscribe").count() == 0


def test_the_skip_link_moves_focus_to_the_content(hap_server: Server, page: Page) -> None:
    page.goto(hap_server.link(an_account(hap_server.rt)))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))  # waits for the jump, as a user does


def test_all_seats_in_use_offers_expand_to_the_suggested_quantity(
    hap_server: Server, page: Page
) -> None:
    account = an_account(hap_server.rt)
    members(hap_server.rt, account, 10)
    page.goto(hap_server.link(account))
    notice = page.get_by_test_id("limits-reached")
    expect(notice).to_contain_text("All 10 seats are in use (10 members counted).")
    expect(page.locator('[data-fact="quantity"]')).to_have_text("10 / 10")
    expect(page.locator('[data-use="workflow_executions"]')).to_have_text("0 / 10,000")
    shot(page, "30-home-all-seats-in-use")
    notice.get_by_role("link", name="Expand to 11 seats").click()
    expect(page.get_by_role("heading", name="Review before paying")).to_be_visible()
    expect(page.get_by_text("Expand — From Standard · 10 seats · Monthly")).to_contain_text(
        "Standard · 11 seats · Monthly"
    )
    shot(page, "31-expand-preview-suggested-quantity")
    page.get_by_role("button", name="Pay and update subscription").click()
    expect(page.locator('[data-fact="quantity"]')).to_have_text("10 / 11")
    expect(page.get_by_test_id("limits-reached")).to_have_count(0)
    shot(page, "32-home-after-expand")
    assert get_subscription(account, uow=hap_server.rt.uow()).plan.quantity == 11


def test_pay_an_open_bill_a_failed_card_then_the_backup(
    association_server: Server, page: Page
) -> None:
    account, number = an_open_bill(association_server.rt)
    page.goto(association_server.link(account))
    page.get_by_role("link", name="Billing history").click()
    form = page.locator(f'form[data-invoice="{number}"]')
    expect(form).to_be_visible()
    shot(page, "33-billing-open-bill-pay-now")
    form.get_by_label("Pay with").select_option(label="Visa ending in 0002 (Primary)")
    form.get_by_role("button", name=f"Pay invoice {number} now").click()
    expect(page.get_by_role("alert")).to_have_text(
        re.compile("The payment failed: the card was declined.", re.I)
    )
    expect(page.locator("#open-invoices")).to_contain_text(number)
    shot(page, "34-pay-now-card-declined")
    form = page.locator(f'form[data-invoice="{number}"]')
    form.get_by_label("Pay with").select_option(label="Visa ending in 4242 (Backup)")
    form.get_by_role("button", name=f"Pay invoice {number} now").click()
    expect(page.get_by_role("status")).to_contain_text(f"Invoice {number} is paid.")
    expect(page.locator("#paid-invoices")).to_contain_text(number)
    expect(page.locator("#receipts")).to_contain_text(number)
    shot(page, "35-pay-now-paid-with-the-backup")
    assert queries.get_invoice(number, uow=association_server.rt.uow()).status == "paid"


def test_a_downgrade_preview_says_what_happens_to_the_content(
    waiting_room_server: Server, page: Page
) -> None:
    account = an_account(waiting_room_server.rt, edition="pro")
    waiting_rooms(waiting_room_server.rt, account)
    page.goto(waiting_room_server.link(account))
    page.get_by_role("link", name="Plans").click()
    page.get_by_role("button", name="Downgrade: Standard").click()
    content = page.get_by_test_id("content-actions")
    expect(content).to_contain_text("Priority group pg-1 will be removed")
    expect(content).to_contain_text(
        "Custom template ct-1 will be detached; a later upgrade re-attaches it."
    )
    expect(content).to_contain_text("Entry rate of waiting room r-a1 capped from 300 to 200.")
    shot(page, "36-downgrade-preview-content")
    page.get_by_role("button", name="Schedule the change").click()
    expect(page.get_by_role("status")).to_contain_text("Your change is scheduled for")
