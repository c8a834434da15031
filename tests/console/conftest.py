"""Console fixtures: a runtime on the HAP catalog per module (operators and accounts keep tests
apart), an app over it, and a runtime of its own for tests that count failures or move the
clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.portal.portal_builders import HAP, a_runtime
from tierline.api.app import create_app
from tierline.runtime import Runtime


@pytest.fixture(scope="module")
def hap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    rt = a_runtime(tmp_path_factory.mktemp("console"), HAP)
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="module")
def app(hap: Runtime) -> FastAPI:
    return create_app(hap, secret_key="console-tests")


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Runtime]:
    rt = a_runtime(tmp_path, HAP)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def fresh_app(fresh: Runtime) -> FastAPI:
    return create_app(fresh, secret_key="console-tests")
