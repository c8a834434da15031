"""Builders for portal tests: a runtime on a SQLite file with a seed's catalog, accounts made
through the services, and browsers (TestClient) signed in through a one-time link."""

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
from tierline.services.accounts import (
    AddPaymentMethod,
    CreateAccount,
    add_payment_method,
    create_account,
)
from tierline.services.catalog import install_catalog
from tierline.services.portal_sessions import CreatePortalSession, create_portal_session
from tierline.services.subscriptions import Subscribe, subscribe
from tierline.store.migrate import migrate
from tierline.store.uow import create_engine

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HAP = EXAMPLES / "hap" / "catalog.yaml"
ASSOCIATION = EXAMPLES / "association" / "catalog.yaml"
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
