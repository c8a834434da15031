"""The portal's words that depend on a value: a status, a role, a kind of change or of balance
transaction, a refusal's code. Every other word is written where it is shown, in the templates
(`_()`, `ngettext`, `pgettext`) or in the routes (`Words.gettext`), and translated by the gettext
catalogs of `tierline.i18n`; document words (invoice, credit note, receipt, totals) come from
`tierline.documents.labels`, so a page and its PDF say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from tierline.i18n import Words, words


@dataclass(frozen=True)
class Say:
    """One reader's words for values the portal shows (`say.status("Try")` → "Essai")."""

    w: Words

    @property
    def language(self) -> str:
        return self.w.language

    def status(self, status: str) -> str:
        w = self.w
        names = {
            "Active": w.gettext("Active"),
            "Try": w.gettext("Try"),
            "Inactive": w.gettext("Inactive"),
        }
        return names.get(status, status)

    def role(self, role: str) -> str:
        w = self.w
        names = {
            "admin": w.gettext("administrator"),
            "member": w.gettext("member"),
        }
        return names.get(role, role)

    def change(self, change_class: str) -> str:
        """The name of a kind of change, as a preview's heading says it."""
        w = self.w
        names = {
            "upgrade": w.pgettext("change", "Upgrade"),
            "downgrade": w.pgettext("change", "Downgrade"),
            "cycle_change": w.pgettext("change", "Change of billing cycle"),
            "quantity_increase": w.pgettext("change", "Expand"),
            "quantity_decrease": w.pgettext("change", "Fewer units"),
            "addon_add": w.pgettext("change", "Buy packs"),
            "addon_remove": w.pgettext("change", "Remove packs"),
        }
        return names.get(change_class, change_class)

    def credit_to(self, where: str) -> str:
        """Where the credit for unused time goes."""
        w = self.w
        names = {
            "invoice": w.gettext("deducted on this invoice"),
            "credit_note": w.gettext("issued as a credit note and set against the new invoice"),
            "refund": w.gettext("refunded to your payment method"),
            "balance": w.gettext("added to your account balance"),
        }
        return names.get(where, where)

    def transaction(self, kind: str) -> str:
        """The kind of a balance transaction; one the portal has no words for shows as stored."""
        w = self.w
        names = {
            "top_up": w.pgettext("balance transaction", "Recharge"),
            "usage": w.pgettext("balance transaction", "SMS and e-mail fees"),
            "balance_applied": w.pgettext("balance transaction", "Paid an invoice"),
            "credit_to_balance": w.pgettext("balance transaction", "Credit"),
        }
        return names.get(kind, kind)

    def problem(self, key: str) -> str:
        """A refusal or an outcome the portal names by a key (a `PortalProblem`, an error code)."""
        w = self.w
        texts = {
            "not_found": w.gettext("This page does not exist, or it belongs to another account."),
            "signed_out": (
                w.gettext("Your portal session has ended. Ask your administrator for a new link.")
            ),
            "link_expired": w.gettext("This portal link has expired. Ask for a new one."),
            "link_used": w.gettext("This portal link was used already. Ask for a new one."),
            "admins_only": w.gettext("Only administrators can buy, change, cancel or pay."),
            "csrf_failed": w.gettext("This form has expired. Reload the page and try again."),
            "bad_request": w.gettext("Some of the values sent are not valid."),
            "no_payment_method": w.gettext("Add a payment method first."),
            "insufficient_balance": w.gettext("The balance is too low."),
            "sales_managed": (
                w.gettext(
                    "Purchases for this organisation are made offline: please contact your "
                    "sales consultant."
                )
            ),
            "top_up_not_allowed": (
                w.gettext("The free edition does not support recharging balance.")
            ),
            "invalid_card": w.gettext("That card number is not valid."),
            "invoice_already_paid": w.gettext("This invoice is paid already."),
            "invoice_uncollectible": (
                w.gettext(
                    "This invoice was written off when the subscription was cancelled; it "
                    "cannot be paid."
                )
            ),
            "invoice_void": (
                w.gettext("This invoice is void: its purchase was not paid, so nothing is owed.")
            ),
            "payment_failed": w.gettext("The payment failed."),
            "done_card_added": w.gettext("The card was added."),
            "done_card_removed": w.gettext("The card was removed."),
            "done_roles": w.gettext("The payment methods were updated."),
        }
        return texts[key]

    def has_problem(self, key: str) -> bool:
        return key in _PROBLEMS


_PROBLEMS = frozenset(
    {
        "not_found",
        "signed_out",
        "link_expired",
        "link_used",
        "admins_only",
        "csrf_failed",
        "bad_request",
        "no_payment_method",
        "insufficient_balance",
        "sales_managed",
        "top_up_not_allowed",
        "invalid_card",
        "invoice_already_paid",
        "invoice_uncollectible",
        "invoice_void",
        "payment_failed",
        "done_card_added",
        "done_card_removed",
        "done_roles",
    }
)


def say_for(locale: str | None) -> Say:
    return Say(words(locale))
