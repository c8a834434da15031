"""What each operator role may do in the console.

    owner      everything, and the operator users and the audit log
    finance    documents, credit notes, refunds, balance adjustments, voiding, the catalog
    support    subscriptions on behalf of an account, auto-renewal, sales-managed, portal
               links, retrying a payment, sending a webhook delivery again
    read_only  looks only

Every role may look at every page but the audit log and the operator users.
"""

from __future__ import annotations

from typing import Literal

Role = Literal["owner", "finance", "support", "read_only"]
ROLES: tuple[Role, ...] = ("owner", "finance", "support", "read_only")

Permission = Literal[
    "view",
    "manage_operators",
    "read_audit",
    "change_subscription",
    "set_sales_managed",
    "create_portal_link",
    "retry_payment",
    "issue_credit",
    "adjust_balance",
    "void_invoice",
    "manage_catalog",
    "replay_webhook",
]

_SUPPORT: frozenset[Permission] = frozenset(
    {
        "view",
        "change_subscription",
        "set_sales_managed",
        "create_portal_link",
        "retry_payment",
        "replay_webhook",
    }
)
_FINANCE: frozenset[Permission] = frozenset(
    {"view", "issue_credit", "adjust_balance", "void_invoice", "manage_catalog", "retry_payment"}
)
_GRANTS: dict[str, frozenset[Permission]] = {
    "owner": _SUPPORT | _FINANCE | {"manage_operators", "read_audit"},
    "finance": _FINANCE,
    "support": _SUPPORT,
    "read_only": frozenset({"view"}),
}


def is_role(value: str) -> bool:
    return value in _GRANTS


def may(role: str, permission: Permission) -> bool:
    """Whether an operator with `role` may do what `permission` names; an unknown role may not."""
    grants = _GRANTS.get(role)
    return grants is not None and permission in grants
