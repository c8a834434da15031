"""The gateway protocol on Stripe, through the official `stripe` package.

A charge is an off-session PaymentIntent, created and confirmed in one call with the attempt's id
as Stripe's idempotency key and in its metadata, with the invoice number beside it. A refund is a
Stripe refund of the PaymentIntent that paid the invoice, under the refund attempt's key. The
package's own retries are off: a call whose answer is lost raises `GatewayTimeout`, and the
collector then asks with `retrieve`, which finds the PaymentIntent (or the refund) by the key in
its metadata (Stripe's search, then the most recent objects) rather than sending it again.

Beyond the protocol (`tierline.payments.hosted`): a customer per account, SetupIntents that the
portal's Stripe.js elements confirm (a card, or an IBAN with its SEPA mandate), the client secret
of a payment waiting for the customer to authenticate, and signed webhook events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import stripe

from tierline.domain.money import to_minor
from tierline.errors import InvalidSignature, RawCardRefused
from tierline.payments.gateway import CardInfo, ChargeRequest, ChargeResult, GatewayTimeout
from tierline.payments.hosted import (
    MethodType,
    PaymentAction,
    ProviderEvent,
    SetupOutcome,
    SetupStarted,
    UseAs,
)
from tierline.payments.stripe.results import (
    ACCOUNT,
    ATTEMPT,
    INVOICE,
    PROVIDER,
    USE_AS,
    Json,
    declined,
    intent_result,
    metadata,
    provider_event,
    refund_result,
    setup_outcome,
)

SIGNATURE_TOLERANCE = 300  # seconds: an event signed longer ago than this is refused
SCRIPT_URL = "https://js.stripe.com/v3/"
_SCAN_PAGES = 3  # pages of 100 of the most recent objects looked through for a key
_NO_ANSWER = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


class StripeGateway:
    provider = PROVIDER

    def __init__(
        self,
        secret_key: str,
        *,
        publishable_key: str = "",
        webhook_secret: str | None = None,
        api_base: str | None = None,
        http_client: stripe.HTTPClient | None = None,
        timeout: float = 30.0,
    ) -> None:
        """`api_base` points the client (and the portal's Stripe.js) elsewhere than Stripe: a
        local Stripe in tests. `http_client` replaces the package's HTTP client."""
        base = api_base.rstrip("/") if api_base else None
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": base} if base else None,
            http_client=http_client or stripe.RequestsClient(timeout=timeout),
            max_network_retries=0,
        )
        self.publishable_key = publishable_key
        self.script_url = f"{base}/js.stripe.com/v3/" if base else SCRIPT_URL
        self._webhook_secret = webhook_secret
        self._search_works = True

    # the gateway protocol

    def tokenize(self, card_number: str) -> CardInfo:
        raise RawCardRefused(
            "Card numbers are taken on the payment provider's page: add the card there.",
            param="card",
        )

    def charge(self, request: ChargeRequest) -> ChargeResult:
        with _answered():
            if request.kind == "refund":
                return self._refund(request)
            return self._charge(request)

    def retrieve(self, idempotency_key: str) -> ChargeResult | None:
        with _answered():
            intent = self._intent_by_key(idempotency_key)
            if intent is not None:
                return intent_result(intent)
            refund = self._first(
                lambda page: self._client.v1.refunds.list(page),
                lambda r: metadata(r).get(ATTEMPT) == idempotency_key,
            )
            return None if refund is None else refund_result(refund)

    # beyond the protocol: tierline.payments.hosted

    def create_customer(self, account_id: str, name: str, email: str | None) -> str:
        params: Any = {"name": name, "metadata": {ACCOUNT: account_id}}
        if email:
            params["email"] = email
        customer = self._client.v1.customers.create(
            params, {"idempotency_key": f"customer-{account_id}"}
        )
        return str(customer.id)

    def start_setup(
        self, customer: str, method_type: MethodType, *, account_id: str, use_as: UseAs
    ) -> SetupStarted:
        params: Any = {
            "customer": customer,
            "payment_method_types": [method_type],
            "usage": "off_session",
            "metadata": {ACCOUNT: account_id, USE_AS: use_as},
        }
        setup = self._client.v1.setup_intents.create(params)
        return SetupStarted(str(setup.id), str(setup.client_secret), method_type)

    def setup_outcome(self, setup_id: str) -> SetupOutcome:
        setup = _json(
            self._client.v1.setup_intents.retrieve(setup_id, {"expand": ["payment_method"]})
        )
        mandate = setup.get("mandate")
        reference = None
        if isinstance(mandate, str) and setup.get("status") == "succeeded":
            found = _json(self._client.v1.mandates.retrieve(mandate))
            details = (found.get("payment_method_details") or {}).get("sepa_debit") or {}
            reference = details.get("reference")
        return setup_outcome(setup, reference)

    def payment_action(self, reference: str) -> PaymentAction | None:
        intent = _json(self._client.v1.payment_intents.retrieve(reference))
        result = intent_result(intent)
        if result.status != "requires_action":
            return None
        method = intent.get("payment_method")
        if isinstance(method, dict):
            method = method.get("id")
        if method is None:
            method = _id((intent.get("last_payment_error") or {}).get("payment_method"))
        return PaymentAction(str(intent["client_secret"]), method)

    def event(self, payload: bytes, signature: str) -> ProviderEvent:
        if not self._webhook_secret:
            raise InvalidSignature("No webhook secret is configured; no event is accepted.")
        try:
            event = self._client.construct_event(
                payload, signature, self._webhook_secret, tolerance=SIGNATURE_TOLERANCE
            )
        except (stripe.SignatureVerificationError, ValueError):
            raise InvalidSignature(
                "The Stripe-Signature header does not verify.", param="Stripe-Signature"
            ) from None
        return provider_event(_json(event))

    # charges and refunds

    def _charge(self, request: ChargeRequest) -> ChargeResult:
        meta = {ATTEMPT: request.idempotency_key, ACCOUNT: request.account_id}
        if request.invoice:
            meta[INVOICE] = request.invoice
        params: Any = {
            "amount": to_minor(request.amount, request.currency),
            "currency": request.currency.lower(),
            "payment_method": request.token,
            "off_session": True,
            "confirm": True,
            "metadata": meta,
        }
        if request.customer:
            params["customer"] = request.customer
        try:
            intent = self._client.v1.payment_intents.create(
                params, {"idempotency_key": request.idempotency_key}
            )
        except stripe.CardError as error:
            return _card_error(error)
        except stripe.InvalidRequestError as error:  # e.g. a method detached meanwhile
            return ChargeResult("failed", "", error.code or "invalid_request", error.user_message)
        return intent_result(_json(intent))

    def _refund(self, request: ChargeRequest) -> ChargeResult:
        amount = to_minor(request.amount, request.currency)
        paid = self._paid_intent(request, amount)
        if paid is None:
            return ChargeResult(
                "failed", "", "no_charge_to_refund", "No payment by this method to refund."
            )
        try:
            refund = self._client.v1.refunds.create(
                {
                    "payment_intent": paid["id"],
                    "amount": amount,
                    "metadata": {ATTEMPT: request.idempotency_key},
                },
                {"idempotency_key": request.idempotency_key},
            )
        except stripe.InvalidRequestError as error:
            return ChargeResult("failed", "", error.code or "refund_failed", error.user_message)
        return refund_result(_json(refund))

    def _paid_intent(self, request: ChargeRequest, amount: int) -> Json | None:
        """The PaymentIntent this refund pays back: one that succeeded with the same method for
        the same invoice (or, for a refund of no invoice, with the same method), large enough."""

        def pays(intent: Json) -> bool:
            return (
                intent.get("status") == "succeeded"
                and _id(intent.get("payment_method")) == request.token
                and (request.invoice is None or metadata(intent).get(INVOICE) == request.invoice)
                and int(intent.get("amount") or 0) >= amount
            )

        if request.invoice is not None:
            for intent in self._search_intents(f"metadata['{INVOICE}']:'{request.invoice}'"):
                if pays(intent):
                    return intent
        return self._first(lambda page: self._client.v1.payment_intents.list(page), pays)

    # finding what a key made

    def _intent_by_key(self, key: str) -> Json | None:
        for intent in self._search_intents(f"metadata['{ATTEMPT}']:'{key}'"):
            if metadata(intent).get(ATTEMPT) == key:
                return intent
        # Search lags behind by up to a minute and is not offered everywhere: the most recent
        # PaymentIntents are looked through as well.
        return self._first(
            lambda page: self._client.v1.payment_intents.list(page),
            lambda intent: metadata(intent).get(ATTEMPT) == key,
        )

    def _search_intents(self, query: str) -> list[Json]:
        if not self._search_works:
            return []
        try:
            found = self._client.v1.payment_intents.search({"query": query, "limit": 100})
        except stripe.InvalidRequestError as error:
            if error.http_status == 404:  # no search here: list instead from now on
                self._search_works = False
                return []
            raise
        return [_json(intent) for intent in found.data]

    def _first(self, page_of: Callable[[Any], Any], wanted: Callable[[Json], bool]) -> Json | None:
        for obj in self._recent(page_of):
            if wanted(obj):
                return obj
        return None

    def _recent(self, page_of: Callable[[Any], Any]) -> Iterator[Json]:
        params: Any = {"limit": 100}
        for _ in range(_SCAN_PAGES):
            page = page_of(params)
            items = [_json(item) for item in page.data]
            yield from items
            if not page.has_more or not items:
                return
            params = {"limit": 100, "starting_after": items[-1]["id"]}


def _card_error(error: stripe.CardError) -> ChargeResult:
    answer: Any = error.json_body or {}
    body: Json = answer.get("error") or {}
    intent = body.get("payment_intent")
    if isinstance(intent, dict) and intent.get("last_payment_error"):
        return intent_result(intent)
    reference = intent.get("id", "") if isinstance(intent, dict) else ""
    return declined(body, str(reference))


def _id(value: object) -> str | None:
    if isinstance(value, dict):
        return str(value.get("id"))
    return None if value is None else str(value)


def _json(obj: Any) -> Json:
    result: Json = obj.to_dict()
    return result


@contextmanager
def _answered() -> Iterator[None]:
    """Turns "no answer" from Stripe (a lost connection, a 5xx, too many requests) into
    `GatewayTimeout`: the movement may or may not have happened."""
    try:
        yield
    except _NO_ANSWER as error:
        raise GatewayTimeout(str(error)) from error
