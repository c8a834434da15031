"""SQLAlchemy tables. Money is stored in integer minor units; instants as UTC.

Every account-owned table carries `account_id`, so the data can later be distributed by account.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.engine import Dialect

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def on_postgresql(**options: Any) -> dict[str, Any]:
    """A table's or an index's PostgreSQL options (a partial index's `where`, a table's `with`),
    kept aside until a PostgreSQL engine is made (`use_postgresql_options`). Named as SQLAlchemy
    names them (`postgresql_where=…`), they would load its PostgreSQL dialect into every process,
    SQLite's too: about 40 ms of the start of every `tierline` command."""
    return {_POSTGRESQL: options}


_POSTGRESQL = "postgresql options"


def use_postgresql_options() -> None:
    """Give the tables and indexes their PostgreSQL options, for DDL and schema comparison on
    PostgreSQL (once is enough; again changes nothing)."""
    for table in metadata.tables.values():
        items: list[Table | Index] = [table, *table.indexes]
        for item in items:
            for name, value in item.info.get(_POSTGRESQL, {}).items():
                item.dialect_kwargs[f"postgresql_{name}"] = value


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, on SQLite (which keeps no zone) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else _in_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant: datetime = value
        if instant.tzinfo is UTC:
            return instant
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        return instant.astimezone(UTC)

    # The two methods above serve PostgreSQL. On SQLite an instant is text, written and read here
    # in one step each: a batch writes and reads thousands, and the chain of SQLite's own
    # processor and those methods cost more than the rest of the work. The text is SQLite's
    # processor's, so stored instants compare alike.

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return _utc_text
        return super().bind_processor(dialect)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return _utc_from_text
        return super().result_processor(dialect, coltype)


def _in_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(UTC)


def _utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    return _in_utc(value).replace(tzinfo=None).isoformat(" ", "microseconds")


