"""Catalog YAML → validated domain `Catalog`, or a `CatalogError` listing every problem.

Validation runs in two passes: the Pydantic schema (keys and types, all errors at once), then, on a
catalog whose shape is valid, the cross-field rules of `checks`. A file with shape errors therefore
reports those first; its cross-reference errors appear once the shape is fixed.
"""

from __future__ import annotations

import difflib
import os
import re
import types
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tierline.catalog.checks import check_catalog
from tierline.catalog.errors import CatalogError, CatalogIssue
from tierline.catalog.schema import (
    AddonModel,
    CatalogModel,
    EditionModel,
    PoliciesModel,
    PolicyModel,
    PriceModel,
    ReconciliationRuleModel,
    SellerModel,
    TaxModel,
)
from tierline.domain.catalog import (
    CHANGE_CLASS_ORDER,
    DEFAULT_POLICIES,
    Addon,
    BalanceRules,
    Catalog,
    ChangeClass,
    Collection,
    Cycle,
    Edition,
    Meter,
    Policies,
    Policy,
    Price,
    Proration,
    QuantityRange,
    ReconciliationRule,
    Renewal,
    Seller,
    TaxRate,
    TaxRules,
    Tier,
    TransitionRule,
    in_currencies,
)
from tierline.domain.periods import CycleLength
from tierline.i18n import DEFAULT_LANGUAGE


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, or a NUL in the path
        raise CatalogError([CatalogIssue(source, f"cannot be read: {exc}")], source=source) from exc
    return parse_catalog(read_yaml(text, source), source)


def read_yaml(text: str, source: str = "<catalog>") -> Any:
    """Parse YAML text, refusing duplicate keys, which YAML would otherwise silently overwrite."""
    try:
        return yaml.load(text, Loader=YAML_LOADERS[0])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise CatalogError([CatalogIssue(source, f"{where}{problem}")], source=source) from None
    except yaml.YAMLError as exc:
        raise CatalogError([CatalogIssue(source, f"invalid YAML: {exc}")], source=source) from None


def parse_catalog(data: Mapping[str, Any], source: str = "<catalog>") -> Catalog:
    if not isinstance(data, Mapping):
        found = "nothing" if data is None else type(data).__name__
        issue = CatalogIssue(source, f"a catalog must be a mapping, found {found}")
        raise CatalogError([issue], source=source)
    nul = _nul_at(data, ())
    if nul is not None:  # no store keeps it (PostgreSQL refuses it in text)
        issue = CatalogIssue(_format_path(nul), "must not contain a NUL character")
        raise CatalogError([issue], source=source)
    try:
        model = CatalogModel.model_validate(dict(data))
    except ValidationError as exc:
        raise CatalogError(_schema_issues(exc), source=source) from None
    issues = check_catalog(model)
    if issues:
        raise CatalogError(issues, source=source)
    return _catalog(model)


# A catalog nests a few levels (editions[0].prices[1].tiers[2].flat); far deeper is no catalog,
# and would exhaust the recursion of the YAML composer and of validation.
MAX_DEPTH = 32


