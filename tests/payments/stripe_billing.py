"""Service-test builders on the Stripe adapter: the `Billing` helper of the service tests, with
payment methods added the way a customer adds them, through a SetupIntent confirmed at Stripe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.payments.stripe_doubles import LocalStripe
from tests.services.service_builders import Billing
from tierline.domain.account import Account, PaymentMethod
from tierline.domain.documents import Payment
from tierline.payments import UseAs
from tierline.payments.stripe import StripeGateway
from tierline.services.accounts import CreateAccount, create_account
from tierline.services.payment_setup import (
    FinishSetup,
    StartSetup,
    finish_payment_setup,
    start_payment_setup,
)

VISA = "4242424242424242"
DECLINES_CHARGES = "4000000000000341"  # attaches, then every charge is declined
NEEDS_AUTHENTICATION = "4000002760003184"  # every payment asks for 3-D Secure
IBAN = "DE89370400440532013000"  # debits succeed
FAILING_IBAN = "DE62370400440532013001"  # debits fail, some time after they were made


@dataclass
class StripeBilling(Billing):
    stripe: LocalStripe | None = None

    def stripe_account(self, id: str = "acme") -> Account:
        return create_account(CreateAccount(name=id.title(), id=id), uow=self.uow, clock=self.clock)

    def add_card(  # type: ignore[override]
        self, card: str = VISA, *, account: str = "acme", use_as: UseAs = "primary"
    ) -> PaymentMethod:
        details = {"number": card, "exp_month": "12", "exp_year": "2030", "cvc": "123"}
        return self._set_up(account, "card", {"type": "card", "card": details}, use_as)

    def add_iban(
        self, iban: str = IBAN, *, account: str = "acme", use_as: UseAs = "primary"
    ) -> PaymentMethod:
        data = {
            "type": "sepa_debit", "sepa_debit": {"iban": iban},
            "billing_details": {"name": "Acme", "email": "billing@acme.test"},
        }  # fmt: skip
        return self._set_up(account, "sepa_debit", data, use_as)

    def _set_up(
        self, account: str, kind: Any, method: dict[str, Any], use_as: UseAs
    ) -> PaymentMethod:
        assert self.stripe is not None
        setup = start_payment_setup(
            StartSetup(account, kind, use_as), uow=self.uow, gateway=self.gateway
        )
        self.stripe.confirm_setup(setup.client_secret, method)
        finished = finish_payment_setup(
            FinishSetup(setup.id, account), uow=self.uow, clock=self.clock, gateway=self.gateway
        )
        assert finished.method is not None, finished
        return finished.method

    @property
    def adapter(self) -> StripeGateway:
        assert isinstance(self.gateway, StripeGateway)
        return self.gateway

    def attempt(self, index: int = -1, account: str = "acme") -> Payment:
        return self.payments(account)[index]
