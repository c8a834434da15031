"""The error responses routers declare, so that OpenAPI shows what each route can refuse."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema


class ErrorDetail(BaseModel):
    type: str
    code: str
    message: str
    param: str | None


class ErrorBody(BaseModel):
    error: ErrorDetail


def refusals(*codes: str) -> str:
    """The description of a 400: a bad field named by `param`, with the codes it can have."""
    named = ", ".join(f"`{code}`" for code in ("invalid_request", *codes))
    return f"A bad field or value; `param` names it. Codes: {named}."


_DESCRIPTIONS = {
    400: refusals(
        "quantity_out_of_range",
        "unknown_edition",
        "unknown_cycle",
        "unknown_addon",
        "unknown_meter",
        "no_price_for_cycle",
        "invalid_amount",
        "invalid_card",
        "unknown_cursor",
    ),
    401: "No valid operator API key.",
    402: "The payment failed: payment_failed, no_payment_method or insufficient_balance.",
    403: "Refused: transition_not_allowed (with the catalog's message), sales_managed, "
    "top_up_not_allowed, not_available_on_edition, invoice_uncollectible, or another refusal "
    "named by `code`.",
    404: "No such account, subscription, document or payment method (e.g. unknown_invoice, "
    "unknown_payment_method).",
    409: "already_subscribed, invoice_already_paid, stale_version, payment_in_progress (a purchase "
    "or payment of the account awaits its outcome; nothing was charged), payment_pending (the "
    "provider has not answered yet; the outcome is recorded when it does), idempotency_conflict, "
    "idempotency_in_progress, idempotency_outcome_unknown (the request with this key took effect "
    "but its response was lost; it will not run again) or idempotency_claim_lost (another request "
    "with this key took it over; this one changed nothing).",
}


def error_responses(
    *statuses: int, described: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The error responses for `statuses`; `described` words some of them for the route."""
    text = {**_DESCRIPTIONS, **(described or {})}
    return {s: {"model": ErrorBody, "description": text[s]} for s in statuses}


_REF = "#/components/schemas/{model}"
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def validation_as_400(spec: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document as the API behaves: FastAPI lists a 422 "Validation Error" on every
    operation with parameters or a body, but a request that fails validation gets a 400 with the
    error body (`api/errors.py`). Each such operation lists that 400 instead; `spec` is changed
    in place and returned."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    _, top = models_json_schema([(ErrorBody, "serialization")], ref_template=_REF)
    for name, definition in top.get("$defs", {}).items():
        schemas.setdefault(name, definition)
    error_body = {"application/json": {"schema": {"$ref": _REF.format(model="ErrorBody")}}}
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            validated = responses.pop("422", None) is not None
            if validated or operation.get("parameters") or operation.get("requestBody"):
                responses.setdefault(
                    "400", {"description": _DESCRIPTIONS[400], "content": error_body}
                )
    text = json.dumps(spec.get("paths", {}))
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        if _REF.format(model=name) not in text:
            schemas.pop(name, None)
    return spec
