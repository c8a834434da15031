"""The console in a real browser (Debian's Chromium through Playwright): an operator of each role
signs in and walks every page and every action the role allows, each checked by what the page
then shows, and is refused one action the role does not allow; a wrong password; a phone's
width. One server and one browser for the module; screenshots under test-artifacts/console/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from console_builders import PASSWORD, an_operator
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.browser_server import Server
from tests.portal.portal_builders import GOOD_CARD, HAP, a_runtime, an_account
from tierline.notify import Dispatcher
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.accounts import AddPaymentMethod, add_payment_method
from tierline.services.renewal import advance_clock
from tierline.services.subscriptions import get_subscription
from tierline.services.webhooks import create_endpoint

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
DEBIT_CARD = "4000056655665556"  # declined once the sandbox is told to
INVALID_CATALOG = (  # a price given as a number: line 5
    "currency: USD\nquantity_unit: seat\ncycles: [{code: month, months: 1}]\neditions:\n"
    "  - {code: a, name: A, rank: 1, prices: [{cycle: month, per_unit: 2.5}]}\n"
)
RENEWED = datetime(2026, 3, 1, tzinfo=UTC)  # past the first renewal, before its last retry

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (make installs it)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(a_runtime(tmp_path_factory.mktemp("browser-console"), HAP)) as server:
        yield server


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _page(chromium: Browser, width: int, height: int) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    yield from _page(chromium, 1200, 850)


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    yield from _page(chromium, 390, 844)


class _Refusing:
    """A webhook endpoint that answers 500 to everything."""

    def send(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        return 500


@dataclass(frozen=True)
class LatePayer:
    """An account whose renewal the card declined: an open invoice, past due."""

    id: str
    name: str
    invoice: str


@dataclass(frozen=True)
class World:
    """What the walks find on the server: accounts in dunning (one per retry and per void, and
    one nobody touches) with webhook deliveries that an endpoint refused."""

    late: Mapping[str, LatePayer]
    slow: LatePayer


def _late_payer(rt: Runtime, name: str) -> str:
    return an_account(rt, card=DEBIT_CARD, name=name)


@pytest.fixture(scope="module")
def world(server: Server) -> World:
    rt = server.rt
    create_endpoint("https://hooks.example.com/tierline", (), uow=rt.uow(), clock=rt.clock)
    names = {
        "support-retry": "Late Payer Support",
        "finance-retry": "Late Payer Finance",
        "finance-void": "Late Voided Finance",
        "owner-retry": "Late Payer Owner",
        "owner-void": "Late Voided Owner",
        "slow": "Slow Payer",
    }
    ids = {key: _late_payer(rt, name) for key, name in names.items()}
    rt.gateway.decline(f"tok_{DEBIT_CARD}")  # type: ignore[attr-defined]
    advance_clock(RENEWED, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)  # type: ignore[arg-type]
    for key in ("support-retry", "finance-retry", "owner-retry"):  # a good card to retry with
        add_payment_method(
            AddPaymentMethod(ids[key], GOOD_CARD, id=f"backup-{ids[key]}", backup=True),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
    Dispatcher(sender=_Refusing()).dispatch_once(rt)
    late = {}
    for key, account in ids.items():
        invoices = queries.list_invoices(account, uow=rt.uow())
        late[key] = LatePayer(
            account, names[key], next(i for i in invoices if i.status == "open").number
        )
    return World(late, late["slow"])


# what every walk does


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, server: Server, role: str) -> None:
    email = an_operator(server.rt, role)
    page.goto(f"{server.base}/console")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()


def done(page: Page, text: str) -> None:
    expect(page.get_by_role("status")).to_contain_text(text)


def refused(page: Page) -> None:
    expect(page.get_by_role("heading", name="Your role does not allow this.")).to_be_visible()


def walk_the_pages(page: Page, world: World, role: str) -> None:
    """The dashboard, the accounts with their search and filters, the catalog and the webhooks,
    as every role sees them."""
    expect(page.get_by_role("heading", name="Subscriptions per edition and cycle")).to_be_visible()
    expect(page.locator("#dunning")).to_contain_text(world.slow.name)
    shot(page, f"{role}-01-dashboard")

    nav(page, "Accounts")
    page.get_by_label("Name, id, e-mail or document number").fill(world.slow.invoice)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#accounts tbody tr")).to_have_count(1)
    expect(page.locator("#accounts")).to_contain_text(world.slow.name)
    page.get_by_label("Name, id, e-mail or document number").fill("")
    page.get_by_label("Status").select_option("past_due")
    page.get_by_label("Edition").select_option("standard")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_label("In dunning").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=world.slow.name)).to_be_visible()
    expect(page.locator("#accounts")).not_to_contain_text("Northwind")
    shot(page, f"{role}-02-accounts-filtered")

    nav(page, "Catalog")
    expect(page.get_by_role("heading", name="Catalog", exact=True)).to_be_visible()
    expect(page.locator("#catalog-yaml")).to_contain_text("Professional")
    shot(page, f"{role}-03-catalog")

    nav(page, "Webhooks")
    page.get_by_label("Account").fill(world.slow.id)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#deliveries")).to_contain_text("hooks.example.com")
    expect(page.locator("#endpoints")).to_contain_text("hooks.example.com/tierline")
    shot(page, f"{role}-04-webhooks")


def open_account(page: Page, name: str) -> None:
    """Search for the account by name and open its page, which lists what it has."""
    nav(page, "Accounts")
    page.get_by_label("Name, id, e-mail or document number").fill(name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()


def the_account_page_lists_what_it_has(page: Page, server: Server, role: str) -> None:
    expect(page.locator("#subscriptions")).to_contain_text("Standard")
    expect(page.locator("#documents")).to_contain_text("Invoice")
    expect(page.locator("#payments")).to_contain_text("succeeded")
    expect(page.locator("#messages")).not_to_contain_text("No message.")
    pdf = page.locator("#documents a[href$='.pdf']").first.get_attribute("href")
    response = page.request.get(f"{server.base}{pdf}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    shot(page, f"{role}-05-account")


def document(page: Page, number: str) -> Locator:
    """The account's row of the document numbered `number`."""
    return page.locator(
        "#documents tbody tr", has=page.get_by_role("link", name=number, exact=True)
    )


