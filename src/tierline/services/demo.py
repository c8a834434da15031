"""A demo account to click through after `make run`."""

from __future__ import annotations

from tierline.runtime import Runtime
from tierline.services.accounts import (
    AddPaymentMethod,
    CreateAccount,
    add_payment_method,
    create_account,
)
from tierline.services.operator_users import CreateOperator, create_operator, reissue_link
from tierline.services.operators import create_api_key
from tierline.services.portal_sessions import CreatePortalSession, create_portal_session
from tierline.services.subscriptions import Subscribe, subscribe

DEMO_ACCOUNT = "demo"


def prepare_demo(rt: Runtime) -> str:
    """Create the demo account (once) with a card and a paid subscription; return a new API key."""
    with rt.uow() as uow:
        exists = uow.accounts.find(DEMO_ACCOUNT) is not None
        catalog = uow.catalog
    if not exists:
        create_account(
            CreateAccount(name="Demo Organisation", id=DEMO_ACCOUNT), uow=rt.uow(), clock=rt.clock
        )
        add_payment_method(
            AddPaymentMethod(DEMO_ACCOUNT, "4242424242424242", id="visa"),
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
        )  # fmt: skip
        paid = sorted((e for e in catalog.editions if not e.free), key=lambda e: e.rank)
        if paid:
            edition = paid[0]
            cycle = edition.prices[0].cycle
            subscribe(
                Subscribe(DEMO_ACCOUNT, edition.code, cycle, trial=False),
                uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
            )  # fmt: skip
    return create_api_key("demo", uow=rt.uow(), clock=rt.clock).secret


def demo_portal_token(rt: Runtime, account_id: str = DEMO_ACCOUNT) -> str:
    """A one-time portal link token for an admin of the account (10 minutes)."""
    cmd = CreatePortalSession(account_id, "admin")
    return create_portal_session(cmd, uow=rt.uow(), clock=rt.clock).token


DEMO_OWNER = "owner@demo.test"


def demo_owner_token(rt: Runtime) -> str:
    """A one-time password link token for the demo owner of the console, made once (24 hours);
    later runs issue the owner a new link."""
    with rt.uow().reading() as uow:
        exists = uow.operators.find_by_email(DEMO_OWNER) is not None
    if exists:
        return reissue_link(DEMO_OWNER, uow=rt.uow(), clock=rt.clock).token
    return create_operator(CreateOperator(DEMO_OWNER, "owner"), uow=rt.uow(), clock=rt.clock).token
