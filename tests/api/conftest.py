"""API fixtures: a runtime over the `engine` fixture (SQLite, and PostgreSQL when configured),
a small catalog, an operator API key, and HTTP clients with and without it.

Tests go through HTTP only; the runtime's test clock is the one thing they touch directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.builders import a_catalog
from tierline.api.app import create_app
from tierline.catalog import parse_catalog
from tierline.clock import TestClock
from tierline.payments import SandboxGateway
from tierline.runtime import Runtime
from tierline.services.catalog import install_catalog
from tierline.services.operators import create_api_key

POSTGRES_URL = os.environ.get("TIERLINE_TEST_POSTGRES_URL")


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    """Override in a test module or class to run it on another catalog."""
    return a_catalog()


@pytest.fixture
def runtime(
    engine: Engine, clock: TestClock, gateway: SandboxGateway, catalog_data: dict[str, Any]
) -> Runtime:
    rt = Runtime(engine, clock, gateway)
    install_catalog(parse_catalog(catalog_data), uow=rt.uow(), clock=clock)
    return rt


@pytest.fixture
def api_key(runtime: Runtime) -> str:
    return create_api_key("tests", uow=runtime.uow(), clock=runtime.clock).secret


@pytest.fixture
def anonymous(runtime: Runtime) -> Iterator[TestClient]:
    """A client with no Authorization header."""
    with TestClient(create_app(runtime)) as client:
        yield client


@pytest.fixture
def client(runtime: Runtime, api_key: str) -> Iterator[TestClient]:
    """A client authenticated with a valid operator API key."""
    app = create_app(runtime)
    with TestClient(app, headers={"Authorization": f"Bearer {api_key}"}) as client:
        yield client
