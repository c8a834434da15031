"""An app no longer used is freed. FastAPI keeps what it learns of each endpoint in caches of
its own, process-wide: an endpoint that closed over its app would keep the app alive, with its
runtime and routes (the test suite makes thousands of apps in one process)."""

from __future__ import annotations

import gc
import weakref

from fastapi.testclient import TestClient

from tierline.api.app import create_app
from tierline.runtime import Runtime

PAGES = ("/docs", "/redoc", "/docs/oauth2-redirect", "/health", "/portal/", "/console/")


def test_an_app_no_longer_used_is_freed(runtime: Runtime) -> None:
    app = create_app(runtime)
    with TestClient(app) as client:
        for page in PAGES:
            assert client.get(page, follow_redirects=False).status_code < 500
    app_ref = weakref.ref(app)
    del app, client

    gc.collect()

    assert app_ref() is None
