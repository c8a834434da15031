"""Counts of the units Tierline knows ("12 seats", "1 siège", "12 chỗ") in the reader's language.

The words come from the gettext catalogs (context "unit"), with each language's plural forms; a
catalog's own `quantity_unit_forms` come before them (see `Formatter.count`). The English forms are
also in `tierline.domain.units.BUILT_IN`, which writes the English stored on document lines.
"""

from __future__ import annotations

from collections.abc import Callable

from tierline.i18n import Words


def unit_count(w: Words, unit: str, n: int, num: str) -> str | None:
    """`n` of `unit` (a unit code such as `seat`), with `num` as the number is written; None for
    a unit Tierline has no words for."""
    said: dict[str, Callable[[], str]] = {
        "seat": lambda: w.npgettext("unit", "%(num)s seat", "%(num)s seats", n, num=num),
        "user": lambda: w.npgettext("unit", "%(num)s user", "%(num)s users", n, num=num),
        "member": lambda: w.npgettext("unit", "%(num)s member", "%(num)s members", n, num=num),
        "account": lambda: w.npgettext("unit", "%(num)s account", "%(num)s accounts", n, num=num),
        "contact": lambda: w.npgettext("unit", "%(num)s contact", "%(num)s contacts", n, num=num),
        "agent": lambda: w.npgettext("unit", "%(num)s agent", "%(num)s agents", n, num=num),
        "license": lambda: w.npgettext("unit", "%(num)s license", "%(num)s licenses", n, num=num),
        "licence": lambda: w.npgettext("unit", "%(num)s licence", "%(num)s licences", n, num=num),
        "device": lambda: w.npgettext("unit", "%(num)s device", "%(num)s devices", n, num=num),
        "project": lambda: w.npgettext("unit", "%(num)s project", "%(num)s projects", n, num=num),
    }
    found = said.get(unit.strip().lower())
    return None if found is None else found()
