"""Run a scenario: a catalog, a test clock and a timeline of steps, on a fresh in-memory store.

The steps call the same services as the API. A refused step is recorded, never fatal, unless
the step says which refusal it expects and gets another outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tierline import views as output
from tierline.catalog import load_catalog, parse_catalog, read_yaml
from tierline.clock import TestClock
from tierline.domain.catalog import Catalog
from tierline.domain.documents import CreditNote, Invoice
from tierline.domain.reconciliation import Resource
from tierline.errors import Invalid, TierlineError
from tierline.payments import SandboxGateway
from tierline.services import accounts as account_services
from tierline.services import balance as balance_services
from tierline.services import change as change_services
from tierline.services import content as content_services
from tierline.services import subscriptions as subscription_services
from tierline.services.catalog import install_catalog
from tierline.services.renewal import advance_clock
from tierline.store.migrate import migrate
from tierline.store.uow import UnitOfWork, create_engine

_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class ScenarioFailed(Exception):
    """The scenario's own expectations were not met (`expect_error`), or the file is malformed."""


@dataclass
class Simulation:
    catalog: Catalog
    clock: TestClock
    uow: UnitOfWork
    gateway: SandboxGateway = field(default_factory=SandboxGateway)
    previews: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    account_ids: list[str] = field(default_factory=list)


def parse_instant(value: Any, where: str) -> datetime:
    if isinstance(value, datetime):
        instant = value
    else:
        try:
            instant = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ScenarioFailed(f"{where}: '{value}' is not an ISO 8601 instant") from None
    if instant.tzinfo is None:
        raise ScenarioFailed(f"{where}: '{value}' needs a timezone (e.g. Z)")
    return instant


