"""The catalog: editions, cycles, prices, add-ons, meters, change policies, reconciliation rules,
the seller and its tax rules.

A catalog is plain data. The loader in `tierline.catalog` builds it from YAML and guarantees it is
internally consistent; the functions here only read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Literal

from tierline.domain.errors import UnsupportedCurrency
from tierline.domain.periods import CycleLength, Granularity
from tierline.domain.units import Units
from tierline.domain.values import replace

Timing = Literal["immediate", "end_of_period"]
Proration = Literal["prorate", "restart", "none"]
CreditTo = Literal["invoice", "credit_note", "refund", "balance"]
TiersMode = Literal["volume", "graduated"]
ChangeClass = Literal[
    "upgrade",
    "cycle_change",
    "downgrade",
    "quantity_increase",
    "quantity_decrease",
    "addon_add",
    "addon_remove",
]

# A change that mixes classes takes the policy of its highest class, in this order.
CHANGE_CLASS_ORDER: tuple[ChangeClass, ...] = (
    "upgrade",
    "cycle_change",
    "downgrade",
    "quantity_increase",
    "quantity_decrease",
    "addon_add",
    "addon_remove",
)


# An operator's text in several languages: language code → text, English (`en`) always given.
# A text written as a plain string has no translations: it reads the same in every language.
Texts = Mapping[str, str]

ENGLISH = "en"


def language_code(locale: str | None) -> str:
    """The language of a locale tag: `fr` for `fr-CA`, `fr_FR` or `FR`; English when empty."""
    tag = (locale or "").strip().replace("_", "-").split("-")[0].lower()
    return tag or ENGLISH


def pick_text(texts: Texts, locale: str | None, default: str = "") -> str:
    """The text of `texts` a reader of `locale` reads: their language's, else the English, else
    `default` (a text given as a plain string, or none at all)."""
    return texts.get(language_code(locale)) or texts.get(ENGLISH) or default


@dataclass(frozen=True)
class Cycle:
    code: str
    length: CycleLength
    discount_percent: Decimal = Decimal(0)
    name: str | None = None
    names: Texts = field(default_factory=dict)  # translations of `name`, `en` included

    def name_in(self, locale: str | None) -> str | None:
        """The operator's name for the cycle in the reader's language; None when not named."""
        return pick_text(self.names, locale, self.name or "") or None


@dataclass(frozen=True)
class Tier:
    up_to: int | None
    flat: Decimal = Decimal(0)
    per_unit: Decimal = Decimal(0)


@dataclass(frozen=True)
class Price:
    cycle: str
    per_unit: Decimal | None = None
    flat: Decimal | None = None
    tiers: tuple[Tier, ...] = ()
    tiers_mode: TiersMode = "volume"


@dataclass(frozen=True)
class QuantityRange:
    min: int = 1
    max: int | None = None
    default: int = 1

    def allows(self, quantity: int) -> bool:
        return quantity >= self.min and (self.max is None or quantity <= self.max)


@dataclass(frozen=True)
class Edition:
    code: str
    name: str
    rank: int
    free: bool = False
    quantity: QuantityRange = QuantityRange()
    limits: Mapping[str, int | None] = field(default_factory=dict)
    features: frozenset[str] = frozenset()
    prices: tuple[Price, ...] = ()
    trial_days: int = 0
    names: Texts = field(default_factory=dict)  # translations of `name`, `en` included

    def name_in(self, locale: str | None) -> str:
        return pick_text(self.names, locale, self.name)

    def explicit_price(self, cycle: str) -> Price | None:
        return next((p for p in self.prices if p.cycle == cycle), None)


@dataclass(frozen=True)
class Addon:
    code: str
    name: str
    grants: Mapping[str, int] = field(default_factory=dict)
    prices: tuple[Price, ...] = ()
    available_on: frozenset[str] | None = None  # None: every edition that is not free
    names: Texts = field(default_factory=dict)  # translations of `name`, `en` included

    def name_in(self, locale: str | None) -> str:
        return pick_text(self.names, locale, self.name)

    def explicit_price(self, cycle: str) -> Price | None:
        return next((p for p in self.prices if p.cycle == cycle), None)


@dataclass(frozen=True)
class Meter:
    code: str
    name: str
    unit_price: Decimal
    names: Texts = field(default_factory=dict)  # translations of `name`, `en` included

    def name_in(self, locale: str | None) -> str:
        return pick_text(self.names, locale, self.name)


@dataclass(frozen=True)
class Policy:
    timing: Timing = "immediate"
    proration: Proration = "prorate"
    credit_to: CreditTo = "invoice"


@dataclass(frozen=True)
class TransitionRule:
    from_editions: frozenset[str]
    to_editions: frozenset[str]
    allowed: bool
    message: str
    messages: Texts = field(default_factory=dict)  # translations of `message`, `en` included

    def message_in(self, locale: str | None) -> str:
        return pick_text(self.messages, locale, self.message)

    def matches(self, source: str, target: str) -> bool:
        return source in self.from_editions and target in self.to_editions


@dataclass(frozen=True)
class Policies:
    granularity: Granularity = "day"
    by_class: Mapping[ChangeClass, Policy] = field(default_factory=dict)
    transitions: tuple[TransitionRule, ...] = ()

    def for_class(self, change_class: ChangeClass) -> Policy:
        return self.by_class.get(change_class, DEFAULT_POLICIES[change_class])


DEFAULT_POLICIES: Mapping[ChangeClass, Policy] = {
    "upgrade": Policy("immediate", "prorate", "invoice"),
    "downgrade": Policy("end_of_period", "none", "invoice"),
    "quantity_increase": Policy("immediate", "prorate", "invoice"),
    "quantity_decrease": Policy("end_of_period", "none", "invoice"),
    "cycle_change": Policy("immediate", "restart", "invoice"),
    "addon_add": Policy("immediate", "prorate", "invoice"),
    "addon_remove": Policy("end_of_period", "none", "invoice"),
}


@dataclass(frozen=True)
class Collection:
    mode: Literal["charge_automatically", "send_invoice"] = "charge_automatically"
    delay_days: int = 0


@dataclass(frozen=True)
class Renewal:
    lead_days: int = 0
    retry_days: tuple[int, ...] = (1, 3, 5)
    when_retries_fail: Literal["cancel", "past_due"] = "cancel"
    # `existing: next_renewal`: a new price reaches a subscription at a renewal at least this
    # many days after the catalog is replaced, and a notice says so when it is replaced.
    price_change_notice_days: int = 30


@dataclass(frozen=True)
class BalanceRules:
    top_up_min: Decimal = Decimal(0)
    top_up_max: Decimal | None = None
    apply_to_invoices: bool = True


ReconciliationKind = Literal[
    "keep_most_children",
    "remove_newest",
    "scale_proportionally",
    "cap",
    "remove_without_feature",
    "detach_without_feature",
    "keep",
]

# Rules about a limit (a count or a sum) and rules about a feature; `keep` may name either.
LIMIT_RULES: frozenset[ReconciliationKind] = frozenset(
    {"keep_most_children", "remove_newest", "scale_proportionally", "cap"}
)
FEATURE_RULES: frozenset[ReconciliationKind] = frozenset(
    {"remove_without_feature", "detach_without_feature"}
)
ATTRIBUTE_RULES: frozenset[ReconciliationKind] = frozenset({"scale_proportionally", "cap"})


@dataclass(frozen=True)
class ReconciliationRule:
    """How content of type `resource` is adapted when a new edition has less of `limit` or lacks
    `feature`. What each rule does is in `tierline.domain.reconciliation`."""

    rule: ReconciliationKind
    resource: str
    limit: str | None = None
    feature: str | None = None
    attribute: str | None = None  # scale_proportionally, cap
    children: str | None = None  # keep_most_children

    def __post_init__(self) -> None:
        if self.rule in LIMIT_RULES and (self.limit is None or self.feature is not None):
            raise ValueError(f"{self.rule} needs a limit and no feature")
        if self.rule in FEATURE_RULES and (self.feature is None or self.limit is not None):
            raise ValueError(f"{self.rule} needs a feature and no limit")
        if self.rule == "keep" and (self.limit is None) == (self.feature is None):
            raise ValueError("keep needs exactly one of limit or feature")
        if (self.rule in ATTRIBUTE_RULES) != (self.attribute is not None):
            raise ValueError(
                "an attribute is needed by scale_proportionally and cap, and only them"
            )
        if (self.rule == "keep_most_children") != (self.children is not None):
            raise ValueError("children is needed by keep_most_children, and only it")


@dataclass(frozen=True)
class Seller:
    """The operator as its documents and e-invoices name it."""

    name: str
    country: str  # ISO 3166-1 alpha-2
    address: tuple[str, ...] = ()  # one printed line each
    tax_id: str | None = None  # VAT or tax number, checked when the catalog is loaded


TaxPrices = Literal["exclusive", "inclusive"]


@dataclass(frozen=True)
class TaxRate:
    """A rate in percent for a country, or one of its regions, over a range of issue dates."""

    country: str  # ISO 3166-1 alpha-2
    rate: Decimal  # percent: Decimal("20") is 20 %
    region: str | None = None  # ISO 3166-2 subdivision without the country: "CA" for US-CA
    valid_from: date | None = None  # inclusive; None: always before until
    valid_until: date | None = None  # exclusive; None: with no end

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or on < self.valid_until
        )


@dataclass(frozen=True)
class TaxRules:
    """How tax is added to (or found in) the catalog's prices; see `tierline.domain.tax`."""

    prices: TaxPrices = "exclusive"
    rates: tuple[TaxRate, ...] = ()
    # Buyers in these countries, other than the seller's, with a valid tax id: reverse charge.
    reverse_charge: frozenset[str] = frozenset()
    otherwise: Decimal = Decimal(0)  # the rate for a country with no rate in force


