"""Requests made from the OpenAPI document alone, as a client generator or a fuzzer makes them:
whatever they hold, none gets a 5xx.

Schemathesis draws each operation's parameters and body, valid (as the document describes
them) and invalid (each constraint broken in turn); `acme`, on Pro, is every `account_id`, so
that requests reach the services rather than stop at `unknown_account`, and Max has no maximum
quantity, so that only the ceiling bounds one. The examples are
derandomized, so every run sends the same requests.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import Case
from schemathesis.generation import GenerationMode

from api.builders import a_catalog, subscribed

EXAMPLES = 10  # per operation and mode: about 10 s a store


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    """Max is priced per seat with no maximum of its own: a quantity meets the ceiling alone."""
    data = a_catalog()
    data["editions"][2]["prices"] = [
        {"cycle": "month", "per_unit": "99.00"}, {"cycle": "year", "per_unit": "999.00"},
    ]  # fmt: skip
    return data


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_made_from_the_openapi_document_gets_a_server_error(
    client: TestClient, mode: GenerationMode
) -> None:
    subscribed(client)
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    errors: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()
        fixed = {"account_id": "acme"} if "{account_id}" in operation.path else None

        @given(case=operation.as_strategy(mode, path_parameters=fixed))
        @settings(
            max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
            suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
        )  # fmt: skip
        def send(case: Case) -> None:
            request: dict[str, Any] = case.as_transport_kwargs(base_url="http://testserver")
            response = client.request(
                request["method"], request["url"], params=request.get("params"),
                headers={**(request.get("headers") or {}), **client.headers},
                json=request.get("json"), content=request.get("content") or request.get("data"),
            )  # fmt: skip
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {case.as_curl_command()}")

        send()

    assert errors == []
