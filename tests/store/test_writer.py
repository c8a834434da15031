"""A batch's writes reach the database as the same rows a direct write would leave."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, event, select

from tierline.store.sets import one_of
from tierline.store.tables import accounts, outbox, subscriptions
from tierline.store.uow import UnitOfWork

AT = datetime(2026, 3, 1, tzinfo=UTC)


def _account(n: int) -> dict[str, object]:
    return {
        "id": f"acc{n:04d}", "name": f"Account {n}", "currency": "EUR", "timezone": "UTC",
        "locale": "en", "sales_managed": False, "billing_email": None, "created_at": AT,
    }  # fmt: skip


def _subscription(n: int) -> dict[str, object]:
    return {
        "id": f"sub{n}", "account_id": f"acc{n:04d}", "edition": "basic", "cycle": "month",
        "quantity": 1, "addons": {}, "status": "active", "auto_renew": True, "anchor": AT,
        "period_start": AT, "period_end": AT, "started_at": AT, "charges": [], "version": 1,
    }  # fmt: skip


def _names(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {r.id: r.name for r in conn.execute(select(accounts.c.id, accounts.c.name))}


class TestBatchWrites:
    def test_an_update_of_a_row_inserted_in_the_same_batch_is_folded_into_the_insert(
        self, engine: Engine
    ) -> None:
        with UnitOfWork(engine, batch=True) as uow:
            uow.writer.insert(accounts, [_account(1)])
            uow.writer.update(accounts, {"id": "acc0001"}, {"name": "Renamed"})
            uow.commit()
        assert _names(engine) == {"acc0001": "Renamed"}

    def test_rows_inserted_after_an_update_of_their_table_are_folded_too(
        self, engine: Engine
    ) -> None:
        updates: list[str] = []

        def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            if statement.lstrip().upper().startswith("UPDATE"):
                updates.append(statement)

        event.listen(engine, "before_cursor_execute", note)
        try:
            with UnitOfWork(engine, batch=True) as uow:
                uow.writer.insert(accounts, [_account(1)])
                uow.writer.update(accounts, {"id": "acc0001"}, {"name": "First"})
                uow.writer.insert(accounts, [_account(2)])
                uow.writer.update(accounts, {"id": "acc0002"}, {"name": "Second"})
                uow.commit()
        finally:
            event.remove(engine, "before_cursor_execute", note)

        assert _names(engine) == {"acc0001": "First", "acc0002": "Second"}
        assert updates == []

    def test_many_updates_in_one_batch_change_exactly_their_rows(self, engine: Engine) -> None:
        with UnitOfWork(engine) as uow:
            uow.writer.insert(accounts, [_account(n) for n in range(200)])
            uow.commit()

        with UnitOfWork(engine, batch=True) as uow:  # enough rows for the bulk path
            for n in range(0, 200, 2):
                uow.writer.update(accounts, {"id": f"acc{n:04d}"}, {"name": f"Even {n}"})
            uow.commit()

        names = _names(engine)
        assert len(names) == 200
        assert all(names[f"acc{n:04d}"] == f"Even {n}" for n in range(0, 200, 2))
        assert all(names[f"acc{n:04d}"] == f"Account {n}" for n in range(1, 200, 2))

    def test_two_bulk_flushes_in_one_transaction_both_land(self, engine: Engine) -> None:
        with UnitOfWork(engine) as uow:
            uow.writer.insert(accounts, [_account(n) for n in range(100)])
            uow.commit()

        with UnitOfWork(engine, batch=True) as uow:
            for round_ in ("first", "second"):
                for n in range(100):
                    uow.writer.update(accounts, {"id": f"acc{n:04d}"}, {"name": f"{round_} {n}"})
                uow.flush()
            uow.commit()

        assert set(_names(engine).values()) == {f"second {n}" for n in range(100)}

    def test_a_bulk_update_of_every_kind_of_value_lands_as_written(self, engine: Engine) -> None:
        with UnitOfWork(engine) as uow:
            uow.writer.insert(accounts, [_account(n) for n in range(3)])
            uow.writer.insert(subscriptions, [_subscription(n) for n in range(3)])
            uow.commit()
        paris = datetime(2026, 4, 1, 2, 30, tzinfo=ZoneInfo("Europe/Paris"))
        awkward = [
            {"charges": [{"note": 'a "quoted", {braced} \\ back\tslash'}], "auto_renew": False,
             "ended_at": paris, "next_charges": None, "quantity": 7},
            {"charges": [], "auto_renew": True, "ended_at": None, "next_charges": [{"a": None}],
             "quantity": 1},
            {"charges": [{"NULL": "NULL"}], "auto_renew": False, "ended_at": AT,
             "next_charges": [], "quantity": 1000},
        ]  # fmt: skip

        with UnitOfWork(engine, batch=True) as uow:
            for n, values in enumerate(awkward):
                uow.writer.update(subscriptions, {"id": f"sub{n}", "version": 1}, values)
            uow.commit()

        columns = [subscriptions.c[name] for name in awkward[0]]
        with engine.connect() as conn:
            rows = conn.execute(
                select(subscriptions.c.id, *columns).order_by(subscriptions.c.id)
            ).all()
        assert [dict(zip(awkward[0], row[1:], strict=True)) for row in rows] == awkward

    def test_a_bulk_update_of_json_holding_text_alone_lands_as_json(self, engine: Engine) -> None:
        with UnitOfWork(engine) as uow:
            uow.writer.insert(accounts, [_account(n) for n in range(2)])
            uow.writer.insert(subscriptions, [_subscription(n) for n in range(2)])
            uow.commit()
        texts = ["plain", 'a "quoted" {text}']

        with UnitOfWork(engine, batch=True) as uow:
            for n, text in enumerate(texts):
                uow.writer.update(subscriptions, {"id": f"sub{n}", "version": 1}, {"charges": text})
            uow.commit()

        with engine.connect() as conn:
            query = select(subscriptions.c.charges).order_by(subscriptions.c.id)
            assert list(conn.execute(query).scalars()) == texts

    def test_json_values_and_missing_columns_survive_a_batch_insert(self, engine: Engine) -> None:
        with UnitOfWork(engine) as uow:
            uow.writer.insert(accounts, [_account(1)])
            uow.commit()
        payload = {"invoice": "INV-2026-000001", "lines": [1, 2], "note": 'tab\tand "quote"'}

        with UnitOfWork(engine, batch=True) as uow:
            event = {"account_id": "acc0001", "at": AT, "kind": "k\nk"}
            uow.writer.insert(outbox, [{**event, "payload": payload}])
            uow.commit()

        with engine.connect() as conn:
            row = conn.execute(select(outbox.c.kind, outbox.c.payload)).one()
        assert (row.kind, row.payload) == ("k\nk", payload)

    def test_text_copy_would_read_as_markup_lands_as_written_beside_rows_missing_columns(
        self, engine: Engine
    ) -> None:
        paris = datetime(2026, 3, 1, 1, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 00:00 UTC
        written = [
            {**_account(1), "name": "back\\slash, tab\tnew\nline\rreturn \\N", "created_at": paris},
            {**_account(2), "billing_email": "b@example.com", "sales_managed": True},
            {k: v for k, v in _account(3).items() if k != "billing_email"},  # a column left out
        ]
        with UnitOfWork(engine, batch=True) as uow:
            uow.writer.insert(accounts, written)
            uow.commit()

        with engine.connect() as conn:
            query = select(
                accounts.c.id, accounts.c.name, accounts.c.billing_email,
                accounts.c.sales_managed, accounts.c.created_at,
            ).order_by(accounts.c.id)  # fmt: skip
            rows = [tuple(r) for r in conn.execute(query)]
        assert rows == [
            ("acc0001", "back\\slash, tab\tnew\nline\rreturn \\N", None, False, AT),
            ("acc0002", "Account 2", "b@example.com", True, AT),
            ("acc0003", "Account 3", None, False, AT),
        ]

    @pytest.mark.parametrize(
        "odd",
        [
            ['say "hi"', "a,b", "back\\slash", "{braces}", "NULL", "plain"],
            ["a,b", "{braces}", "NULL", "", "plain"],  # nothing to escape: quoted at once
        ],
    )
    def test_a_set_of_values_with_quotes_commas_and_backslashes_finds_exactly_those_rows(
        self, engine: Engine, odd: list[str]
    ) -> None:
        with UnitOfWork(engine) as uow:
            uow.writer.insert(
                accounts, [{**_account(n), "name": name} for n, name in enumerate(odd)]
            )
            uow.writer.insert(accounts, [{**_account(99), "name": "not asked for"}])
            uow.commit()

        with engine.connect() as conn:
            query = select(accounts.c.name).where(one_of(conn, accounts.c.name, odd))
            found = {row.name for row in conn.execute(query)}
        assert found == set(odd)

    def test_a_set_of_instants_finds_exactly_the_rows_at_them(self, engine: Engine) -> None:
        later = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
        paris = later.astimezone(ZoneInfo("Europe/Paris"))  # the same instant, another zone
        with UnitOfWork(engine) as uow:
            uow.writer.insert(
                accounts,
                [{**_account(1), "created_at": AT}, {**_account(2), "created_at": later},
                 {**_account(3), "created_at": datetime(2026, 3, 3, tzinfo=UTC)}],
            )  # fmt: skip
            uow.commit()

        with engine.connect() as conn:
            query = select(accounts.c.id).where(one_of(conn, accounts.c.created_at, [AT, paris]))
            assert {row.id for row in conn.execute(query)} == {"acc0001", "acc0002"}
