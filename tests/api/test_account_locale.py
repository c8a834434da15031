"""An account's locale is one Tierline has words for: English, French, Italian or Vietnamese,
with a region if wanted; anything else is refused, naming the field."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.builders import error_of


class TestTheLocaleOfAnAccount:
    @pytest.mark.parametrize("locale", ["en", "fr", "fr-CA", "it_CH", "vi", "vi-VN"])
    def test_a_supported_language_is_accepted(self, client: TestClient, locale: str) -> None:
        created = client.post("/v1/accounts", json={"name": "Acme", "locale": locale})

        assert created.status_code == 201, created.text
        assert created.json()["locale"] == locale

    @pytest.mark.parametrize("locale", ["de", "xx-YY", "", "fr-", "klingon"])
    def test_another_is_refused_on_create(self, client: TestClient, locale: str) -> None:
        error = error_of(client.post("/v1/accounts", json={"name": "Acme", "locale": locale}), 400)

        assert (error["code"], error["param"]) == ("unsupported_locale", "locale")

    def test_another_is_refused_on_update_and_nothing_changes(self, client: TestClient) -> None:
        client.post("/v1/accounts", json={"id": "acme", "name": "Acme", "locale": "fr"})

        error = error_of(client.patch("/v1/accounts/acme", json={"locale": "de"}), 400)

        assert (error["code"], error["param"]) == ("unsupported_locale", "locale")
        assert client.get("/v1/accounts/acme").json()["locale"] == "fr"

    def test_the_openapi_document_names_the_refusal(self, client: TestClient) -> None:
        operation = client.get("/openapi.json").json()["paths"]["/v1/accounts"]["post"]

        assert "unsupported_locale" in operation["responses"]["400"]["description"]
