"""The dashboard: MRR and ARR, the plan list, new and churned accounts, revenue, failed
payments and dunning, each as a chart with its table, from `tierline.services.reports`."""

from __future__ import annotations

from babel.support import NullTranslations
from fastapi import APIRouter, Request
from starlette.responses import Response

from tierline.catalog.words import read_in
from tierline.console.charts import Series, bar_chart
from tierline.console.rendering import ConsoleRoute, language_for, page
from tierline.console.session import SessionDep, needs, runtime_of
from tierline.i18n import Words, words
from tierline.services import reports
from tierline.services.catalog import current_catalog

router = APIRouter(route_class=ConsoleRoute)


@router.get("")
def dashboard(request: Request, session: SessionDep, months: int = 12) -> Response:
    needs(session, "view")
    rt = runtime_of(request)
    months = min(max(months, 1), reports.MAX_MONTHS)
    found = reports.dashboard(uow=rt.uow(), clock=rt.clock, months=months)
    catalog = read_in(current_catalog(uow=rt.uow()), language_for(request))
    names = {e.code: e.name for e in catalog.editions}
    cycles = {c.code: c.name or c.code for c in catalog.cycles}
    w = _words(language_for(request))
    return page(
        request, session, "dashboard.html", active="dashboard", report=found, names=names,
        cycles=cycles, months=months, charts=_charts(found, names, cycles, w),
        trials=sum(p.trials for p in found.plans),
    )  # fmt: skip


def _words(language: str) -> Words:
    try:
        return words(language)
    except FileNotFoundError:  # catalogs not compiled yet: the English source text
        return Words("en", NullTranslations())


def _charts(
    found: reports.Dashboard, names: dict[str, str], cycles: dict[str, str], w: Words
) -> dict[str, object]:
    months = [m.month for m in found.accounts]
    charts: dict[str, object] = {
        "accounts": bar_chart(
            w.gettext("New and churned accounts per month"),
            months,
            [
                Series(w.gettext("new"), [m.new for m in found.accounts]),
                Series(w.gettext("churned"), [m.churned for m in found.accounts], "alt"),
            ],
        ),
        "plans": bar_chart(
            w.gettext("Live subscriptions per edition and cycle"),
            [
                f"{names.get(p.edition, p.edition)} {cycles.get(p.cycle, p.cycle)}"
                for p in found.plans
            ],
            [Series(w.gettext("subscriptions"), [p.subscriptions for p in found.plans])],
        ),
    }
    for currency in sorted({r.currency for r in found.revenue}):
        rows = [r for r in found.revenue if r.currency == currency]
        charts[f"revenue_{currency}"] = bar_chart(
            w.gettext("Revenue per month (%(currency)s)", currency=currency),
            [r.month for r in rows],
            [Series(w.gettext("net"), [r.net for r in rows])],
        )
    failed = found.collection.failed
    charts["failed"] = bar_chart(
        w.gettext("Failed payments per month"),
        [f.month for f in failed if f.currency == failed[0].currency] if failed else [],
        [
            Series(
                w.gettext("failed"), [f.failed for f in failed if f.currency == failed[0].currency]
            )
        ]
        if failed
        else [],
    )
    return charts
