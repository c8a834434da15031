"""Operator API keys: the secret is shown once; only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from tierline.clock import Clock
from tierline.errors import Invalid
from tierline.ids import new_id
from tierline.store.uow import UnitOfWork

SECRET_PREFIX = "tl_sk_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewApiKey:
    id: str
    name: str
    secret: str


def create_api_key(name: str, *, uow: UnitOfWork, clock: Clock) -> NewApiKey:
    if not name.strip():
        raise Invalid("An API key needs a name.", param="name")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    key_id = new_id("key")
    with uow:
        uow.api_keys.add(key_id, name, secret[:10], hash_secret(secret), clock.now())
        uow.commit()
    return NewApiKey(key_id, name, secret)


def authenticate(secret: str, *, uow: UnitOfWork) -> str | None:
    """The id of the key with this secret, or None: never a hint of what exists."""
    with uow.reading():
        return uow.api_keys.find_by_hash(hash_secret(secret))