def subscription(page: Page) -> str:
    """The first row of the account's subscriptions, as the page shows it."""
    return page.locator("#subscriptions tbody tr").first.inner_text()


def preview_and_confirm(page: Page, role: str, name: str, **fields: str) -> None:
    """Fill the change form, look at the preview (what is charged now), then confirm."""
    form = page.locator("#change-form")
    for field_id, value in fields.items():
        target = form.locator(f"#{field_id}")
        if field_id in ("edition", "cycle"):
            target.select_option(value)
        else:
            target.fill(value)
    form.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview the change")).to_be_visible()
    expect(page.locator('[data-fact="total-now"]')).to_contain_text("$")
    shot(page, f"{role}-{name}-preview")
    page.get_by_role("button", name="Confirm the change").click()


# the actions of each role


def support_actions(page: Page, server: Server, world: World, role: str) -> None:
    """Change seats, packs, plan and cycle, each after its preview; schedule a change and
    cancel it; automatic renewal off and on; sales-managed on, a change on its behalf, off;
    a portal link; retry a failed payment; send a webhook delivery again."""
    name = f"{role.title()} Traders"
    account = an_account(server.rt, name=name, quantity=10)
    open_account(page, name)
    the_account_page_lists_what_it_has(page, server, role)

    preview_and_confirm(page, role, "06-seats", quantity="12")
    done(page, "The change is done.")
    expect(page.locator("#subscriptions tbody tr").first.locator("td").nth(2)).to_have_text("12")
    preview_and_confirm(page, role, "07-packs", **{"pack-external-users": "2"})
    done(page, "The change is done.")
    assert "External user pack (100 users) × 2" in subscription(page)
    preview_and_confirm(page, role, "08-plan", edition="professional")
    done(page, "The change is done.")
    assert "Professional" in subscription(page)
    preview_and_confirm(page, role, "09-cycle", cycle="year")
    done(page, "The change is done.")
    assert "Annual" in subscription(page)
    plan = get_subscription(account, uow=server.rt.uow()).plan
    assert (plan.edition, plan.cycle, plan.quantity, dict(plan.addons)) == (
        "professional", "year", 12, {"external-users": 2},
    )  # fmt: skip

    preview_and_confirm(page, role, "10-fewer-seats", quantity="11")
    done(page, "The change is scheduled.")
    expect(page.locator("#subscriptions tbody tr").first.locator("td").nth(8)).to_contain_text(
        "Professional × 11"
    )
    page.get_by_role("button", name="Cancel the scheduled change").click()
    done(page, "The scheduled change is canceled.")
    expect(page.locator("#subscriptions tbody tr").first.locator("td").nth(8)).to_have_text("—")

    page.get_by_role("button", name="Turn automatic renewal off").click()
    done(page, "Automatic renewal is off.")
    expect(page.locator("#subscriptions tbody tr").first.locator("td").nth(7)).to_have_text("off")
    page.get_by_role("button", name="Turn automatic renewal on").click()
    done(page, "Automatic renewal is on.")
    assert get_subscription(account, uow=server.rt.uow()).auto_renew is True

    page.get_by_role("button", name="Make it sales-managed").click()
    done(page, "The account is sales-managed")
    expect(page.locator('[data-fact="sales-managed"]')).to_contain_text("offline")
    shot(page, f"{role}-11-sales-managed")
    preview_and_confirm(page, role, "12-offline-seats", quantity="14")  # bought through us
    done(page, "The change is done.")
    expect(page.locator("#subscriptions tbody tr").first.locator("td").nth(2)).to_have_text("14")
    page.get_by_role("button", name="Let it buy online again").click()
    done(page, "The account can buy online again.")
    expect(page.locator('[data-fact="sales-managed"]')).to_have_text("no")

    page.get_by_label("For").select_option("member")
    page.get_by_role("button", name="Create a one-time link").click()
    link = page.locator("#portal-link")
    expect(link).to_contain_text("/portal/login/")
    shot(page, f"{role}-13-portal-link")
    page.get_by_role("link", name="Back to the account").click()

    late = world.late[f"{role}-retry"]
    retry_a_failed_payment(page, late, role)

    nav(page, "Webhooks")
    page.get_by_label("Account").fill(late.id)
    page.get_by_role("button", name="Filter").click()
    page.locator("#deliveries").get_by_role("button", name="Send again").first.click()
    done(page, "The delivery is sent again")
    expect(page.locator("#deliveries")).to_contain_text("pending")
    shot(page, f"{role}-15-webhook-sent-again")


