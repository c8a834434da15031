"""The command line as a user runs it: `tierline catalog check` and `tierline simulate`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tierline.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def test_catalog_check_accepts_every_example_catalog() -> None:
    catalogs = sorted(EXAMPLES.glob("*/catalog.yaml"))
    folders = {path.parent.name for path in catalogs}  # the four seeds and the other examples
    assert folders >= {"association", "contact-center", "hap", "waiting-room", "tax", "currencies"}
    for path in catalogs:
        result = runner.invoke(app, ["catalog", "check", str(path)])
        assert result.exit_code == 0, result.output
        assert "ok" in result.output


def test_catalog_check_names_the_path_of_a_bad_field_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "catalog.yaml"
    bad.write_text(
        "currency: EUR\nquantity_unit: seat\ncycles: [{code: month, months: 1}]\n"
        "editions:\n  - {code: a, name: A, rank: 1, prices: [{cycle: month, per_unit: 2.5}]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["catalog", "check", str(bad)])
    assert result.exit_code == 1
    assert "editions[0].prices[0].per_unit" in result.output
    assert "decimal string" in result.output


def test_catalog_check_of_a_missing_file_fails_with_a_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["catalog", "check", str(tmp_path / "none.yaml")])
    assert result.exit_code == 1
    assert "none.yaml" in result.output


def test_simulate_prints_every_document_as_json() -> None:
    result = runner.invoke(app, ["simulate", str(EXAMPLES / "waiting-room" / "upgrade.yaml")])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) >= {"now", "accounts", "previews", "rejected"}
    account = next(iter(out["accounts"].values()))
    assert set(account) >= {
        "balance", "subscription", "invoices", "credit_notes", "receipts", "payments", "messages",
    }  # fmt: skip


def test_simulate_prints_the_content_and_its_reconciliations() -> None:
    scenario = EXAMPLES / "waiting-room" / "reconciliation.yaml"
    result = runner.invoke(app, ["simulate", str(scenario)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    concerts = out["accounts"]["concerts"]
    assert [r["id"] for r in concerts["resources"]][:2] == ["d-tickets", "d-shop"]
    assert {r["status"] for r in concerts["resources"]} == {"attached"}
    assert [(r["from_edition"], r["to_edition"]) for r in concerts["reconciliations"]] == [
        ("enterprise", "standard"),
        ("standard", "enterprise"),
    ]
    assert [a["kind"] for a in out["previews"][1]["content"]] == ["reattach"]
    gallery = out["accounts"]["gallery"]
    assert (len(gallery["resources"]), gallery["reconciliations"]) == (3, [])


def test_simulate_writes_to_a_file_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    scenario = EXAMPLES / "association" / "downgrade.yaml"
    result = runner.invoke(app, ["simulate", str(scenario), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["accounts"]


def test_simulate_fails_when_a_step_is_not_refused_as_expected(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        f"catalog: {EXAMPLES / 'association' / 'catalog.yaml'}\n"
        "start: 2026-01-01T00:00:00Z\n"
        "accounts: [{id: club}]\n"
        "steps:\n"
        "  - subscribe: {account: club, edition: liberty, cycle: month}\n"
        "    expect_error: sales_managed\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["simulate", str(scenario)])
    assert result.exit_code == 1
    assert "expected error sales_managed" in result.output


def test_simulate_names_a_bad_scenario_file_once_and_its_catalog_after_it(
    tmp_path: Path,
) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("start: 2026-02-30\n", encoding="utf-8")
    result = runner.invoke(app, ["simulate", str(scenario)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{scenario}: line 1, column 8: 2026-02-30 is not a date: day is out of range for month"
    )

    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("currency: EUR\ncurrency: USD\n", encoding="utf-8")
    scenario.write_text(f"catalog: {catalog}\nstart: 2026-01-01T00:00:00Z\n", encoding="utf-8")
    result = runner.invoke(app, ["simulate", str(scenario)])
    assert result.output.strip() == (
        f"{scenario}: {catalog}: line 2, column 1: duplicate key 'currency'"
    )


def test_simulate_runs_every_example_scenario() -> None:
    # every file of an example folder but its catalog.yaml is a scenario
    scenarios = [p for p in sorted(EXAMPLES.glob("*/*.yaml")) if p.name != "catalog.yaml"]
    assert len(scenarios) >= 20
    for path in scenarios:
        result = runner.invoke(app, ["simulate", str(path)])
        assert result.exit_code == 0, f"{path}: {result.output}"
