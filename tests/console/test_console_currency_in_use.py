"""The console refuses to install a catalog version that stops selling in a currency an account
is billed in, and installs nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from console_builders import console_as, csrf_of

from tests.portal.portal_builders import a_runtime
from tierline.api.app import create_app
from tierline.runtime import Runtime
from tierline.services.accounts import CreateAccount, create_account
from tierline.services.catalog_admin import catalog_versions

CURRENCIES = Path(__file__).resolve().parents[2] / "examples" / "currencies" / "catalog.yaml"


@pytest.fixture
def in_two_currencies(tmp_path: Path) -> Iterator[Runtime]:
    rt = a_runtime(tmp_path, CURRENCIES)
    yield rt
    rt.engine.dispose()


def test_a_version_without_a_currency_an_account_is_billed_in_is_refused(
    in_two_currencies: Runtime,
) -> None:
    rt = in_two_currencies
    create_account(CreateAccount(name="Club", id="club", currency="GBP"), uow=rt.uow(),
                   clock=rt.clock)  # fmt: skip
    browser = console_as(create_app(rt, secret_key="console-tests"), rt, "owner")
    without_pounds = (
        CURRENCIES.read_text(encoding="utf-8")
        .replace("currencies: [EUR, GBP]", "currencies: [EUR, USD]")
        .replace("GBP:", "USD:")
    )

    refused = browser.post(
        "/console/catalog/install",
        data={"csrf": csrf_of(browser.get("/console/catalog").text), "text": without_pounds},
    )

    assert refused.status_code == 409
    assert "1 account is billed in GBP" in refused.text
    assert [v.version for v in catalog_versions(uow=rt.uow())] == [1]
