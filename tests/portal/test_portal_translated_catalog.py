"""A catalog whose operator texts are given per language: the portal, the messages and the PDFs
read them in the account's language."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
import yaml
from fastapi import FastAPI
from markupsafe import escape
from portal_builders import HAP, a_runtime, an_account, signed_in
from pypdf import PdfReader

from tierline.api.app import create_app
from tierline.runtime import Runtime
from tierline.services import queries

UPLOADS = {"en": "Attachment uploads (GB)", "fr": "Pièces jointes envoyées (Go)"}


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    folder = tmp_path_factory.mktemp("translated")
    data = yaml.safe_load(HAP.read_text())
    professional = next(e for e in data["editions"] if e["code"] == "professional")
    professional["name"] = {"en": "Professional", "fr": "Professionnel", "it": "Professionale"}
    data["limit_labels"] = {"attachment_upload_gb": UPLOADS}
    catalog = folder / "catalog.yaml"
    catalog.write_text(yaml.safe_dump(data, allow_unicode=True))
    rt = a_runtime(folder, catalog)
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="module")
def app(translated: Runtime) -> FastAPI:
    return create_app(translated, secret_key="portal-tests")


def pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


class TestATranslatedCatalog:
    def test_the_french_home_page_shows_the_french_edition_name_and_limit_label(
        self, translated: Runtime, app: FastAPI
    ) -> None:
        account = an_account(translated, locale="fr", edition="professional")
        html = signed_in(app, translated, account).get("/portal").text
        assert '<dd data-fact="edition">Professionnel</dd>' in html
        assert str(escape("Pièces jointes envoyées (Go)")) in html
        assert "Attachment upload gb" not in html
        assert "Attachment uploads (GB)" not in html

    def test_the_french_plans_page_names_the_cycle_and_the_edition_in_french(
        self, translated: Runtime, app: FastAPI
    ) -> None:
        account = an_account(translated, locale="fr", edition="professional")
        html = signed_in(app, translated, account).get("/portal/plans").text
        assert "Professionnel" in html
        assert "Mensuel" not in html  # the catalog names its cycles itself: Monthly, Annual
        assert str(escape("Pièces jointes envoyées (Go)\xa0: 500")) in html  # no-break space

    def test_an_english_reader_reads_the_english_name_and_label(
        self, translated: Runtime, app: FastAPI
    ) -> None:
        account = an_account(translated, locale="en", edition="professional")
        html = signed_in(app, translated, account).get("/portal").text
        assert '<dd data-fact="edition">Professional</dd>' in html
        assert "Attachment uploads (GB)" in html

    def test_a_limit_without_a_label_reads_as_words_with_its_unit(
        self, translated: Runtime, app: FastAPI
    ) -> None:
        account = an_account(translated, locale="fr", edition="professional")
        html = signed_in(app, translated, account).get("/portal").text
        assert "Data sync rows" in html
        assert "data_sync_rows</th>" not in html

    def test_a_french_invoice_pdf_names_the_edition_in_french(
        self, translated: Runtime, app: FastAPI
    ) -> None:
        account = an_account(translated, locale="fr", edition="professional", quantity=12)
        invoice = queries.list_invoices(account, uow=translated.uow())[0]
        assert invoice.lines[0].description == "Professional × 12 seats"  # as stored
        pdf = signed_in(app, translated, account).get(f"/portal/invoices/{invoice.number}.pdf")
        assert "Professionnel × 12 sièges" in pdf_text(pdf.content)

    def test_a_french_pdf_puts_a_space_before_each_colon(
        self, translated: Runtime, app: FastAPI
    ) -> None:
        account = an_account(translated, locale="fr", edition="professional")
        invoice = queries.list_invoices(account, uow=translated.uow())[0]
        pdf = signed_in(app, translated, account).get(f"/portal/invoices/{invoice.number}.pdf")
        assert f"Compte : {account}" in pdf_text(pdf.content)

    def test_an_english_pdf_keeps_its_colon_tight(self, translated: Runtime, app: FastAPI) -> None:
        account = an_account(translated, locale="en", edition="professional")
        invoice = queries.list_invoices(account, uow=translated.uow())[0]
        pdf = signed_in(app, translated, account).get(f"/portal/invoices/{invoice.number}.pdf")
        assert f"Account: {account}" in pdf_text(pdf.content)

    def test_a_message_read_in_italian_names_the_italian_edition(
        self, translated: Runtime, app: FastAPI
    ) -> None:
        account = an_account(translated, locale="it", edition="professional")
        html = signed_in(app, translated, account).get("/portal/messages").text
        assert "Professionale" in html
        assert "Professional " not in html
