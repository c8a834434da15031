"""`tierline collect` as an operator runs it, beside `tierline billing run`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tierline.cli import app

runner = CliRunner()


def _without_a_catalog(tmp_path: Path) -> dict[str, str]:
    return {"TIERLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'tierline.db'}"}


def test_the_billing_run_without_a_catalog_fails_with_a_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["billing", "run"], env=_without_a_catalog(tmp_path))

    assert result.exit_code == 1
    assert "No catalog is loaded." in result.output


def test_collect_without_a_catalog_fails_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["collect"], env=_without_a_catalog(tmp_path))

    assert result.exit_code == 1, result.output
    assert "No catalog is loaded." in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