def load_scenario(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    data = read_yaml(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(data, dict):
        raise ScenarioFailed(f"{path}: a scenario is a mapping")
    return data


def scenario_catalog(data: Mapping[str, Any], base: Path) -> Catalog:
    source = data.get("catalog")
    if isinstance(source, str):
        return load_catalog(base / source)
    if isinstance(source, Mapping):
        return parse_catalog(source, source="scenario catalog")
    raise ScenarioFailed("catalog: give a path or an inline catalog")


def run_file(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    return run(load_scenario(path), base=path.parent)


def run(
    data: Mapping[str, Any], *, base: Path = Path("."), engine: Engine | None = None
) -> dict[str, Any]:
    """Run a scenario on a fresh in-memory store, or on the given (empty, migrated) engine."""
    catalog = scenario_catalog(data, base)
    if engine is None:
        engine = create_engine("sqlite://")
        migrate(engine)
    start = parse_instant(data.get("start"), "start")
    clock = TestClock(start)
    sim = Simulation(catalog, clock, UnitOfWork(engine), gateway=SandboxGateway(clock=clock))
    install_catalog(catalog, uow=sim.uow, clock=sim.clock)
    for i, spec in enumerate(data.get("accounts") or []):
        _create_account(sim, spec, f"accounts[{i}]")
    for index, step in enumerate(data.get("steps") or []):
        _run_step(sim, index, step)
    return report(sim)


def _create_account(sim: Simulation, spec: Mapping[str, Any], where: str) -> None:
    if "id" not in spec:
        raise ScenarioFailed(f"{where}.id: required")
    try:
        _create_account_as_given(sim, spec, where)
    except TierlineError as refused:
        field = f".{refused.param}" if refused.param else ""
        raise ScenarioFailed(f"{where}{field}: {refused.code}: {refused.message}") from None


def _create_account_as_given(sim: Simulation, spec: Mapping[str, Any], where: str) -> None:
    account = account_services.create_account(
        account_services.CreateAccount(
            id=str(spec["id"]),
            name=str(spec.get("name", spec["id"])),
            timezone=spec.get("timezone", "UTC"),
            locale=spec.get("locale", "en"),
            sales_managed=bool(spec.get("sales_managed", False)),
            country=_text(spec.get("country")),
            region=_text(spec.get("region")),
            address=_address(spec.get("address"), f"{where}.address"),
            tax_id=_text(spec.get("tax_id")),
        ),
        uow=sim.uow,
        clock=sim.clock,
    )
    sim.account_ids.append(account.id)
    for method in spec.get("payment_methods") or []:
        account_services.add_payment_method(
            account_services.AddPaymentMethod(
                account_id=account.id,
                card=str(method["card"]),
                id=method.get("id"),
                backup=bool(method.get("backup", False)),
            ),
            uow=sim.uow,
            clock=sim.clock,
            gateway=sim.gateway,
        )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _address(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        raise ScenarioFailed(f"{where}: a list of printed lines")
    return tuple(str(line) for line in value)


def _run_step(sim: Simulation, index: int, step: Mapping[str, Any]) -> None:
    expected = step.get("expect_error")
    actions = [k for k in step if k in _ACTIONS]
    unknown = [k for k in step if k not in _ACTIONS and k not in ("at", "expect_error")]
    if unknown or len(actions) != 1:
        raise ScenarioFailed(
            f"steps[{index}]: one action of {sorted(_ACTIONS)} expected, got {sorted(step)}"
        )
    if "at" in step:
        to = parse_instant(step["at"], f"steps[{index}].at")
        if to < sim.clock.now():
            raise ScenarioFailed(f"steps[{index}].at: time only moves forward")
        advance_clock(to, uow=sim.uow, clock=sim.clock, gateway=sim.gateway)
    name = actions[0]
    try:
        _ACTIONS[name](sim, index, step[name] or {})
    except TierlineError as refused:
        sim.rejected.append({"step": index, "code": refused.code, "message": refused.message})
        if expected is not None and expected != refused.code:
            raise ScenarioFailed(
                f"steps[{index}]: expected error {expected}, got {refused.code}: {refused.message}"
            ) from None
        return
    if expected is not None:
        raise ScenarioFailed(f"steps[{index}]: expected error {expected}, but {name} succeeded")


def _subscribe(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    subscription_services.subscribe(
        subscription_services.Subscribe(
            account_id=args["account"],
            edition=args["edition"],
            cycle=args["cycle"],
            quantity=args.get("quantity"),
            addons=args.get("addons") or {},
            trial=bool(args.get("trial", True)),
            auto_renew=bool(args.get("auto_renew", True)),
        ),
        uow=sim.uow,
        clock=sim.clock,
        gateway=sim.gateway,
    )


def _change_request(account: str, args: Mapping[str, Any]) -> change_services.ChangeRequest:
    known = {"edition", "cycle", "quantity", "addons"}
    if set(args) - known:
        raise Invalid(f"Unknown change field(s): {sorted(set(args) - known)}")
    return change_services.ChangeRequest(
        account_id=account,
        edition=args.get("edition"),
        cycle=args.get("cycle"),
        quantity=args.get("quantity"),
        addons=args.get("addons") or {},
    )


def _change(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    fields = {k: v for k, v in args.items() if k != "account"}
    change_services.apply_change(
        _change_request(args["account"], fields), uow=sim.uow, clock=sim.clock, gateway=sim.gateway
    )


def _preview(sim: Simulation, index: int, args: Mapping[str, Any]) -> None:
    preview = change_services.preview_change(
        _change_request(args["account"], args.get("change") or {}), uow=sim.uow, clock=sim.clock
    )
    view = output.preview(preview, sim.catalog.currency)
    sim.previews.append({"step": index, "account": args["account"], **view})


def _top_up(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    balance_services.top_up(
        balance_services.TopUp(
            account_id=args["account"],
            amount=str(args["amount"]),
            payment_method=args.get("payment_method"),
        ),
        uow=sim.uow,
        clock=sim.clock,
        gateway=sim.gateway,
    )


def _usage(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    balance_services.record_usage(
        balance_services.RecordUsage(args["account"], args["meter"], int(args["quantity"])),
        uow=sim.uow,
        clock=sim.clock,
    )


def _set_auto_renew(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    subscription_services.set_auto_renew(
        subscription_services.SetAutoRenew(args["account"], bool(args["enabled"])),
        uow=sim.uow,
        clock=sim.clock,
    )


def _cancel_pending_change(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    change_services.cancel_pending_change(args["account"], uow=sim.uow, clock=sim.clock)


def _card_fails(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    methods = account_services.list_payment_methods(args["account"], uow=sim.uow)
    method = next((m for m in methods if m.id == args["payment_method"]), None)
    if method is None:
        raise Invalid(f"No payment method '{args['payment_method']}'.", param="payment_method")
    sim.gateway.decline(method.token)


def _add_payment_method(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    account_services.add_payment_method(
        account_services.AddPaymentMethod(
            account_id=args["account"],
            card=str(args["card"]),
            id=args.get("id"),
            primary=args.get("primary"),
            backup=bool(args.get("backup", False)),
        ),
        uow=sim.uow,
        clock=sim.clock,
        gateway=sim.gateway,
    )


def _remove_payment_method(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    account_services.remove_payment_method(args["account"], args["payment_method"], uow=sim.uow)


def _resource(sim: Simulation, index: int, args: Mapping[str, Any]) -> None:
    activated_at = args.get("activated_at")
    content_services.report_resource(
        content_services.ReportResource(
            account_id=args["account"],
            id=str(args["id"]),
            type=str(args["type"]),
            parent=None if args.get("parent") is None else str(args["parent"]),
            attributes=dict(args.get("attributes") or {}),
            activated_at=(
                None
                if activated_at is None
                else parse_instant(activated_at, f"steps[{index}].resource.activated_at")
            ),
        ),
        uow=sim.uow,
        clock=sim.clock,
    )


def _remove_resource(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    content_services.remove_resource(args["account"], str(args["id"]), uow=sim.uow, clock=sim.clock)


def _advance(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    """The clock already moved to the step's `at`."""


_ACTIONS: dict[str, Callable[[Simulation, int, Mapping[str, Any]], None]] = {
    "subscribe": _subscribe,
    "change": _change,
    "preview": _preview,
    "top_up": _top_up,
    "usage": _usage,
    "set_auto_renew": _set_auto_renew,
    "cancel_pending_change": _cancel_pending_change,
    "card_fails": _card_fails,
    "add_payment_method": _add_payment_method,
    "remove_payment_method": _remove_payment_method,
    "resource": _resource,
    "remove_resource": _remove_resource,
    "advance": _advance,
}


def report(sim: Simulation) -> dict[str, Any]:
    currency = sim.catalog.currency
    accounts: dict[str, Any] = {}

    def tax(doc: Invoice | CreditNote) -> dict[str, Any]:
        """Documents carry their tax only when the catalog has `tax` (the output is otherwise
        what it was before tax existed)."""
        return output.taxes(doc, currency) if sim.catalog.tax is not None else {}

    with sim.uow.reading() as uow:
        for account_id in sim.account_ids:
            accounts[account_id] = {
                "balance": output.money(uow.journal.balance(account_id), currency),
                "subscription": output.subscription(
                    uow.subscriptions.current_for(account_id), sim.catalog
                ),
                "invoices": [
                    {**output.invoice(doc, currency), **tax(doc)}
                    for doc in uow.documents.invoices_for(account_id)
                ],
                "credit_notes": [
                    {**output.credit_note(doc, currency), **tax(doc)}
                    for doc in uow.documents.credit_notes_for(account_id)
                ],
                "receipts": [
                    output.receipt(doc, currency) for doc in uow.documents.receipts_for(account_id)
                ],
                "payments": [
                    output.payment(p, currency)
                    for p in uow.payments.for_account(account_id)
                    if p.status not in ("created", "sent")  # no outcome yet: not a movement
                ],
                "messages": [
                    {"at": output.instant(m["at"]), "kind": m["kind"], "text": m["text"]}
                    for m in uow.outbox.for_account(account_id)
                ],
                "resources": [
                    output.resource(r)
                    for r in sorted(uow.resources.for_account(account_id), key=_activation)
                ],
                "reconciliations": [
                    output.reconciliation(r) for r in uow.reconciliations.for_account(account_id)
                ],
            }
    return {
        "now": output.instant(sim.clock.now()),
        "currency": currency,
        "accounts": accounts,
        "previews": sim.previews,
        "rejected": sim.rejected,
        "gateway": [movement.as_json() for movement in sim.gateway.charges()],
    }


def _activation(resource: Resource) -> tuple[bool, datetime, str]:
    """Oldest activated first, never activated last, then by id: the same on every store."""
    at = resource.activated_at
    return (at is None, at or _NEVER, resource.id)
