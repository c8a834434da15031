"""The collector: sends committed payment attempts to the provider, many at once, outside any
database transaction, and hands back what the provider answered.

An attempt that was sent before and has no outcome (its sender died, or the answer was lost) is
asked about by its key first; only when the provider never received it is it sent again, under
the same key. An answer that cannot be learnt now is `None`: the attempt stays `sent`, and a
later pass asks again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from tierline.defaults import DEFAULT_CONCURRENCY
from tierline.domain.values import replace
from tierline.payments.gateway import (
    ChargeRequest,
    ChargeResult,
    ChargesInBulk,
    Gateway,
    GatewayTimeout,
)

log = logging.getLogger("tierline.collector")

_ASKS = 3  # how many times a lost answer is asked for before the attempt is left for later
_AT_ONCE = 0.005  # seconds: an answer this fast needs no threads
_PACES = 3  # answers timed before the pace is decided


@dataclass(frozen=True)
class Sending:
    request: ChargeRequest
    sent_before: bool = False


class Collector:
    def __init__(
        self,
        gateway: Gateway,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        at_once: float = _AT_ONCE,
    ) -> None:
        """`at_once`: seconds within which an answer counts as immediate."""
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.gateway = gateway
        self.concurrency = concurrency
        self._at_once = at_once
        # Said by a provider that answers in-process, else learnt from the first answers; kept.
        self._answers_at_once: bool | None = (
            True if isinstance(gateway, ChargesInBulk) and gateway.answers_at_once else None
        )
        self._paces: list[float] = []
        self._pool: ThreadPoolExecutor | None = None  # kept from one send to the next
        self._pool_made = threading.Lock()  # two threads may send at once (a billing run)

    def __enter__(self) -> Collector:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    @property
    def waits_for_answers(self) -> bool:
        """True once the provider is known to take its time answering: then collecting is
        worth doing beside other work."""
        return self._answers_at_once is False

    def send_one(self, sending: Sending) -> ChargeResult | None:
        if sending.sent_before:
            known = self._ask(sending.request.idempotency_key)
            if known is not None:
                return known
        try:
            return self.gateway.charge(sending.request)
        except GatewayTimeout:
            return self._ask(sending.request.idempotency_key)
        except Exception:  # the provider could not be reached: the outcome is unknown
            log.exception(
                "attempt %s: no answer from the provider", sending.request.idempotency_key
            )
            return None

    def send(self, sendings: Sequence[Sending]) -> Iterator[tuple[Sending, ChargeResult | None]]:
        """Each attempt with its answer, as the answers come. A provider that answers at once
        gains nothing from threads (they would only take turns with the one recording the
        answers): then they go one by one. The pace is learnt from the quickest of the first
        few answers, sent one by one, so a first call that opens a connection does not count."""
        rest = list(sendings)
        while self._answers_at_once is None and rest:
            started = time.monotonic()
            sending, rest = rest[0], rest[1:]
            yield sending, self.send_one(sending)
            self._paces.append(time.monotonic() - started)
            if len(self._paces) == _PACES or min(self._paces) < self._at_once:
                self._answers_at_once = min(self._paces) < self._at_once
        if not rest:
            return
        if self.concurrency == 1 or self._answers_at_once:
            if isinstance(self.gateway, ChargesInBulk):
                yield from self._send_in_bulk(self.gateway, rest)
                return
            for sending in rest:
                yield sending, self.send_one(sending)
            return
        with self._pool_made:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="collector")
            pool = self._pool
        futures = {pool.submit(self.send_one, s): s for s in rest}
        for future in as_completed(futures):
            yield futures[future], future.result()

    def _send_in_bulk(
        self, gateway: ChargesInBulk, sendings: Sequence[Sending]
    ) -> Iterator[tuple[Sending, ChargeResult | None]]:
        """Attempts never sent go in one call; those sent before are asked about first, one by
        one. A lost answer is asked for by its key, as after a timeout."""
        fresh = [s for s in sendings if not s.sent_before]
        for sending in sendings:
            if sending.sent_before:
                yield sending, self.send_one(sending)
        if not fresh:
            return
        try:
            answers = gateway.charge_all([sending.request for sending in fresh])
        except Exception:  # the provider could not be reached: every outcome is unknown
            log.exception("%d attempts: no answer from the provider", len(fresh))
            for sending in fresh:
                yield sending, None
            return
        for sending, answer in zip(fresh, answers, strict=True):
            if answer is None:  # lost on the way back: asked for by its key
                answer = self.send_one(replace(sending, sent_before=True))
            yield sending, answer

    def _ask(self, key: str) -> ChargeResult | None:
        for _ in range(_ASKS):
            try:
                return self.gateway.retrieve(key)
            except GatewayTimeout:
                continue
        return None
