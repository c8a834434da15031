"""`tierline …`: check a catalog, simulate a scenario, migrate a database."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tierline.catalog import CatalogError, load_catalog
from tierline.defaults import DEFAULT_BATCH, DEFAULT_CONCURRENCY

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tierline.config import Settings
    from tierline.domain.catalog import Catalog
    from tierline.domain.catalog_diff import CustomerDiff
    from tierline.payments import Gateway
    from tierline.runtime import Runtime

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
        f"{len(catalog.addons)} add-ons, {len(catalog.meters)} meters, "
        + (
            f"currencies {', '.join(catalog.currencies)}"
            if catalog.currencies
            else f"currency {catalog.currency}"
        )
    )


@catalog_app.command("diff")
def catalog_diff(
    old: str = typer.Argument(help="A catalog file, or a version number of the database (3, v3)."),
    new: str = typer.Argument(help="A catalog file, or a version number of the database."),
) -> None:
    """What NEW changes for customers compared with OLD: prices up and down, editions added and
    removed, and how many live subscriptions of the configured database (TIERLINE_DATABASE_URL)
    would pay more or less for their plan."""
    from tierline.errors import NotFound
    from tierline.services.catalog_versions import customer_diff

    rt = _runtime()
    try:
        before, after = _diffed(rt, old), _diffed(rt, new)
    except CatalogError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1) from None
    except NotFound as err:
        typer.echo(err.message, err=True)
        raise typer.Exit(1) from None
    except OSError as err:
        typer.echo(f"{err.filename}: {err.strerror}", err=True)
        raise typer.Exit(1) from None
    for line in _customer_lines(customer_diff(before, after, uow=rt.uow()), after):
        typer.echo(line)


def _diffed(rt: Runtime, given: str) -> Catalog:
    """A catalog file, or a stored version by its number."""
    from tierline.services.catalog_versions import stored_version

    number = given.removeprefix("v")
    if number.isdigit() and not Path(given).exists():
        return stored_version(int(number), uow=rt.uow())
    return load_catalog(Path(given))


def _customer_lines(diff: CustomerDiff, catalog: Catalog) -> list[str]:
    lines = ["Prices:"]
    for move in diff.prices:
        unit = catalog.quantity_unit if move.item == "edition" else "pack"
        what = f"{move.name} ({move.cycle})"
        if not move.per_unit:
            what += f" × {move.quantity}"
        before = "—" if move.before is None else str(move.before)
        after = "—" if move.after is None else str(move.after)
        per = f" per {unit}" if move.per_unit else ""
        lines.append(f"  {move.direction:<8}{what}: {before} → {after} {move.currency}{per}")
    if not diff.prices:
        lines.append("  no price changes")
    lines.append("Editions added: " + (", ".join(diff.editions_added) or "none"))
    lines.append("Editions removed: " + (", ".join(diff.editions_removed) or "none"))
    a = diff.affected
    lines.append(
        f"Live subscriptions: {a.more} would pay more, {a.less} less, {a.same} the same, "
        f"{a.gone} could not renew their plan"
    )
    return lines


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
        said = str(err)  # an error in the scenario file itself names it already
        typer.echo(said if said.startswith(f"{path}:") else f"{path}: {said}", err=True)
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


apikey_app = typer.Typer(help="Operator API keys.", no_args_is_help=True)
app.add_typer(apikey_app, name="apikey")


def _runtime() -> Runtime:
    from tierline.clock import SystemClock, TestClock
    from tierline.config import Settings
    from tierline.payments import SandboxGateway
    from tierline.runtime import Runtime
    from tierline.store.migrate import migrate as run_migrations
    from tierline.store.uow import create_engine

    settings = Settings()
    engine = create_engine(settings.database_url)
    run_migrations(engine)
    clock = TestClock(SystemClock().now()) if settings.test_clock else SystemClock()
    if settings.payments == "stripe":
        return Runtime(engine, clock, _stripe(settings))
    gateway = SandboxGateway.for_database(
        settings.database_url, clock=clock, latency_ms=settings.sandbox_latency_ms
    )
    return Runtime(engine, clock, gateway)


def _stripe(settings: Settings) -> Gateway:
    from tierline.payments.stripe import StripeGateway

    if not settings.stripe_secret_key:
        typer.echo("TIERLINE_PAYMENTS=stripe needs TIERLINE_STRIPE_SECRET_KEY.", err=True)
        raise typer.Exit(1)
    return StripeGateway(
        settings.stripe_secret_key,
        publishable_key=settings.stripe_publishable_key or "",
        webhook_secret=settings.stripe_webhook_secret,
        api_base=settings.stripe_api_base,
    )


@apikey_app.command("create")
def apikey_create(name: str = typer.Option("default", help="What the key is for.")) -> None:
    """Create an operator API key and print its secret once; only a hash is stored."""
    from tierline.services.operators import create_api_key

    rt = _runtime()
    key = create_api_key(name, uow=rt.uow(), clock=rt.clock)
    typer.echo(key.secret)


operator_app = typer.Typer(help="Operator users of the console.", no_args_is_help=True)
app.add_typer(operator_app, name="operator")


@operator_app.command("create")
def operator_create(
    email: str = typer.Option(..., help="The operator's e-mail address; it signs in with it."),
    role: str = typer.Option("owner", help="owner, finance, support or read_only."),
) -> None:
    """Create an operator user of the console and print a one-time link (24 hours) that sets
    their password."""
    from tierline.config import Settings
    from tierline.errors import TierlineError
    from tierline.services.operator_users import CreateOperator, create_operator

    settings = Settings()
    rt = _runtime()
    try:
        new = create_operator(CreateOperator(email, role), uow=rt.uow(), clock=rt.clock)
    except TierlineError as err:
        typer.echo(err.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"http://{settings.host}:{settings.port}/console/password/{new.token}")


@operator_app.command("link")
def operator_link(email: str) -> None:
    """Print another one-time password link for the operator with this e-mail."""
    from tierline.config import Settings
    from tierline.errors import TierlineError
    from tierline.services.operator_users import reissue_link

    settings = Settings()
    rt = _runtime()
    try:
        new = reissue_link(email, uow=rt.uow(), clock=rt.clock)
    except TierlineError as err:
        typer.echo(err.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"http://{settings.host}:{settings.port}/console/password/{new.token}")


@app.command()
def serve(
    catalog: Path | None = typer.Option(None, help="Install this catalog first if none is loaded."),
) -> None:
    """Serve the REST API, the portal and the console on TIERLINE_HOST:TIERLINE_PORT."""
    import uvicorn

    from tierline.config import Settings

    rt = _runtime()
    if catalog is not None:
        _ensure_catalog(rt, catalog)
    settings = Settings()
    uvicorn.run(_app(rt, settings), host=settings.host, port=settings.port, log_level="info")


def _app(rt: Runtime, settings: Settings) -> FastAPI:
    from tierline.api.app import create_app
    from tierline.documents import Seller

    return create_app(
        rt,
        secret_key=settings.secret_key,
        seller=Seller(settings.seller_name),
        secure_cookies=settings.secure_cookies,
    )


def _ensure_catalog(rt: Runtime, path: Path) -> None:
    from tierline.errors import NotFound
    from tierline.services.catalog import current_catalog, install_catalog

    try:
        current_catalog(uow=rt.uow())
    except NotFound:
        install_catalog(load_catalog(path), uow=rt.uow(), clock=rt.clock)
        typer.echo(f"loaded catalog {path}")


@app.command()
def demo(
    catalog: Path = typer.Option(Path("examples/hap/catalog.yaml"), help="The demo catalog."),
) -> None:
    """Migrate, load the demo catalog, create a demo account and an API key, then serve."""
    import uvicorn

    from tierline.config import Settings
    from tierline.services.demo import (
        DEMO_OWNER,
        demo_owner_token,
        demo_portal_token,
        prepare_demo,
    )

    settings = Settings()
    rt = _runtime()
    _ensure_catalog(rt, catalog)
    secret = prepare_demo(rt)
    base = f"http://{settings.host}:{settings.port}"
    portal = f"{base}/portal/login/{demo_portal_token(rt)}"
    console = f"{base}/console/password/{demo_owner_token(rt)}"
    typer.echo(
        f"""
