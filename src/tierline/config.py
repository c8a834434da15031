"""Settings, read once from `TIERLINE_*` environment variables (or a `.env` file)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIERLINE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///tierline.db"
    host: str = "127.0.0.1"
    port: int = 8000
    test_clock: bool = False  # a sandbox clock moved through the API instead of the wall clock
    secret_key: str | None = None  # signs portal sessions; random per process when unset
    seller_name: str = "Tierline"  # the operator as printed on the portal's PDF documents
    secure_cookies: bool = False  # portal cookies only over HTTPS: on behind a TLS endpoint
    sandbox_latency_ms: int = 0  # the sandbox gateway's wait per call, as a provider's (e.g. 200)
