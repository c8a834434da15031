"""The shape of a catalog file, as Pydantic models.

These models check keys and types only: unknown keys are errors, numbers are not coerced from
strings nor money from numbers. Rules that look across fields or sections (known cycles, unique
codes, tier order …) are checked by `tierline.catalog.loader` on the validated models.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator
from pydantic_core import PydanticCustomError

from tierline.domain.countries import is_country_code
from tierline.domain.money import is_currency_code
from tierline.domain.plan import QUANTITY_CEILING

DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _decimal_string(value: Any) -> Decimal:
    # A YAML `2.50` arrives as the float 2.5: its written form is lost, so it is refused.
    if not isinstance(value, str) or not DECIMAL.fullmatch(value):
        raise PydanticCustomError("decimal_string", "must be a decimal string")
    amount = Decimal(value)
    if amount < 0:
        raise PydanticCustomError("negative_amount", "must not be negative")
    return amount


def _percent(value: Any) -> Decimal:
    number = isinstance(value, int) and not isinstance(value, bool)
    number = number or (isinstance(value, float) and math.isfinite(value))
    if number or (isinstance(value, str) and DECIMAL.fullmatch(value)):
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


def _message_text(value: Any) -> str | dict[str, str]:
    # An operator's text: a string, or a mapping of language to text ({en: Pro, fr: Pro FR});
    # the languages and the texts of a mapping are checked by `tierline.catalog.checks`.
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return dict(value)
    raise PydanticCustomError(
        "wording", "must be a text, or a mapping of language to text such as {en: …, fr: …}"
    )


def _wording(value: Any) -> str | dict[str, str]:
    text = _message_text(value)
    return _not_blank(text) if isinstance(text, str) else text


def _amount(value: Any) -> Decimal | dict[str, Any]:
    # An amount in the catalog's `currency`, or a mapping of currency to amount; the mapping's
    # currencies and amounts are checked by `tierline.catalog.checks`, which names each entry.
    if isinstance(value, dict):
        if not value or not all(isinstance(k, str) for k in value):
            raise PydanticCustomError(
                "amounts", "must be a decimal string, or a mapping of currency to decimal string"
            )
        return dict(value)
    return _decimal_string(value)


Amount = Annotated[Decimal | dict[str, Any], PlainValidator(_amount)]
Percent = Annotated[Decimal, PlainValidator(_percent)]
Text = Annotated[str, AfterValidator(_not_blank)]
Wording = Annotated[str | dict[str, str], PlainValidator(_wording)]
Message = Annotated[str | dict[str, str], PlainValidator(_message_text)]  # may be ""
Code = Text
Count = Annotated[int, Field(ge=0)]
Positive = Annotated[int, Field(gt=0)]
Units = Annotated[int, Field(ge=0, le=QUANTITY_CEILING)]  # a quantity any edition may take

Timing = Literal["immediate", "end_of_period"]
Proration = Literal["prorate", "restart", "none"]
CreditTo = Literal["invoice", "credit_note", "refund", "balance"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CycleModel(_Model):
    code: Code
    name: Wording | None = None
    months: Annotated[int, Field(gt=0, le=120)] | None = None
    days: Annotated[int, Field(gt=0, le=3660)] | None = None
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
    min: Units = 1
    max: Units | None = None
    default: Units | None = None  # None: the minimum


class EditionModel(_Model):
    code: Code
    name: Wording | None = None  # None: the code, title-cased
    rank: int
    free: bool = False
    trial_days: Annotated[int, Field(ge=0, le=365)] = 0
    quantity: QuantityModel = QuantityModel()
    limits: dict[str, Count | None] = {}
    features: list[Text] = []
    prices: list[PriceModel] = []


class AddonModel(_Model):
    code: Code
    name: Wording | None = None
    grants: dict[str, Positive] = {}
    prices: list[PriceModel] = []
    available_on: list[Code] | None = None


class MeterModel(_Model):
    code: Code
    name: Wording | None = None
    unit_price: Amount


class PolicyModel(_Model):
    timing: Timing
    proration: Proration | None = None  # None: prorate when immediate, none at period end
    credit_to: CreditTo = "invoice"


class TransitionModel(_Model):
    from_: Annotated[list[Code], Field(min_length=1, alias="from")]
    to: Annotated[list[Code], Field(min_length=1)]
    allowed: bool = False
    message: Message = ""


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
    delay_days: Annotated[int, Field(ge=0, le=365)] = 0


class RenewalModel(_Model):
    lead_days: Annotated[int, Field(ge=0, le=60)] = 0
    retry_days: list[Annotated[int, Field(gt=0, le=60)]] = [1, 3, 5]
    when_retries_fail: Literal["cancel", "past_due"] = "cancel"
    # A price change reaches an existing subscription at a renewal at least this far away.
    price_change_notice_days: Annotated[int, Field(ge=0, le=365)] = 30


class BalanceModel(_Model):
    top_up_min: Amount = Decimal(0)
    top_up_max: Amount | None = Decimal(10000)  # null: no maximum
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


# --- The seller and tax ----------------------------------------------------------------------

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_REGION = re.compile(r"[A-Z0-9]{1,3}")


def _country(value: Any) -> str:
    if not isinstance(value, str) or not is_country_code(value):
        raise PydanticCustomError("country", "must be an ISO 3166-1 alpha-2 code such as FR")
    return value


def _region(value: Any) -> str:
    if not isinstance(value, str) or not _REGION.fullmatch(value):
        raise PydanticCustomError(
            "region", "must be an ISO 3166-2 subdivision code without the country, such as CA"
        )
    return value


def _rate(value: Any) -> Decimal:
    # A rate is written as a string, as amounts are: `rate: 19.6` would be a float.
    if not isinstance(value, str) or not DECIMAL.fullmatch(value):
        raise PydanticCustomError("rate", 'must be a decimal string such as "20"')
    rate = Decimal(value)
    if not 0 <= rate <= 100:
        raise PydanticCustomError("rate_range", "must be between 0 and 100")
    return rate


def _date(value: Any) -> date:
    # YAML reads 2014-01-01 as a date; a stored (JSON) catalog holds the same as a string.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date", "must be a date such as 2014-01-01")


Country = Annotated[str, PlainValidator(_country)]
Region = Annotated[str, PlainValidator(_region)]
Rate = Annotated[Decimal, PlainValidator(_rate)]
Day = Annotated[date, PlainValidator(_date)]


class SellerModel(_Model):
    name: Text
    address: list[Text] = []
    country: Country
    tax_id: Text | None = None


class TaxRateModel(_Model):
    country: Country
    region: Region | None = None
    rate: Rate
    from_: Annotated[Day | None, Field(alias="from")] = None
    until: Day | None = None


class TaxModel(_Model):
    prices: Literal["exclusive", "inclusive"] = "exclusive"
    rates: list[TaxRateModel] = []
    reverse_charge: list[Country] = []
    otherwise: Rate = Decimal(0)


class CatalogModel(_Model):
    currency: Annotated[str, AfterValidator(_currency)]
    # Every currency an account may be billed in; None: `currency` alone.
    currencies: list[Annotated[str, AfterValidator(_currency)]] | None = None
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
    # limit → how pages and documents name it, e.g. {attachment_upload_gb: {en: …, fr: …}}
    limit_labels: dict[str, Wording] = {}
    seller: SellerModel | None = None
    tax: TaxModel | None = None
