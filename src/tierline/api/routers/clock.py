"""The sandbox test clock: move time forward and run what falls due, as the simulator does."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from tierline.api.deps import OperatorDep, RuntimeDep
from tierline.api.responses import error_responses
from tierline.api.schemas import ClockAdvance, ClockRead
from tierline.clock import TestClock
from tierline.errors import Invalid, NotAllowed
from tierline.services.renewal import advance_clock
from tierline.views import instant

router = APIRouter(
    prefix="/v1/test_clock", tags=["test clock"], responses=error_responses(400, 401, 403, 409)
)


@router.get("", response_model=ClockRead)
def read_clock(rt: RuntimeDep, _: OperatorDep) -> ClockRead:
    return ClockRead(now=instant(rt.clock.now()))


@router.post("/advance", response_model=ClockRead)
def advance(body: ClockAdvance, rt: RuntimeDep, _: OperatorDep) -> ClockRead:
    if not isinstance(rt.clock, TestClock):
        raise NotAllowed(
            "This server runs on the real clock; start it with TIERLINE_TEST_CLOCK=true.",
            code="test_clock_disabled",
        )
    try:
        to = datetime.fromisoformat(body.to.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid("Not an ISO 8601 instant.", param="to") from None
    if to.tzinfo is None:
        raise Invalid("The instant needs a timezone, e.g. Z.", param="to")
    if to < rt.clock.now():
        raise Invalid("A test clock only moves forward.", param="to")
    advance_clock(to, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    return ClockRead(now=instant(rt.clock.now()))
