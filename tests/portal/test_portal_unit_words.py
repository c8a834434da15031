"""The catalog's unit in the reader's words on Home and Plans: "Sièges : utilisés / achetés",
"8,00 $US par siège", "Số lượng (chỗ)"; a catalog's own `quantity_unit_forms` first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from fastapi import FastAPI
from markupsafe import escape
from portal_builders import HAP, a_runtime, an_account, signed_in

from tierline.api.app import create_app
from tierline.runtime import Runtime

NBSP = "\xa0"
WORKSTATION = {
    "en": {"one": "workstation", "other": "workstations"},
    "fr": {"one": "poste", "other": "postes"},
}


def shown(text: str) -> str:
    return str(escape(text))


@pytest.fixture(scope="module")
def workstations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """The HAP catalog counting workstations, with the operator's words for them."""
    folder = tmp_path_factory.mktemp("workstations")
    data = yaml.safe_load(HAP.read_text())
    data["quantity_unit"] = "workstation"
    data["quantity_unit_forms"] = WORKSTATION
    catalog = folder / "catalog.yaml"
    catalog.write_text(yaml.safe_dump(data, allow_unicode=True))
    rt = a_runtime(folder, catalog)
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="module")
def workstations_app(workstations: Runtime) -> FastAPI:
    return create_app(workstations, secret_key="portal-tests")


class TestAFrenchAccount:
    def test_home_names_the_seats_in_french(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, locale="fr", quantity=12)

        html = signed_in(hap_app, hap, account).get("/portal").text

        assert f"<dt>Sièges{NBSP}: utilisés / achetés</dt>" in html
        assert shown(f"(8,00{NBSP}$US par siège)") in html
        assert '<th scope="row">Sièges</th>' in html
        assert "Seat" not in html and "par seat" not in html

    def test_plans_prices_each_seat_in_french(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, locale="fr")

        html = signed_in(hap_app, hap, account).get("/portal/plans?quantity=20").text

        assert shown(f"8,00{NBSP}$US par siège") in html
        assert shown(f"14,00{NBSP}$US par siège") in html
        assert "Quantité (siège)" in html
        assert "par seat" not in html and "(seat)" not in html


class TestAVietnameseAccount:
    def test_home_names_the_seats_in_vietnamese(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, locale="vi", quantity=12)

        html = signed_in(hap_app, hap, account).get("/portal").text

        assert "<dt>Chỗ: đã dùng / đã mua</dt>" in html
        assert "mỗi chỗ)" in html
        assert '<th scope="row">Chỗ</th>' in html
        assert "Seat" not in html and "mỗi seat" not in html

    def test_plans_prices_each_seat_in_vietnamese(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, locale="vi")

        html = signed_in(hap_app, hap, account).get("/portal/plans?quantity=20").text

        assert html.count("mỗi chỗ") >= 3  # Standard, Professional, Enterprise
        assert "Số lượng (chỗ)" in html
        assert "mỗi seat" not in html and "(seat)" not in html


class TestAnEnglishAccount:
    def test_home_and_plans_name_the_seats_as_before(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, quantity=12)
        browser = signed_in(hap_app, hap, account)

        home = browser.get("/portal").text
        plans = browser.get("/portal/plans?quantity=20").text

        assert "<dt>Seats: used / bought</dt>" in home
        assert "($8.00 per seat)" in home
        assert "$8.00 per seat" in plans and "Quantity (seat)" in plans


class TestTheCatalogsOwnWords:
    def test_a_french_reader_reads_the_operators_french_unit(
        self, workstations: Runtime, workstations_app: FastAPI
    ) -> None:
        account = an_account(workstations, locale="fr", quantity=12)
        browser = signed_in(workstations_app, workstations, account)

        home = browser.get("/portal").text
        plans = browser.get("/portal/plans?quantity=20").text

        assert f"<dt>Postes{NBSP}: utilisés / achetés</dt>" in home
        assert shown(f"8,00{NBSP}$US par poste") in plans
        assert "Quantité (poste)" in plans
        assert "workstation" not in home.lower() and "workstation" not in plans.lower()

    def test_a_language_the_operator_left_out_reads_the_operators_english(
        self, workstations: Runtime, workstations_app: FastAPI
    ) -> None:
        account = an_account(workstations, locale="it", quantity=12)

        plans = signed_in(workstations_app, workstations, account).get("/portal/plans").text

        assert "per workstation" in plans and "Quantità (workstation)" in plans

    def test_the_change_preview_counts_the_operators_french_unit(
        self, workstations: Runtime, workstations_app: FastAPI
    ) -> None:
        account = an_account(workstations, locale="fr", quantity=12)

        page = signed_in(workstations_app, workstations, account).get("/portal/change?quantity=20")

        assert shown("Standard · 12 postes") in page.text
        assert shown("Temps restant sur Standard × 20 postes") in page.text
        assert "workstation" not in page.text.lower()
