"""`tierline …`: check a catalog, simulate a scenario, migrate a database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from tierline.catalog import CatalogError, load_catalog

app = typer.Typer(help="Tierline: subscription plans and billing.", no_args_is_help=True)
catalog_app = typer.Typer(help="Work with catalog files.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("check")
def catalog_check(path: Path) -> None:
    """Validate a catalog file; every error names the path of the bad field."""
    try:
        catalog = load_catalog(path)
    except CatalogError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1) from None
    except OSError as err:
        typer.echo(f"{path}: {err.strerror}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{path}: ok — {len(catalog.editions)} editions, {len(catalog.cycles)} cycles, "
        f"{len(catalog.addons)} add-ons, {len(catalog.meters)} meters, currency {catalog.currency}"
    )


@app.command()
def simulate(
    path: Path,
    out: Path | None = typer.Option(None, help="Write the JSON here instead of stdout."),
) -> None:
    """Run a scenario offline and print every document and balance as JSON."""
    from tierline.simulate import ScenarioFailed, run_file

    try:
        result = run_file(path)
    except (ScenarioFailed, CatalogError) as err:
        typer.echo(f"{path}: {err}", err=True)
        raise typer.Exit(1) from None
    except OSError as err:
        typer.echo(f"{path}: {err.strerror}", err=True)
        raise typer.Exit(1) from None
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.write_text(text + "\n", encoding="utf-8")


@app.command()
def migrate() -> None:
    """Bring the configured database to the newest schema."""
    from tierline.config import Settings
    from tierline.store.migrate import migrate as run_migrations
    from tierline.store.uow import create_engine

    settings = Settings()
    run_migrations(create_engine(settings.database_url))
    typer.echo(f"migrated {settings.database_url}")


if __name__ == "__main__":
    app()
