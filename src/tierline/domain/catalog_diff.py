"""What a new catalog version changes, section by section, compared as the stored catalog body
(`tierline.catalog.dump.catalog_to_dict`): items of a list with codes (cycles, editions, add-ons,
meters) are matched by code, an item's prices by cycle; other sections are compared whole."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["added", "removed", "changed"]
_BY_CODE = ("cycles", "editions", "addons", "meters")


@dataclass(frozen=True)
class CatalogChange:
    section: str  # editions, cycles, policies …
    code: str | None  # the edition, cycle, add-on or meter; None for a whole section
    kind: Kind
    field: str | None = None  # what changed in it: `prices.year`, `name`, `quantity` …
    before: Any = None
    after: Any = None


def diff_catalogs(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[CatalogChange]:
    changes: list[CatalogChange] = []
    for section in sorted(set(before) | set(after), key=_section_order):
        old, new = before.get(section), after.get(section)
        if old == new:
            continue
        if section in _BY_CODE:
            changes.extend(_items(section, old or [], new or []))
        else:
            kind: Kind = "added" if old is None else "removed" if new is None else "changed"
            changes.append(CatalogChange(section, None, kind, None, old, new))
    return changes


def _section_order(section: str) -> tuple[int, str]:
    order = ("editions", "addons", "cycles", "meters", "policies")
    return (order.index(section) if section in order else len(order), section)


def _items(
    section: str, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[CatalogChange]:
    before = {str(item.get("code")): item for item in old}
    after = {str(item.get("code")): item for item in new}
    changes: list[CatalogChange] = []
    for code in [*before, *(c for c in after if c not in before)]:
        if code not in after:
            changes.append(CatalogChange(section, code, "removed", before=before[code]))
        elif code not in before:
            changes.append(CatalogChange(section, code, "added", after=after[code]))
        elif before[code] != after[code]:
            changes.extend(_fields(section, code, before[code], after[code]))
    return changes


def _fields(
    section: str, code: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[CatalogChange]:
    changes: list[CatalogChange] = []
    for name in [*old, *(n for n in new if n not in old)]:
        if old.get(name) == new.get(name):
            continue
        if name == "prices":
            changes.extend(_prices(section, code, old.get(name) or [], new.get(name) or []))
        else:
            changes.append(
                CatalogChange(section, code, "changed", name, old.get(name), new.get(name))
            )
    return changes


def _prices(
    section: str, code: str, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[CatalogChange]:
    before = {str(p.get("cycle")): p for p in old}
    after = {str(p.get("cycle")): p for p in new}
    return [
        CatalogChange(
            section, code, "changed", f"prices.{cycle}", before.get(cycle), after.get(cycle)
        )
        for cycle in [*before, *(c for c in after if c not in before)]
        if before.get(cycle) != after.get(cycle)
    ]
