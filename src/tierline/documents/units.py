"""The units Tierline knows in the reader's language: counted ("12 seats", "1 siège", "12 chỗ"),
or alone ("$8.00 per seat", "8,00 $US par siège", "Sièges : utilisés / achetés").

The words come from the gettext catalogs (context "unit"), with each language's plural forms; a
catalog's own `quantity_unit_forms` come before them (see `Formatter.count` and
`Formatter.unit_name`). The English forms are also in `tierline.domain.units.BUILT_IN`, which
writes the English stored on document lines.
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
        "gb": lambda: w.npgettext("unit", "%(num)s GB", "%(num)s GB", n, num=num),
        "tb": lambda: w.npgettext("unit", "%(num)s TB", "%(num)s TB", n, num=num),
    }
    found = said.get(unit.strip().lower())
    return None if found is None else found()


def unit_name(w: Words, unit: str, *, plural: bool) -> str | None:
    """`unit` alone, without a number: one of it ("seat", "siège": "$8.00 per seat"), or the
    plural naming them all ("seats", "sièges": a heading, "by band of seats"); None for a unit
    Tierline has no words for."""
    one: dict[str, Callable[[], str]] = {
        "seat": lambda: w.pgettext("unit", "seat"),
        "user": lambda: w.pgettext("unit", "user"),
        "member": lambda: w.pgettext("unit", "member"),
        "account": lambda: w.pgettext("unit", "account"),
        "contact": lambda: w.pgettext("unit", "contact"),
        "agent": lambda: w.pgettext("unit", "agent"),
        "license": lambda: w.pgettext("unit", "license"),
        "licence": lambda: w.pgettext("unit", "licence"),
        "device": lambda: w.pgettext("unit", "device"),
        "project": lambda: w.pgettext("unit", "project"),
        "gb": lambda: w.pgettext("unit", "GB"),
        "tb": lambda: w.pgettext("unit", "TB"),
    }
    many: dict[str, Callable[[], str]] = {
        "seat": lambda: w.pgettext("unit", "seats"),
        "user": lambda: w.pgettext("unit", "users"),
        "member": lambda: w.pgettext("unit", "members"),
        "account": lambda: w.pgettext("unit", "accounts"),
        "contact": lambda: w.pgettext("unit", "contacts"),
        "agent": lambda: w.pgettext("unit", "agents"),
        "license": lambda: w.pgettext("unit", "licenses"),
        "licence": lambda: w.pgettext("unit", "licences"),
        "device": lambda: w.pgettext("unit", "devices"),
        "project": lambda: w.pgettext("unit", "projects"),
        "gb": lambda: w.pgettext("unit", "GB"),  # a symbol: one form
        "tb": lambda: w.pgettext("unit", "TB"),
    }
    found = (many if plural else one).get(unit.strip().lower())
    return None if found is None else found()
