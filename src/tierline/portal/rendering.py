"""Pages: the Jinja2 environment, the context every page shares, and refusals shown as pages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_time
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tierline.api.errors import status_of
from tierline.catalog.words import humanize, limit_name
from tierline.documents import Labels, labels_for
from tierline.documents.formatting import Formatter
from tierline.domain.account import Account
from tierline.domain.catalog import Catalog, pick_text
from tierline.domain.periods import Period
from tierline.errors import NotFound, PaymentFailed, TierlineError, TransitionNotAllowed
from tierline.i18n import Words, words
from tierline.i18n_templates import install
from tierline.payments import HostedPayments
from tierline.portal.facts import declined_primary
from tierline.portal.i18n import Say
from tierline.portal.refusals import refusal_text
from tierline.portal.session import FLASH_COOKIE, PortalProblem, Viewer, config_of
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.accounts import list_payment_methods
from tierline.services.outcomes import payments_awaiting_action

TEMPLATES = Path(__file__).parent / "templates"
BASE = "/portal"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
install(_env)

# Engine refusals whose words the portal has in every language; others show the engine's text
# (a catalog's transition message is the operator's own words).
_TRANSLATED_CODES = {
    "no_payment_method",
    "insufficient_balance",
    "sales_managed",
    "top_up_not_allowed",
    "invalid_card",
    "invoice_already_paid",
    "invoice_uncollectible",
    "invoice_void",
}


# Pages that say when the primary method was declined and the backup paid.
_DECLINED_BANNER_PAGES = frozenset({"home", "billing", "payment_methods"})


def runtime_of(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


@dataclass(frozen=True)
class Show:
    """How one account reads amounts, dates and words."""

    fmt: Formatter
    words: Words
    labels: Labels

    @property
    def say(self) -> Say:
        return Say(self.words)

    @property
    def language(self) -> str:
        return self.words.language

    def money(self, amount: Decimal | None) -> str:
        return "—" if amount is None else self.fmt.money(amount)

    def date(self, instant: datetime | None) -> str:
        return "—" if instant is None else self.fmt.date(instant)

    def when(self, instant: datetime | None) -> str:
        """A date and time (to the minute) in the account's timezone."""
        if instant is None:
            return "—"
        local = instant.astimezone(self.fmt.timezone)
        day = format_date(local.date(), "medium", locale=self.fmt.locale)
        return f"{day} {format_time(local.time(), 'short', locale=self.fmt.locale)}"

    def period(self, period: Period | None) -> str:
        return "" if period is None else self.fmt.period(period)

    def limit(self, value: int | None) -> str:
        return self.words.gettext("Unlimited") if value is None else self.fmt.number(value)

    def pair(self, label: str, value: str) -> Markup:
        """A label and its value joined as the reader's language joins them, as documents do
        (`Labels.pair`): "Standard: $80.00", "Standard : 80,00 $US" (a no-break space before
        the colon in French). Each part is escaped unless it is markup already."""
        return Markup(escape(self.labels.labelled)).format(label=label, value=value)

    def count(self, quantity: int, unit: str | None) -> str:
        """A quantity with its unit in the reader's words: "15 seats", "15 sièges"."""
        return self.fmt.count(quantity, unit)

    def unit(self, unit: str, *, plural: bool = False, capital: bool = False) -> str:
        """The catalog's unit alone in the reader's words: one of it ("per seat", "par siège"),
        or with `plural` all of them ("by band of seats"); `capital` starts a heading with a
        capital letter ("Sièges")."""
        word = self.fmt.unit_name(unit, plural=plural)
        return word[:1].upper() + word[1:] if capital else word


def show_for(account: Account, catalog: Catalog | None = None) -> Show:
    """How `account` reads; with the `catalog`, its own words for its unit come first."""
    fmt = Formatter.for_account(account, catalog.units() if catalog is not None else None)
    return Show(fmt, words(account.locale), labels_for(account.locale))


def error_text(show: Show, error: TierlineError) -> str:
    """A refusal in the account's words where the portal has them, else the engine's."""
    if isinstance(error, TransitionNotAllowed):  # the operator's words, in the reader's language
        messages = error.details.get("messages")
        if isinstance(messages, dict):
            return pick_text(messages, show.language, error.message)
        return error.message
    if error.code in _TRANSLATED_CODES:
        return show.say.problem(error.code)
    refusal = refusal_text(error, show.fmt)
    if refusal is not None:
        return refusal
    if isinstance(error, PaymentFailed) and show.language != "en":
        return f"{show.say.problem('payment_failed')} ({error.message})"
    return error.message


