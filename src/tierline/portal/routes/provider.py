"""Pages on the payment provider's elements: adding a card or a bank account (a setup the
customer confirms with Stripe.js, so the card number or IBAN goes to the provider alone), and
"Complete your payment" for a payment the customer's bank asks them to authenticate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from tierline.payments import MethodType, UseAs
from tierline.portal.rendering import BASE, PortalRoute, redirect, render, runtime_of, show_for
from tierline.portal.session import AdminDep, PortalProblem, ViewerDep, config_of
from tierline.services import queries
from tierline.services.outcomes import payment_to_complete, refresh_payment
from tierline.services.payment_setup import (
    FinishSetup,
    StartSetup,
    finish_payment_setup,
    start_payment_setup,
)

router = APIRouter(route_class=PortalRoute)

_TYPES: dict[str, MethodType] = {"card": "card", "sepa_debit": "sepa_debit"}
_ROLES: dict[str, UseAs] = {"primary": "primary", "backup": "backup", "other": "other"}


@router.post("/payment-methods/setup")
def set_up_method(
    request: Request,
    viewer: AdminDep,
    method_type: Annotated[str, Form()] = "card",
    use_as: Annotated[str, Form()] = "primary",
) -> Response:
    rt = runtime_of(request)
    kind, role = _TYPES.get(method_type, "card"), _ROLES.get(use_as, "primary")
    cmd = StartSetup(viewer.account_id, kind, role)
    setup = start_payment_setup(cmd, uow=rt.uow(), gateway=rt.gateway)
    return render(
        request, viewer, "payment_setup.html", active="payment_methods", setup=setup,
        seller=config_of(request).seller.name, return_url=f"{BASE}/payment-methods/setup/return",
    )  # fmt: skip


@router.get("/payment-methods/setup/return")
def setup_returned(request: Request, viewer: ViewerDep, setup_intent: str = "") -> Response:
    """Where Stripe.js comes back to once the customer confirmed: the method is stored if the
    provider says the setup succeeded (its webhook stores it otherwise, once it does)."""
    if not viewer.is_admin:
        raise PortalProblem("admins_only", 403)
    rt = runtime_of(request)
    finished = finish_payment_setup(
        FinishSetup(setup_intent, viewer.account_id), uow=rt.uow(), clock=rt.clock,
        gateway=rt.gateway,
    )  # fmt: skip
    show = show_for(queries.get_account(viewer.account_id, uow=rt.uow()))
    if finished.method is not None:
        return redirect(
            request, "/payment-methods", done=show.words.gettext("The payment method was added.")
        )
    if finished.status == "failed":
        return redirect(
            request,
            "/payment-methods",
            error=show.words.gettext(
                "The payment method could not be added: %(reason)s", reason="—"
            ),
        )
    return redirect(
        request,
        "/payment-methods",
        done=show.words.gettext(
            "The payment provider has not confirmed the method yet; it appears here once it does."
        ),
    )


@router.get("/payments/{attempt_id}/complete")
def complete_payment(attempt_id: str, request: Request, viewer: ViewerDep) -> Response:
    rt = runtime_of(request)
    to_complete = payment_to_complete(
        viewer.account_id, attempt_id, uow=rt.uow(), gateway=rt.gateway
    )
    if to_complete.action is None:
        return completed(attempt_id, request, viewer)
    return render(
        request, viewer, "complete_payment.html", active="billing", payment=to_complete,
        return_url=f"{BASE}/payments/{attempt_id}/complete/return",
    )  # fmt: skip


@router.get("/payments/{attempt_id}/complete/return")
def completed(attempt_id: str, request: Request, viewer: ViewerDep) -> Response:
    """Where Stripe.js comes back to after the customer authenticated: the payment's outcome,
    asked of the provider and recorded (its webhook would record it too)."""
    rt = runtime_of(request)
    attempt = refresh_payment(
        viewer.account_id, attempt_id, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway
    )
    show = show_for(queries.get_account(viewer.account_id, uow=rt.uow()))
    if attempt.status == "succeeded":
        return redirect(
            request, "/billing", done=show.words.gettext("The payment went through. Thank you.")
        )
    if attempt.status == "failed":
        reason = attempt.failure_message or attempt.failure_code or ""
        return redirect(
            request, "/billing", error=f"{show.say.problem('payment_failed')} ({reason})"
        )
    return redirect(
        request,
        "/billing",
        done=show.words.gettext(
            "The payment is not confirmed yet; its outcome is recorded as soon as the bank answers."
        ),
    )
