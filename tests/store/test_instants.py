"""Instants are stored in UTC and read back in UTC, whatever zone they were given in; SQLite keeps
them as text that sorts and compares as the instants do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.dialects.sqlite import DATETIME
from sqlalchemy.exc import StatementError

from tierline.store.tables import UtcDateTime, catalogs

PARIS_SUMMER = timezone(timedelta(hours=2))


def _stored(engine: Engine, *instants: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(catalogs.delete())
        conn.execute(
            catalogs.insert(),
            [{"version": i + 1, "body": {}, "created_at": at} for i, at in enumerate(instants)],
        )


def test_an_instant_given_in_any_zone_is_read_back_as_the_same_instant_in_utc(
    engine: Engine,
) -> None:
    given = [
        datetime(2026, 6, 1, 12, 0, tzinfo=PARIS_SUMMER),
        datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        datetime(999, 1, 1, tzinfo=UTC),
    ]
    _stored(engine, *given)

    with engine.connect() as conn:
        read = conn.execute(select(catalogs.c.created_at).order_by(catalogs.c.version)).scalars()
        instants = list(read)

    assert instants == given
    assert all(at.tzinfo is UTC for at in instants)
    assert instants[0].hour == 10


def test_instants_compare_in_the_database_as_they_do_in_time(engine: Engine) -> None:
    _stored(
        engine,
        datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 11, 30, tzinfo=PARIS_SUMMER),  # 09:30 UTC
        datetime(2026, 3, 1, 10, 0, 0, 1, tzinfo=UTC),
    )
    cut = datetime(2026, 3, 1, 12, 0, tzinfo=PARIS_SUMMER)  # 10:00 UTC

    with engine.connect() as conn:
        query = select(catalogs.c.version).where(catalogs.c.created_at <= cut)
        found = sorted(conn.execute(query).scalars())

    assert found == [1, 2]


def test_a_naive_instant_is_refused_and_nothing_is_written(engine: Engine) -> None:
    with pytest.raises(StatementError, match="naive datetime"), engine.begin() as conn:
        conn.execute(
            catalogs.insert(), [{"version": 1, "body": {}, "created_at": datetime(2026, 1, 2)}]
        )

    with engine.connect() as conn:
        assert conn.execute(select(catalogs.c.version)).first() is None


def test_sqlite_keeps_an_instant_as_the_text_sqlites_own_type_writes(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's text; PostgreSQL keeps a timestamp with time zone")
    at = datetime(2026, 6, 1, 12, 0, 0, 5, tzinfo=PARIS_SUMMER)
    _stored(engine, at)

    with engine.connect() as conn:
        text = conn.exec_driver_sql("SELECT created_at FROM catalogs").scalar_one()
        written = UtcDateTime().dialect_impl(engine.dialect).bind_processor(engine.dialect)

    sqlites_own = DATETIME().bind_processor(engine.dialect)
    assert sqlites_own is not None and written is not None
    assert text == sqlites_own(at.astimezone(UTC).replace(tzinfo=None)) == written(at)
    assert text == "2026-06-01 10:00:00.000005"
