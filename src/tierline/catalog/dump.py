"""Domain `Catalog` → plain dict in the catalog file format, for JSON storage and reloading."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tierline.domain.catalog import (
    Addon,
    Catalog,
    Cycle,
    Edition,
    Policies,
    Price,
    ReconciliationRule,
    Seller,
    TaxRate,
    TaxRules,
    Tier,
)


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """A JSON-serialisable dict that `parse_catalog` turns back into an equal catalog.

    Defaults the loader fills in (names, quantity bounds, every change policy) are written out,
    so a stored catalog keeps its meaning even if a default changes later. A catalog with
    several currencies writes each amount as a mapping of currency to amount.
    """
    if not catalog.currencies:
        return _body(catalog)
    bodies = {code: _body(catalog.in_currency(code)) for code in catalog.currencies}
    body = _by_currency(bodies, catalog.currencies)
    return {"currency": catalog.currency, "currencies": list(catalog.currencies), **body}


# The keys whose values are amounts in the catalog's currency.
_MONEY_KEYS = frozenset({"per_unit", "flat", "unit_price", "top_up_min", "top_up_max"})


def _by_currency(bodies: Mapping[str, Any], codes: tuple[str, ...]) -> Any:
    """The same body written once, each amount a mapping of currency to its amount in that
    currency's body. A tier amount one currency leaves out (it is 0 there) is written as 0."""
    first = bodies[codes[0]]
    if isinstance(first, list):
        return [
            _by_currency({c: b[i] for c, b in bodies.items()}, codes) for i in range(len(first))
        ]
    if not isinstance(first, dict):
        return first
    keys = list(dict.fromkeys(k for c in codes for k in bodies[c]))
    out: dict[str, Any] = {}
    for key in keys:
        values = {c: bodies[c].get(key) for c in codes}
        if key in _MONEY_KEYS and any(isinstance(v, str) for v in values.values()):
            out[key] = {c: "0" if v is None else v for c, v in values.items()}
        else:
            out[key] = _by_currency(values, codes)
    return out


def _body(catalog: Catalog) -> dict[str, Any]:
    body: dict[str, Any] = {
        "currency": catalog.currency,
        "quantity_unit": catalog.quantity_unit,
        "quantity_unit_forms": {
            language: dict(words) for language, words in catalog.quantity_unit_forms.items()
        },
        "cycles": [_cycle(c) for c in catalog.cycles],
        "editions": [_edition(e) for e in catalog.editions],
        "addons": [_addon(a) for a in catalog.addons],
        "meters": [
            {"code": m.code, "name": _text(m.name, m.names), "unit_price": _amount(m.unit_price)}
            for m in catalog.meters
        ],
        "policies": _policies(catalog.policies),
        "collection": {
            "mode": catalog.collection.mode,
            "delay_days": catalog.collection.delay_days,
        },
        "renewal": {
            "lead_days": catalog.renewal.lead_days,
            "retry_days": list(catalog.renewal.retry_days),
            "when_retries_fail": catalog.renewal.when_retries_fail,
            "price_change_notice_days": catalog.renewal.price_change_notice_days,
        },
        "balance": {
            "top_up_min": _amount(catalog.balance.top_up_min),
            "top_up_max": _optional_amount(catalog.balance.top_up_max),
            "apply_to_invoices": catalog.balance.apply_to_invoices,
        },
        "reconciliation": [_reconciliation_rule(r) for r in catalog.reconciliation],
        "quotas": list(catalog.quotas),
    }
    if catalog.limit_labels:
        body["limit_labels"] = {name: dict(t) for name, t in catalog.limit_labels.items()}
    if catalog.seller is not None:
        body["seller"] = _seller(catalog.seller)
    if catalog.tax is not None:
        body["tax"] = _tax(catalog.tax)
    return body


def _amount(value: Decimal) -> str:
    # Fixed-point: str(Decimal("0.0000001")) would be "1E-7", which the loader refuses.
    return format(value, "f")


def _optional_amount(value: Decimal | None) -> str | None:
    return None if value is None else _amount(value)


