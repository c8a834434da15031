"""The shape of a catalog file, as Pydantic models.

These models check keys and types only: unknown keys are errors, numbers are not coerced from
strings nor money from numbers. Rules that look across fields or sections (known cycles, unique
codes, tier order …) are checked by `tierline.catalog.loader` on the validated models.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator
from pydantic_core import PydanticCustomError

from tierline.domain.money import is_currency_code

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _decimal_string(value: Any) -> Decimal:
    # A YAML `2.50` arrives as the float 2.5: its written form is lost, so it is refused.
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise PydanticCustomError("decimal_string", "must be a decimal string")
    amount = Decimal(value)
    if amount < 0:
        raise PydanticCustomError("negative_amount", "must not be negative")
    return amount


def _percent(value: Any) -> Decimal:
    number = isinstance(value, int) and not isinstance(value, bool)
    number = number or (isinstance(value, float) and math.isfinite(value))
    if number or (isinstance(value, str) and _DECIMAL.fullmatch(value)):
        percent = Decimal(str(value))
    else:
        raise PydanticCustomError("percent", "must be a number or a decimal string")
    if not 0 <= percent <= 100:
        raise PydanticCustomError("percent_range", "must be between 0 and 100")
    return percent


def _currency(value: str) -> str:
    if not is_currency_code(value):
        raise PydanticCustomError("currency", "must be an ISO 4217 code such as EUR")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty")
    return value


Amount = Annotated[Decimal, PlainValidator(_decimal_string)]
Percent = Annotated[Decimal, PlainValidator(_percent)]
Text = Annotated[str, AfterValidator(_not_blank)]
Code = Text
Count = Annotated[int, Field(ge=0)]
Positive = Annotated[int, Field(gt=0)]

Timing = Literal["immediate", "end_of_period"]
Proration = Literal["prorate", "restart", "none"]
CreditTo = Literal["invoice", "credit_note", "refund", "balance"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CycleModel(_Model):
    code: Code
    name: Text | None = None
    months: Positive | None = None
    days: Positive | None = None
    discount_percent: Percent = Decimal(0)


class TierModel(_Model):
    up_to: Positive | None = None
    flat: Amount | None = None
    per_unit: Amount | None = None


class PriceModel(_Model):
    cycle: Code
    per_unit: Amount | None = None
    flat: Amount | None = None
    tiers: Annotated[list[TierModel], Field(min_length=1)] | None = None
    tiers_mode: Literal["volume", "graduated"] | None = None


class QuantityModel(_Model):
    min: Count = 1
    max: Count | None = None
    default: Count | None = None  # None: the minimum


class EditionModel(_Model):
    code: Code
    name: Text | None = None  # None: the code, title-cased
    rank: int
    free: bool = False
    trial_days: Count = 0
    quantity: QuantityModel = QuantityModel()
    limits: dict[str, Count | None] = {}
    features: list[Text] = []
    prices: list[PriceModel] = []


class AddonModel(_Model):
    code: Code
    name: Text | None = None
    grants: dict[str, Positive] = {}
    prices: list[PriceModel] = []
    available_on: list[Code] | None = None


class MeterModel(_Model):
    code: Code
    name: Text | None = None
    unit_price: Amount


class PolicyModel(_Model):
    timing: Timing
    proration: Proration | None = None  # None: prorate when immediate, none at period end
    credit_to: CreditTo = "invoice"


class TransitionModel(_Model):
    from_: Annotated[list[Code], Field(min_length=1, alias="from")]
    to: Annotated[list[Code], Field(min_length=1)]
    allowed: bool = False
    message: str = ""


class PoliciesModel(_Model):
    granularity: Literal["day", "second"] = "day"
    upgrade: PolicyModel | None = None
    downgrade: PolicyModel | None = None
    quantity_increase: PolicyModel | None = None
    quantity_decrease: PolicyModel | None = None
    cycle_change: PolicyModel | None = None
    addon_add: PolicyModel | None = None
    addon_remove: PolicyModel | None = None
    transitions: list[TransitionModel] = []


class CollectionModel(_Model):
    mode: Literal["charge_automatically", "send_invoice"] = "charge_automatically"
    delay_days: Count = 0


class RenewalModel(_Model):
    lead_days: Count = 0
    retry_days: list[Positive] = [1, 3, 5]
    when_retries_fail: Literal["cancel", "past_due"] = "cancel"


class BalanceModel(_Model):
    top_up_min: Amount = Decimal(0)
    top_up_max: Amount | None = None
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


class ReconciliationRuleModel(_Model):
    rule: ReconciliationKind
    resource: Code
    limit: Code | None = None
    feature: Code | None = None
    attribute: Code | None = None
    children: Code | None = None


class CatalogModel(_Model):
    currency: Annotated[str, AfterValidator(_currency)]
    quantity_unit: Text
    # language → plural category → word, e.g. {en: {one: seat, other: seats}, fr: {…}}
    quantity_unit_forms: dict[str, dict[str, Text]] = {}
    cycles: Annotated[list[CycleModel], Field(min_length=1)]
    editions: Annotated[list[EditionModel], Field(min_length=1)]
    addons: list[AddonModel] = []
    meters: list[MeterModel] = []
    policies: PoliciesModel = PoliciesModel()
    collection: CollectionModel = CollectionModel()
    renewal: RenewalModel = RenewalModel()
    balance: BalanceModel = BalanceModel()
    reconciliation: list[ReconciliationRuleModel] = []
    quotas: list[Code] = []
