"""What an account may use: entitlements and checks; what the operator's product reports:
members, consumption and resources (the content a downgrade reconciles)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from tierline.api.deps import OperatorDep, PageDep, RuntimeDep
from tierline.api.responses import error_responses, refusals
from tierline.api.schemas import MAX_QUANTITY, ContentActionRead, PageRead
from tierline.domain.entitlement_checks import Decision, Suggestion
from tierline.domain.pages import paginate
from tierline.domain.reconciliation import Resource
from tierline.domain.usage import MEMBER_STATUSES, SEATS, Member
from tierline.services import content as content_service
from tierline.services import entitlements as service
from tierline.store.entitlements import Reconciliation
from tierline.views import instant

router = APIRouter(prefix="/v1/accounts/{account_id}", tags=["entitlements"])

_ERRORS = error_responses(
    400,
    401,
    404,
    described={
        400: refusals(
            "unknown_limit",
            "invalid_amount",
            "not_a_consumption_limit",
            "not_a_member_limit",
            "invalid_status",
            "invalid_resource",
            "duplicate_resource",
            "unknown_cursor",
        ),
        404: "No such account (`unknown_account`) or no live subscription.",
    },
)
_REFUSED = {
    **_ERRORS,
    **error_responses(
        403,
        described={
            403: "A normal member beyond the limit: `seat_limit_reached` for the seats, "
            "`limit_reached` for another limit; the message says what would allow it."
        },
    ),
}

Name = Annotated[str, Field(min_length=1, max_length=64)]
Key = Annotated[str, Path(min_length=1, max_length=128)]
Amount = Annotated[int, Field(ge=-MAX_QUANTITY, le=MAX_QUANTITY)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SuggestionRead(BaseModel):
    kind: str = Field(description="`quantity` (expand), `addon` or `edition`.")
    code: str = Field(description="The add-on, or the edition.")
    name: str
    quantity: int | None = Field(description="Seats (quantity, edition) or packs to hold.")
    change: dict[str, Any] = Field(description="The body of a change that carries it out.")


class EntitlementRead(BaseModel):
    name: str
    used: int
    limit: int | None = Field(description="null: unlimited.")
    remaining: int | None
    quota: bool = Field(description="Per-period: consumption starts again at each period.")
    period_start: str | None = None
    period_end: str | None = None


class EntitlementPage(PageRead[EntitlementRead]):
    pass


class EntitlementCheck(_In):
    limit: Name = Field(description="The limit, e.g. `seats`, `external_users`.")
    amount: Annotated[int, Field(ge=0, le=MAX_QUANTITY)] = 1


class EntitlementCheckRead(BaseModel):
    name: str
    amount: int
    allowed: bool
    used: int
    limit: int | None
    remaining: int | None
    suggestion: SuggestionRead | None


class ConsumptionCreate(_In):
    limit: Name
    amount: Amount = Field(description="Used (+N) or given back (−N); never 0.")


class MemberUpdate(_In):
    status: str = Field(description=f"One of: {', '.join(MEMBER_STATUSES)}.")
    counts_toward: Name = Field(SEATS, description="The limit a normal member counts toward.")


class MemberRead(BaseModel):
    id: str = Field(
        description="`{person_id}/{application}`, each percent-encoded, as in the member's path."
    )
    person_id: str
    application: str
    status: str
    counts_toward: str
    counted: bool


class MemberPage(PageRead[MemberRead]):
    pass


class ResourceUpdate(_In):
    type: Name
    parent: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    attributes: dict[str, int | str | None] = Field(default_factory=dict)
    activated_at: Annotated[AwareDatetime, Field(strict=False)] | None = Field(
        None, description="ISO 8601 with a zone: when it was activated (newest go first)."
    )


class ResourceRead(BaseModel):
    id: str
    type: str
    parent: str | None
    attributes: dict[str, int | str | None]
    activated_at: str | None
    detached: bool


class ResourcePage(PageRead[ResourceRead]):
    pass


class ReconciliationRead(BaseModel):
    id: str
    at: str | None
    subscription_id: str
    from_edition: str
    to_edition: str
    actions: list[ContentActionRead]


class ReconciliationPage(PageRead[ReconciliationRead]):
    pass


def _suggestion(item: Suggestion | None) -> SuggestionRead | None:
    if item is None:
        return None
    return SuggestionRead(
        kind=item.kind, code=item.code, name=item.name, quantity=item.quantity, change=item.change()
    )


def _entitlement(item: service.Entitlement) -> EntitlementRead:
    return EntitlementRead(
        name=item.name,
        used=item.used,
        limit=item.limit,
        remaining=item.remaining,
        quota=item.quota,
        period_start=instant(item.period.start) if item.period else None,
        period_end=instant(item.period.end) if item.period else None,
    )


def _decision(item: Decision) -> EntitlementCheckRead:
    return EntitlementCheckRead(
        name=item.name,
        amount=item.amount,
        allowed=item.allowed,
        used=item.used,
        limit=item.limit,
        remaining=item.remaining,
        suggestion=_suggestion(item.suggestion),
    )


def _member(item: Member) -> MemberRead:
    return MemberRead(
        id=item.key,
        person_id=item.person_id,
        application=item.application,
        status=item.status,
        counts_toward=item.counts_toward,
        counted=item.counted,
    )


def _resource(item: Resource) -> ResourceRead:
    return ResourceRead(
        id=item.id,
        type=item.type,
        parent=item.parent,
        attributes=dict(item.attributes),
        activated_at=instant(item.activated_at),
        detached=item.detached,
    )


@router.get("/entitlements", response_model=EntitlementPage, responses=_ERRORS)
def list_entitlements(
    account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep
) -> EntitlementPage:
    """Each limit of the plan, seats first, then by name: used, limit and remaining. A cursor
    is a limit's name."""
    limits = service.list_entitlements(account_id, uow=rt.uow())  # as many as the catalog has
    return EntitlementPage.of(paginate(limits, lambda e: e.name, page), _entitlement)


