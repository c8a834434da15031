"""Sending what the outbox holds: signed webhooks (Standard Webhooks).

dispatch_once(runtime)                      # deliver what is due now, with httpx
Dispatcher(sender=my_sender).dispatch_once(runtime)
"""

from tierline.notify.webhooks import (
    Dispatcher,
    HttpxSender,
    Sender,
    dispatch_once,
    new_secret,
    signed_headers,
)

__all__ = [
    "Dispatcher",
    "HttpxSender",
    "Sender",
    "dispatch_once",
    "new_secret",
    "signed_headers",
]