@dataclass(frozen=True)
class Catalog:
    currency: str
    quantity_unit: str
    cycles: tuple[Cycle, ...]
    editions: tuple[Edition, ...]
    addons: tuple[Addon, ...] = ()
    meters: tuple[Meter, ...] = ()
    policies: Policies = Policies()
    collection: Collection = Collection()
    renewal: Renewal = Renewal()
    balance: BalanceRules = BalanceRules()
    reconciliation: tuple[ReconciliationRule, ...] = ()
    # Limits that are per-period quotas: what is consumed of them starts again at 0 at each
    # period start of the subscription (seed 000: workflow executions, data sync, uploads).
    quotas: tuple[str, ...] = ()
    # How documents and messages write `quantity_unit`: language → plural category → word
    # ({"fr": {"one": "siège", "other": "sièges"}}); see `tierline.domain.units`.
    quantity_unit_forms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # How the portal, messages and documents name a limit: limit → language → text.
    limit_labels: Mapping[str, Texts] = field(default_factory=dict)
    # Printed on every document; required when `tax` is given.
    seller: Seller | None = None
    # None: documents carry no tax, and amounts are what they were without it.
    tax: TaxRules | None = None
    # Every currency an account may be billed in, `currency` first; empty: `currency` alone.
    currencies: tuple[str, ...] = ()
    # The same catalog with its amounts in each other currency of `currencies`, by code (see
    # `in_currencies`). Those catalogs know one another, so `__eq__` compares them one level deep.
    priced_in: Mapping[str, Catalog] = field(default_factory=dict, compare=False, repr=False)
    # Values worked out from this catalog and kept with it, as it never changes (see
    # `tierline.domain.items.whole_period`); a copy made with `replace` starts empty.
    derived: dict[tuple[object, ...], object] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __eq__(self, other: object) -> bool:
        """Equal when every field is, and every amount in each other currency too: a price
        changed in one currency alone makes another catalog."""
        if not isinstance(other, Catalog):
            return NotImplemented
        return self._compared() == other._compared() and {
            code: catalog._compared() for code, catalog in self.priced_in.items()
        } == {code: catalog._compared() for code, catalog in other.priced_in.items()}

    def _compared(self) -> tuple[object, ...]:
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)

    def billing_currencies(self) -> tuple[str, ...]:
        """The currencies an account may choose at its creation."""
        return self.currencies or (self.currency,)

    def in_currency(self, code: str) -> Catalog:
        """The catalog with every amount (prices, tiers, meters, top-up bounds) in `code`, one of
        `billing_currencies()`: an account's documents are priced from it. Raises
        `UnsupportedCurrency` (a `ValueError`) for a currency the catalog does not sell in."""
        if code == self.currency:
            return self
        found = self.priced_in.get(code)
        if found is None:
            raise UnsupportedCurrency(
                f"The catalog has no prices in {code}; it sells in "
                f"{', '.join(self.billing_currencies())}.",
                param="currency", details={"currency": code},
            )  # fmt: skip
        return found

    def units(self) -> Units:
        """The unit forms the catalog declares, by unit, for `tierline.domain.units.unit_word`."""
        return {self.quantity_unit: self.quantity_unit_forms} if self.quantity_unit_forms else {}

    def edition(self, code: str) -> Edition | None:
        return next((e for e in self.editions if e.code == code), None)

    def cycle(self, code: str) -> Cycle | None:
        return next((c for c in self.cycles if c.code == code), None)

    def addon(self, code: str) -> Addon | None:
        return next((a for a in self.addons if a.code == code), None)

    def meter(self, code: str) -> Meter | None:
        return next((m for m in self.meters if m.code == code), None)

    def addon_available_on(self, addon: Addon, edition: Edition) -> bool:
        if addon.available_on is None:
            return not edition.free
        return edition.code in addon.available_on

    def limit_label(self, limit: str, locale: str | None) -> str | None:
        """The operator's label of a limit in the reader's language; None when it has none."""
        return pick_text(self.limit_labels.get(limit, {}), locale) or None

    def names_in(self, locale: str | None) -> dict[str, str]:
        """Edition and add-on names as stored on documents and in messages (the English) → as
        the reader of `locale` reads them; only the names that differ."""
        items: tuple[Edition | Addon, ...] = (*self.editions, *self.addons)
        found = {item.name: item.name_in(locale) for item in items}
        return {english: name for english, name in found.items() if name != english}

    def in_language(self, locale: str | None) -> Catalog:
        """The same catalog with every operator text (edition, add-on, meter and cycle names,
        transition messages) in the reader's language, for pages and documents that read
        `name` and `message`; prices and rules are untouched."""
        if not self.priced_in:
            return self._in_language(locale)
        each = {self.currency: self, **self.priced_in}
        return in_currencies({c: catalog._in_language(locale) for c, catalog in each.items()})[
            self.currency
        ]

    def _in_language(self, locale: str | None) -> Catalog:
        policies = replace(
            self.policies,
            transitions=tuple(
                replace(t, message=t.message_in(locale)) for t in self.policies.transitions
            ),
        )
        return replace(
            self,
            cycles=tuple(replace(c, name=c.name_in(locale)) for c in self.cycles),
            editions=tuple(replace(e, name=e.name_in(locale)) for e in self.editions),
            addons=tuple(replace(a, name=a.name_in(locale)) for a in self.addons),
            meters=tuple(replace(m, name=m.name_in(locale)) for m in self.meters),
            policies=policies,
            priced_in={},
        )

    def is_quota(self, limit: str) -> bool:
        return limit in self.quotas

    def transition_rule(self, source: str, target: str) -> TransitionRule | None:
        return next((r for r in self.policies.transitions if r.matches(source, target)), None)


def in_currencies(catalogs: Mapping[str, Catalog]) -> dict[str, Catalog]:
    """The same catalog priced in several currencies (currency → the catalog with every amount
    in it), each made to know the others, so that `in_currency` goes from any to any."""
    linked = {code: replace(catalog, priced_in={}) for code, catalog in catalogs.items()}
    for code, catalog in linked.items():
        others = {c: other for c, other in linked.items() if c != code}
        object.__setattr__(catalog, "priced_in", others)  # made here, frozen from now on
    return linked
