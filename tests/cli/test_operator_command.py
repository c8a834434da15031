"""`tierline operator create` and `tierline operator link`: the first owner of the console and
its one-time password link."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tierline.cli import app

runner = CliRunner()


def _env(tmp_path: Path) -> dict[str, str]:
    return {"TIERLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'tierline.db'}"}


def test_operator_create_prints_a_one_time_password_link(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["operator", "create", "--email", "boss@example.com", "--role", "owner"],
        env=_env(tmp_path),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert result.output.startswith("http://127.0.0.1:8000/console/password/")


def test_a_second_operator_with_the_same_email_fails_with_a_message(tmp_path: Path) -> None:
    args = ["operator", "create", "--email", "boss@example.com"]
    runner.invoke(app, args, env=_env(tmp_path))

    again = runner.invoke(app, args, env=_env(tmp_path))

    assert again.exit_code == 1
    assert "exists already" in again.output


def test_an_unknown_role_fails_with_the_roles_listed(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["operator", "create", "--email", "a@example.com", "--role", "admin"],
        env=_env(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "owner, finance, support, read_only" in result.output


def test_operator_link_prints_another_link_for_the_same_operator(tmp_path: Path) -> None:
    first = runner.invoke(
        app, ["operator", "create", "--email", "boss@example.com"], env=_env(tmp_path)
    )
    again = runner.invoke(app, ["operator", "link", "boss@example.com"], env=_env(tmp_path))
    assert again.exit_code == 0, again.output
    assert again.output.startswith("http://") and again.output != first.output
