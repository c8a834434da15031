"""Revision 0015: subscriptions stored before catalog versions are priced from the newest one."""

from __future__ import annotations

from sqlalchemy import Engine, text

from tierline.store.migrate import migrate


def test_earlier_subscriptions_take_the_newest_catalog_version(empty: Engine) -> None:
    migrate(empty, "0014")
    at = "2026-03-01 10:00:00"
    with empty.begin() as conn:
        for version in (1, 2):
            conn.execute(
                text("INSERT INTO catalogs (version, body, created_at) VALUES (:v, '{}', :at)"),
                {"v": version, "at": at},
            )
        conn.execute(
            text(
                "INSERT INTO accounts (id, name, currency, timezone, locale, sales_managed, "
                "created_at) VALUES ('acme', 'Acme', 'EUR', 'UTC', 'en', false, :at)"
            ),
            {"at": at},
        )
        conn.execute(
            text(
                "INSERT INTO subscriptions (id, account_id, edition, cycle, quantity, addons, "
                "status, auto_renew, anchor, period_start, period_end, started_at, charges, "
                "version) VALUES ('sub-1', 'acme', 'basic', 'month', 1, '{}', 'active', true, "
                ":at, :at, '2026-04-01 10:00:00', :at, '[]', 1)"
            ),
            {"at": at},
        )

    migrate(empty)

    with empty.connect() as conn:
        sub = conn.execute(
            text("SELECT catalog_version, price_change_version, price_change_at FROM subscriptions")
        ).one()
        catalogs = conn.execute(text("SELECT version, existing FROM catalogs ORDER BY 1")).all()
    assert tuple(sub) == (2, None, None)
    assert [tuple(row) for row in catalogs] == [(1, None), (2, None)]
