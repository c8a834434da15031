"""Test doubles for webhook endpoints: a real HTTP receiver on 127.0.0.1, and a `Sender`
(the dispatcher's HTTP protocol) that answers from a script without a network.

    with Receiver(statuses=[500, 200]) as receiver:   # fails once, then takes everything
        ...
        receiver.requests[0].verify(secret)            # the parsed body, or it raises
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from standardwebhooks import Webhook


@dataclass(frozen=True)
class Received:
    url: str
    headers: dict[str, str]
    body: bytes

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    def verify(self, secret: str) -> Any:
        """Check the signature as a receiver would; the parsed body."""
        return Webhook(secret).verify(self.body, self.headers)


class _Script:
    """Status codes to answer with, in order; the last one repeats."""

    def __init__(self, statuses: Iterable[int]) -> None:
        self._statuses = list(statuses) or [200]
        self._lock = threading.Lock()
        self.requests: list[Received] = []

    def answer(self, request: Received) -> int:
        with self._lock:
            self.requests.append(request)
            if len(self._statuses) > 1:
                return self._statuses.pop(0)
            return self._statuses[0]


class Receiver(_Script):
    """A webhook endpoint: an HTTP server on a free local port, in a thread."""

    def __init__(self, statuses: Iterable[int] = (200,)) -> None:
        super().__init__(statuses)
        script = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = script.answer(Received(self.path, headers, body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/hooks"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class ScriptedSender:
    """A `Sender` with no network: answers from a script (the last answer repeats), waiting
    `delay` seconds first; an exception class stands for an endpoint that cannot be reached."""

    def __init__(
        self, outcomes: Iterable[int | type[Exception]] = (200,), *, delay: float = 0.0
    ) -> None:
        self._outcomes = list(outcomes) or [200]
        self._delay = delay
        self._lock = threading.Lock()
        self.requests: list[Received] = []

    def send(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        if self._delay:
            time.sleep(self._delay)
        with self._lock:
            self.requests.append(Received(url, dict(headers), body))
            outcome = self._outcomes.pop(0) if len(self._outcomes) > 1 else self._outcomes[0]
        if isinstance(outcome, int):
            return outcome
        raise outcome("connection refused")