def retry_a_failed_payment(page: Page, late: LatePayer, role: str) -> None:
    open_account(page, late.name)
    expect(page.locator("#payments")).to_contain_text("failed")
    page.get_by_role("link", name="Retry the payment").click()
    expect(page.locator('[data-fact="amount-due"]')).to_contain_text("$")
    shot(page, f"{role}-14-retry-preview")
    page.get_by_role("button", name="Charge now").click()
    done(page, "The invoice is paid.")
    expect(document(page, late.invoice)).to_contain_text("paid")


def finance_actions(
    page: Page, server: Server, world: World, role: str, price: tuple[str, str], *,
    retry: bool = True,
) -> None:  # fmt: skip
    """A credit note for part of an invoice, a partial refund, a balance adjustment, a retry,
    a void, and a catalog checked (its problems shown) then reviewed and installed: `price`,
    before and after, is the one the new version changes."""
    name = f"{role.title()} Northwind"
    account = an_account(server.rt, name=name, quantity=10)
    open_account(page, name)
    the_account_page_lists_what_it_has(page, server, role)

    page.get_by_role("link", name="Credit note").first.click()
    expect(page.get_by_role("heading", name="Credit note for")).to_be_visible()
    page.get_by_label("Amount to credit", exact=True).first.fill("5.00")
    page.get_by_label("To the account's balance").check()
    shot(page, f"{role}-16-credit-note-form")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator('[data-fact="gross"]')).to_be_visible()
    shot(page, f"{role}-17-credit-note-preview")
    page.get_by_role("button", name="Issue the credit note").click()
    done(page, "The credit note is issued.")
    expect(page.locator('[data-fact="balance"]')).to_contain_text("5.00")
    expect(page.locator("#documents")).to_contain_text("Credit note")

    page.locator("#payments").get_by_role("link", name="Refund").first.click()
    page.get_by_label("Another amount").fill("2.00")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator('[data-fact="refund"]')).to_contain_text("2.00")
    shot(page, f"{role}-18-refund-preview")
    page.locator("#confirm").click()
    done(page, "The refund is sent")
    expect(page.locator("#payments")).to_contain_text("refund")
    with server.rt.uow().reading() as uow:
        assert len(uow.documents.credit_notes_for(account)) == 2

    balance = page.locator("form:has(#adjust-amount)")
    balance.get_by_label("Amount").fill("10.00")
    balance.get_by_label("Reason").fill("goodwill after an outage")
    balance.get_by_role("button", name="Preview").click()
    expect(page.locator('[data-fact="after"]')).to_contain_text("15.00")
    shot(page, f"{role}-19-balance-preview")
    page.get_by_role("button", name="Confirm the adjustment").click()
    done(page, "The balance is adjusted.")
    expect(page.locator('[data-fact="balance"]')).to_contain_text("15.00")

    if retry:
        retry_a_failed_payment(page, world.late[f"{role}-retry"], role)

    voided = world.late[f"{role}-void"]
    open_account(page, voided.name)
    page.locator("#documents").get_by_role("link", name="Void", exact=True).click()
    expect(page.locator('[data-fact="forgiven"]')).to_contain_text("$")
    page.get_by_label("Reason").fill("the outage of February")
    shot(page, f"{role}-20-void-preview")
    page.get_by_role("button", name="Void the invoice").click()
    done(page, "The invoice is void")
    expect(document(page, voided.invoice)).to_contain_text("void")
    expect(page.locator("#subscriptions")).to_contain_text("Active")

    nav(page, "Catalog")
    text = page.locator("#catalog-text")
    current = text.input_value()
    text.fill(INVALID_CATALOG)
    page.get_by_role("button", name="Check and show the changes").click()
    expect(page.locator("#catalog-issues")).to_contain_text("line 5")
    expect(page.locator("#catalog-issues")).to_contain_text("editions[0].prices[0].per_unit")
    shot(page, f"{role}-21-catalog-problems")
    before, after = price
    changed = current.replace(f"per_unit: '{before}'", f"per_unit: '{after}'", 1)
    assert changed != current
    text.fill(changed)
    page.get_by_role("button", name="Check and show the changes").click()
    review = page.locator("#catalog-review")
    expect(review).to_contain_text("enterprise")
    expect(review).to_contain_text(after)
    shot(page, f"{role}-22-catalog-review")
    page.get_by_role("button", name="Install this version").click()
    done(page, "The new catalog version is installed.")
    expect(page.locator("#catalog-yaml")).to_contain_text(after)