def _page(
    request: Request,
    viewer: Viewer | None,
    account: Account | None,
    template: str,
    status: int,
    active: str | None,
    context: dict[str, Any],
) -> HTMLResponse:
    config = config_of(request)
    catalog = context.get("catalog")
    show = (
        show_for(account, catalog if isinstance(catalog, Catalog) else None)
        if account is not None
        else Show(Formatter.of("en", "UTC", "USD"), words("en"), labels_for("en"))
    )
    flash = config.take_flash(request)
    can_buy = bool(viewer and viewer.is_admin and account and not account.sales_managed)
    locale = account.locale if account is not None else None

    def name_of(code: str) -> str:
        """A limit or feature in the reader's words: its label in the catalog, else its code."""
        return limit_name(catalog, code, locale) if isinstance(catalog, Catalog) else humanize(code)

    html = _env.get_template(template).render(
        humanize=name_of,
        translations=show.words.catalog, say=show.say, show=show, labels=show.labels,
        lang=show.language, viewer=viewer,
        account=account, csrf=viewer.csrf if viewer else "", active=active, flash=flash,
        base=BASE, can_buy=can_buy,
        **context,
    )  # fmt: skip
    response = HTMLResponse(html, status_code=status)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path=BASE)
    response.headers["Cache-Control"] = "no-store"
    return response


def render(
    request: Request,
    viewer: Viewer,
    template: str,
    *,
    status: int = 200,
    active: str | None = None,
    account: Account | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page of the signed-in account."""
    rt = runtime_of(request)
    if account is None:
        account = queries.get_account(viewer.account_id, uow=rt.uow())
    hosted = isinstance(rt.gateway, HostedPayments)
    context.setdefault("hosted_payments", hosted)
    if hosted:  # payments the customer's bank asks them to authenticate: a banner on every page
        context.setdefault("to_complete", payments_awaiting_action(account.id, uow=rt.uow()))
    if active in _DECLINED_BANNER_PAGES:  # the backup paid for a declined primary: update it
        context.setdefault(
            "declined",
            declined_primary(
                queries.list_messages(account.id, uow=rt.uow()),
                list_payment_methods(account.id, uow=rt.uow()),
                queries.list_receipts(account.id, uow=rt.uow()),
            ),
        )
    return _page(request, viewer, account, template, status, active, context)


def redirect(
    request: Request, path: str, *, done: str | None = None, error: str | None = None
) -> RedirectResponse:
    """After a form: go to `path` and show what happened there once."""
    response = RedirectResponse(BASE + path, status_code=303)
    config = config_of(request)
    if done is not None:
        config.flash(response, "success", done)
    if error is not None:
        config.flash(response, "error", error)
    return response


def _signed_in(request: Request) -> tuple[Viewer | None, Account | None]:
    """The viewer of a refused request and its account; neither once the account is gone."""
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    if viewer is None:
        return None, None
    try:
        return viewer, queries.get_account(viewer.account_id, uow=runtime_of(request).uow())
    except NotFound:
        return None, None


def error_page(request: Request, key: str | None, status: int, text: str | None = None) -> Response:
    viewer, account = _signed_in(request)
    context = {"key": key, "text": text}
    return _page(request, viewer, account, "error.html", status, None, context)


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class PortalRoute(APIRoute):
    """A portal route: refusals become pages in the account's language, never JSON."""

    def get_route_handler(self) -> Handler:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except PortalProblem as problem:
                return await run_in_threadpool(error_page, request, problem.key, problem.status)
            except NotFound:
                return await run_in_threadpool(error_page, request, "not_found", 404)
            except TierlineError as error:
                status, _ = status_of(error)
                return await run_in_threadpool(_refusal_page, request, error, status)
            except RequestValidationError:
                return await run_in_threadpool(error_page, request, "bad_request", 400)

        return handler


def _refusal_page(request: Request, error: TierlineError, status: int) -> Response:
    viewer, account = _signed_in(request)
    text = error.message if account is None else error_text(show_for(account), error)
    context = {"key": None, "text": text}
    return _page(request, viewer, account, "error.html", status, None, context)
