"""Run a scenario: a catalog, a test clock and a timeline of steps, on a fresh in-memory store.

The steps call the same services as the API. A refused step is recorded, never fatal, unless
the step says which refusal it expects and gets another outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tierline import views as output
from tierline.catalog import load_catalog, parse_catalog, read_yaml
from tierline.clock import TestClock
from tierline.domain.catalog import Catalog
from tierline.domain.catalog_versions import EXISTING
from tierline.domain.documents import CreditNote, Invoice
from tierline.domain.plan import NO_EDITION
from tierline.domain.reconciliation import Resource
from tierline.domain.subscription import Subscription
from tierline.errors import Invalid, NotFound, TierlineError
from tierline.payments import SandboxGateway
from tierline.services import accounts as account_services
from tierline.services import balance as balance_services
from tierline.services import change as change_services
from tierline.services import content as content_services
from tierline.services import queries
from tierline.services import subscriptions as subscription_services
from tierline.services.catalog import install_catalog
from tierline.services.renewal import advance_clock
from tierline.store.tables import metadata
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
    # Subscriptions by the names the scenario gives them, per account.
    subscriptions: dict[tuple[str, str], str] = field(default_factory=dict)
    base: Path = Path(".")  # where the scenario's catalog paths are read from

    def subscription_id(self, account: str, name: Any) -> str | None:
        """The subscription a step names (None: the account's base subscription)."""
        if name is None:
            return None
        found = self.subscriptions.get((account, str(name)))
        if found is None:
            raise NotFound(
                f"The account has no subscription '{name}'.", code="no_subscription",
                param="subscription",
            )  # fmt: skip
        return found

    def name_of(self, subscription_id: str | None) -> str | None:
        if subscription_id is None:
            return None
        named = (n for (_, n), sid in self.subscriptions.items() if sid == subscription_id)
        return next(named, subscription_id)

    def name_new(self, account: str, name: Any, edition: str) -> tuple[str, str]:
        """The name and id of a subscription a step starts: as given, or `base` (an edition) or
        `packs` (add-ons only), numbered from 2 when taken."""
        if name is not None:
            if (account, str(name)) in self.subscriptions:
                raise Invalid(
                    f"The account has a subscription '{name}' already.", param="subscription"
                )
            chosen = str(name)
        else:
            stem = "base" if edition else "packs"
            chosen, n = stem, 1
            while (account, chosen) in self.subscriptions:
                n += 1
                chosen = f"{stem}-{n}"
        return chosen, f"sub_{account}_{chosen}"


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
    if not _FIRST_YEAR <= instant.year <= _LAST_YEAR:  # periods and retries must fit after it
        raise ScenarioFailed(f"{where}: a year from {_FIRST_YEAR} to {_LAST_YEAR}")
    return instant


_FIRST_YEAR, _LAST_YEAR = 1970, 2999


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
        # A store that lasts one run takes the declared schema at once (the same as the
        # migrations make: tests/store/test_migrations.py); migrating is for databases that last.
        engine = create_engine("sqlite://")
        metadata.create_all(engine)
    start = parse_instant(data.get("start"), "start")
    clock = TestClock(start)
    sim = Simulation(catalog, clock, UnitOfWork(engine), gateway=SandboxGateway(clock=clock))
    sim.base = base
    install_catalog(catalog, uow=sim.uow, clock=sim.clock)
    for i, spec in enumerate(_listed(data.get("accounts"), "accounts")):
        _create_account(sim, _Given(spec, f"accounts[{i}]"), f"accounts[{i}]")
    for index, step in enumerate(_listed(data.get("steps"), "steps")):
        _run_step(sim, index, _Given(step, f"steps[{index}]"))
    return report(sim)


class _Given(Mapping[str, Any]):
    """A mapping of the scenario file, which names where it is when it is not one, or when a
    field asked for is missing."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, Mapping):
            raise ScenarioFailed(f"{where}: a mapping expected, got {_kind(value)}")
        self._value = value
        self.where = where

    def __getitem__(self, key: str) -> Any:
        if key not in self._value:
            raise ScenarioFailed(f"{self.where}.{key}: required")
        return self._value[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._value.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._value

    def __iter__(self) -> Iterator[str]:
        return iter(self._value)

    def __len__(self) -> int:
        return len(self._value)


def _listed(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ScenarioFailed(f"{where}: a list expected, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _create_account(sim: Simulation, spec: Mapping[str, Any], where: str) -> None:
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
            currency=_text(spec.get("currency")),
            timezone=_text(spec.get("timezone")) or "UTC",
            locale=_text(spec.get("locale")) or "en",
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
    methods = _listed(spec.get("payment_methods"), f"{where}.payment_methods")
    for i, given in enumerate(methods):
        method = _Given(given, f"{where}.payment_methods[{i}]")
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


def _whole(value: Any, field: str) -> int | None:
    """A whole number the scenario gives, or none; anything else is refused as the API refuses
    it, with the field named."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise Invalid(f"{field} must be a whole number, got {value!r}.", param=field)


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
        _ACTIONS[name](sim, index, _Given(step[name] or {}, f"steps[{index}].{name}"))
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
    """Without `edition`, an add-on-only subscription beside the account's edition."""
    account = args["account"]
    edition = str(args.get("edition") or NO_EDITION)
    name, sub_id = sim.name_new(account, args.get("subscription"), edition)
    sim.subscriptions[(account, name)] = sub_id
    try:
        _start(sim, account, edition, sub_id, args)
    except TierlineError:
        try:
            subscription_services.read_subscription(sub_id, uow=sim.uow)
        except NotFound:  # not started: the name is free again
            del sim.subscriptions[(account, name)]
        raise


def _start(
    sim: Simulation, account: str, edition: str, sub_id: str, args: Mapping[str, Any]
) -> None:
    subscription_services.subscribe(
        subscription_services.Subscribe(
            account_id=account,
            edition=edition,
            cycle=args["cycle"],
            quantity=_whole(args.get("quantity"), "quantity"),
            addons=args.get("addons") or {},
            trial=bool(args.get("trial", True)),
            auto_renew=bool(args.get("auto_renew", True)),
            id=sub_id,
        ),
        uow=sim.uow,
        clock=sim.clock,
        gateway=sim.gateway,
    )


def _change_request(
    sim: Simulation, account: str, args: Mapping[str, Any], subscription: Any = None
) -> change_services.ChangeRequest:
    known = {"edition", "cycle", "quantity", "addons"}
    if set(args) - known:
        raise Invalid(f"Unknown change field(s): {sorted(set(args) - known)}")
    return change_services.ChangeRequest(
        account_id=account,
        edition=args.get("edition"),
        cycle=args.get("cycle"),
        quantity=_whole(args.get("quantity"), "quantity"),
        addons=args.get("addons") or {},
        subscription_id=sim.subscription_id(account, subscription),
    )


def _change(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    fields = {k: v for k, v in args.items() if k not in ("account", "subscription")}
    request = _change_request(sim, args["account"], fields, args.get("subscription"))
    change_services.apply_change(request, uow=sim.uow, clock=sim.clock, gateway=sim.gateway)


def _preview(sim: Simulation, index: int, args: Mapping[str, Any]) -> None:
    change = _Given(args.get("change") or {}, f"steps[{index}].preview.change")
    request = _change_request(sim, args["account"], change, args.get("subscription"))
    preview = change_services.preview_change(request, uow=sim.uow, clock=sim.clock)
    currency = queries.get_account(args["account"], uow=sim.uow).currency
    view = output.preview(preview, currency)
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
        subscription_services.SetAutoRenew(
            args["account"],
            bool(args["enabled"]),
            sim.subscription_id(args["account"], args.get("subscription")),
        ),
        uow=sim.uow,
        clock=sim.clock,
    )


def _cancel_pending_change(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    change_services.cancel_pending_change(
        args["account"],
        uow=sim.uow,
        clock=sim.clock,
        subscription_id=sim.subscription_id(args["account"], args.get("subscription")),
    )


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


def _replace_catalog(sim: Simulation, _: int, args: Mapping[str, Any]) -> None:
    """A new catalog version; `existing` says what happens to subscriptions whose price it
    changes: `keep` (the default) or `next_renewal`."""
    existing = args.get("existing", "keep")
    if existing not in EXISTING:
        raise Invalid(
            f"existing: one of {', '.join(EXISTING)}; got '{existing}'.", param="existing"
        )
    catalog = scenario_catalog(args, sim.base)
    install_catalog(catalog, existing=existing, uow=sim.uow, clock=sim.clock)
    sim.catalog = catalog


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
    "replace_catalog": _replace_catalog,
    "advance": _advance,
}


def report(sim: Simulation) -> dict[str, Any]:
    accounts: dict[str, Any] = {}
    currency = sim.catalog.currency  # each account's, in the loop below

    def tax(doc: Invoice | CreditNote) -> dict[str, Any]:
        """Documents carry their tax only when the catalog has `tax` (the output is otherwise
        what it was before tax existed)."""
        return output.taxes(doc, currency) if sim.catalog.tax is not None else {}

    def named(doc: dict[str, Any]) -> dict[str, Any]:
        """Lines name their subscription as the scenario does."""
        for item in doc["lines"]:
            item["subscription"] = sim.name_of(item["subscription"])
        return doc

    def view(sub: Subscription | None) -> dict[str, Any] | None:
        shown = output.subscription(sub, sim.catalog)
        return None if shown is None else {**shown, "id": sim.name_of(shown["id"])}

    with sim.uow.reading() as uow:
        for account_id in sim.account_ids:
            currency = uow.accounts.currency_of(account_id)  # all its documents are in it
            invoices = uow.documents.invoices_for(account_id)
            billed = {doc.number: doc.subscription_id for doc in invoices}
            held = sorted(uow.subscriptions.all_for(account_id), key=lambda s: (s.started_at, s.id))
            accounts[account_id] = {
                "currency": currency,
                "balance": output.money(uow.journal.balance(account_id), currency),
                "subscription": view(uow.subscriptions.current_for(account_id)),
                "subscriptions": {sim.name_of(sub.id): view(sub) for sub in held},
                "invoices": [
                    named({**output.invoice(doc, currency), **tax(doc), "currency": currency})
                    for doc in invoices
                ],
                "credit_notes": [
                    named(
                        {
                            **output.credit_note(
                                doc, currency, billed.get(doc.invoice_number or "")
                            ),
                            **tax(doc),
                            "currency": currency,
                        }
                    )
                    for doc in uow.documents.credit_notes_for(account_id)
                ],
                "receipts": [
                    {**output.receipt(doc, currency), "currency": currency}
                    for doc in uow.documents.receipts_for(account_id)
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
        "currency": sim.catalog.currency,
        "accounts": accounts,
        "previews": sim.previews,
        "rejected": sim.rejected,
        "gateway": [movement.as_json() for movement in sim.gateway.charges()],
    }


def _activation(resource: Resource) -> tuple[bool, datetime, str]:
    """Oldest activated first, never activated last, then by id: the same on every store."""
    at = resource.activated_at
    return (at is None, at or _NEVER, resource.id)
