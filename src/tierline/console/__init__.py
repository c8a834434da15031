"""The operator's console at `/console`: server-rendered pages for the business's own staff.

    mount_console(app, secure_cookies=False)

Operator users (owner, finance, support, read-only) sign in with a password and, when they set
one up, a TOTP code; `tierline operator create` prints the first one-time password link. Every
page reads through the services the API uses, every action goes through the same services as
the portal and is written to the audit log, and every form carries the session's CSRF token.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tierline.console.routes import (
    access,
    accounts,
    actions,
    audit,
    catalog,
    credits,
    dashboard,
    webhooks,
)
from tierline.console.session import BASE, ConsoleConfig

__all__ = ["BASE", "mount_console"]


def mount_console(app: FastAPI, *, secure_cookies: bool = False) -> None:
    """Serve the console from `app`; the runtime is `app.state.runtime`."""
    app.state.console = ConsoleConfig(secure_cookies)
    app.mount(
        BASE + "/static",
        StaticFiles(directory=Path(__file__).parent / "static"),
        name="console_static",
    )
    for module in (access, dashboard, accounts, actions, credits, audit, catalog, webhooks):
        app.include_router(module.router, prefix=BASE, include_in_schema=False)