@router.post("/entitlements/check", response_model=EntitlementCheckRead, responses=_ERRORS)
def check_entitlement(
    account_id: str, body: EntitlementCheck, rt: RuntimeDep, _: OperatorDep
) -> EntitlementCheckRead:
    """Would `amount` more fit? If not, `suggestion` names the expansion, add-on or edition
    that would allow it. Changes nothing."""
    decision = service.check_entitlement(
        service.CheckEntitlement(account_id, body.limit, body.amount), uow=rt.uow()
    )
    return _decision(decision)


@router.post("/consumption", status_code=201, response_model=EntitlementRead, responses=_ERRORS)
def record_consumption(
    account_id: str, body: ConsumptionCreate, rt: RuntimeDep, _: OperatorDep
) -> EntitlementRead:
    """Report use of a limit (e.g. `workflow_executions` +1); a quota counts per period."""
    item = service.record_consumption(
        service.RecordConsumption(account_id, body.limit, body.amount),
        uow=rt.uow(),
        clock=rt.clock,
    )
    return _entitlement(item)


@router.get("/members", response_model=MemberPage, responses=_ERRORS)
def list_members(account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep) -> MemberPage:
    """By person, then application."""
    return MemberPage.of(service.member_page(account_id, page, uow=rt.uow()), _member)


@router.put("/members/{person_id}/{application}", response_model=MemberRead, responses=_REFUSED)
def report_member(
    account_id: str,
    person_id: Key,
    application: Key,
    body: MemberUpdate,
    rt: RuntimeDep,
    _: OperatorDep,
) -> MemberRead:
    """A person in an application, with a status. Only normal members count, once per
    application; one that would count beyond its limit is refused."""
    member = service.report_member(
        service.ReportMember(account_id, person_id, application, body.status, body.counts_toward),
        uow=rt.uow(),
        clock=rt.clock,
    )
    return _member(member)


@router.delete("/members/{person_id}/{application}", status_code=204, responses=_ERRORS)
def remove_member(
    account_id: str, person_id: Key, application: Key, rt: RuntimeDep, _: OperatorDep
) -> Response:
    service.remove_member(account_id, person_id, application, uow=rt.uow(), clock=rt.clock)
    return Response(status_code=204)


@router.get("/resources", response_model=ResourcePage, responses=_ERRORS)
def list_resources(
    account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep, type: str | None = None
) -> ResourcePage:
    """The content in use, detached resources included (flagged): oldest activated first,
    never activated last."""
    found = content_service.resource_page(account_id, page, uow=rt.uow(), type_=type)
    return ResourcePage.of(found, _resource)


@router.put("/resources/{resource_id}", response_model=ResourceRead, responses=_ERRORS)
def report_resource(
    account_id: str, resource_id: Key, body: ResourceUpdate, rt: RuntimeDep, _: OperatorDep
) -> ResourceRead:
    """A piece of content the plan limits (seed 003: a domain, a waiting room …)."""
    resource = content_service.report_resource(
        content_service.ReportResource(
            account_id, resource_id, body.type, body.parent, body.attributes, body.activated_at
        ),
        uow=rt.uow(),
        clock=rt.clock,
    )
    return _resource(resource)


@router.delete("/resources/{resource_id}", status_code=204, responses=_ERRORS)
def remove_resource(account_id: str, resource_id: Key, rt: RuntimeDep, _: OperatorDep) -> Response:
    content_service.remove_resource(account_id, resource_id, uow=rt.uow(), clock=rt.clock)
    return Response(status_code=204)


@router.get("/reconciliations", response_model=ReconciliationPage, responses=_ERRORS)
def list_reconciliations(
    account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep
) -> ReconciliationPage:
    """Every reconciliation carried out on the account's content, oldest first."""
    found = content_service.reconciliation_page(account_id, page, uow=rt.uow())
    return ReconciliationPage.of(found, _reconciliation)


def _reconciliation(item: Reconciliation) -> ReconciliationRead:
    return ReconciliationRead(
        id=item.id,
        at=instant(item.at),
        subscription_id=item.subscription_id,
        from_edition=item.from_edition,
        to_edition=item.to_edition,
        actions=[ContentActionRead(**action) for action in item.actions],
    )
