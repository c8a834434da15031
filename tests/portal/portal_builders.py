"""Builders for portal tests: a runtime on a SQLite file with a seed's catalog, accounts made
through the services (with members, an open bill, waiting rooms), and browsers (TestClient)
signed in through a one-time link."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tierline.catalog import load_catalog
from tierline.clock import TestClock
from tierline.payments import SandboxGateway
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.accounts import (
    AddPaymentMethod,
    CreateAccount,
    add_payment_method,
    create_account,
)
from tierline.services.catalog import install_catalog
from tierline.services.content import ReportResource, report_resource
from tierline.services.entitlements import ReportMember, report_member
from tierline.services.portal_sessions import CreatePortalSession, create_portal_session
from tierline.services.subscriptions import Subscribe, subscribe
from tierline.store.migrate import migrate
from tierline.store.uow import create_engine

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HAP = EXAMPLES / "hap" / "catalog.yaml"
ASSOCIATION = EXAMPLES / "association" / "catalog.yaml"
WAITING_ROOM = EXAMPLES / "waiting-room" / "catalog.yaml"
START = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
LOCALES = ("en", "fr", "it", "vi")

_counter = iter(range(1, 1_000_000))


def a_runtime(folder: Path, catalog: Path = HAP) -> Runtime:
    engine = create_engine(f"sqlite:///{folder / 'portal.db'}")
    migrate(engine)
    clock = TestClock(START)
    rt = Runtime(engine, clock, SandboxGateway())
    install_catalog(load_catalog(catalog), uow=rt.uow(), clock=clock)
    return rt


def an_account(
    rt: Runtime,
    *,
    locale: str = "en",
    card: str | None = GOOD_CARD,
    edition: str | None = "standard",
    cycle: str = "month",
    quantity: int | None = None,
    trial: bool = False,
    sales_managed: bool = False,
    name: str | None = None,
) -> str:
    """A new account (unique id), with a card and a subscription unless told otherwise."""
    account_id = f"acct-{locale}-{next(_counter)}"
    create_account(
        CreateAccount(
            name=name or f"Org {account_id}", id=account_id, locale=locale,
            sales_managed=sales_managed,
        ),
        uow=rt.uow(), clock=rt.clock,
    )  # fmt: skip
    if card is not None:
        add_payment_method(
            AddPaymentMethod(account_id, card, id=f"card-{account_id}"),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
    if edition is not None:
        subscribe(
            Subscribe(account_id, edition, cycle, quantity, trial=trial),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
    return account_id


def link_path(rt: Runtime, account_id: str, role: str = "admin") -> str:
    token = create_portal_session(
        CreatePortalSession(account_id, role), uow=rt.uow(), clock=rt.clock
    ).token
    return f"/portal/login/{token}"


def signed_in(app: FastAPI, rt: Runtime, account_id: str, role: str = "admin") -> TestClient:
    """A browser of this account's member, signed in through a fresh one-time link."""
    browser = TestClient(app)
    response = browser.get(link_path(rt, account_id, role), follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/portal"
    return browser


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def fact(html: str, name: str) -> str:
    """The text of the `data-fact` element, tags stripped."""
    found = re.search(rf'data-fact="{name}"[^>]*>(.*?)</(dd|p)>', html, re.S)
    assert found, f"no fact {name}"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def members(
    rt: Runtime, account: str, count: int, status: str = "normal", app: str = "crm"
) -> None:
    for n in range(count):
        report_member(ReportMember(account, f"p{n}", app, status), uow=rt.uow(), clock=rt.clock)


def an_open_bill(rt: Runtime, locale: str = "en") -> tuple[str, str]:
    """An association (invoices collected 3 days after issue) with a declined primary card and
    a good backup card; returns the account and its open invoice."""
    account = an_account(rt, edition="serenity", card=DECLINED_CARD, locale=locale)
    add_payment_method(
        AddPaymentMethod(account, GOOD_CARD, id=f"backup-{account}", backup=True),
        uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
    )  # fmt: skip
    invoice = queries.list_invoices(account, uow=rt.uow())[0]
    assert invoice.status == "open"
    return account, invoice.number


def waiting_rooms(rt: Runtime, account: str) -> None:
    """Two domains; d-a with rooms r-a1 (2000) and r-a2 (2000), d-b with r-b1 (1000, the newest);
    a priority group in r-a1 and a custom template in r-b1."""

    def day(n: int) -> datetime:
        return datetime(2026, 1, n, tzinfo=UTC)

    reported = [
        ReportResource(account, "d-a", "domain", activated_at=day(1)),
        ReportResource(account, "d-b", "domain", activated_at=day(2)),
        ReportResource(account, "r-a1", "waiting_room", "d-a",
                       {"capacity": 2000, "entry_rate": 300}, day(3)),
        ReportResource(account, "r-a2", "waiting_room", "d-a",
                       {"capacity": 2000, "entry_rate": 100}, day(4)),
        ReportResource(account, "r-b1", "waiting_room", "d-b",
                       {"capacity": 1000, "entry_rate": 100}, day(5)),
        ReportResource(account, "pg-1", "priority_group", "r-a1", activated_at=day(6)),
        ReportResource(account, "ct-1", "custom_template", "r-b1", activated_at=day(7)),
    ]  # fmt: skip
    for resource in reported:
        report_resource(resource, uow=rt.uow(), clock=rt.clock)
