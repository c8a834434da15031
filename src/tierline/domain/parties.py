"""The seller and the buyer as a document names them, fixed when the document is issued.

A finalised document is never edited, so it keeps the legal details it was issued with: an
account that moves, or a seller that changes its address in a new catalog, changes only the
documents issued afterwards.

    seller = Party.of_seller(catalog.seller)
    buyer = Party.of_account(account)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tierline.domain.account import Account
from tierline.domain.catalog import Seller
from tierline.domain.values import quick_init


@quick_init
@dataclass(frozen=True)
class Party:
    name: str
    country: str | None = None  # ISO 3166-1 alpha-2
    address: tuple[str, ...] = ()  # one printed line each
    tax_id: str | None = None
    region: str | None = None

    @classmethod
    def of_seller(cls, seller: Seller) -> Party:
        return cls(seller.name, seller.country, tuple(seller.address), seller.tax_id)

    @classmethod
    def of_account(cls, account: Account) -> Party:
        return cls(account.name, account.country, tuple(account.address), account.tax_id,
                   account.region)  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "region": self.region,
            "address": list(self.address),
            "tax_id": self.tax_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Party:
        return cls(
            name=str(data["name"]),
            country=data.get("country"),
            address=tuple(data.get("address") or ()),
            tax_id=data.get("tax_id"),
            region=data.get("region"),
        )


@quick_init
@dataclass(frozen=True)
class Parties:
    """Who sells and who buys, as on a document; `seller` is None when the catalog names none."""

    seller: Party | None
    buyer: Party

    def as_dict(self) -> dict[str, Any]:
        return {
            "seller": None if self.seller is None else self.seller.as_dict(),
            "buyer": self.buyer.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Parties | None:
        if not data:
            return None
        seller = data.get("seller")
        return cls(None if seller is None else Party.from_dict(seller),
                   Party.from_dict(data["buyer"]))  # fmt: skip
