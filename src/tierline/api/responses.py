"""The error responses routers declare, so that OpenAPI shows what each route can refuse."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    type: str
    code: str
    message: str
    param: str | None


class ErrorBody(BaseModel):
    error: ErrorDetail


_DESCRIPTIONS = {
    400: "A bad field or value; `param` names it (e.g. invalid_request, quantity_out_of_range, "
    "unknown_edition, unknown_cycle, unknown_addon, unknown_meter, no_price_for_cycle, "
    "invalid_amount).",
    401: "No valid operator API key.",
    402: "The payment failed: payment_failed, no_payment_method or insufficient_balance.",
    403: "Refused: transition_not_allowed (with the catalog's message), sales_managed, "
    "top_up_not_allowed, not_available_on_edition, or another refusal named by `code`.",
    404: "No such account, subscription or document.",
    409: "already_subscribed, stale_version, idempotency_conflict or idempotency_in_progress.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": ErrorBody, "description": _DESCRIPTIONS[s]} for s in statuses}