def refused_a_change(page: Page, server: Server, world: World, role: str, path: str) -> None:
    """The account's page offers no form for it, and its address answers 403."""
    page.goto(f"{server.base}/console/accounts/{world.slow.id}")
    response = page.goto(f"{server.base}/console/accounts/{world.slow.id}/{path}")
    assert response is not None and response.status == 403
    refused(page)
    shot(page, f"{role}-99-refused")


# the walks


def test_an_owner_walks_every_page_and_every_action_then_the_audit_log_and_the_operators(
    server: Server, world: World, page: Page
) -> None:
    sign_in(page, server, "owner")
    walk_the_pages(page, world, "owner")
    support_actions(page, server, world, "owner")
    finance_actions(page, server, world, "owner", ("220.00", "230.00"), retry=False)

    nav(page, "Audit log")
    page.locator("#q").fill(world.late["owner-void"].id)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#audit")).to_contain_text("invoice.void")
    page.locator("#q").fill("")
    page.get_by_role("button", name="Search").click()
    for action in ("subscription.change", "subscription.cancel_change", "subscription.auto_renew",
                   "account.sales_managed", "portal.link", "invoice.retry_payment",
                   "webhook.replay", "credit_note.issue", "payment.refund", "balance.adjust",
                   "catalog.install"):  # fmt: skip
        expect(page.locator("#audit")).to_contain_text(action)
    shot(page, "owner-23-audit-log")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as CSV").click()
    csv = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv.splitlines()[0] == "at,operator,action,account,subject,before,after"
    assert "balance.adjust" in csv and "goodwill after an outage" in csv

    nav(page, "Operators")
    page.get_by_label("E-mail").fill("new-finance@operator.test")
    page.get_by_label("Role", exact=True).select_option("finance")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#operator-link")).to_contain_text("/console/password/")
    expect(page.get_by_role("cell", name="new-finance@operator.test", exact=True)).to_be_visible()
    expect(page.get_by_label("Role of new-finance@operator.test")).to_have_value("finance")
    shot(page, "owner-24-operators")
    sign_out(page)


