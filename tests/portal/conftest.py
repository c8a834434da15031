"""Portal fixtures: one runtime per module on each seed's catalog (accounts keep tests apart),
an app over it, and an operator API client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from portal_builders import ASSOCIATION, HAP, WAITING_ROOM, a_runtime

from tierline.api.app import create_app
from tierline.runtime import Runtime
from tierline.services.operators import create_api_key


@pytest.fixture(scope="module")
def hap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    rt = a_runtime(tmp_path_factory.mktemp("hap"), HAP)
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="module")
def association(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    rt = a_runtime(tmp_path_factory.mktemp("association"), ASSOCIATION)
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="module")
def waiting_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    rt = a_runtime(tmp_path_factory.mktemp("waiting-room"), WAITING_ROOM)
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="module")
def waiting_room_app(waiting_room: Runtime) -> FastAPI:
    return create_app(waiting_room, secret_key="portal-tests")


@pytest.fixture(scope="module")
def hap_app(hap: Runtime) -> FastAPI:
    return create_app(hap, secret_key="portal-tests")


@pytest.fixture(scope="module")
def association_app(association: Runtime) -> FastAPI:
    return create_app(association, secret_key="portal-tests")


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Runtime]:
    """A runtime of its own, for a test that moves the clock."""
    rt = a_runtime(tmp_path, HAP)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def operator(hap: Runtime, hap_app: FastAPI) -> TestClient:
    key = create_api_key("portal tests", uow=hap.uow(), clock=hap.clock).secret
    return TestClient(hap_app, headers={"Authorization": f"Bearer {key}"})