def _text(text: str, texts: Mapping[str, str]) -> str | dict[str, str]:
    """An operator's text as the catalog file writes it: its translations when it has some."""
    return dict(texts) if texts else text


def _cycle(cycle: Cycle) -> dict[str, Any]:
    out: dict[str, Any] = {"code": cycle.code}
    if cycle.name is not None:
        out["name"] = _text(cycle.name, cycle.names)
    if cycle.length.months:
        out["months"] = cycle.length.months
    else:
        out["days"] = cycle.length.days
    if cycle.discount_percent:
        out["discount_percent"] = _amount(cycle.discount_percent)
    return out


def _edition(edition: Edition) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": edition.code,
        "name": _text(edition.name, edition.names),
        "rank": edition.rank,
    }
    if edition.free:
        out["free"] = True
    if edition.trial_days:
        out["trial_days"] = edition.trial_days
    q = edition.quantity
    out["quantity"] = {"min": q.min, "max": q.max, "default": q.default}
    out["limits"] = dict(edition.limits)
    out["features"] = sorted(edition.features)
    out["prices"] = [_price(p) for p in edition.prices]
    return out


def _addon(addon: Addon) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": addon.code,
        "name": _text(addon.name, addon.names),
        "grants": dict(addon.grants),
        "prices": [_price(p) for p in addon.prices],
    }
    if addon.available_on is not None:
        out["available_on"] = sorted(addon.available_on)
    return out


def _price(price: Price) -> dict[str, Any]:
    out: dict[str, Any] = {"cycle": price.cycle}
    if price.tiers:
        out["tiers_mode"] = price.tiers_mode
        out["tiers"] = [_tier(t) for t in price.tiers]
    elif price.per_unit is not None:
        out["per_unit"] = _amount(price.per_unit)
    elif price.flat is not None:
        out["flat"] = _amount(price.flat)
    return out


def _tier(tier: Tier) -> dict[str, Any]:
    out: dict[str, Any] = {"up_to": tier.up_to}
    if tier.flat or not tier.per_unit:
        out["flat"] = _amount(tier.flat)
    if tier.per_unit:
        out["per_unit"] = _amount(tier.per_unit)
    return out


def _policies(policies: Policies) -> dict[str, Any]:
    out: dict[str, Any] = {"granularity": policies.granularity}
    for change_class, policy in policies.by_class.items():
        out[change_class] = {
            "timing": policy.timing,
            "proration": policy.proration,
            "credit_to": policy.credit_to,
        }
    out["transitions"] = [
        {
            "from": sorted(rule.from_editions),
            "to": sorted(rule.to_editions),
            "allowed": rule.allowed,
            "message": _text(rule.message, rule.messages),
        }
        for rule in policies.transitions
    ]
    return out


def _reconciliation_rule(rule: ReconciliationRule) -> dict[str, Any]:
    fields = {
        "limit": rule.limit,
        "feature": rule.feature,
        "resource": rule.resource,
        "attribute": rule.attribute,
        "children": rule.children,
        "rule": rule.rule,
    }
    return {key: value for key, value in fields.items() if value is not None}


def _seller(seller: Seller) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": seller.name,
        "address": list(seller.address),
        "country": seller.country,
    }
    if seller.tax_id is not None:
        out["tax_id"] = seller.tax_id
    return out


def _tax(tax: TaxRules) -> dict[str, Any]:
    return {
        "prices": tax.prices,
        "rates": [_tax_rate(r) for r in tax.rates],
        "reverse_charge": sorted(tax.reverse_charge),
        "otherwise": _amount(tax.otherwise),
    }


def _tax_rate(rate: TaxRate) -> dict[str, Any]:
    out: dict[str, Any] = {"country": rate.country}
    if rate.region is not None:
        out["region"] = rate.region
    out["rate"] = _amount(rate.rate)
    # Dates as ISO strings, so that the body is JSON; the loader reads both forms.
    if rate.valid_from is not None:
        out["from"] = rate.valid_from.isoformat()
    if rate.valid_until is not None:
        out["until"] = rate.valid_until.isoformat()
    return out
