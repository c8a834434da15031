"""`tierline report tax`: the VAT return's figures of a period, as CSV or JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from tierline.catalog import load_catalog
from tierline.cli import app
from tierline.clock import TestClock
from tierline.payments import SandboxGateway
from tierline.services.accounts import (
    AddPaymentMethod,
    CreateAccount,
    add_payment_method,
    create_account,
)
from tierline.services.catalog import install_catalog
from tierline.services.subscriptions import Subscribe, subscribe
from tierline.store.migrate import migrate
from tierline.store.uow import UnitOfWork, create_engine

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tax" / "catalog.yaml"
runner = CliRunner()


def a_database(tmp_path: Path) -> dict[str, str]:
    """A French consumer and a German business, each 5 Standard seats (50.00) on 2026-03-01."""
    url = f"sqlite:///{tmp_path / 'tierline.db'}"
    engine = create_engine(url)
    migrate(engine)
    uow, clock, gateway = (
        UnitOfWork(engine),
        TestClock(datetime(2026, 3, 1, tzinfo=UTC)),
        SandboxGateway(),
    )
    install_catalog(load_catalog(EXAMPLE), uow=uow, clock=clock)
    for account, country, tax_id in (("paris", "FR", None), ("berlin", "DE", "DE136695976")):
        create_account(CreateAccount(account, id=account, country=country, tax_id=tax_id),
                       uow=uow, clock=clock)  # fmt: skip
        add_payment_method(AddPaymentMethod(account, "4242424242424242"), uow=uow, clock=clock,
                           gateway=gateway)  # fmt: skip
        subscribe(Subscribe(account, "standard", "month", 5), uow=uow, clock=clock,
                  gateway=gateway)  # fmt: skip
    engine.dispose()
    return {"TIERLINE_DATABASE_URL": url}


def test_report_tax_prints_csv_per_country_rate_and_category(tmp_path: Path) -> None:
    env = a_database(tmp_path)
    result = runner.invoke(app, ["report", "tax", "--from", "2026-03-01", "--to", "2026-03-31"],
                           env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "country,rate,category,taxable,tax,invoices,credit_notes,currency",
        "DE,0,reverse_charge,50.00,0.00,1,0,EUR",
        "FR,20,standard,50.00,10.00,1,0,EUR",
    ]


def test_report_tax_as_json_and_a_period_before_it_starts_fails(tmp_path: Path) -> None:
    env = a_database(tmp_path)
    args = ["report", "tax", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json"]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert (json.loads(result.output)["taxable"], json.loads(result.output)["tax"]) == (
        "100.00", "10.00",
    )  # fmt: skip
    backwards = runner.invoke(app, ["report", "tax", "--from", "2026-03-31", "--to", "2026-03-01"],
                              env=env)  # fmt: skip
    assert backwards.exit_code == 1
    assert "ends before it starts" in backwards.output
