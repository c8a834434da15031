"""A property: whatever two accounts, one in EUR and one in GBP, do on one catalog, no document
mixes currencies. Each account's documents, payments and balance are exactly those the same
steps make on a catalog sold in its currency alone, and every document names that currency.

A random timeline of subscriptions, changes (edition, quantity, cycle, packs), top-ups, usage
and renewals is run three times: both accounts on the two-currency catalog, then each account
alone on the catalog of its currency. A price of the other currency on any line, a payment or a
fee in it, or a balance moved by it, makes the runs differ.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tierline.simulate import run
from tierline.store.migrate import migrate
from tierline.store.uow import create_engine

START = datetime(2026, 1, 31, 10, tzinfo=UTC)

# The amounts of each currency: the two-currency catalog maps them, each one-currency catalog
# writes its own plainly. No amount of one currency is an amount of the other.
PRICES = {
    "EUR": {"basic": "3.00", "pro": "6.00", "pack": "9.00", "sms": "0.05", "min": "10.00"},
    "GBP": {"basic": "2.50", "pro": "5.00", "pack": "8.00", "sms": "0.04", "min": "8.00"},
}


def a_catalog(currencies: list[str]) -> dict[str, Any]:
    def amount(key: str) -> Any:
        if len(currencies) == 1:
            return PRICES[currencies[0]][key]
        return {code: PRICES[code][key] for code in currencies}

    return {
        "currency": currencies[0],
        **({"currencies": currencies} if len(currencies) > 1 else {}),
        "quantity_unit": "seat",
        "cycles": [
            {"code": "month", "months": 1},
            {"code": "year", "months": 12, "discount_percent": 20},
        ],
        "editions": [
            {"code": "basic", "rank": 1, "quantity": {"min": 1, "max": 50},
             "prices": [{"cycle": "month", "per_unit": amount("basic")}]},
            {"code": "pro", "rank": 2, "quantity": {"min": 1, "max": 50},
             "prices": [{"cycle": "month", "per_unit": amount("pro")}]},
        ],
        "addons": [
            {"code": "pack", "grants": {"external_users": 100},
             "prices": [{"cycle": "month", "per_unit": amount("pack")}]},
        ],
        "meters": [{"code": "sms", "name": "SMS", "unit_price": amount("sms")}],
        "policies": {
            "upgrade": {"timing": "immediate", "proration": "prorate", "credit_to": "invoice"},
            "downgrade": {"timing": "end_of_period", "proration": "none"},
            "quantity_increase": {"timing": "immediate", "proration": "prorate"},
            "quantity_decrease": {"timing": "end_of_period", "proration": "none"},
            "cycle_change": {"timing": "immediate", "proration": "restart",
                             "credit_to": "credit_note"},
            "addon_add": {"timing": "immediate", "proration": "prorate"},
            "addon_remove": {"timing": "end_of_period", "proration": "none"},
        },
        "balance": {"top_up_min": amount("min"), "apply_to_invoices": True},
    }  # fmt: skip


ACCOUNTS = {"eur": "EUR", "gbp": "GBP"}

subscribes = st.fixed_dictionaries(
    {
        "edition": st.sampled_from(["basic", "pro"]),
        "cycle": st.sampled_from(["month", "year"]),
        "quantity": st.integers(1, 20),
    }
).map(lambda args: {"subscribe": args})
changes = st.one_of(
    st.fixed_dictionaries({"edition": st.sampled_from(["basic", "pro"])}),
    st.fixed_dictionaries({"quantity": st.integers(1, 20)}),
    st.fixed_dictionaries({"cycle": st.sampled_from(["month", "year"])}),
    st.fixed_dictionaries({"addons": st.fixed_dictionaries({"pack": st.integers(0, 3)})}),
).map(lambda target: {"change": target})
top_ups = st.sampled_from(["10.00", "25.00"]).map(lambda amount: {"top_up": {"amount": amount}})
usages = st.integers(1, 300).map(lambda quantity: {"usage": {"meter": "sms", "quantity": quantity}})

steps = st.lists(
    st.tuples(
        st.integers(0, 20),  # days after the step before
        st.sampled_from(sorted(ACCOUNTS)),
        st.one_of(subscribes, changes, changes, top_ups, usages),
    ),
    min_size=2,
    max_size=10,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each run: migrating is most of a short run's time."""
    path = tmp_path_factory.mktemp("currencies") / "template.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


def simulate(template: Path, scenario: dict[str, Any]) -> dict[str, Any]:
    copy = template.with_name(f"{uuid.uuid4().hex}.db")
    shutil.copyfile(template, copy)
    engine = create_engine(f"sqlite:///{copy}")
    try:
        return run(scenario, engine=engine)
    finally:
        engine.dispose()
        copy.unlink()


def timeline(
    drawn: list[tuple[int, str, dict[str, Any]]], accounts: list[str]
) -> list[dict[str, Any]]:
    """The drawn steps of these accounts at their instants, then a last one 40 days on, so
    that every run ends at the same time, renewals included."""
    at, out = START, []
    for days, account, action in drawn:
        at += timedelta(days=days)
        if account in accounts:
            ((kind, args),) = action.items()
            when = at.isoformat().replace("+00:00", "Z")
            out.append({"at": when, kind: {"account": account, **args}})
    end = (at + timedelta(days=40)).isoformat().replace("+00:00", "Z")
    return [*out, {"at": end, "advance": {}}]


def scenario(
    drawn: list[tuple[int, str, dict[str, Any]]], accounts: list[str], currencies: list[str]
) -> dict[str, Any]:
    card = {"id": "visa", "card": "4242424242424242"}
    return {
        "catalog": a_catalog(currencies),
        "start": START.isoformat().replace("+00:00", "Z"),
        "accounts": [
            {
                "id": a,
                "payment_methods": [card],
                **({"currency": ACCOUNTS[a]} if len(currencies) > 1 else {}),
            }
            for a in accounts
        ],
        "steps": timeline(drawn, accounts),
    }


def money_of(account: dict[str, Any]) -> dict[str, Any]:
    """What an account was billed, without document numbers (the two-account run numbers the
    documents of both accounts in one series) nor descriptions (which may name a number)."""

    def lines(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            (x["kind"], x["quantity"], x["unit_amount"], x["amount"], x["period_start"])
            for x in doc["lines"]
        ]

    return {
        "invoices": [
            (i["issued_at"], i["status"], lines(i), i["subtotal"], i["credits_applied"],
             i["balance_applied"], i["total"], i["amount_paid"])
            for i in account["invoices"]
        ],
        "credit_notes": [(n["issued_at"], lines(n), n["total"]) for n in account["credit_notes"]],
        "receipts": [(r["issued_at"], r["amount_paid"]) for r in account["receipts"]],
        "payments": [(p["at"], p["amount"], p["status"]) for p in account["payments"]],
        "balance": account["balance"],
    }  # fmt: skip


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=steps)
def test_no_document_mixes_the_currencies_of_two_accounts(
    template: Path, drawn: list[tuple[int, str, dict[str, Any]]]
) -> None:
    together = simulate(template, scenario(drawn, ["eur", "gbp"], ["EUR", "GBP"]))

    for account_id, currency in ACCOUNTS.items():
        alone = simulate(template, scenario(drawn, [account_id], [currency]))
        mine = together["accounts"][account_id]
        assert mine["currency"] == alone["accounts"][account_id]["currency"] == currency
        documents = mine["invoices"] + mine["credit_notes"] + mine["receipts"]
        assert {doc["currency"] for doc in documents} <= {currency}
        assert money_of(mine) == money_of(alone["accounts"][account_id])
