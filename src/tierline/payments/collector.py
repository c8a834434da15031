"""The collector: sends committed payment attempts to the provider, many at once, outside any
database transaction, and hands back what the provider answered.

An attempt that was sent before and has no outcome (its sender died, or the answer was lost) is
asked about by its key first; only when the provider never received it is it sent again, under
the same key. An answer that cannot be learnt now is `None`: the attempt stays `sent`, and a
later pass asks again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from tierline.payments.gateway import ChargeRequest, ChargeResult, Gateway, GatewayTimeout

log = logging.getLogger("tierline.collector")

DEFAULT_CONCURRENCY = 256
_ASKS = 3  # how many times a lost answer is asked for before the attempt is left for later
_AT_ONCE = 0.002  # seconds: an answer this fast needs no threads


@dataclass(frozen=True)
class Sending:
    request: ChargeRequest
    sent_before: bool = False


class Collector:
    def __init__(self, gateway: Gateway, *, concurrency: int = DEFAULT_CONCURRENCY) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.gateway = gateway
        self.concurrency = concurrency
        self._answers_at_once: bool | None = None  # learnt from the first answer, then kept

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
        """Each attempt with its answer, as the answers come. A provider that answers the
        first attempt at once gains nothing from threads (they would only take turns with the
        one recording the answers): the rest go one by one."""
        if not sendings:
            return
        rest = list(sendings)
        if self._answers_at_once is None:
            started = time.monotonic()
            yield rest[0], self.send_one(rest[0])
            self._answers_at_once = time.monotonic() - started < _AT_ONCE
            rest = rest[1:]
        if self.concurrency == 1 or self._answers_at_once:
            for sending in rest:
                yield sending, self.send_one(sending)
            return
        if not rest:
            return
        workers = min(self.concurrency, len(rest))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="collector") as pool:
            futures = {pool.submit(self.send_one, s): s for s in rest}
            for future in as_completed(futures):
                yield futures[future], future.result()

    def _ask(self, key: str) -> ChargeResult | None:
        for _ in range(_ASKS):
            try:
                return self.gateway.retrieve(key)
            except GatewayTimeout:
                continue
        return None