Tierline is running on {settings.database_url}.
  customer portal:        {portal}
                          (opens once, within 10 minutes; `tierline portal-link demo` for another)
  operator console:       {base}/console  (owner {DEMO_OWNER})
  set its password:       {console}
                          (once, within 24 hours; `tierline operator link {DEMO_OWNER}` for another)
  API docs (try it out):  {base}/docs
  operator API key:       {secret}
  demo account:           {base}/v1/accounts/demo  (Authorization: Bearer <key>)
  example:  curl -H 'Authorization: Bearer {secret}' '{base}/v1/subscriptions?account_id=demo'
"""
    )
    uvicorn.run(_app(rt, settings), host=settings.host, port=settings.port, log_level="warning")


@app.command("portal-link")
def portal_link(
    account: str,
    role: str = typer.Option("admin", help="admin (buys, changes, pays) or member (looks)."),
) -> None:
    """Print a one-time link into the customer portal for a member of ACCOUNT (10 minutes)."""
    from tierline.config import Settings
    from tierline.errors import TierlineError
    from tierline.services.portal_sessions import CreatePortalSession, create_portal_session

    settings = Settings()
    rt = _runtime()
    try:
        session = create_portal_session(
            CreatePortalSession(account, role), uow=rt.uow(), clock=rt.clock
        )
    except TierlineError as err:
        typer.echo(err.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"http://{settings.host}:{settings.port}/portal/login/{session.token}")


webhooks_app = typer.Typer(help="Webhooks out.", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")


@webhooks_app.command("dispatch")
def webhooks_dispatch(
    every: float | None = typer.Option(
        None, help="Keep running, dispatching again every this many seconds."
    ),
) -> None:
    """Send the webhook events due now: new events, and retries that fell due."""
    import time

    from tierline.notify import Dispatcher

    rt = _runtime()
    dispatcher = Dispatcher()
    while True:
        delivered = dispatcher.dispatch_once(rt)
        if every is None:
            typer.echo(f"delivered {delivered} webhook(s)")
            return
        if delivered:
            typer.echo(f"delivered {delivered} webhook(s)")
        time.sleep(every)


sandbox_app = typer.Typer(help="The sandbox payment gateway.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")


@sandbox_app.command("charges")
def sandbox_charges() -> None:
    """Print every charge and refund the sandbox accepted, in order, as JSON lines."""
    from tierline.config import Settings
    from tierline.payments import SandboxGateway

    gateway = SandboxGateway.for_database(Settings().database_url)
    try:
        for movement in gateway.charges():
            typer.echo(json.dumps(movement.as_json(), ensure_ascii=False))
    finally:
        gateway.close()


billing_app = typer.Typer(help="The billing run.", no_args_is_help=True)
app.add_typer(billing_app, name="billing")


_CONCURRENCY = typer.Option(
    DEFAULT_CONCURRENCY, min=1, help="Payment attempts sent to the provider at once."
)
_STALE_AFTER = typer.Option(
    300.0, min=0, help="Seconds after which an attempt sent with no outcome is asked about."
)


def _billing_pass(
    rt: Runtime,
    batch: int = DEFAULT_BATCH,
    concurrency: int = DEFAULT_CONCURRENCY,
    stale_after: float = 300.0,
) -> int:
    import logging
    import sys
    from datetime import timedelta

    from tierline.billing.run import RunReport, run_billing

    def run(progress: Callable[[int], None] | None = None) -> RunReport:
        return run_billing(
            rt, batch=batch, concurrency=concurrency, stale_after=timedelta(seconds=stale_after),
            progress=progress,
        )  # fmt: skip

    if sys.stderr.isatty():
        with typer.progressbar(length=0, label="settling what is due") as bar:
            report = run(lambda n: bar.update(n))
    else:
        report = run()
    logging.getLogger("tierline.billing").info(
        "billing run settled=%d at=%s", report.settled, rt.clock.now().isoformat()
    )
    return report.settled


@billing_app.command("run")
def billing_run(
    batch: int = typer.Option(DEFAULT_BATCH, min=1, help="Subscriptions settled per transaction."),
    concurrency: int = _CONCURRENCY,
    stale_after: float = _STALE_AFTER,
) -> None:
    """One pass over everything due: renewals, trial ends, scheduled changes, retries, debits;
    then the payments they decided are collected."""
    import logging

    from tierline.errors import TierlineError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        settled = _billing_pass(_runtime(), batch, concurrency, stale_after)
    except TierlineError as err:
        typer.echo(err.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"settled {settled}")


@app.command()
def collect(concurrency: int = _CONCURRENCY, stale_after: float = _STALE_AFTER) -> None:
    """Send the payment attempts committed and not sent yet, and settle those whose sender
    stopped before recording the outcome (asked about by their key, never sent anew)."""
    from datetime import timedelta

    from tierline.billing.run import run_collector
    from tierline.errors import TierlineError

    try:
        report = run_collector(
            _runtime(), concurrency=concurrency, stale_after=timedelta(seconds=stale_after)
        )
    except TierlineError as err:
        typer.echo(err.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"settled {report.settled}, outcome unknown {report.unknown}")


@app.command()
def worker(
    interval: float = typer.Option(60.0, help="Seconds between billing passes."),
    concurrency: int = _CONCURRENCY,
    stale_after: float = _STALE_AFTER,
) -> None:
    """Repeat the billing run (issue, then collect) forever, and ask the provider about
    payments left without an outcome; safe to run in several processes against PostgreSQL."""
    import logging
    import time

    from tierline.services.outcomes import reconcile_payments

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    rt = _runtime()
    while True:
        _billing_pass(rt, concurrency=concurrency, stale_after=stale_after)
        reconcile_payments(uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
        time.sleep(interval)


payments_app = typer.Typer(help="Payments at the provider.", no_args_is_help=True)
app.add_typer(payments_app, name="payments")


@payments_app.command("reconcile")
def payments_reconcile(
    older_than: float = typer.Option(
        900.0, min=0, help="Seconds an attempt is sent or processing before it is asked about."
    ),
) -> None:
    """Ask the provider about every payment sent or processing for longer than a threshold and
    record what it says; one it never received is left for `tierline collect` (same key)."""
    from datetime import timedelta

    from tierline.errors import TierlineError
    from tierline.services.outcomes import reconcile_payments

    rt = _runtime()
    try:
        report = reconcile_payments(
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway,
            older_than=timedelta(seconds=older_than),
        )  # fmt: skip
    except TierlineError as err:
        typer.echo(err.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"asked {report.asked}, recorded {report.recorded}, still waiting {report.waiting}, "
        f"not received {report.not_received}"
    )


report_app = typer.Typer(help="Reports for the operator.", no_args_is_help=True)
app.add_typer(report_app, name="report")


@report_app.command("tax")
def report_tax(
    start: datetime = typer.Option(..., "--from", formats=["%Y-%m-%d"], help="First issue day."),
    end: datetime = typer.Option(..., "--to", formats=["%Y-%m-%d"], help="Last issue day."),
    as_format: str = typer.Option("csv", "--format", help="csv or json."),
    currency: str | None = typer.Option(
        None, "--currency", help="The accounts billed in it; default the catalog's."
    ),
) -> None:
    """Taxable amounts and tax per country, rate and category of the documents issued from
    --from to --to (both included, UTC), credit notes subtracted: a VAT return's figures."""
    from tierline.errors import TierlineError
    from tierline.services.tax_report import as_csv, as_json, tax_report_for

    rt = _runtime()
    try:
        report = tax_report_for(start.date(), end.date(), uow=rt.uow(), currency=currency)
    except TierlineError as err:
        typer.echo(err.message, err=True)
        raise typer.Exit(1) from None
    if as_format == "json":
        typer.echo(json.dumps(as_json(report), indent=2))
    else:
        typer.echo(as_csv(report), nl=False)


if __name__ == "__main__":
    app()
