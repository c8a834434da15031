"""Settings, read once from `TIERLINE_*` environment variables (or a `.env` file)."""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIERLINE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///tierline.db"
    host: str = "127.0.0.1"
    port: int = 8000
    test_clock: bool = False  # a sandbox clock moved through the API instead of the wall clock
    secret_key: str | None = None  # signs portal sessions; random per process when unset
    seller_name: str = "Tierline"  # the operator as printed on the portal's PDF documents
    secure_cookies: bool = False  # portal and console cookies only over HTTPS (behind TLS)
    sandbox_latency_ms: int = 0  # the sandbox gateway's wait per call, as a provider's (e.g. 200)
    payments: Literal["sandbox", "stripe"] = "sandbox"  # the payment gateway
    stripe_secret_key: str | None = None  # sk_live_… / sk_test_…
    stripe_publishable_key: str | None = None  # pk_…, for Stripe.js in the portal
    stripe_webhook_secret: str | None = None  # whsec_…, verifies Stripe's webhook events
    stripe_api_base: str | None = None  # another Stripe API address (a local Stripe in tests)
