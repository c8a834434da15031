"""An operator downloads a receipt from an account's page: on a taxed catalog it prints the tax
of the invoice it pays, and a top-up's receipt says no tax applies to it."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from console_builders import console_as
from pypdf import PdfReader

from tests.portal.portal_builders import EXAMPLES, a_runtime, an_account
from tierline.api.app import create_app
from tierline.documents.labels import EN
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.balance import TopUp, top_up


@pytest.fixture(scope="module")
def taxed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    rt = a_runtime(
        tmp_path_factory.mktemp("console-receipt-tax"), EXAMPLES / "tax" / "catalog.yaml"
    )
    yield rt
    rt.engine.dispose()


def test_receipts_print_the_invoices_tax_and_a_top_up_says_none_applies(taxed: Runtime) -> None:
    """Standard, 1 seat: 10.00 + 2.00 (20 %), paid by card; then a 50.00 top-up."""
    account = an_account(taxed, edition="standard")
    top_up(TopUp(account, "50.00"), uow=taxed.uow(), clock=taxed.clock, gateway=taxed.gateway)
    browser = console_as(create_app(taxed, secret_key="console-tests"), taxed, "read_only")

    texts = {}
    for receipt in queries.list_receipts(account, uow=taxed.uow()):
        pdf = browser.get(f"/console/accounts/{account}/documents/{receipt.number}.pdf")
        assert pdf.status_code == 200, pdf.text
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        texts[receipt.invoice_number is None] = " ".join(text.replace("\u00a0", " ").split())

    for expected in ("Total VAT €2.00", "Total incl. VAT €12.00", "Amount paid €12.00"):
        assert expected in texts[False], expected
    assert EN.top_up_untaxed not in texts[False]
    assert EN.top_up_untaxed in texts[True]
    assert EN.total_gross not in texts[True]
