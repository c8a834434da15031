"""The operator as it appears on the documents it issues."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seller:
    name: str
    address: tuple[str, ...] = ()  # one printed line each
    email: str | None = None
    tax_id: str | None = None  # VAT or tax number, printed when given
