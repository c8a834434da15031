"""Tax ids (VAT and tax numbers) checked offline, for format and check digits, with python-stdnum.

    parse_tax_id("FR 40 303 265 045", "FR")  # TaxId("FR", "FR40303265045", checked=True)
    is_valid_tax_id("DE136695976", "DE")     # True

A tax id is read for the country it is given with:

- in an EU member state, it is an EU VAT number of that state (`stdnum.eu.vat`); its prefix may be
  left out (`40303265045` for FR) and is written back, `EL` for Greece;
- elsewhere, the country's VAT number, else its tax number, where python-stdnum has a module for it
  (`stdnum.gb.vat`, `stdnum.ch.vat`, `stdnum.us.tin` …);
- in a country python-stdnum has no module for, only its shape is looked at (letters and digits,
  `checked` is False).

None of this asks a registry. Whether a VAT number is registered, and to whom, is the question of an
online check such as the EU's VIES, behind the `TaxIdRegistry` protocol; nothing calls one yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.util import clean

from tierline.domain.countries import is_country_code
from tierline.domain.errors import Invalid, InvalidTaxId

if TYPE_CHECKING:
    from stdnum.util import NumberValidationModule

# EU member states by ISO 3166-1 code, with the VAT prefix where it differs from the code.
EU_MEMBER_STATES: frozenset[str] = frozenset(
    code.upper() for code in eu_vat.MEMBER_STATES if code != "xi"
)
_VAT_PREFIX = {"GR": "EL"}

_SEPARATORS = " -./,"
_SHAPE = re.compile(r"[A-Z0-9]{2,32}")


@dataclass(frozen=True)
class TaxId:
    country: str  # the ISO 3166-1 code it was checked for
    number: str  # its compact form, EU VAT numbers with their prefix: FR40303265045
    checked: bool  # False: no check exists for the country, only the shape was looked at


def parse_tax_id(tax_id: str, country: str) -> TaxId:
    """The tax id in its compact form, or `InvalidTaxId` when it is not one of `country`."""
    if not is_country_code(country):
        raise Invalid(
            f"{country!r} is not an ISO 3166-1 alpha-2 country code.",
            code="invalid_country",
            param="country",
        )
    compact = clean(tax_id, _SEPARATORS).upper().strip()
    if country in EU_MEMBER_STATES:
        return TaxId(country, _eu_vat_number(compact, country, tax_id), checked=True)
    module = get_cc_module(country, "vat") or get_cc_module(country, "tin")
    if module is None:
        if not _SHAPE.fullmatch(compact):
            raise _invalid(tax_id, country)
        return TaxId(country, compact, checked=False)
    # The module reads the separators itself: in the US, 12-3456789 is an EIN, 123-45-6789 an SSN.
    written = tax_id.strip().upper()
    return TaxId(country, _national_number(module, written, country, tax_id), checked=True)


def is_valid_tax_id(tax_id: str, country: str) -> bool:
    try:
        parse_tax_id(tax_id, country)
    except InvalidTaxId:
        return False
    return True


@dataclass(frozen=True)
class TaxIdConfirmation:
    """A registry's answer about a tax id: `registered` is None when it could not answer."""

    tax_id: str
    registered: bool | None
    checked_at: datetime
    name: str | None = None  # as the registry knows the holder
    address: str | None = None
    reference: str | None = None  # the registry's proof of the check (VIES: its request id)


class TaxIdRegistry(Protocol):
    """An online check of a tax id already valid offline, such as the EU's VIES.

    `requester` is the seller's own VAT number, which VIES asks for to give a reference proving
    the check was made. An adapter must not raise for an unreachable registry: it answers
    `registered=None`, and the caller decides.
    """

    def confirm(self, tax_id: TaxId, *, requester: TaxId | None = None) -> TaxIdConfirmation: ...


def _eu_vat_number(compact: str, country: str, given: str) -> str:
    prefix = _VAT_PREFIX.get(country, country)
    if compact.startswith(country) and prefix != country:  # GR… for a Greek number
        compact = prefix + compact[len(country) :]
    candidates = [compact] if compact.startswith(prefix) else [prefix + compact]
    for candidate in candidates:
        try:
            number = eu_vat.validate(candidate)
        except ValidationError:
            continue
        if number.startswith(prefix):
            return number
    raise _invalid(given, country)


def _national_number(module: NumberValidationModule, written: str, country: str, given: str) -> str:
    candidates = [written]
    if written.startswith(country):  # a national number written with its country's prefix
        candidates.append(written[len(country) :].lstrip(_SEPARATORS))
    for candidate in candidates:
        try:
            return module.compact(module.validate(candidate))
        except ValidationError:
            continue
    raise _invalid(given, country)


def _invalid(given: str, country: str) -> InvalidTaxId:
    return InvalidTaxId(
        f"{given!r} is not a valid tax id for {country} (format or check digits).",
        param="tax_id",
        details={"tax_id": given, "country": country},
    )
