"""The catalogs' words in Jinja2 templates (`tierline.i18n` has the catalogs).

One Jinja2 environment serves every language: `install(env)` adds `jinja2.ext.i18n` with
callables that read the catalog from the template's context, under the name `translations`
(render with `translations=translations(locale)`; without it a template reads English):

    env = Environment(loader=..., autoescape=True)
    install(env)
    env.get_template("page.html").render(translations=translations("fr"), ...)

    {{ _("Invoice %(number)s", number=invoice.number) }}
    {{ ngettext("%(num)s seat", "%(num)s seats", count) }}
    {{ pgettext("change", "Upgrade") }}
"""

from __future__ import annotations

from babel.support import NullTranslations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from tierline.i18n import DEFAULT_LANGUAGE, translations


def _of(context: Context) -> NullTranslations:
    found = context.get("translations")
    return found if isinstance(found, NullTranslations) else translations(DEFAULT_LANGUAGE)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return _of(context).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, num: int) -> str:
    return _of(context).ngettext(singular, plural, num)


@pass_context
def _pgettext(context: Context, ctx: str, message: str) -> str:
    return str(_of(context).pgettext(ctx, message))


@pass_context
def _npgettext(context: Context, ctx: str, singular: str, plural: str, num: int) -> str:
    return str(_of(context).npgettext(ctx, singular, plural, num))


def install(env: Environment) -> None:
    """Give `env` Jinja2's i18n extension (`_`, `gettext`, `ngettext`, `pgettext`, `npgettext`,
    `{% trans %}`), reading each template's catalog from its `translations` context value.

    New-style gettext: values are keyword arguments, escaped when autoescaping is on, and every
    text goes through `%` formatting (`%%` for a percent sign)."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
