"""Every portal page at 360 px, the width of a small phone: nothing reaches past the screen's
edge, neither the page (no sideways scrolling) nor anything inside it (a navigation entry, a
table column or a button scrolled out of sight). And the Plans page's quantity sets every row as
it is typed. Screenshots go under test-artifacts/portal-phone/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from portal_builders import ASSOCIATION, HAP, a_runtime, an_account, an_open_bill

from tests.browser_server import Server
from tierline.services.balance import TopUp, top_up
from tierline.services.change import ChangeRequest, apply_change

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "portal-phone"
PHONE = {"width": 360, "height": 740}

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (make installs it)",
)

PAGES = [
    ("home", ""),
    ("plans", "/plans"),
    ("plans-year", "/plans?cycle=year&quantity=25"),
    ("upgrade-review", "/change?edition=professional"),
    ("pack-review", "/change?addon.workflow-executions=2"),
    ("expand", "/expand"),
    ("packs", "/packs"),
    ("subscription", "/subscription"),
    ("unsubscribe", "/subscription/unsubscribe"),
    ("billing", "/billing"),
    ("payment-methods", "/payment-methods"),
    ("balance", "/balance"),
    ("recharge-review", "/balance/recharge?amount=25"),
    ("messages", "/messages"),
    ("billing-details", "/billing-details"),
]

# What sticks out: the page's own width, then every visible element whose box leaves the screen
# (the skip link waits off-screen until focused; screen-reader text is 1 px wide).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) {
    out.push("page: " + document.documentElement.scrollWidth + " > " + width);
  }
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".skip, .sr-only")) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.className && typeof el.className === "string" ? "." + el.className : "");
      out.push(name + " [" + Math.round(r.left) + ", " + Math.round(r.right) + "] "
        + (el.innerText || "").slice(0, 30));
    }
  }
  return out;
}"""


# Words a table breaks across two lines ("Numé|ro", "Téléch|arger"): a word is what a text holds
# between ordinary spaces (a no-break space keeps "96,00 $US" one word), broken when its letters
# lie on more than one line.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("table th, table td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".sr-only")) continue;
      for (const found of node.data.matchAll(/[^ \\t\\n\\r]+/g)) {
        const range = document.createRange();
        range.setStart(node, found.index);
        range.setEnd(node, found.index + found[0].length);
        const tops = new Set();
        for (const r of range.getClientRects()) {
          if (r.width > 0) tops.add(Math.round(r.top));
        }
        if (tops.size > 1) broken.push(found[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(a_runtime(tmp_path_factory.mktemp("phone"), HAP)) as running:
        yield running


@pytest.fixture(scope="module")
def association(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(a_runtime(tmp_path_factory.mktemp("phone-assoc"), ASSOCIATION)) as running:
        yield running


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def a_busy_account(server: Server, locale: str) -> str:
    """Standard with packs, a balance, paid and open bills, a credit note: every table full."""
    rt = server.rt
    account = an_account(rt, locale=locale, quantity=12)
    apply_change(
        ChangeRequest(account, addons={"external-users": 2, "workflow-executions": 1}),
        uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
    )  # fmt: skip
    top_up(TopUp(account, "1234.56"), uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    return account


@pytest.mark.parametrize("locale", ["en", "fr", "vi"])
def test_no_page_reaches_past_the_edge_of_a_360_px_screen_nor_breaks_a_word_in_a_table(
    server: Server, phone: Page, locale: str
) -> None:
    account = a_busy_account(server, locale)
    phone.goto(server.link(account))
    SHOTS.mkdir(parents=True, exist_ok=True)
    found, broken = {}, {}
    for name, path in PAGES:
        response = phone.goto(server.base + "/portal" + path)
        assert response is not None and response.status == 200, (path, locale)
        phone.screenshot(path=str(SHOTS / f"{locale}-{name}.png"), full_page=True)
        overflow = phone.evaluate(OVERFLOW)
        if overflow:
            found[path] = overflow[:5]
        words = phone.evaluate(BROKEN_WORDS)
        if words:
            broken[path] = words[:5]
    assert not found, found
    assert not broken, broken


def test_a_bill_to_pay_fits_too(association: Server, phone: Page) -> None:
    account, _ = an_open_bill(association.rt)
    phone.goto(association.link(account))
    for path in ("", "/billing", "/payment-methods"):
        phone.goto(association.base + "/portal" + path)
        assert phone.evaluate(OVERFLOW) == [], path


class TestThePlansQuantity:
    def test_typing_a_quantity_sets_every_row_and_its_total(
        self, server: Server, phone: Page
    ) -> None:
        phone.goto(server.link(an_account(server.rt)))
        phone.goto(server.base + "/portal/plans")

        phone.locator("input[data-quantity-all]").fill("20")

        expect(phone.locator("#qty-standard")).to_have_value("20")
        expect(phone.locator("#total-standard")).to_have_text("$160.00")
        expect(phone.locator("#qty-professional")).to_have_value("20")

    def test_a_quantity_under_an_editions_minimum_is_raised_and_says_so(
        self, server: Server, phone: Page
    ) -> None:
        phone.goto(server.link(an_account(server.rt)))
        phone.goto(server.base + "/portal/plans")

        phone.locator("input[data-quantity-all]").fill("20")

        expect(phone.locator("#qty-enterprise")).to_have_value("50")
        expect(phone.locator("#note-enterprise")).to_be_visible()
        expect(phone.locator("#note-enterprise")).to_have_text(
            "Raised to this edition's minimum: 50"
        )
        expect(phone.locator("#note-standard")).to_be_hidden()
        phone.screenshot(path=str(SHOTS / "plans-minimum-note.png"), full_page=True)
