"""What an account may use: members, quota consumption, entitlement checks and the listing.

`check_entitlement` is meant to be called on every request of the operator's product: it reads
the catalog and, in one more query, the account's plan with what it uses of the limit (a third
only for a limit measured on reported resources). See `tierline.domain.usage` for how `used` is
counted and `tierline.domain.entitlement_checks` for the decision and its suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass

from tierline.clock import Clock
from tierline.domain.catalog import Catalog
from tierline.domain.entitlement_checks import Decision, Suggestion, check
from tierline.domain.entitlements import account_plan
from tierline.domain.pages import Page, PageRequest
from tierline.domain.periods import Period
from tierline.domain.usage import (
    MEMBER_STATUSES,
    SEATS,
    Member,
    MemberStatus,
    account_limits,
    add_usage,
    known_limit,
    measure_resources,
    members_added,
    period_key,
    resource_measure,
    resource_measures,
)
from tierline.errors import Invalid, LimitReached, NotFound, SeatLimitReached
from tierline.services.subscriptions import live_subscription
from tierline.store.entitlements import AccountState
from tierline.store.uow import UnitOfWork

_LIVE = ("trialing", "active", "past_due")


@dataclass(frozen=True)
class Entitlement:
    """One limit of an account: what it uses, its limit (None: unlimited) and what is left.
    A quota's `period` is the subscription period its consumption counts in."""

    name: str
    used: int
    limit: int | None
    remaining: int | None
    quota: bool = False
    period: Period | None = None


def _entitlement(decision: Decision, period: Period | None) -> Entitlement:
    """`period` is given for a quota only."""
    return Entitlement(
        decision.name, decision.used, decision.limit, decision.remaining, period is not None,
        period,
    )  # fmt: skip


# --- reading ------------------------------------------------------------------------------------


def _known(catalog: Catalog, name: str, param: str = "limit") -> None:
    if not known_limit(catalog, name):
        raise Invalid(
            f"No limit '{name}': no edition or add-on of the catalog has it.",
            code="unknown_limit", param=param,
        )  # fmt: skip


def _state(uow: UnitOfWork, account_id: str, name: str) -> AccountState:
    """The account's live plan and what it uses of `name`, with the catalog, in one query;
    refusals (an unknown limit, account or subscription) take the slower path."""
    state = uow.entitlements.state(account_id, name)
    catalog = state.catalog if state is not None else uow.catalog
    _known(catalog, name)
    if state is None or state.status not in _LIVE:
        uow.accounts.get(account_id)  # an unknown account is not found as such
        raise NotFound("The account has no active subscription.", code="no_subscription")
    return state


def _resources_used(uow: UnitOfWork, catalog: Catalog, account_id: str, name: str) -> int:
    measure = resource_measure(catalog, name)
    if measure is None:
        return 0
    return measure_resources(measure, uow.resources.for_account(account_id, measure.resource))


def _decide(uow: UnitOfWork, account_id: str, name: str, amount: int) -> Decision:
    state = _state(uow, account_id, name)
    catalog = state.catalog
    used = state.used(quota=catalog.is_quota(name))
    used += _resources_used(uow, catalog, account_id, name)
    return check(
        name, amount, {name: used}, account_limits(catalog, state.plan),
        catalog=catalog, plan=state.plan, trialing=state.status == "trialing",
    )  # fmt: skip


@dataclass(frozen=True)
class CheckEntitlement:
    account_id: str
    limit: str
    amount: int = 1


def check_entitlement(cmd: CheckEntitlement, *, uow: UnitOfWork) -> Decision:
    """Would `amount` more of the limit fit? Allowed or not, with used, limit and remaining,
    and what would allow it when it does not fit. Stores nothing.

    One query for the catalog, the plan and the usage; one more only for a limit measured on
    reported resources."""
    with uow.reading():
        return _decide(uow, cmd.account_id, cmd.limit, cmd.amount)


def list_entitlements(account_id: str, *, uow: UnitOfWork) -> list[Entitlement]:
    """Every limit of the account's plan, seats first, then by name."""
    with uow.reading():
        catalog = uow.catalog
        uow.accounts.get(account_id)
        sub = live_subscription(uow, account_id)
        others = [s.plan for s in uow.subscriptions.live_for(account_id) if s.id != sub.id]
        held = account_plan(sub.plan, others)  # the packs of every live subscription add up
        limits = account_limits(catalog, held or sub.plan)
        in_period, standing = uow.consumption.used(account_id, sub.period.start)
        measures = resource_measures(catalog)
        found = uow.resources.for_account(account_id) if measures else []
        on_resources = {name: measure_resources(m, found) for name, m in measures.items()}
        counted = uow.members.counted(account_id)
    quotas = {name: v for name, v in in_period.items() if catalog.is_quota(name)}
    totals = {name: v for name, v in standing.items() if not catalog.is_quota(name)}
    used = add_usage(counted, quotas, totals, on_resources)
    listed = []
    for name in sorted(limits, key=lambda n: (n != SEATS, n)):
        quota = catalog.is_quota(name)
        listed.append(_entitlement(check(name, 0, used, limits), sub.period if quota else None))
    return listed