def test_support_walks_every_page_and_its_actions_and_may_not_adjust_a_balance(
    server: Server, world: World, page: Page
) -> None:
    sign_in(page, server, "support")
    walk_the_pages(page, world, "support")
    support_actions(page, server, world, "support")

    expect(page.get_by_role("navigation").get_by_role("link", name="Audit log")).to_have_count(0)
    page.goto(f"{server.base}/console/accounts/{world.slow.id}")
    expect(page.get_by_role("heading", name="Adjust the balance")).to_have_count(0)
    refused_a_change(page, server, world, "support",
                     "balance-adjustment?amount=10.00&reason=goodwill")  # fmt: skip
    sign_out(page)


def test_finance_walks_every_page_and_its_actions_and_may_not_change_a_plan(
    server: Server, world: World, page: Page
) -> None:
    sign_in(page, server, "finance")
    walk_the_pages(page, world, "finance")
    finance_actions(page, server, world, "finance", ("22.00", "23.00"))

    page.goto(f"{server.base}/console/accounts/{world.slow.id}")
    expect(page.locator("#change-form")).to_have_count(0)
    refused_a_change(page, server, world, "finance", "change?quantity=12")
    assert get_subscription(world.slow.id, uow=server.rt.uow()).plan.quantity == 10
    sign_out(page)


def test_a_read_only_operator_looks_at_every_page_and_may_neither_act_nor_read_the_audit_log(
    server: Server, world: World, page: Page
) -> None:
    sign_in(page, server, "read_only")
    walk_the_pages(page, world, "read_only")
    expect(page.locator("#deliveries").get_by_role("button", name="Send again")).to_have_count(0)
    open_account(page, world.slow.name)
    expect(page.get_by_role("heading", name="Actions")).to_have_count(0)
    expect(page.get_by_role("link", name="Retry the payment")).to_have_count(0)
    shot(page, "read_only-05-account")

    csrf = page.locator("form[action$='/logout'] input[name=csrf]").get_attribute("value")
    posted = page.request.post(
        f"{server.base}/console/accounts/{world.slow.id}/auto-renew",
        form={"csrf": csrf or "", "enabled": "0"},
    )
    assert posted.status == 403
    assert get_subscription(world.slow.id, uow=server.rt.uow()).auto_renew is True

    expect(page.get_by_role("navigation").get_by_role("link", name="Audit log")).to_have_count(0)
    page.goto(f"{server.base}/console/audit")
    refused(page)
    shot(page, "read_only-99-refused")
    sign_out(page)


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    server: Server, page: Page
) -> None:
    email = an_operator(server.rt, "support")
    page.goto(f"{server.base}/console/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("wrong")
    shot(page, "sign-in-refused")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_the_dashboard_and_an_account_fit_a_phone(server: Server, phone: Page) -> None:
    account = an_account(server.rt, name="A rather long organisation name for a phone")
    sign_in(phone, server, "owner")
    pages = [
        ("/console", "phone-dashboard"),
        (f"/console/accounts/{account}", "phone-account"),
        ("/console/audit", "phone-audit"),
        ("/console/accounts", "phone-accounts"),
        ("/console/catalog", "phone-catalog"),
        ("/console/webhooks", "phone-webhooks"),
        ("/console/operators", "phone-operators"),
        ("/console/profile", "phone-profile"),
    ]
    for path, name in pages:
        phone.goto(server.base + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        shot(phone, name)
        assert width <= 390, f"{path} scrolls sideways ({width}px)"
