"""What the engine writes, read in the account's language: messages, line descriptions on the
change preview and in PDFs, and refusals."""

from __future__ import annotations

import io

from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape
from portal_builders import an_account, signed_in
from pypdf import PdfReader

from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.change import ChangeRequest, apply_change

NBSP = "\xa0"
NNBSP = "\u202f"  # French groups thousands with a narrow no-break space


def shown(text: str) -> str:
    return str(escape(text))


class TestAFrenchAccount:
    def test_its_messages_are_in_french_with_its_figures(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="fr", quantity=12)
        invoice = queries.list_invoices(account, uow=hap.uow())[0]
        html = signed_in(hap_app, hap, account).get("/portal/messages").text
        assert shown("Votre licence Standard est active : 12 sièges, facturée chaque mois.") in html
        assert shown(f"Facture {invoice.number} payée : 96,00{NBSP}$US.") in html
        assert "license is active" not in html

    def test_the_change_preview_describes_its_lines_in_french(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="fr", quantity=12)
        html = signed_in(hap_app, hap, account).get("/portal/change?quantity=20").text
        assert shown("Temps restant sur Standard × 20 sièges") in html
        assert shown("Temps non utilisé sur Standard × 12 sièges") in html
        assert "Remaining time on" not in html

    def test_its_invoice_pdf_describes_the_line_in_french(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="fr", quantity=12)
        invoice = queries.list_invoices(account, uow=hap.uow())[0]
        assert invoice.lines[0].description == "Standard × 12 seats"  # as stored
        pdf = signed_in(hap_app, hap, account).get(f"/portal/invoices/{invoice.number}.pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Standard × 12 sièges" in text

    def test_a_refused_quantity_is_explained_in_french(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="fr")
        page = signed_in(hap_app, hap, account).get("/portal/change?quantity=20000")
        assert page.status_code == 400
        assert (
            shown(
                f"Standard se souscrit pour au moins 10 sièges et au plus 10{NNBSP}000 sièges ; "
                f"20{NNBSP}000 demandés."
            )
            in page.text
        )

    def test_homes_price_parts_join_each_name_and_amount_with_a_no_break_space_before_the_colon(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="fr", quantity=12)
        apply_change(
            ChangeRequest(account, addons={"external-users": 1}),
            uow=hap.uow(), clock=hap.clock, gateway=hap.gateway,
        )  # fmt: skip

        html = signed_in(hap_app, hap, account).get("/portal").text

        parts = html[html.index('data-testid="price-parts"') :]
        parts = parts[: parts.index("</ul>")]
        assert shown(f"<li>Standard{NBSP}: 96,00{NBSP}$US") in shown(parts)
        assert shown(f"External user pack (100 users) × 1{NBSP}: 30,00{NBSP}$US</li>") in shown(
            parts
        )
        assert " : " not in parts and "s: " not in parts

    def test_what_an_upgrade_gains_is_listed_with_a_no_break_space_before_each_colon(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="fr", quantity=12)

        html = signed_in(hap_app, hap, account).get("/portal/change?edition=professional").text

        assert shown(f"Applications{NBSP}: de 50 à 200") in html
        assert shown(f"Payé avec{NBSP}: Visa se terminant par 4242") in html

    def test_the_billing_details_name_the_buyer_with_a_no_break_space_before_the_colon(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="fr", name="Atelier Mercier")

        html = signed_in(hap_app, hap, account).get("/portal/billing-details").text

        assert f'Facturé à{NBSP}: <strong data-fact="name">Atelier Mercier</strong>' in html

    def test_the_operator_api_gives_its_messages_in_french(
        self, hap: Runtime, operator: TestClient
    ) -> None:
        account = an_account(hap, locale="fr", quantity=12)
        found = operator.get(f"/v1/accounts/{account}/messages").json()["data"]
        created = next(m for m in found if m["kind"] == "subscription.created")
        assert created["text"] == (
            "Votre licence Standard est active : 12 sièges, facturée chaque mois."
        )
        assert created["payload"]["edition"] == "standard"


class TestAnEnglishAccount:
    def test_homes_price_parts_keep_the_colon_tight(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, quantity=12)
        apply_change(
            ChangeRequest(account, addons={"external-users": 1}),
            uow=hap.uow(), clock=hap.clock, gateway=hap.gateway,
        )  # fmt: skip

        html = signed_in(hap_app, hap, account).get("/portal").text

        assert "<li>Standard: $96.00" in html
        assert "<li>External user pack (100 users) × 1: $30.00</li>" in html

    def test_its_messages_and_refusals_stay_in_english_with_plural_units(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, quantity=1 + 10)
        browser = signed_in(hap_app, hap, account)
        html = browser.get("/portal/messages").text
        assert "Your Standard license is active: 11 seats, billed every month." in html
        refused = browser.get("/portal/change?quantity=5").text
        assert "Standard takes at least 10 seats and at most 10,000 seats; 5 asked." in refused

    def test_an_italian_account_reads_a_refusal_without_facts_in_italian(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="it")
        page = signed_in(hap_app, hap, account).get("/portal/change?quantity=10")
        # the plan the subscription already has: a refusal with no facts to state
        assert page.status_code == 400
        assert shown("Alcuni dei valori inviati non sono validi.") in page.text
