"""Errors are always `{"error": {type, code, message, param}}`; bad input is never a 500."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import an_account, base_of, error_of, sqlite_only, subscribed

MALFORMED = [b"{", b"{'name': 'x'}", b"[1, 2", b"\xff\xfe\x00", b"null", b"[]", b'"text"', b"42"]


@sqlite_only
class TestMalformedBodies:
    @pytest.mark.parametrize("content", MALFORMED, ids=[repr(c) for c in MALFORMED])
    def test_a_body_that_is_not_a_json_object_is_a_400(
        self, client: TestClient, content: bytes
    ) -> None:
        response = client.post(
            "/v1/accounts", content=content, headers={"Content-Type": "application/json"}
        )

        error = error_of(response, 400)
        assert (error["type"], error["code"]) == ("invalid_request_error", "invalid_request")

    @pytest.mark.parametrize("content", [b"{", b'{"name": "A",}', b"[1, 2"])
    def test_malformed_json_is_reported_as_such_without_a_field(
        self, client: TestClient, content: bytes
    ) -> None:
        headers = {"Content-Type": "application/json"}

        error = error_of(client.post("/v1/accounts", content=content, headers=headers), 400)

        assert error["param"] is None
        assert error["message"].startswith("The body is not valid JSON")

    @pytest.mark.parametrize(
        "path",
        ["/v1/subscriptions", "{base}/change",
         "/v1/accounts/acme/balance/top_ups", "/v1/accounts/acme/usage", "/v1/test_clock/advance"],
    )  # fmt: skip
    def test_malformed_json_on_any_post_is_a_400(self, client: TestClient, path: str) -> None:
        subscribed(client)

        headers = {"Content-Type": "application/json"}
        path = path.replace("{base}", base_of(client))
        response = client.post(path, content=b'{"x": ', headers=headers)

        assert error_of(response, 400)["code"] == "invalid_request"

    def test_a_body_sent_as_form_data_is_a_400(self, client: TestClient) -> None:
        response = client.post("/v1/accounts", data={"name": "Acme"})

        assert error_of(response, 400)["code"] == "invalid_request"

    def test_a_missing_body_is_a_400(self, client: TestClient) -> None:
        response = client.post("/v1/accounts")

        assert error_of(response, 400)["code"] == "invalid_request"


class TestWrongTypes:
    @sqlite_only
    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"edition": ["pro"], "cycle": "month"}, "edition"),
            ({"edition": "pro", "cycle": None}, "cycle"),
            ({"edition": "pro", "cycle": "month", "quantity": 2.5}, "quantity"),
            ({"edition": "pro", "cycle": "month", "quantity": True}, "quantity"),
            ({"edition": "pro", "cycle": "month", "addons": ["storage"]}, "addons"),
            ({"edition": "pro", "cycle": "month", "trial": "sometimes"}, "trial"),
        ],
        ids=["list", "null", "fraction", "boolean", "addons as a list", "trial not a boolean"],
    )  # fmt: skip
    def test_a_field_of_the_wrong_type_is_a_400_naming_it(
        self, client: TestClient, body: dict[str, Any], param: str
    ) -> None:
        an_account(client)

        body = {"account_id": "acme", **body}
        error = error_of(client.post("/v1/subscriptions", json=body), 400)

        assert error["param"] == param
        assert error["message"].startswith(f"{param}: ")

    @pytest.mark.parametrize(
        ("path", "body", "code", "param"),
        [
            ("subscription", {"edition": "max", "quantity": 10**12}, "quantity_out_of_range",
             "quantity"),
            ("subscription", {"edition": "max", "quantity": 10**30}, "quantity_out_of_range",
             "quantity"),
            ("subscription", {"edition": "pro", "addons": {"storage": 10**19}},
             "quantity_out_of_range", "addons.storage"),
            ("{base}/change", {"quantity": 10**19}, "quantity_out_of_range", "quantity"),
            ("{base}/change", {"addons": {"storage": 1_000_001}}, "quantity_out_of_range",
             "addons.storage"),
            ("usage", {"meter": "sms", "quantity": 10**30}, "invalid_request", "quantity"),
            ("balance/top_ups", {"amount": "1" + "0" * 40}, "invalid_amount", "amount"),
            ("balance/top_ups", {"amount": "99999999999999999999999.00"}, "invalid_amount",
             "amount"),
            ("balance/top_ups", {"amount": "1e999999"}, "invalid_amount", "amount"),
            ("balance/top_ups", {"amount": "1e-999999"}, "invalid_amount", "amount"),
        ],
        ids=["a trillion seats", "seats beyond 64 bits", "add-ons beyond 64 bits",
             "a change beyond 64 bits", "packs past the ceiling", "usage beyond 64 bits",
             "a 41-digit top-up", "a 23-digit top-up", "a huge exponent", "a tiny exponent"],
    )  # fmt: skip
    def test_a_huge_number_is_a_400_not_a_500(
        self, client: TestClient, path: str, body: dict[str, Any], code: str, param: str
    ) -> None:
        subscribed(client)  # acme, on Pro: for changes, usage and top-ups
        an_account(client, "other")  # not subscribed yet
        if path == "subscription":
            path = "/v1/subscriptions"
            body = {"account_id": "other", "cycle": "month", "trial": False, **body}
        elif path.startswith("{base}"):
            path = path.replace("{base}", base_of(client))
        else:
            path = f"/v1/accounts/acme/{path}"

        error = error_of(client.post(path, json=body), 400)

        assert (error["code"], error["param"]) == (code, param)


class TestUnstorableText:
    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("POST", "/v1/accounts", {"name": "Ac\x00me"}),
            ("PATCH", "/v1/accounts/acme", {"locale": "e\x00n"}),
            ("GET", "/v1/accounts/ac%00me", None),
            ("GET", "/v1/accounts?starting_after=a%00", None),
            ("GET", "/v1/invoices/INV%00", None),
            ("GET", "/v1/accounts/ac%00me/invoices", None),
        ],
        ids=["name", "locale", "account in the path", "cursor", "invoice number",
             "account of a list"],
    )  # fmt: skip
    def test_a_nul_character_is_never_a_500(
        self, client: TestClient, method: str, path: str, body: Any
    ) -> None:
        an_account(client)

        response = client.request(method, path, json=body)

        assert response.status_code < 500
        if response.status_code >= 400:
            error_of(response, response.status_code)

    @pytest.mark.parametrize(
        ("method", "path", "body", "param"),
        [
            ("POST", "/v1/accounts", {"name": "Ac\x00me"}, "name"),
            ("PATCH", "/v1/accounts/acme", {"locale": "e\x00n"}, "locale"),
            ("POST", "{base}/change", {"addons": {"st\x00": 1}},
             "addons.st\\0"),
            ("POST", "/v1/webhook_endpoints",
             {"url": "https://example.com/hook", "event_types": ["invoice.paid", "x\x00"]},
             "event_types.1"),
            ("GET", "/v1/accounts/ac%00me", None, "account_id"),
            ("GET", "/v1/accounts?starting_after=a%00", None, "starting_after"),
            ("GET", "/v1/invoices/INV%00", None, "number"),
        ],
        ids=["name", "locale", "an add-on code", "an item of a list", "account in the path",
             "cursor", "invoice number"],
    )  # fmt: skip
    def test_a_nul_character_is_refused_naming_the_field_that_holds_it(
        self, client: TestClient, method: str, path: str, body: Any, param: str
    ) -> None:
        subscribed(client)
        path = path.replace("{base}", base_of(client))

        error = error_of(client.request(method, path, json=body), 400)

        assert (error["code"], error["param"]) == ("invalid_request", param)
        assert client.get("/v1/accounts/acme").json()["name"] == "Acme"

    @sqlite_only
    def test_a_locale_longer_than_16_characters_is_refused(self, client: TestClient) -> None:
        error = error_of(client.post("/v1/accounts", json={"name": "A", "locale": "x" * 17}), 400)

        assert error["param"] == "locale"


@sqlite_only
class TestUnknownRoutes:
    def test_an_unknown_path_is_a_404_in_the_error_shape(self, client: TestClient) -> None:
        error = error_of(client.get("/v1/nothing-here"), 404)

        assert error["code"] == "not_found"

    def test_a_wrong_method_is_a_405_in_the_error_shape(self, client: TestClient) -> None:
        error = error_of(client.delete("/v1/accounts"), 405)

        assert error["code"] == "method_not_allowed"

    @pytest.mark.parametrize(
        ("method", "path", "allow"),
        [("DELETE", "/v1/accounts", "GET, POST"), ("PUT", "/v1/catalog/quote", "GET, POST"),
         ("POST", "/v1/catalog", "GET, PUT"), ("GET", "/v1/accounts/acme/balance/top_ups", "POST")],
    )  # fmt: skip
    def test_a_405_names_the_methods_the_path_allows(
        self, client: TestClient, method: str, path: str, allow: str
    ) -> None:
        response = client.request(method, path)

        assert error_of(response, 405)["code"] == "method_not_allowed"
        assert response.headers["Allow"] == allow


@sqlite_only
class TestErrorTypes:
    @pytest.mark.parametrize(
        ("status", "type_"),
        [(400, "invalid_request_error"), (402, "payment_error"), (403, "not_allowed"),
         (404, "not_found"), (409, "conflict")],
    )  # fmt: skip
    def test_each_status_has_its_error_type(
        self, client: TestClient, status: int, type_: str
    ) -> None:
        an_account(client, card="4000000000000002")
        sub = "/v1/subscriptions"
        paid = {"account_id": "acme", "edition": "pro", "cycle": "month", "trial": False}
        if status == 409:
            client.post(sub, json={"account_id": "acme", "edition": "pro", "cycle": "month"})
        requests = {
            400: lambda: client.post(sub, json={**paid, "edition": "gold"}),
            402: lambda: client.post(sub, json=paid),
            403: lambda: client.post(sub, json={**paid, "addons": {"audit": 1}}),
            404: lambda: client.get("/v1/accounts/nobody"),
            409: lambda: client.post(sub, json=paid),
        }

        assert error_of(requests[status](), status)["type"] == type_


def test_openapi_lists_the_refusals_of_a_change_with_the_error_body(
    anonymous: TestClient,
) -> None:
    spec = anonymous.get("/openapi.json").json()
    responses = spec["paths"]["/v1/subscriptions/{subscription_id}/change"]["post"]["responses"]
    assert {"400", "401", "402", "403", "404", "409"} <= set(responses)
    body = responses["403"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/ErrorBody")
    assert "transition_not_allowed" in responses["403"]["description"]


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]


@sqlite_only
class TestOpenApiValidationErrors:
    def test_no_operation_documents_a_422(self, anonymous: TestClient) -> None:
        spec = anonymous.get("/openapi.json").json()

        with_422 = [name for name, op in _operations(spec) if "422" in op["responses"]]

        assert with_422 == []
        assert not {"HTTPValidationError", "ValidationError"} & set(spec["components"]["schemas"])

    def test_every_operation_with_parameters_or_a_body_documents_the_400_error_body(
        self, anonymous: TestClient
    ) -> None:
        spec = anonymous.get("/openapi.json").json()
        operations = [
            (name, op)
            for name, op in _operations(spec)
            if op.get("parameters") or op.get("requestBody")
        ]

        error_body = {"$ref": "#/components/schemas/ErrorBody"}
        schemas = {
            name: op["responses"].get("400", {}).get("content", {}).get("application/json", {})
            for name, op in operations
        }

        assert len(operations) > 40  # every route but a few without input
        assert {name: s for name, s in schemas.items() if s.get("schema") != error_body} == {}
        assert set(spec["components"]["schemas"]["ErrorBody"]["properties"]) == {"error"}

    def test_every_list_is_paged_and_no_read_answers_a_bare_array(
        self, anonymous: TestClient
    ) -> None:
        spec = anonymous.get("/openapi.json").json()
        schemas = spec["components"]["schemas"]
        paged: list[str] = []
        for name, op in _operations(spec):
            body = op["responses"].get("200", {}).get("content", {}).get("application/json", {})
            schema = body.get("schema", {})
            if name.startswith("GET "):
                assert schema.get("type") != "array", name
            ref = schema.get("$ref", "").rpartition("/")[2]
            if ref and set(schemas[ref].get("properties", {})) == {"data", "has_more"}:
                paged.append(name)
                assert {"limit", "starting_after"} <= {p["name"] for p in op["parameters"]}, name

        assert len(paged) == 16, paged


def _declared(spec: dict[str, Any], method: str, path: str, status: int) -> str:
    """The description of `status` in the OpenAPI operation that serves `method path`."""
    for template, item in spec["paths"].items():
        pattern = re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path.partition("?")[0]) and method.lower() in item:
            responses = item[method.lower()]["responses"]
            return str(responses.get(str(status), {}).get("description", ""))
    raise AssertionError(f"no operation serves {method} {path}")


# Business refusals with a 400, each as a request that gets it (`acme` is on Pro).
REFUSALS = [
    ("GET", "/v1/accounts?starting_after=nobody", None, "unknown_cursor"),
    ("GET", "/v1/webhook_endpoints?starting_after=we_nope", None, "unknown_cursor"),
    ("GET", "/v1/accounts/acme/entitlements?starting_after=nope", None, "unknown_cursor"),
    ("GET", "/v1/accounts/acme/members?starting_after=nope", None, "unknown_cursor"),
    ("GET", "/v1/accounts/acme/resources?starting_after=nope", None, "unknown_cursor"),
    ("GET", "/v1/accounts/acme/reconciliations?starting_after=nope", None, "unknown_cursor"),
    ("GET", "/v1/accounts/acme/invoices?starting_after=nope", None, "unknown_cursor"),
    ("PUT", "/v1/catalog", "currency: EUR", "invalid_catalog"),
    ("POST", "/v1/webhook_endpoints", {"url": "ftp://example.com"}, "invalid_url"),
    ("POST", "/v1/webhook_endpoints", {"url": "https://example.com", "event_types": ["a b"]},
     "invalid_event_type"),
    ("POST", "/v1/accounts/acme/balance/top_ups", {"amount": "1e3"}, "invalid_amount"),
    ("POST", "/v1/accounts/acme/usage", {"meter": "fax", "quantity": 1}, "unknown_meter"),
    ("POST", "/v1/accounts/acme/consumption", {"limit": "storage_gb", "amount": 0},
     "invalid_amount"),
    ("POST", "/v1/accounts/acme/consumption", {"limit": "nothing", "amount": 1}, "unknown_limit"),
    ("POST", "/v1/accounts/acme/consumption", {"limit": "seats", "amount": 1},
     "not_a_consumption_limit"),
    ("PUT", "/v1/accounts/acme/members/p1/crm", {"status": "sleeping"}, "invalid_status"),
    ("PUT", "/v1/accounts/acme/resources/r1", {"type": "room", "parent": "r1"},
     "invalid_resource"),
    ("GET", "/v1/catalog/quote?edition=pro&cycle=month&quantity=51", None,
     "quantity_out_of_range"),
    ("POST", "{base}/change", {"edition": "gold"}, "unknown_edition"),
    ("POST", "{base}/preview", {"quantity": 1_000_001}, "quantity_out_of_range"),
    ("GET", "/v1/subscriptions?status=paused", None, "invalid_status"),
    ("GET", "/v1/subscriptions?starting_after=sub_nope", None, "unknown_cursor"),
]  # fmt: skip


@sqlite_only
class TestDeclaredRefusals:
    @pytest.mark.parametrize(
        ("method", "path", "body", "code"),
        REFUSALS,
        ids=[f"{r[0]} {r[1]} {r[3]}" for r in REFUSALS],
    )
    def test_each_business_refusal_is_named_in_the_openapi_of_its_operation(
        self, client: TestClient, method: str, path: str, body: Any, code: str
    ) -> None:
        subscribed(client)
        path = path.replace("{base}", base_of(client))
        content = body if isinstance(body, str) else None
        json_body = None if isinstance(body, str) else body
        headers = {"Content-Type": "application/yaml"} if content is not None else None

        response = client.request(method, path, json=json_body, content=content, headers=headers)

        assert error_of(response, 400)["code"] == code
        spec = client.get("/openapi.json").json()
        assert f"`{code}`" in _declared(spec, method, path, 400)
