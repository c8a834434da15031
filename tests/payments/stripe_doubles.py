"""A local Stripe for the Stripe adapter's tests, and HTTP clients for the `stripe` package that
record what it sends, lose an answer, or answer from recorded responses.

`LocalStripe` runs localstripe (a dev dependency, never imported by Tierline) as a subprocess on
a free loopback port. localstripe writes its objects to /tmp/localstripe.pickle after every
change, which two processes at once would share; the launcher below turns that off, and
`--from-scratch` starts it empty.

`RecordedStripe` answers the paths localstripe lacks (search, mandates) or where it differs from
Stripe (a SEPA debit that stays `processing`, a decline carrying its PaymentIntent) with
responses shaped as Stripe's, at the `stripe` package's HTTP layer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import stripe

_LAUNCH = (
    "import sys, localstripe.resources as r; "
    "r.Store.dump_to_disk = lambda self: None; "
    "sys.argv = ['localstripe', '--port', sys.argv[1], '--from-scratch']; "
    "from localstripe.server import start; start()"
)

SECRET_KEY = "sk_test_tierline"
PUBLISHABLE_KEY = "pk_test_tierline"
WEBHOOK_SECRET = "whsec_tierline_tests"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalStripe:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{self.url}/js.stripe.com/v3/", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def clear(self) -> None:
        httpx.delete(f"{self.url}/_config/data").raise_for_status()

    def get(self, path: str, **params: Any) -> Any:
        response = httpx.get(f"{self.url}{path}", params=params, auth=(SECRET_KEY, ""), timeout=10)
        response.raise_for_status()
        return response.json()

    def payment_intents(self) -> list[dict[str, Any]]:
        return list(self.get("/v1/payment_intents", limit=100)["data"])

    def refunds(self) -> list[dict[str, Any]]:
        return list(self.get("/v1/refunds", limit=100)["data"])

    def events(self, kind: str) -> list[dict[str, Any]]:
        return list(self.get("/v1/events", type=kind, limit=100)["data"])

    def confirm_setup(self, client_secret: str, payment_method: Mapping[str, Any]) -> Any:
        """What Stripe.js sends when the customer confirms a setup in its elements."""
        setup_id = client_secret.split("_secret_")[0]
        response = httpx.post(
            f"{self.url}/v1/setup_intents/{setup_id}/confirm",
            json={
                "key": PUBLISHABLE_KEY,
                "client_secret": client_secret,
                "payment_method_data": dict(payment_method),
            },
            timeout=10,
        )
        response.raise_for_status()
        if response.json()["status"] == "requires_action":  # the customer passes 3-D Secure
            response = httpx.post(
                f"{self.url}/v1/setup_intents/{setup_id}/confirm",
                json={"key": PUBLISHABLE_KEY, "client_secret": client_secret},
                timeout=10,
            )
            response.raise_for_status()
        return response.json()


@dataclass(frozen=True)
class Sent:
    method: str
    path: str
    headers: Mapping[str, str]
    params: Mapping[str, list[str]]


class RecordingClient(stripe.RequestsClient):
    """The package's own HTTP client, keeping every request it sends; `lose_answer_to` and
    `crash_after` make the next request to a path lose its answer or stop the caller after
    Stripe took it."""

    def __init__(self) -> None:
        super().__init__(timeout=10)
        self.sent: list[Sent] = []
        self.lose_answer_to: str | None = None
        self.crash_after: str | None = None

    def request(
        self, method: str, url: str, headers: Mapping[str, str] | None, post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        parts = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else post_data or parts.query
        self.sent.append(Sent(method.upper(), parts.path, dict(headers or {}), parse_qs(body)))
        answer = super().request(method, url, headers, post_data)
        if self.crash_after == parts.path:
            self.crash_after = None
            raise Crash(f"stopped after {method} {parts.path}")
        if self.lose_answer_to == parts.path:
            self.lose_answer_to = None
            raise stripe.APIConnectionError(f"the answer to {method} {parts.path} was lost")
        return answer

    def posts_to(self, path: str) -> list[Sent]:
        return [s for s in self.sent if s.method == "POST" and s.path == path]


class Crash(BaseException):
    """The process stops here (not an error anything would catch)."""


Route = tuple[str, str]  # method, path


@dataclass
class RecordedStripe(stripe.HTTPClient):
    """Answers from recorded responses, by method and path, in order per route (the last one
    repeats); every request is kept."""

    name = "recorded"
    answers: dict[Route, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def answer(self, method: str, path: str, body: dict[str, Any], status: int = 200) -> None:
        self.answers.setdefault((method.upper(), path), []).append((status, body))

    def request(
        self, method: str, url: str, headers: Mapping[str, str] | None, post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        parts = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else post_data or parts.query
        self.sent.append(Sent(method.upper(), parts.path, dict(headers or {}), parse_qs(body)))
        queue = self.answers.get((method.upper(), parts.path))
        if not queue:
            unrecorded = {"error": {"type": "invalid_request_error", "message": "Unrecorded"}}
            return json.dumps(unrecorded).encode(), 404, {}
        status, answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return json.dumps(answer).encode(), status, {"request-id": "req_recorded"}

    def close(self) -> None:
        pass


def signed(
    event: Mapping[str, Any], secret: str = WEBHOOK_SECRET, *, at: int | None = None
) -> tuple[bytes, str]:
    """An event's body and its Stripe-Signature header, signed as Stripe signs (now, or at
    the Unix time `at`)."""
    payload = json.dumps(event).encode()
    timestamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return payload, f"t={timestamp},v1={mac.hexdigest()}"
