"""The catalog as one reader reads it: the operator's texts in their language, and Tierline's
words where the operator wrote none.

    read_in(catalog, locale) -> Catalog      # names and messages in the reader's language
    cycle_name(cycle, locale) -> str         # the operator's name, else "Monthly", "Every 3 months"
    limit_name(catalog, limit, locale) -> str  # the limit's `label`, else its code in words

Pages, messages and documents read names from `read_in(...)`; the catalog services and the
simulator use the catalog as loaded (English), so nothing stored depends on a reader.
"""

from __future__ import annotations

import re

from tierline.domain.catalog import Catalog, Cycle
from tierline.domain.values import replace
from tierline.i18n import words

__all__ = ["cycle_name", "humanize", "limit_name", "read_in"]

# Units a limit code may end with, written as a reader expects them: `upload_gb` → "Upload (GB)".
_UNIT_SUFFIX = re.compile(r"[_\s-](kb|mb|gb|tb|kib|mib|gib|tib)$", re.IGNORECASE)


def humanize(code: str) -> str:
    """`external_users` → `External users`, `attachment_upload_gb` → `Attachment upload (GB)`:
    a code as words, for limits and features the catalog gives no label."""
    unit = _UNIT_SUFFIX.search(code)
    stem = code[: unit.start()] if unit else code
    text = stem.replace("_", " ").replace("-", " ").strip()
    text = text[:1].upper() + text[1:]
    return f"{text} ({unit.group(1).upper()})" if unit and text else text or code


def cycle_name(cycle: Cycle, locale: str | None) -> str:
    """The operator's name of a cycle in the reader's language; else Tierline's words for its
    length: "Monthly", "Yearly", "Every 3 months", "Every 30 days"."""
    named = cycle.name_in(locale)
    if named:
        return named
    w = words(locale)
    months, days = cycle.length.months, cycle.length.days
    if months == 1:
        return w.pgettext("cycle", "Monthly")
    if months == 12:
        return w.pgettext("cycle", "Yearly")
    if months:
        return w.npgettext("cycle", "Every %(num)s month", "Every %(num)s months", months)
    return w.npgettext("cycle", "Every %(num)s day", "Every %(num)s days", days)


def limit_name(catalog: Catalog, limit: str, locale: str | None) -> str:
    """A limit (or feature) as the reader reads it: the catalog's `limit_labels`, else its code
    in words."""
    return catalog.limit_label(limit, locale) or humanize(limit)


def read_in(catalog: Catalog, locale: str | None) -> Catalog:
    """The catalog with every operator text in the reader's language and every cycle named."""
    found = catalog.in_language(locale)
    return replace(
        found, cycles=tuple(replace(c, name=cycle_name(c, locale)) for c in catalog.cycles)
    )
