"""The customer portal at `/portal`: server-rendered pages for an account's members.

    mount_portal(app, secret_key=None, seller=None)

Access is by a one-time link from `POST /v1/portal_sessions`; the link turns into a signed
session cookie. Admins buy, change, cancel and pay; members look. Every page is in the account's
language (English, French, Italian, Vietnamese) and every action calls a service.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tierline.documents import Seller
from tierline.portal.rendering import BASE
from tierline.portal.routes import (
    billing,
    details,
    einvoices,
    home,
    manage,
    plans,
    provider,
    wallet,
)
from tierline.portal.session import PortalConfig

DEFAULT_SELLER = Seller(name="Tierline")

__all__ = ["BASE", "DEFAULT_SELLER", "mount_portal"]


def mount_portal(
    app: FastAPI,
    *,
    secret_key: str | None = None,
    seller: Seller | None = None,
    secure_cookies: bool = False,
) -> None:
    """Serve the portal from `app`. Without `secret_key`, sessions last as long as the process:
    give every process the same key to run several. The runtime is `app.state.runtime`."""
    app.state.portal = PortalConfig(
        secret_key or secrets.token_urlsafe(32), seller or DEFAULT_SELLER, secure_cookies
    )
    app.mount(
        BASE + "/static",
        StaticFiles(directory=Path(__file__).parent / "static"),
        name="portal_static",
    )
    for module in (home, plans, manage, billing, wallet, provider, details, einvoices):
        app.include_router(module.router, prefix=BASE, include_in_schema=False)