def _nul_at(value: Any, loc: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The path of the first key or text holding a NUL character, if any."""
    if isinstance(value, str):
        return loc if "\x00" in value else None
    if isinstance(value, Mapping):
        items: Sequence[tuple[Any, Any]] = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return loc
        found = _nul_at(item, (*loc, key))
        if found is not None:
            return found
    return None


class _Strict(yaml.composer.Composer):
    """Composing with the nesting checked: far deeper than a catalog would exhaust the
    composer's recursion."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH and parent is not None:
                problem = f"nested more than {MAX_DEPTH} levels deep"
                raise yaml.composer.ComposerError(None, None, problem, parent.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _StrictLoader(_Strict, yaml.SafeLoader):
    pass


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _StrictCLoader(
        _Strict,
        yaml.constructor.SafeConstructor,
        yaml.resolver.Resolver,
        CParser,
    ):
        """libyaml reads the text into events, several times faster than PyYAML's own reader;
        they are composed here, in Python, as `_StrictLoader` composes them (libyaml's own
        composer would not check the nesting)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # an unhashable key: construct_mapping reports it
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
    return loader.construct_mapping(node, deep=True)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A date or an instant, or the line and column of one that does not exist (2026-02-30)."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as impossible:
        problem = f"{node.value} is not a date: {impossible}"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


# The ways of reading YAML this installation has, the fastest first; `read_yaml` takes the first.
# PyYAML's own reader last: it reads the same, only slower.
YAML_LOADERS: tuple[Any, ...] = (
    (_StrictCLoader, _StrictLoader) if yaml.__with_libyaml__ else (_StrictLoader,)
)
for _loader in YAML_LOADERS:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


# --- Pydantic errors → issues -------------------------------------------------------------------

_MESSAGES = {
    "missing": "is required",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
}


def _schema_issues(exc: ValidationError) -> list[CatalogIssue]:
    issues: list[CatalogIssue] = []
    for error in exc.errors():
        loc = error["loc"]
        if error["type"] == "invalid_key":  # a mapping key that is not a string, e.g. `1:`
            issues.append(CatalogIssue(_format_path(loc[:-1]), f"key {loc[-1]!r} is not a string"))
        elif loc and loc[-1] == "[key]":
            issues.append(CatalogIssue(_format_path(loc[:-2]), f"key {loc[-2]!r} is not a string"))
        else:
            issues.append(CatalogIssue(_format_path(loc), _message(error)))
    return issues


def _format_path(loc: Sequence[int | str]) -> str:
    """('editions', 2, 'prices', 0, 'per_unit') → 'editions[2].prices[0].per_unit'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "<catalog>"


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(error["loc"])
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}"
    if kind == "greater_than":
        return f"must be greater than {ctx['gt']}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "literal_error":
        return f"must be {ctx['expected']}"
    msg = error["msg"]
    return msg[:1].lower() + msg[1:]


def _unknown_key(loc: Sequence[int | str]) -> str:
    known = _keys_at(loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    return f"unknown key (did you mean '{close[0]}'?)" if close else "unknown key"


def _keys_at(loc: Sequence[int | str]) -> list[str]:
    """The keys the schema accepts at `loc`, found by walking the model annotations."""
    node: Any = CatalogModel
    for part in loc:
        node = _unwrap(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            fields = {f.alias or name: f for name, f in node.model_fields.items()}
            if part not in fields:
                return []
            node = fields[str(part)].annotation
        elif get_origin(node) in (list, dict):
            node = get_args(node)[-1]
        else:
            return []
    node = _unwrap(node)
    if isinstance(node, type) and issubclass(node, BaseModel):
        return [f.alias or name for name, f in node.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


# --- Models → domain ----------------------------------------------------------------------------


def _text(given: str | dict[str, str] | None) -> tuple[str | None, dict[str, str]]:
    """An operator's text as its English and its translations (none for a plain string)."""
    if given is None or isinstance(given, str):
        return given, {}
    return given[DEFAULT_LANGUAGE], dict(given)


def _texts(given: str | dict[str, str]) -> dict[str, str]:
    """A label by language; a plain string is the English, read in every language."""
    return {DEFAULT_LANGUAGE: given} if isinstance(given, str) else dict(given)


def _title(code: str) -> str:
    return re.sub(r"[-_\s]+", " ", code).strip().title() or code


def _catalog(m: CatalogModel) -> Catalog:
    """The catalog in its `currency`, with the same catalog in each of its other currencies."""
    codes = tuple(dict.fromkeys(m.currencies or [m.currency]))
    if len(codes) == 1:
        return _catalog_in(m, m.currency, codes)
    return in_currencies({code: _catalog_in(m, code, codes) for code in codes})[m.currency]


def _in(amount: Decimal | Mapping[str, Any], code: str) -> Decimal:
    """An amount of the file in `code`: a plain amount is the same in every currency (checks
    allow it plain only in `currency`, or when zero), a mapping has one per currency."""
    return amount if isinstance(amount, Decimal) else Decimal(amount[code])


def _catalog_in(m: CatalogModel, code: str, codes: tuple[str, ...]) -> Catalog:
    return Catalog(
        currency=code,
        currencies=codes if m.currencies is not None else (),
        quantity_unit=m.quantity_unit,
        cycles=tuple(
            Cycle(
                code=c.code,
                length=CycleLength(months=c.months or 0, days=c.days or 0),
                discount_percent=c.discount_percent,
                name=_text(c.name)[0],
                names=_text(c.name)[1],
            )
            for c in m.cycles
        ),
        editions=tuple(_edition(e, code) for e in m.editions),
        addons=tuple(_addon(a, code) for a in m.addons),
        meters=tuple(
            Meter(
                x.code,
                _text(x.name)[0] or _title(x.code),
                _in(x.unit_price, code),
                names=_text(x.name)[1],
            )
            for x in m.meters
        ),
        policies=_policies(m.policies),
        collection=Collection(mode=m.collection.mode, delay_days=m.collection.delay_days),
        renewal=Renewal(
            lead_days=m.renewal.lead_days,
            retry_days=tuple(m.renewal.retry_days),
            when_retries_fail=m.renewal.when_retries_fail,
            price_change_notice_days=m.renewal.price_change_notice_days,
        ),
        balance=BalanceRules(
            top_up_min=_in(m.balance.top_up_min, code),
            top_up_max=None if m.balance.top_up_max is None else _in(m.balance.top_up_max, code),
            apply_to_invoices=m.balance.apply_to_invoices,
        ),
        reconciliation=tuple(_reconciliation_rule(r) for r in m.reconciliation),
        quotas=tuple(m.quotas),
        limit_labels={name: _texts(label) for name, label in m.limit_labels.items()},
        quantity_unit_forms={
            language: dict(words) for language, words in m.quantity_unit_forms.items()
        },
        seller=None if m.seller is None else _seller(m.seller),
        tax=None if m.tax is None else _tax(m.tax),
    )


def _edition(e: EditionModel, code: str) -> Edition:
    q = e.quantity
    quantity = QuantityRange(
        min=q.min, max=q.max, default=q.min if q.default is None else q.default
    )
    return Edition(
        code=e.code,
        name=_text(e.name)[0] or _title(e.code),
        names=_text(e.name)[1],
        rank=e.rank,
        free=e.free,
        quantity=quantity,
        limits=dict(e.limits),
        features=frozenset(e.features),
        prices=tuple(_price(p, code) for p in e.prices),
        trial_days=e.trial_days,
    )


def _addon(a: AddonModel, code: str) -> Addon:
    return Addon(
        code=a.code,
        name=_text(a.name)[0] or _title(a.code),
        names=_text(a.name)[1],
        grants=dict(a.grants),
        prices=tuple(_price(p, code) for p in a.prices),
        available_on=None if a.available_on is None else frozenset(a.available_on),
    )


def _price(p: PriceModel, code: str) -> Price:
    if p.tiers is None:
        return Price(
            cycle=p.cycle,
            per_unit=None if p.per_unit is None else _in(p.per_unit, code),
            flat=None if p.flat is None else _in(p.flat, code),
        )
    tiers = tuple(
        Tier(
            up_to=t.up_to,
            flat=Decimal(0) if t.flat is None else _in(t.flat, code),
            per_unit=Decimal(0) if t.per_unit is None else _in(t.per_unit, code),
        )
        for t in p.tiers
    )
    return Price(cycle=p.cycle, tiers=tiers, tiers_mode=p.tiers_mode or "volume")


def _policies(m: PoliciesModel) -> Policies:
    by_class: dict[ChangeClass, Policy] = {}
    for change_class in CHANGE_CLASS_ORDER:
        given: PolicyModel | None = getattr(m, change_class)
        by_class[change_class] = DEFAULT_POLICIES[change_class] if given is None else _policy(given)
    return Policies(
        granularity=m.granularity,
        by_class=by_class,
        transitions=tuple(
            TransitionRule(
                from_editions=frozenset(t.from_),
                to_editions=frozenset(t.to),
                allowed=t.allowed,
                message=_text(t.message)[0] or "",
                messages=_text(t.message)[1],
            )
            for t in m.transitions
        ),
    )


def _policy(m: PolicyModel) -> Policy:
    proration: Proration = "prorate" if m.timing == "immediate" else "none"
    return Policy(timing=m.timing, proration=m.proration or proration, credit_to=m.credit_to)


def _reconciliation_rule(m: ReconciliationRuleModel) -> ReconciliationRule:
    return ReconciliationRule(
        rule=m.rule,
        resource=m.resource,
        limit=m.limit,
        feature=m.feature,
        attribute=m.attribute,
        children=m.children,
    )


def _seller(m: SellerModel) -> Seller:
    return Seller(name=m.name, country=m.country, address=tuple(m.address), tax_id=m.tax_id)


def _tax(m: TaxModel) -> TaxRules:
    return TaxRules(
        prices=m.prices,
        rates=tuple(
            TaxRate(
                country=r.country,
                rate=r.rate,
                region=r.region,
                valid_from=r.from_,
                valid_until=r.until,
            )
            for r in m.rates
        ),
        reverse_charge=frozenset(m.reverse_charge),
        otherwise=m.otherwise,
    )
