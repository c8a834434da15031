"""Migrations take an empty database to the schema the code declares, on both stores."""

from __future__ import annotations

import subprocess
import sys

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, Index, inspect, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from tierline.payments.sandbox import SqlLedger
from tierline.store.migrate import alembic_config, migrate, ours
from tierline.store.tables import metadata
from tierline.store.uow import create_engine


def test_migrating_an_empty_database_creates_every_declared_table(empty: Engine) -> None:
    migrate(empty)
    tables = set(inspect(empty).get_table_names())
    assert set(metadata.tables) <= tables


def test_the_migrated_schema_matches_the_declared_tables(empty: Engine) -> None:
    migrate(empty)
    with empty.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_the_declared_postgresql_options_are_those_the_migrations_make(empty: Engine) -> None:
    migrate(empty)
    create_engine("postgresql://nobody@127.0.0.1:1/none").dispose()  # made, never connected
    dialect = postgresql.dialect()
    declared = {
        index.name: " ".join(str(CreateIndex(index).compile(dialect=dialect)).split())
        for table in metadata.tables.values()
        for index in table.indexes
        if isinstance(index, Index) and index.dialect_options["postgresql"]["where"] is not None
    }
    assert set(declared) == {
        "ix_invoices_next_attempt_at", "ix_payments_unsettled", "uq_purchases_awaiting"
    }  # fmt: skip
    assert all(" WHERE " in ddl for ddl in declared.values())
    assert "WITH (fillfactor = 50)" in str(CreateTable(metadata.tables["invoices"]).compile(
        dialect=dialect
    ))  # fmt: skip
    if empty.dialect.name != "postgresql":
        return
    with empty.connect() as conn:
        query = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        made = dict(conn.execute(text(query)).all())
    for name in declared:
        assert " WHERE " in made[name], name


def test_a_command_on_sqlite_loads_no_postgresql_dialect() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c",
         "import sys, tierline.cli, tierline.simulate; "
         "print(any(m.startswith('sqlalchemy.dialects.postgresql') for m in sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert loaded == "False"


def test_the_sandboxs_own_table_beside_the_schema_is_not_ours_to_migrate(empty: Engine) -> None:
    migrate(empty)
    SqlLedger(str(empty.url), schema=_schema_of(empty)).close()  # creates `sandbox_charges`
    assert "sandbox_charges" in inspect(empty).get_table_names()

    with empty.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours})
        differences = compare_metadata(context, metadata)

    assert differences == []


def _schema_of(engine: Engine) -> str | None:
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT current_schema()")).scalar_one())


def test_migrating_twice_changes_nothing(empty: Engine) -> None:
    migrate(empty)
    migrate(empty)
    assert set(metadata.tables) <= set(inspect(empty).get_table_names())


def test_0017_gives_earlier_payments_the_brand_and_digits_of_their_method_still_on_file(
    empty: Engine,
) -> None:
    migrate(empty, "0016")
    at = "2026-03-01 10:00:00"
    with empty.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO accounts (id, name, currency, timezone, locale, sales_managed, "
                "created_at) VALUES ('acme', 'Acme', 'USD', 'UTC', 'en', false, :at)"
            ),
            {"at": at},
        )
        conn.execute(
            text(
                "INSERT INTO payment_methods (account_id, id, token, brand, last4, is_primary, "
                "is_backup, created_at) VALUES ('acme', 'card-1', 'tok', 'mastercard', '4444', "
                "true, false, :at)"
            ),
            {"at": at},
        )
        for payment, method in (("pay-1", "card-1"), ("pay-2", "card-gone"), ("pay-3", None)):
            conn.execute(
                text(
                    "INSERT INTO payments (id, account_id, at, amount, payment_method, status, "
                    "idempotency_key) VALUES (:id, 'acme', :at, 100, :method, 'succeeded', :id)"
                ),
                {"id": payment, "at": at, "method": method},
            )

    migrate(empty)

    with empty.connect() as conn:
        rows = conn.execute(
            text("SELECT id, method_brand, method_last4 FROM payments ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("pay-1", "mastercard", "4444"),
        ("pay-2", None, None),  # removed before 0017: nothing to say
        ("pay-3", None, None),  # paid with no method (the balance)
    ]


def test_0019_leaves_settled_rows_out_of_the_indexes_that_look_for_work(empty: Engine) -> None:
    migrate(empty)
    predicates = {
        index["name"]: index.get("dialect_options", {}).get(f"{empty.dialect.name}_where")
        for table in ("invoices", "payments")
        for index in inspect(empty).get_indexes(table)
    }

    assert "next_attempt_at IS NOT NULL" in str(predicates["ix_invoices_next_attempt_at"])
    if empty.dialect.name == "postgresql":
        unsettled = str(predicates["ix_payments_unsettled"])
        assert all(s in unsettled for s in ("created", "sent", "processing", "requires_action"))
        assert "succeeded" not in unsettled
        with empty.connect() as conn:
            options = conn.execute(
                text("SELECT reloptions FROM pg_class WHERE oid = 'invoices'::regclass")
            ).scalar_one()
        assert options == ["fillfactor=50"]


def test_0020_a_receipt_downgraded_gets_a_copy_of_the_lines_it_showed(empty: Engine) -> None:
    migrate(empty)
    at = "2026-03-01 10:00:00"
    with empty.begin() as conn:
        for position, amount in ((0, 2000), (1, 1000)):
            conn.execute(
                text(
                    "INSERT INTO document_lines (account_id, document_id, position, kind, "
                    "description, amount) VALUES ('acme', 'inv-1', :position, 'plan', 'Pro', "
                    ":amount)"
                ),
                {"position": position, "amount": amount},
            )
        for receipt, lines_of in (("rct-1", "inv-1"), ("rct-2", None)):
            conn.execute(
                text(
                    "INSERT INTO receipts (id, account_id, number, invoice_number, issued_at, "
                    "amount_paid, refunded, lines_of) VALUES (:id, 'acme', :id, 'INV-1', :at, "
                    "3000, 0, :lines_of)"
                ),
                {"id": receipt, "at": at, "lines_of": lines_of},
            )

    config = alembic_config()
    with empty.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0019")
        conn.commit()

    with empty.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT document_id, position, amount FROM document_lines "
                "ORDER BY document_id, position"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("inv-1", 0, 2000), ("inv-1", 1, 1000), ("rct-1", 0, 2000), ("rct-1", 1, 1000),
    ]  # fmt: skip
    assert "lines_of" not in {c["name"] for c in inspect(empty).get_columns("receipts")}
    indexed = {i["name"] for i in inspect(empty).get_indexes("document_lines")}
    assert "ix_document_lines_account_id" in indexed
