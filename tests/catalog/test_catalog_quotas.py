"""The catalog's `quotas:` list: which limits start again each period; validation with paths and
the storage round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tierline.catalog import CatalogError, catalog_to_dict, load_catalog, parse_catalog

HAP = Path(__file__).resolve().parents[2] / "examples" / "hap" / "catalog.yaml"


def a_catalog(quotas: list[Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "currency": "EUR",
        "quantity_unit": "seat",
        "cycles": [{"code": "month", "months": 1}],
        "editions": [
            {"code": "pro", "rank": 1, "limits": {"runs": 1000, "guests": 10},
             "prices": [{"cycle": "month", "per_unit": "5.00"}]},
        ],
        "addons": [
            {"code": "sync", "grants": {"sync_rows": 1000},
             "prices": [{"cycle": "month", "per_unit": "1.00"}]},
        ],
    }  # fmt: skip
    if quotas is not None:
        data["quotas"] = quotas
    return data


def issues(data: dict[str, Any]) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return [str(issue) for issue in caught.value.issues]


def test_a_catalog_without_quotas_has_only_totals() -> None:
    catalog = parse_catalog(a_catalog())

    assert catalog.quotas == ()
    assert not catalog.is_quota("runs")


def test_an_editions_limit_or_a_packs_grant_can_be_a_quota() -> None:
    catalog = parse_catalog(a_catalog(["runs", "sync_rows"]))

    assert catalog.quotas == ("runs", "sync_rows")
    assert (catalog.is_quota("runs"), catalog.is_quota("guests")) == (True, False)


def test_a_quota_that_is_no_limit_is_refused_with_its_path() -> None:
    assert issues(a_catalog(["runs", "seats"])) == [
        "quotas[1]: unknown limit 'seats' (no edition or add-on has it)"
    ]


def test_a_quota_listed_twice_is_refused_with_its_path() -> None:
    assert issues(a_catalog(["runs", "runs"])) == ["quotas[1]: duplicate quota (already quotas[0])"]


def test_a_quota_must_be_a_name() -> None:
    assert issues(a_catalog([""]))[0].startswith("quotas[0]:")


def test_quotas_survive_the_round_trip_in_their_order() -> None:
    catalog = parse_catalog(a_catalog(["sync_rows", "runs"]))

    body = json.loads(json.dumps(catalog_to_dict(catalog)))

    assert body["quotas"] == ["sync_rows", "runs"]
    assert parse_catalog(body) == catalog


def test_haps_packs_of_workflow_executions_data_sync_and_uploads_are_quotas() -> None:
    catalog = load_catalog(HAP)

    assert set(catalog.quotas) == {"workflow_executions", "data_sync_rows", "attachment_upload_gb"}
    assert not catalog.is_quota("external_users")