# --- members ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportMember:
    """A person in an application of the account, with a status; `counts_toward` is the limit
    the member counts toward when normal (the seats, or e.g. `external_users`)."""

    account_id: str
    person_id: str
    application: str
    status: str
    counts_toward: str = SEATS


def _status(value: str) -> MemberStatus:
    for status in MEMBER_STATUSES:
        if value == status:
            return status
    raise Invalid(
        f"No member status '{value}': use one of {', '.join(MEMBER_STATUSES)}.",
        code="invalid_status", param="status",
    )  # fmt: skip


def report_member(cmd: ReportMember, *, uow: UnitOfWork, clock: Clock) -> Member:
    """Add or update a member. One that would count beyond its limit is refused, with the
    reason and what would allow it; the member is then not stored."""
    status = _status(cmd.status)
    now = clock.now()
    with uow:
        catalog = uow.catalog
        _known(catalog, cmd.counts_toward, "counts_toward")
        if catalog.is_quota(cmd.counts_toward):
            raise Invalid(
                f"'{cmd.counts_toward}' is a per-period quota: report consumption, not members.",
                code="not_a_member_limit", param="counts_toward",
            )  # fmt: skip
        account = uow.accounts.get(cmd.account_id)
        uow.members.lock_account(account.id)
        before = uow.members.get(account.id, cmd.person_id, cmd.application)
        member = Member(account.id, cmd.person_id, cmd.application, status, cmd.counts_toward)
        if before == member:
            return member
        added = members_added(before, member)
        if added:
            decision = _decide(uow, account.id, member.counts_toward, added)
            if not decision.allowed:
                raise _refusal(catalog, decision)
        uow.members.put(member, now, exists=before is not None)
        uow.commit()
    return member


def remove_member(
    account_id: str, person_id: str, application: str, *, uow: UnitOfWork, clock: Clock
) -> None:
    with uow:
        uow.accounts.get(account_id)
        if not uow.members.delete(account_id, person_id, application):
            raise NotFound(
                f"No member '{person_id}' in application '{application}'.",
                code="unknown_member",
            )
        uow.commit()


def list_members(account_id: str, *, uow: UnitOfWork) -> list[Member]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.members.for_account(account_id)


def member_page(account_id: str, request: PageRequest, *, uow: UnitOfWork) -> Page[Member]:
    """The account's members by person, then application."""
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.members.page_for(account_id, request)


def _refusal(catalog: Catalog, decision: Decision) -> LimitReached:
    unit = catalog.quantity_unit
    fix = _fix(decision.suggestion, unit)
    if decision.name == SEATS:
        message = (
            f"All {decision.limit} {unit}(s) are taken by normal members ({decision.used}): {fix}."
        )
        return SeatLimitReached(
            message, name=SEATS, used=decision.used, limit=decision.limit, param="status"
        )
    message = f"The {decision.name} limit of {decision.limit} is reached ({decision.used}): {fix}."
    return LimitReached(
        message, name=decision.name, used=decision.used, limit=decision.limit, param="status"
    )


def _fix(suggestion: Suggestion | None, unit: str) -> str:
    if suggestion is None:
        return "no edition or add-on of the catalog allows more"
    if suggestion.kind == "quantity":
        return f"expand the subscription to {suggestion.quantity} {unit}(s) to add one"
    if suggestion.kind == "addon":
        return f"buy {suggestion.name} (hold {suggestion.quantity}) to add one"
    return f"upgrade to {suggestion.name} to add one"


# --- consumption ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordConsumption:
    """`amount` used (or, negative, given back) of a limit: a quota or a standing total."""

    account_id: str
    limit: str
    amount: int


def record_consumption(cmd: RecordConsumption, *, uow: UnitOfWork, clock: Clock) -> Entitlement:
    """Add to what is consumed, counted in the current period for a quota. Recording is not
    refused for going over the limit (the use happened; `check_entitlement` is the gate);
    it is refused only for taking the counter below 0."""
    if cmd.amount == 0:
        raise Invalid("The amount cannot be 0.", code="invalid_amount", param="amount")
    now = clock.now()
    with uow:
        catalog = uow.catalog
        _known(catalog, cmd.limit)
        if cmd.limit == SEATS:
            raise Invalid(
                "Seats are counted from the members reported, not from consumption.",
                code="not_a_consumption_limit", param="limit",
            )  # fmt: skip
        state = _state(uow, cmd.account_id, cmd.limit)
        key = period_key(catalog, cmd.limit, state.period.start)
        total = uow.consumption.add(cmd.account_id, cmd.limit, key, cmd.amount, now)
        if total < 0:
            raise Invalid(
                f"Only {total - cmd.amount} of {cmd.limit} is recorded: cannot give back"
                f" {-cmd.amount}.",
                code="invalid_amount", param="amount",
            )  # fmt: skip
        used = state.counted + total + _resources_used(uow, catalog, cmd.account_id, cmd.limit)
        uow.commit()
    decision = check(cmd.limit, 0, {cmd.limit: used}, account_limits(catalog, state.plan))
    return _entitlement(decision, state.period if catalog.is_quota(cmd.limit) else None)