def _utc_from_text(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _id(name: str = "id") -> Column[Any]:
    return Column(name, String(64), primary_key=True)


def _account(*, checked: bool = True, indexed: bool = True) -> Column[Any]:
    """The owning account. High-volume tables written by the billing run skip the foreign key:
    its per-row trigger costs more than the rest of the insert, and accounts are never deleted.
    A table with an index that leads with the account needs no index of its own on it."""
    if not checked:
        return Column("account_id", String(64), nullable=False, index=indexed)
    return Column(
        "account_id", String(64), ForeignKey("accounts.id"), nullable=False, index=indexed
    )


catalogs = Table(
    "catalogs",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("body", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # What it did to existing subscriptions whose price changed: keep | next_renewal (since
    # 0015; none for the first install).
    Column("existing", String(16)),
)

accounts = Table(
    "accounts",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("billing_email", String(320)),
    Column("currency", String(3), nullable=False, index=True),  # fixed at creation
    Column("timezone", String(64), nullable=False),
    Column("locale", String(16), nullable=False),
    Column("sales_managed", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("provider_customer_id", String(255)),  # the payment provider's customer, once made
    # Billing details (since 0011): printed on documents, deciding tax.
    Column("country", String(2)),  # ISO 3166-1 alpha-2
    Column("region", String(16)),  # ISO 3166-2 subdivision without the country
    Column("address", JSON),  # a list of printed lines
    Column("tax_id", String(64)),  # compact, checked with python-stdnum
)

payment_methods = Table(
    "payment_methods",
    metadata,
    _account(),
    Column("id", String(64), nullable=False),
    Column("token", String(64), nullable=False),
    Column("brand", String(20), nullable=False),
    Column("last4", String(4), nullable=False),
    Column("is_primary", Boolean, nullable=False, default=False),
    Column("is_backup", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("bank", String(64)),  # a direct debit's bank code
    Column("expiry", String(7)),  # a card's, as YYYY-MM
    Column("mandate_reference", String(255)),  # a direct debit's mandate
    UniqueConstraint("account_id", "id", name="uq_payment_methods_account_id_id"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    _id(),
    _account(),
    Column("edition", String(64), nullable=False),
    Column("cycle", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("addons", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("auto_renew", Boolean, nullable=False),
    Column("anchor", UtcDateTime, nullable=False),
    Column("period_start", UtcDateTime, nullable=False),
    Column("period_end", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("trial_end", UtcDateTime),
    Column("ended_at", UtcDateTime),
    Column("charges", JSON, nullable=False),
    Column("next_charges", JSON),
    Column("next_action_at", UtcDateTime),
    Column("version", Integer, nullable=False),
    # The catalog version its renewals are priced from, and a new one announced for the renewal
    # at `price_change_at` (since 0015).
    Column("catalog_version", Integer),
    Column("price_change_version", Integer),
    Column("price_change_at", UtcDateTime),
    # The billing run claims due subscriptions in this order; the index hands them over in it.
    Index("ix_subscriptions_due", "next_action_at", "account_id", "id"),
)

subscription_changes = Table(
    "subscription_changes",
    metadata,
    _id(),
    _account(),
    Column("subscription_id", String(64), ForeignKey("subscriptions.id"), nullable=False),
    Column("change_class", String(32), nullable=False),
    Column("target", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # pending | applied | canceled
    Column("effective_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_subscription_changes_pending", "subscription_id", "status"),
)

invoices = Table(
    "invoices",
    metadata,
    _id(),
    _account(checked=False),
    Column("number", String(32), nullable=False, unique=True),
    Column("subscription_id", String(64)),
    Column("reason", String(32), nullable=False),
    Column("period_start", UtcDateTime),
    Column("status", String(16), nullable=False),  # open | paid | uncollectible
    Column("issued_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("paid_at", UtcDateTime),
    Column("subtotal", BigInteger, nullable=False),
    Column("credits_applied", BigInteger, nullable=False),
    Column("balance_applied", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("amount_paid", BigInteger, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("first_failed_at", UtcDateTime),
    Column("next_attempt_at", UtcDateTime),
    # Tax (since 0011): the sum of its `document_taxes`, how its lines were priced (exclusive |
    # inclusive, null without tax), and the seller and buyer as issued.
    Column("tax_total", BigInteger, nullable=False, server_default="0"),
    Column("tax_prices", String(16)),
    Column("parties", JSON),
    # A renewal invoices a subscription's period once, however often the billing run starts.
    Index("uq_invoices_period", "subscription_id", "reason", "period_start", unique=True),
    # Only invoices with an attempt to come (a retry, a debit) are looked up by it (since 0019).
    Index(
        "ix_invoices_next_attempt_at",
        "next_attempt_at",
        sqlite_where=text("next_attempt_at IS NOT NULL"),
        info=on_postgresql(where=text("next_attempt_at IS NOT NULL")),
    ),
    # Room left on each page: an invoice is updated once paid, and the new version then fits
    # beside the old one, with no index touched (PostgreSQL's heap-only update; since 0019).
    info=on_postgresql(**{"with": {"fillfactor": 50}}),
)

credit_notes = Table(
    "credit_notes",
    metadata,
    _id(),
    _account(checked=False),
    Column("number", String(32), nullable=False, unique=True),
    Column("invoice_number", String(32)),
    Column("applied_to", String(32)),
    Column("credit_to", String(16), nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("tax_total", BigInteger, nullable=False, server_default="0"),
    Column("tax_prices", String(16)),
    Column("parties", JSON),
)

receipts = Table(
    "receipts",
    metadata,
    _id(),
    _account(checked=False),
    Column("number", String(32), nullable=False, unique=True),
    Column("invoice_number", String(32)),
    Column("payment_method", String(64)),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("amount_paid", BigInteger, nullable=False),
    Column("refunded", BigInteger, nullable=False, default=0),
    Column("parties", JSON),
    # The document whose lines the receipt shows (since 0020): the invoice it pays in full.
    # Empty: the receipt's lines are its own.
    Column("lines_of", String(64)),
)

document_lines = Table(
    "document_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _account(checked=False, indexed=False),  # read by document only
    Column("document_id", String(64), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("description", Text, nullable=False),
    Column("wording", JSON),  # what the line says, for any language: tierline.domain.lines.Wording
    Column("item", String(80)),
    Column("period_start", UtcDateTime),
    Column("period_end", UtcDateTime),
    Column("quantity", Integer),
    Column("unit_amount", String(40)),  # exact decimal, may be finer than the minor unit
    Column("amount", BigInteger, nullable=False),
    # The line's tax treatment (since 0011): rate in percent and category; null without tax.
    Column("tax_rate", String(16)),
    Column("tax_category", String(16)),
)

# A document's tax, once per rate and category (EN 16931 BG-23), in the order it is shown.
document_taxes = Table(
    "document_taxes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _account(checked=False, indexed=False),  # read by document only
    Column("document_id", String(64), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("rate", String(16), nullable=False),  # percent, exact decimal
    Column("category", String(16), nullable=False),  # standard | zero | reverse_charge | …
    Column("taxable", BigInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),
)

# Attempts whose outcome is not final yet.
UNSETTLED_PAYMENTS = "status IN ('created', 'sent', 'processing', 'requires_action')"

payments = Table(
    "payments",
    metadata,
    _id(),
    _account(checked=False),
    Column("at", UtcDateTime, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("payment_method", String(64)),
    # created | sent | succeeded | failed | refunded | processing | requires_action | pending
    Column("status", String(16), nullable=False),
    Column("invoice_number", String(32)),
    Column("idempotency_key", String(128), nullable=False),  # the attempt's id since 0009
    Column("failure_code", String(64)),
    Column("failure_message", Text),
    Column("kind", String(8), nullable=False, server_default="charge"),  # charge | refund
    Column("reason", String(16)),  # purchase | collection | pay_now | top_up | refund
    Column("reference", String(64)),
    Column("round", Integer, nullable=False, server_default="0"),
    Column("fallback", Boolean, nullable=False, server_default=true()),
    Column("token", String(128)),
    Column("sent_at", UtcDateTime),
    Column("settled_at", UtcDateTime),
    Column("provider_reference", String(128)),
    # The method as it was when charged (since 0017): a receipt names it after its removal.
    Column("method_brand", String(20)),
    Column("method_last4", String(4)),
    # The collector finds attempts to send or to ask about through this index; on PostgreSQL
    # it holds those alone, so a settled attempt leaves it rather than adding to it (since 0019).
    Index(
        "ix_payments_unsettled",
        "status",
        "sent_at",
        info=on_postgresql(where=text(UNSETTLED_PAYMENTS)),
    ),
    Index("ix_payments_invoice_number", "invoice_number"),
)

# A purchase made now (a subscription, an upgrade, seats, packs) waits here for its invoice to
# be paid; an account has at most one awaiting purchase at a time.
purchases = Table(
    "purchases",
    metadata,
    _id(),
    _account(),
    Column("subscription_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # subscribe | change
    Column("invoice_number", String(32), nullable=False, unique=True),
    Column("command", JSON, nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("subscription_version", Integer),
    Column("state", String(16), nullable=False),  # awaiting | applied | void
    Index(
        "uq_purchases_awaiting",
        "account_id",
        unique=True,
        sqlite_where=text("state = 'awaiting'"),
        info=on_postgresql(where=text("state = 'awaiting'")),
    ),
)

journal_entries = Table(
    "journal_entries",
    metadata,
    _id(),
    _account(checked=False),
    Column("kind", String(32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("reference", String(64)),
)

journal_lines = Table(
    "journal_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Written with its entry; read with its account's lines (ix_journal_lines_account_ledger),
    # never by the entry alone: no index of its own (since 0021).
    Column("entry_id", String(64), nullable=False),
    _account(checked=False, indexed=False),  # ix_journal_lines_account_ledger leads with it
    Column("ledger", String(32), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Index("ix_journal_lines_account_ledger", "account_id", "ledger"),
)

usage_records = Table(
    "usage_records",
    metadata,
    _id(),
    _account(checked=False),
    Column("meter", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

document_sequences = Table(
    "document_sequences",
    metadata,
    Column("series", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _account(checked=False),
    Column("at", UtcDateTime, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("payload", JSON, nullable=False),  # the event's facts (`tierline.domain.events`)
)

# A provider's webhook events already processed: one that comes again is acknowledged, not redone.
provider_events = Table(
    "provider_events",
    metadata,
    Column("provider", String(32), primary_key=True),
    Column("event_id", String(255), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(64), primary_key=True),  # the API key that used it
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    # running → effect_committed (in the transaction of the request's first commit) → done
    Column("state", String(16), nullable=False),
    # The request running with the key, until `claimed_at` + the lease; null once none is.
    Column("owner", String(32)),
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("status_code", Integer),  # null until the response is recorded (done)
    Column("response_body", Text),
    Column("created_at", UtcDateTime, nullable=False, index=True),
)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    _id(),
    Column("url", Text, nullable=False),
    Column("secret", String(128), nullable=False),
    Column("event_types", JSON, nullable=False),  # empty: every event
    Column("enabled", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # Where the dispatcher is in the outbox for this endpoint: every event up to
    # `enqueued_through` has been considered. `scan_through` is the newest event seen at
    # `scan_since` (wall clock); it becomes `enqueued_through` once no transaction still running
    # then can commit an older one (PostgreSQL hands out ids before commit).
    Column("enqueued_through", Integer, nullable=False, server_default="0"),
    Column("scan_through", Integer),
    Column("scan_since", UtcDateTime),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("event_id", Integer, ForeignKey("outbox.id"), primary_key=True),
    Column("endpoint_id", String(64), ForeignKey("webhook_endpoints.id"), primary_key=True),
    Column("status", String(16), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, index=True),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("delivered_at", UtcDateTime),
)

portal_sessions = Table(
    "portal_sessions",
    metadata,
    _id(),
    _account(),
    Column("role", String(16), nullable=False),  # admin | member
    Column("token_hash", String(64), nullable=False, unique=True),  # the one-time link's secret
    Column("expires_at", UtcDateTime, nullable=False),  # the link, not the cookie it turns into
    Column("used_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),  # signed out: the cookie no longer opens the portal
)

# Entitlements: what the operator's product reports an account uses (tierline.domain.usage).

members = Table(
    "members",
    metadata,
    Column("account_id", String(64), ForeignKey("accounts.id"), primary_key=True),
    Column("person_id", String(128), primary_key=True),
    Column("application", String(128), primary_key=True),
    # normal | pending_approval | pending_activation | deactivated | logged_off
    Column("status", String(24), nullable=False),
    Column("counts_toward", String(64), nullable=False),  # the limit: seats, external_users …
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_members_counting", "account_id", "counts_toward", "status"),
)

consumption = Table(
    "consumption",
    metadata,
    # Written on every reported use: no foreign key (see `_account`).
    Column("account_id", String(64), primary_key=True),
    Column("limit_name", String(64), primary_key=True),
    # A quota's period start; 1970-01-01 for a standing total (tierline.domain.usage.STANDING).
    Column("period_start", UtcDateTime, primary_key=True),
    Column("used", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

resources = Table(
    "resources",
    metadata,
    Column("account_id", String(64), ForeignKey("accounts.id"), primary_key=True),
    Column("id", String(128), primary_key=True),
    Column("type", String(64), nullable=False),
    Column("parent", String(128)),
    Column("attributes", JSON, nullable=False),
    Column("activated_at", UtcDateTime),
    Column("detached", Boolean, nullable=False),
    Column("removed_at", UtcDateTime),  # removed by a reconciliation (or by the product)
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_resources_account_type", "account_id", "type"),
)

reconciliations = Table(
    "reconciliations",
    metadata,
    _id(),
    _account(),
    Column("subscription_id", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("from_edition", String(64), nullable=False),
    Column("to_edition", String(64), nullable=False),
    Column("actions", JSON, nullable=False),  # tierline.domain.reconciliation.Action.as_dict()
)

# The operator's console (tierline.console): its users, their one-time links and sessions, the
# sign-in attempts that rate-limit them, and the audit log of what they did.

operators = Table(
    "operators",
    metadata,
    _id(),
    Column("email", String(320), nullable=False, unique=True),  # lower-cased
    Column("role", String(16), nullable=False),  # owner | finance | support | read_only
    Column("password_hash", String(255)),  # Argon2id; null until the one-time link is used
    Column("totp_secret", String(64)),  # the second factor, once confirmed
    Column("created_at", UtcDateTime, nullable=False),
    Column("disabled_at", UtcDateTime),
)

operator_links = Table(
    "operator_links",
    metadata,
    _id(),
    Column("operator_id", String(64), ForeignKey("operators.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # the link's secret, hashed
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
)

operator_sessions = Table(
    "operator_sessions",
    metadata,
    _id(),  # the hash of the cookie's secret
    Column("operator_id", String(64), ForeignKey("operators.id"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempts_email_at", "email", "at"),
    Index("ix_login_attempts_ip_at", "ip", "at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("operator_id", String(64), nullable=False),
    Column("operator_email", String(320), nullable=False),
    Column("action", String(64), nullable=False),
    Column("account_id", String(64), index=True),  # the account acted on, if any
    Column("subject", String(128)),  # what inside it: an invoice number, an operator …
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_log_at", "at"),
)
