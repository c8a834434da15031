"""A scenario's `replace_catalog` that stops selling in a currency an account is billed in is
refused like any other step: recorded, with nothing installed.

The catalog is `examples/currencies/catalog.yaml` (Standard at 8.00 EUR / 7.00 GBP a seat a
month); club is billed in GBP and buys Standard × 10 on 1 March 2026 (70.00 GBP a month).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tierline.simulate.runner import run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "currencies"


def in_euros_alone() -> dict[str, Any]:
    """The example catalog with its euro amounts only, Standard raised to 9.00."""

    def euros(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"EUR", "GBP"}:
            return value["EUR"]
        if isinstance(value, dict):
            return {key: euros(item) for key, item in value.items()}
        if isinstance(value, list):
            return [euros(item) for item in value]
        return value

    body: dict[str, Any] = euros(yaml.safe_load((EXAMPLE / "catalog.yaml").read_text()))
    del body["currencies"]
    body["editions"][1]["prices"][0]["per_unit"] = "9.00"
    return body


def test_the_step_is_refused_and_the_account_renews_at_its_price() -> None:
    result = run(
        {
            "catalog": "catalog.yaml",
            "start": "2026-03-01T00:00:00Z",
            "accounts": [
                {
                    "id": "club",
                    "name": "Club",
                    "currency": "GBP",
                    "payment_methods": [{"id": "visa", "card": "4242424242424242"}],
                }
            ],
            "steps": [
                {
                    "subscribe": {
                        "account": "club",
                        "edition": "standard",
                        "cycle": "month",
                        "quantity": 10,
                    }
                },
                {
                    "replace_catalog": {"catalog": in_euros_alone(), "existing": "next_renewal"},
                    "expect_error": "currency_in_use",
                },
                {"at": "2026-04-01T00:00:00Z", "advance": {}},
            ],
        },
        base=EXAMPLE,
    )

    [refused] = result["rejected"]
    assert (refused["step"], refused["code"]) == (1, "currency_in_use")
    assert "1 account is billed in GBP" in refused["message"]
    club = result["accounts"]["club"]
    assert [i["total"] for i in club["invoices"]] == ["70.00", "70.00"]
