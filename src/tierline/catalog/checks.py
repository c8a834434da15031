"""Rules that look across fields and sections of a catalog whose shape is already valid."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from tierline.catalog.errors import CatalogIssue
from tierline.catalog.schema import (
    DECIMAL,
    AddonModel,
    BalanceModel,
    CatalogModel,
    CycleModel,
    EditionModel,
    MeterModel,
    PoliciesModel,
    PriceModel,
    QuantityModel,
    ReconciliationRuleModel,
    RenewalModel,
    TierModel,
)
from tierline.catalog.tax_checks import check_seller_and_tax
from tierline.domain.catalog import ATTRIBUTE_RULES, FEATURE_RULES, LIMIT_RULES
from tierline.domain.money import currency_exponent
from tierline.domain.units import PLURAL_CATEGORIES
from tierline.i18n import DEFAULT_LANGUAGE, LANGUAGES

_LANGUAGE = re.compile(r"[a-z]{2,3}")


def check_catalog(model: CatalogModel) -> list[CatalogIssue]:
    """Every inconsistency of the catalog, in file order."""
    checker = _Checker(model)
    checker.run()
    return checker.issues


class _Checker:
    def __init__(self, model: CatalogModel) -> None:
        self.model = model
        self.issues: list[CatalogIssue] = []
        self.exponent = currency_exponent(model.currency)
        self.currencies = list(dict.fromkeys(model.currencies or [model.currency]))
        self.cycles = {c.code for c in model.cycles}
        self.editions = {e.code: e for e in model.editions}

    def add(self, path: str, message: str) -> None:
        self.issues.append(CatalogIssue(path, message))

    def run(self) -> None:
        m = self.model
        for section, items in (
            ("cycles", m.cycles),
            ("editions", m.editions),
            ("addons", m.addons),
            ("meters", m.meters),
        ):
            self.unique_codes(section, items)
        self.currency_list("currencies", m.currencies)
        for i, cycle in enumerate(m.cycles):
            self.cycle(f"cycles[{i}]", cycle)
        for i, edition in enumerate(m.editions):
            self.edition(f"editions[{i}]", edition)
        for i, addon in enumerate(m.addons):
            self.addon(f"addons[{i}]", addon)
        for i, meter in enumerate(m.meters):
            self.meter(f"meters[{i}]", meter)
        self.policies("policies", m.policies)
        self.renewal("renewal", m.renewal)
        self.balance("balance", m.balance)
        self.reconciliation("reconciliation", m.reconciliation)
        self.quotas("quotas", m.quotas)
        self.unit_forms("quantity_unit_forms", m.quantity_unit_forms)
        self.limit_labels("limit_labels", m.limit_labels)
        self.operator_texts()
        self.issues += check_seller_and_tax(m)

    def unique_codes(
        self, section: str, items: Sequence[CycleModel | EditionModel | AddonModel | MeterModel]
    ) -> None:
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.code in first:
                self.add(
                    f"{section}[{i}].code",
                    f"duplicate code '{item.code}' (already {section}[{first[item.code]}])",
                )
            else:
                first[item.code] = i

    def cycle(self, path: str, cycle: CycleModel) -> None:
        if (cycle.months is None) == (cycle.days is None):
            self.add(path, "must have exactly one of months or days")

    def edition(self, path: str, edition: EditionModel) -> None:
        if edition.free:
            if edition.prices:
                self.add(f"{path}.prices", "a free edition has no prices")
            if edition.trial_days:
                self.add(f"{path}.trial_days", "a free edition has no trial")
        elif not edition.prices:
            self.add(f"{path}.prices", "an edition that is not free needs at least one price")
        self.quantity(f"{path}.quantity", edition.quantity)
        self.prices(f"{path}.prices", edition.prices)

    def quantity(self, path: str, quantity: QuantityModel) -> None:
        low, high = quantity.min, quantity.max
        if high is not None and high < low:
            self.add(f"{path}.max", f"must be at least min ({low})")
            return
        default = quantity.default
        if default is None:
            return
        if high is None and default < low:
            self.add(f"{path}.default", f"must be at least min ({low})")
        elif high is not None and not low <= default <= high:
            self.add(f"{path}.default", f"must be between min and max ({low} to {high})")

    def prices(self, path: str, prices: Sequence[PriceModel]) -> None:
        seen: dict[str, int] = {}
        for k, price in enumerate(prices):
            at = f"{path}[{k}]"
            if price.cycle not in self.cycles:
                self.add(f"{at}.cycle", f"unknown cycle '{price.cycle}'")
            elif price.cycle in seen:
                self.add(
                    f"{at}.cycle",
                    f"cycle '{price.cycle}' already has a price ({path}[{seen[price.cycle]}])",
                )
            else:
                seen[price.cycle] = k
            self.price(at, price)

    def price(self, path: str, price: PriceModel) -> None:
        kinds = [v for v in (price.per_unit, price.flat, price.tiers) if v is not None]
        if len(kinds) != 1:
            self.add(path, "must have exactly one of per_unit, flat or tiers")
        if price.tiers_mode is not None and price.tiers is None:
            self.add(f"{path}.tiers_mode", "only applies to a price with tiers")
        self.amounts(f"{path}.per_unit", price.per_unit)
        self.money(f"{path}.flat", price.flat)
        if price.tiers is not None:
            self.tiers(f"{path}.tiers", price.tiers)

    def tiers(self, path: str, tiers: Sequence[TierModel]) -> None:
        last = len(tiers) - 1
        previous: int | None = None
        for n, tier in enumerate(tiers):
            at = f"{path}[{n}]"
            if tier.flat is None and tier.per_unit is None:
                self.add(at, "must have flat and/or per_unit")
            self.money(f"{at}.flat", tier.flat)
            self.amounts(f"{at}.per_unit", tier.per_unit)
            if tier.up_to is None and n != last:
                self.add(f"{at}.up_to", "only the last tier may be unbounded (null)")
            elif tier.up_to is not None and n == last:
                self.add(f"{at}.up_to", "the last tier must be unbounded (null)")
            if tier.up_to is not None:
                if previous is not None and tier.up_to <= previous:
                    self.add(f"{at}.up_to", f"must be greater than the previous up_to ({previous})")
                previous = tier.up_to

    def currency_list(self, path: str, codes: Sequence[str] | None) -> None:
        """The currencies accounts may be billed in: `currency` among them, each once, all with
        the minor unit of `currency` (amounts are stored in minor units)."""
        if codes is None:
            return
        first: dict[str, int] = {}
        for i, code in enumerate(codes):
            if code in first:
                self.add(
                    f"{path}[{i}]", f"duplicate currency '{code}' (already {path}[{first[code]}])"
                )
                continue
            first[code] = i
            exponent = currency_exponent(code)
            if exponent != self.exponent:
                self.add(
                    f"{path}[{i}]",
                    f"{code} amounts have {_decimals(exponent)}, {self.model.currency} amounts "
                    f"{_decimals(self.exponent)}: the currencies of one catalog share their "
                    "minor unit",
                )
        if self.model.currency not in first:
            self.add(path, f"must include the catalog's currency ({self.model.currency})")

    def amounts(
        self, path: str, amount: Decimal | Mapping[str, Any] | None, *, given: bool = True
    ) -> dict[str, Decimal]:
        """An amount by currency: a plain amount is in `currency` (with several currencies,
        only a zero amount, the same in all of them, may stay plain; a default is the same in
        all of them); a mapping needs an amount for each currency of `currencies`, and no
        other. Every problem is named by its path (`per_unit.GBP: missing`)."""
        if amount is None:
            return {}
        if isinstance(amount, Decimal):
            others = [c for c in self.currencies if c != self.model.currency]
            if given and others and amount != 0:
                self.add(
                    path,
                    f"a plain amount is in {self.model.currency}; give a mapping with an amount "
                    f"in each of {', '.join(self.currencies)}",
                )
            return dict.fromkeys(self.currencies, amount)
        found: dict[str, Decimal] = {}
        for code, text in amount.items():
            at = f"{path}.{code}"
            if code not in self.currencies:
                self.add(at, f"not one of the catalog's currencies ({', '.join(self.currencies)})")
            elif not isinstance(text, str) or not DECIMAL.fullmatch(text):
                self.add(at, "must be a decimal string")
            elif Decimal(text) < 0:
                self.add(at, "must not be negative")
            else:
                found[code] = Decimal(text)
        for code in self.currencies:
            if code not in amount:
                self.add(f"{path}.{code}", "missing")
        return found

    def money(
        self, path: str, amount: Decimal | Mapping[str, Any] | None, *, given: bool = True
    ) -> dict[str, Decimal]:
        """A flat amount is charged as is, so it must be a whole number of minor units of each
        currency it is given in."""
        found = self.amounts(path, amount, given=given)
        for code, value in found.items():
            exponent = currency_exponent(code)
            minor = value.scaleb(exponent)
            if minor != minor.to_integral_value():
                at = path if isinstance(amount, Decimal) else f"{path}.{code}"
                places = f"at most {exponent}" if exponent else "no"
                plural = "" if exponent == 1 else "s"
                self.add(at, f"{code} amounts have {places} decimal{plural}")
                if isinstance(amount, Decimal):
                    break
        return found

    def addon(self, path: str, addon: AddonModel) -> None:
        if not addon.prices:
            self.add(f"{path}.prices", "an add-on needs at least one price")
        self.prices(f"{path}.prices", addon.prices)
        for j, code in enumerate(addon.available_on or ()):
            edition = self.editions.get(code)
            if edition is None:
                self.add(f"{path}.available_on[{j}]", f"unknown edition '{code}'")
            elif edition.free:
                self.add(
                    f"{path}.available_on[{j}]", f"edition '{code}' is free and takes no add-ons"
                )

    def meter(self, path: str, meter: MeterModel) -> None:
        prices = self.amounts(f"{path}.unit_price", meter.unit_price)
        for code, price in prices.items():
            if price <= 0:
                at = "" if isinstance(meter.unit_price, Decimal) else f".{code}"
                self.add(f"{path}.unit_price{at}", "must be greater than 0")
                if not at:
                    break

    def policies(self, path: str, policies: PoliciesModel) -> None:
        for i, rule in enumerate(policies.transitions):
            at = f"{path}.transitions[{i}]"
            for key, codes in (("from", rule.from_), ("to", rule.to)):
                for j, code in enumerate(codes):
                    if code not in self.editions:
                        self.add(f"{at}.{key}[{j}]", f"unknown edition '{code}'")
            if not rule.allowed and isinstance(rule.message, str) and not rule.message.strip():
                self.add(f"{at}.message", "is required when allowed is false")

    def renewal(self, path: str, renewal: RenewalModel) -> None:
        days = renewal.retry_days
        for j in range(1, len(days)):
            if days[j] <= days[j - 1]:
                self.add(
                    f"{path}.retry_days[{j}]", f"must be greater than the previous ({days[j - 1]})"
                )

    def balance(self, path: str, balance: BalanceModel) -> None:
        given = balance.model_fields_set
        low = self.money(f"{path}.top_up_min", balance.top_up_min, given="top_up_min" in given)
        high = self.money(f"{path}.top_up_max", balance.top_up_max, given="top_up_max" in given)
        for code, most in high.items():
            least = low.get(code)
            if least is not None and most < least:
                at = "" if isinstance(balance.top_up_max, Decimal) else f".{code}"
                self.add(f"{path}.top_up_max{at}", f"must be at least top_up_min ({least})")
                if not at:
                    break

    def reconciliation(self, path: str, rules: Sequence[ReconciliationRuleModel]) -> None:
        limits = {name for e in self.model.editions for name in e.limits}
        limits |= {name for a in self.model.addons for name in a.grants}
        features = {name for e in self.model.editions for name in e.features}
        first: dict[tuple[str, str | None, str | None, str | None], int] = {}
        for i, rule in enumerate(rules):
            at = f"{path}[{i}]"
            self.reconciliation_rule(at, rule)
            if rule.limit is not None and rule.limit not in limits:
                self.add(
                    f"{at}.limit", f"unknown limit '{rule.limit}' (no edition or add-on has it)"
                )
            if rule.feature is not None and rule.feature not in features:
                self.add(f"{at}.feature", f"unknown feature '{rule.feature}' (no edition has it)")
            key = (rule.resource, rule.limit, rule.feature, rule.attribute)
            if key in first:
                about = f"limit '{rule.limit}'" if rule.limit else f"feature '{rule.feature}'"
                if rule.attribute:
                    about += f" and attribute '{rule.attribute}'"
                self.add(
                    at,
                    f"duplicate rule for resource '{rule.resource}' and {about}"
                    f" (already {path}[{first[key]}])",
                )
            else:
                first[key] = i

    def quotas(self, path: str, names: Sequence[str]) -> None:
        """Each quota is a limit some edition or add-on names, listed once."""
        limits = {name for e in self.model.editions for name in e.limits}
        limits |= {name for a in self.model.addons for name in a.grants}
        first: dict[str, int] = {}
        for i, name in enumerate(names):
            if name in first:
                self.add(f"{path}[{i}]", f"duplicate quota (already {path}[{first[name]}])")
            elif name not in limits:
                self.add(f"{path}[{i}]", f"unknown limit '{name}' (no edition or add-on has it)")
            first.setdefault(name, i)

    def limit_labels(self, path: str, labels: Mapping[str, str | dict[str, str]]) -> None:
        """Each label names a limit some edition or add-on has."""
        limits = {name for e in self.model.editions for name in e.limits}
        limits |= {name for a in self.model.addons for name in a.grants}
        for name in labels:
            if name not in limits:
                self.add(f"{path}.{name}", f"unknown limit '{name}' (no edition or add-on has it)")

    def operator_texts(self) -> None:
        """Every text the operator writes may be given per language: English required, and only
        the languages Tierline has catalogs for."""
        m = self.model
        texts: list[tuple[str, str | dict[str, str] | None]] = []
        texts += [(f"cycles[{i}].name", c.name) for i, c in enumerate(m.cycles)]
        texts += [(f"editions[{i}].name", e.name) for i, e in enumerate(m.editions)]
        texts += [(f"addons[{i}].name", a.name) for i, a in enumerate(m.addons)]
        texts += [(f"meters[{i}].name", x.name) for i, x in enumerate(m.meters)]
        texts += [
            (f"policies.transitions[{i}].message", t.message)
            for i, t in enumerate(m.policies.transitions)
        ]
        texts += [(f"limit_labels.{name}", label) for name, label in m.limit_labels.items()]
        for path, text in texts:
            if isinstance(text, dict):
                self.wording(path, text)

    def wording(self, path: str, texts: Mapping[str, str]) -> None:
        for language, text in texts.items():
            if language not in LANGUAGES:
                self.add(
                    f"{path}.{language}",
                    f"unknown language (one of {', '.join(LANGUAGES)})",
                )
            elif not text.strip():
                self.add(f"{path}.{language}", "must not be empty")
        if DEFAULT_LANGUAGE not in texts:
            self.add(f"{path}.{DEFAULT_LANGUAGE}", "required: the English text")

    def unit_forms(self, path: str, forms: Mapping[str, Mapping[str, str]]) -> None:
        """A language code, then CLDR plural categories, `other` among them."""
        for language, words in forms.items():
            if not _LANGUAGE.fullmatch(language):
                self.add(f"{path}.{language}", "not a language code such as en or fr")
                continue
            for category in words:
                if category not in PLURAL_CATEGORIES:
                    self.add(
                        f"{path}.{language}.{category}",
                        f"not a plural category (one of {', '.join(PLURAL_CATEGORIES)})",
                    )
            if "other" not in words:
                self.add(f"{path}.{language}.other", "required: the form for most counts")

    def reconciliation_rule(self, path: str, rule: ReconciliationRuleModel) -> None:
        """Which of limit, feature, attribute and children each rule needs and accepts."""
        kind = rule.rule
        if kind in LIMIT_RULES:
            self.needs(path, kind, "limit", rule.limit, needed=True)
            self.needs(path, kind, "feature", rule.feature, needed=False)
        elif kind in FEATURE_RULES:
            self.needs(path, kind, "feature", rule.feature, needed=True)
            self.needs(path, kind, "limit", rule.limit, needed=False)
        elif (rule.limit is None) == (rule.feature is None):
            self.add(path, f"{kind} needs exactly one of limit or feature")
        self.needs(path, kind, "attribute", rule.attribute, needed=kind in ATTRIBUTE_RULES)
        self.needs(path, kind, "children", rule.children, needed=kind == "keep_most_children")

    def needs(self, path: str, kind: str, key: str, value: str | None, *, needed: bool) -> None:
        if needed and value is None:
            self.add(f"{path}.{key}", f"required for {kind}")
        elif not needed and value is not None:
            self.add(f"{path}.{key}", f"does not apply to {kind}")


def _decimals(exponent: int) -> str:
    return f"{exponent} decimal{'' if exponent == 1 else 's'}"
