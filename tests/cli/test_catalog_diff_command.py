"""`tierline catalog diff OLD NEW`: what a new catalog changes for customers.

Version 1 sells Basic at 3.00 a seat a month and Pro at 6.00; a year is 12 months at 20 % off
(Basic 28.80, Pro 57.60 a seat). The new catalog raises Basic to 3.50 (33.60 a year), drops Pro
and adds Team at 9.00. Two accounts are on Basic × 10 and one on Pro × 2, all monthly.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from tierline.catalog import parse_catalog
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

runner = CliRunner()

OLD: dict[str, Any] = {
    "currency": "EUR",
    "quantity_unit": "seat",
    "cycles": [
        {"code": "month", "months": 1},
        {"code": "year", "months": 12, "discount_percent": 20},
    ],
    "editions": [
        {"code": "basic", "name": "Basic", "rank": 1, "quantity": {"min": 1, "default": 10},
         "prices": [{"cycle": "month", "per_unit": "3.00"}]},
        {"code": "pro", "name": "Pro", "rank": 2, "quantity": {"min": 1, "default": 10},
         "prices": [{"cycle": "month", "per_unit": "6.00"}]},
    ],
}  # fmt: skip


def new_catalog() -> dict[str, Any]:
    body = copy.deepcopy(OLD)
    body["editions"][0]["prices"][0]["per_unit"] = "3.50"
    body["editions"][1] = {
        "code": "team", "name": "Team", "rank": 3, "quantity": {"min": 1, "default": 10},
        "prices": [{"cycle": "month", "per_unit": "9.00"}],
    }  # fmt: skip
    return body


def a_database(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'tierline.db'}"
    engine = create_engine(url)
    migrate(engine)
    uow, clock = UnitOfWork(engine), TestClock(datetime(2026, 3, 1, tzinfo=UTC))
    gateway = SandboxGateway()
    install_catalog(parse_catalog(OLD), uow=uow, clock=clock)
    for account, edition, seats in (("acme", "basic", 10), ("globex", "basic", 10),
                                    ("initech", "pro", 2)):  # fmt: skip
        create_account(CreateAccount(account, id=account), uow=uow, clock=clock)
        add_payment_method(AddPaymentMethod(account, "4242424242424242"), uow=uow, clock=clock,
                           gateway=gateway)  # fmt: skip
        subscribe(Subscribe(account, edition, "month", seats), uow=uow, clock=clock,
                  gateway=gateway)  # fmt: skip
    engine.dispose()
    return {"TIERLINE_DATABASE_URL": url}


def written(tmp_path: Path, name: str, body: dict[str, Any]) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    return str(path)


EXPECTED = [
    "Prices:",
    "  up      Basic (month): 3.00 → 3.50 EUR per seat",
    "  up      Basic (year): 28.80 → 33.60 EUR per seat",
    "Editions added: Team",
    "Editions removed: Pro",
    "Live subscriptions: 2 would pay more, 0 less, 0 the same, 1 could not renew their plan",
]


def test_a_stored_version_against_a_file_says_what_changes_for_customers(tmp_path: Path) -> None:
    env = a_database(tmp_path)
    new = written(tmp_path, "new.yaml", new_catalog())

    result = runner.invoke(app, ["catalog", "diff", "1", new], env=env)

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == EXPECTED


def test_two_files_are_compared_the_same_way(tmp_path: Path) -> None:
    env = a_database(tmp_path)
    old, new = written(tmp_path, "old.yaml", OLD), written(tmp_path, "new.yaml", new_catalog())

    result = runner.invoke(app, ["catalog", "diff", old, new], env=env)

    assert result.output.splitlines() == EXPECTED


def test_a_price_cut_reads_down_and_the_same_catalog_changes_nothing(tmp_path: Path) -> None:
    env = a_database(tmp_path)
    cheaper = copy.deepcopy(OLD)
    cheaper["editions"][1]["prices"][0]["per_unit"] = "5.00"
    new = written(tmp_path, "cheaper.yaml", cheaper)

    cut = runner.invoke(app, ["catalog", "diff", "v1", new], env=env)
    same = runner.invoke(app, ["catalog", "diff", "1", "1"], env=env)

    assert cut.output.splitlines()[1:3] == [
        "  down    Pro (month): 6.00 → 5.00 EUR per seat",
        "  down    Pro (year): 57.60 → 48.00 EUR per seat",
    ]
    assert cut.output.splitlines()[-1] == (
        "Live subscriptions: 0 would pay more, 1 less, 2 the same, 0 could not renew their plan"
    )
    assert same.output.splitlines()[:2] == ["Prices:", "  no price changes"]


def test_an_unknown_version_or_a_bad_file_is_refused(tmp_path: Path) -> None:
    env = a_database(tmp_path)
    bad = copy.deepcopy(OLD)
    bad["editions"][0]["prices"][0]["cycle"] = "fortnight"

    unknown = runner.invoke(app, ["catalog", "diff", "1", "7"], env=env)
    invalid = runner.invoke(app, ["catalog", "diff", "1", written(tmp_path, "bad.yaml", bad)],
                            env=env)  # fmt: skip

    assert (unknown.exit_code, unknown.output.strip()) == (1, "No catalog version 7.")
    assert invalid.exit_code == 1
    assert "editions[0].prices[0].cycle" in invalid.output
