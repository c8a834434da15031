from __future__ import annotations

import pytest

from tierline.catalog import loader


@pytest.fixture(params=["fastest", "pure Python"])
def each_yaml_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test runs with each way this installation reads YAML: libyaml's where PyYAML has it,
    and PyYAML's own."""
    chosen = loader.YAML_LOADERS[0 if request.param == "fastest" else -1]
    monkeypatch.setattr(loader, "YAML_LOADERS", (chosen,))
