"""The "Billing details" page: an administrator edits the country, region, address and tax id;
a member reads them; an invalid tax id is refused and nothing is saved."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import facturx
import pytest
from fastapi import FastAPI
from portal_builders import EXAMPLES, HAP, a_runtime, an_account, csrf_of, fact, signed_in

from tests.browser_server import Server
from tierline.documents.labels import CATALOGUES
from tierline.runtime import Runtime
from tierline.services import queries

EN = CATALOGUES["en"]
TAXED = EXAMPLES / "tax" / "catalog.yaml"


def details_form(**fields: str) -> dict[str, str]:
    return {"country": "", "region": "", "address": "", "tax_id": "", **fields}


class TestBillingDetailsPage:
    def test_an_admin_saves_billing_details_and_the_tax_id_is_compacted(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition=None)
        browser = signed_in(hap_app, hap, account)
        page = browser.get("/portal/billing-details")
        assert page.status_code == 200
        assert EN.billing_details in page.text
        response = browser.post(
            "/portal/billing-details",
            data={"csrf": csrf_of(page.text), **details_form(
                country="de", address="Hauptstr. 1\r\n10115 Berlin", tax_id="DE 136 695 976")},
        )  # fmt: skip
        assert response.status_code == 200  # followed the redirect back to the page
        assert EN.billing_details_saved in response.text
        saved = queries.get_account(account, uow=hap.uow())
        assert (saved.country, saved.address, saved.tax_id) == (
            "DE", ("Hauptstr. 1", "10115 Berlin"), "DE136695976",
        )  # fmt: skip
        assert 'value="DE136695976"' in response.text

    def test_an_invalid_tax_id_is_refused_and_nothing_is_saved(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition=None)
        browser = signed_in(hap_app, hap, account)
        csrf = csrf_of(browser.get("/portal/billing-details").text)
        response = browser.post(
            "/portal/billing-details",
            data={"csrf": csrf, **details_form(country="FR", address="1 rue X", tax_id="FR123")},
        )
        assert 'class="notice error"' in response.text
        assert "not a valid tax id" in response.text
        saved = queries.get_account(account, uow=hap.uow())
        assert (saved.country, saved.tax_id, saved.address) == (None, None, ())

    def test_a_member_reads_the_details_without_a_form(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition=None)
        admin = signed_in(hap_app, hap, account)
        admin.post(
            "/portal/billing-details",
            data={"csrf": csrf_of(admin.get("/portal/billing-details").text),
                  **details_form(country="FR", address="3 rue des Lilas")},
        )  # fmt: skip
        member = signed_in(hap_app, hap, account, role="member")
        page = member.get("/portal/billing-details").text
        assert '<form method="post" action="/portal/billing-details"' not in page
        assert (fact(page, "country"), fact(page, "address")) == ("FR", "3 rue des Lilas")
        refused = member.post(
            "/portal/billing-details", data={"csrf": csrf_of(page), **details_form(country="DE")}
        )
        assert refused.status_code == 403
        assert queries.get_account(account, uow=hap.uow()).country == "FR"

    def test_the_page_is_in_the_accounts_language(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, edition=None, locale="fr")
        page = signed_in(hap_app, hap, account).get("/portal/billing-details").text
        assert CATALOGUES["fr"].billing_details in page
        assert CATALOGUES["fr"].save_billing_details in page


@pytest.fixture(scope="module")
def taxed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    rt = a_runtime(tmp_path_factory.mktemp("taxed"), TAXED)
    yield rt
    rt.engine.dispose()


class TestTaxInTheBillingHistory:
    def test_billing_history_shows_tax_and_links_each_invoice_to_its_e_invoice(
        self, taxed: Runtime
    ) -> None:
        """The tax example's Standard, 1 seat: 10.00 + 2.00 (20 %, French by default)."""
        from tierline.api.app import create_app

        app = create_app(taxed, secret_key="portal-tests")
        account = an_account(taxed, edition="standard")
        browser = signed_in(app, taxed, account)
        page = browser.get("/portal/billing").text
        (invoice,) = queries.list_invoices(account, uow=taxed.uow())
        assert f'data-einvoice="{invoice.number}"' in page
        assert f"{EN.total_tax} €2.00" in page
        download = browser.get(f"/portal/invoices/{invoice.number}/einvoice.pdf")
        assert download.status_code == 200
        assert download.content.startswith(b"%PDF")
        name, xml = facturx.get_xml_from_pdf(download.content, check_xsd=True)
        assert name == "factur-x.xml" and invoice.number.encode() in xml
        other = an_account(taxed, edition="standard")
        assert (
            signed_in(app, taxed, other)
            .get(f"/portal/invoices/{invoice.number}/einvoice.pdf")
            .status_code
            == 404
        )


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(a_runtime(tmp_path_factory.mktemp("browser-details"), HAP)) as running:
        yield running


@pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (make installs it)",
)
def test_the_billing_details_page_fits_a_phone_screen(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.goto(server.link(an_account(server.rt, locale="vi", edition=None)))
        page.goto(f"{server.base}/portal/billing-details")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the billing details page scrolls sideways ({width}px)"
        context.close()
        browser.close()
