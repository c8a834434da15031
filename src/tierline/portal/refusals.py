"""The engine's refusals in the account's language.

A refusal (`TierlineError`) has a stable `code`, the engine's English `message` and the facts it
states (`details`). A code's template says it again with those facts, formatted as the account
reads amounts and counts ("Serenity takes at least 1 contact and at most 5,000 contacts").
When the facts are not there, English keeps the engine's own message and another language says
the code's general sentence. A catalog's transition message is the operator's own words and is
never translated (see `tierline.portal.rendering.error_text`). The words come from the gettext
catalogs (`tierline.i18n`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from tierline.documents.formatting import Formatter
from tierline.errors import TierlineError
from tierline.i18n import Words, words
from tierline.notify.messages import payment_reason

CODES = (
    "quantity_out_of_range",
    "not_available_on_edition",
    "unknown_edition",
    "unknown_cycle",
    "unknown_addon",
    "unknown_meter",
    "no_price_for_cycle",
    "already_subscribed",
    "no_subscription",
    "subscription_inactive",
    "no_pending_change",
    "renewal_already_invoiced",
    "invalid_amount",
    "payment_failed",
    "invalid_request",
    "payment_in_progress",
    "raw_card_refused",
    "hosted_setup_unavailable",
    "payment_pending",
)
"""The refusal codes the portal has words for."""


def general(w: Words, code: str) -> str | None:
    """What a refusal of `code` says without its facts; None for a code without words."""
    sentences = {
        "quantity_out_of_range": w.gettext("This quantity is not allowed."),
        "not_available_on_edition": w.gettext("This is not offered on your current edition."),
        "unknown_edition": w.gettext("This edition does not exist."),
        "unknown_cycle": w.gettext("This billing cycle does not exist."),
        "unknown_addon": w.gettext("This pack does not exist."),
        "unknown_meter": w.gettext("This meter does not exist."),
        "no_price_for_cycle": w.gettext("Not available for this billing cycle."),
        "already_subscribed": w.gettext(
            "The account already has a subscription; change plan instead."
        ),
        "no_subscription": w.gettext("The account has no active subscription."),
        "subscription_inactive": w.gettext("This subscription has ended; subscribe again instead."),
        "no_pending_change": w.gettext("There is no scheduled change to cancel."),
        "renewal_already_invoiced": w.gettext(
            "The next period is already invoiced with this change."
        ),
        "invalid_amount": w.gettext("This amount is not valid."),
        "payment_failed": w.pgettext("refusal", "The payment failed."),
        "invalid_request": w.pgettext("refusal", "Some of the values sent are not valid."),
        "payment_in_progress": w.gettext(
            "A purchase is waiting for its payment; try again once it is settled."
        ),
        "raw_card_refused": w.gettext(
            "Card numbers are entered on the payment provider's page; add the card there."
        ),
        "hosted_setup_unavailable": w.gettext(
            "Payment methods cannot be added on the provider's page here."
        ),
        "payment_pending": w.gettext(
            "The payment is not settled yet; we will tell you when the bank answers."
        ),
    }
    return sentences.get(code)


# A refusal's facts → its sentence, or None when its details do not say them.
_Facts = Callable[[Mapping[str, object], Formatter, Words], str | None]


def _quantity(d: Mapping[str, object], fmt: Formatter, w: Words) -> str | None:
    if d.keys() == {"max", "asked"}:  # past the ceiling of every edition and add-on
        return w.gettext(
            "At most %(max)s can be bought at once; %(asked)s asked.",
            max=fmt.number(int(str(d["max"]))),
            asked=fmt.number(int(str(d["asked"]))),
        )
    if not {"edition", "min", "asked", "unit"} <= d.keys():
        return None
    unit = str(d["unit"])
    values = {
        "edition": str(d["edition"]),
        "min": fmt.count(int(str(d["min"])), unit),
        "asked": fmt.number(int(str(d["asked"]))),
    }
    if d.get("max") is None:
        return w.gettext("%(edition)s takes at least %(min)s; %(asked)s asked.", **values)
    return w.gettext(
        "%(edition)s takes at least %(min)s and at most %(max)s; %(asked)s asked.",
        max=fmt.count(int(str(d["max"])), unit),
        **values,
    )


def _not_available(d: Mapping[str, object], fmt: Formatter, w: Words) -> str | None:
    if "addon" not in d:
        return None
    if d.get("trial"):
        return w.gettext(
            "%(addon)s cannot be bought during a trial; subscribe to a paid edition first.",
            addon=str(d["addon"]),
        )
    return w.gettext(
        "%(addon)s cannot be bought on %(edition)s; subscribe to a paid edition first.",
        addon=str(d["addon"]),
        edition=str(d.get("edition", "")),
    )


def _code(say: Callable[[Words, str], str]) -> _Facts:
    """A refusal whose sentence names the unknown `code` of its details."""

    def facts(d: Mapping[str, object], fmt: Formatter, w: Words) -> str | None:
        return None if d.get("code") is None else say(w, str(d["code"]))

    return facts


def _no_price(d: Mapping[str, object], fmt: Formatter, w: Words) -> str | None:
    if d.get("name") is None or d.get("cycle") is None:
        return None
    return w.gettext(
        "%(name)s has no price for the '%(cycle)s' cycle.",
        name=str(d["name"]),
        cycle=str(d["cycle"]),
    )


def _subscribed(d: Mapping[str, object], fmt: Formatter, w: Words) -> str | None:
    if d.get("edition") is None:
        return None
    return w.gettext(
        "The account already subscribes to %(edition)s; change plan instead.",
        edition=str(d["edition"]),
    )


def _top_up(d: Mapping[str, object], fmt: Formatter, w: Words) -> str | None:
    if d.get("min") is None:
        return None
    low = fmt.money(Decimal(str(d["min"])))
    if d.get("max") is None:
        return w.gettext("A top-up is at least %(min)s.", min=low)
    high = fmt.money(Decimal(str(d["max"])))
    return w.gettext("A top-up is at least %(min)s and at most %(max)s.", min=low, max=high)


def _payment(d: Mapping[str, object], fmt: Formatter, w: Words) -> str | None:
    reason = payment_reason(w, str(d.get("reason")))
    return None if reason is None else w.gettext("The payment failed: %(reason)s", reason=reason)


_FACTS: dict[str, _Facts] = {
    "quantity_out_of_range": _quantity,
    "not_available_on_edition": _not_available,
    "unknown_edition": _code(lambda w, code: w.gettext("No edition '%(code)s'.", code=code)),
    "unknown_cycle": _code(lambda w, code: w.gettext("No billing cycle '%(code)s'.", code=code)),
    "unknown_addon": _code(lambda w, code: w.gettext("No pack '%(code)s'.", code=code)),
    "unknown_meter": _code(lambda w, code: w.gettext("No meter '%(code)s'.", code=code)),
    "no_price_for_cycle": _no_price,
    "already_subscribed": _subscribed,
    "invalid_amount": _top_up,
    "payment_failed": _payment,
}


def refusal_text(error: TierlineError, fmt: Formatter) -> str | None:
    """The refusal in `fmt`'s language, or None when there are no words for its code."""
    w = words(fmt.language)
    sentence = general(w, error.code)
    if sentence is None:
        return None
    facts = _FACTS.get(error.code)
    found = facts(error.details, fmt, w) if facts is not None else None
    if found is None:
        # Without its facts, English keeps the engine's sentence, which says more.
        return error.message if w.language == "en" else sentence
    return found
