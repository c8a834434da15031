"""The engine's refusals in the account's language.

A refusal (`TierlineError`) has a stable `code`, the engine's English `message` and the facts it
states (`details`). A code's template says it again with those facts, formatted as the account
reads amounts and counts ("Serenity takes at least 1 contact and at most 5,000 contacts").
When the facts are not there, English keeps the engine's own message and another language says
the code's general sentence. A catalog's transition message is the operator's own words and is
never translated (see `tierline.portal.rendering.error_text`).

Every language has the same keys and the same `{placeholders}` (a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from tierline.documents.formatting import Formatter
from tierline.errors import TierlineError
from tierline.notify.messages import CATALOGUES as MESSAGE_WORDS

EN: dict[str, str] = {
    "quantity_out_of_range": "This quantity is not allowed.",
    "quantity_out_of_range.bounded": "{edition} takes at least {min} and at most {max}; "
    "{asked} asked.",
    "quantity_out_of_range.unbounded": "{edition} takes at least {min}; {asked} asked.",
    "quantity_out_of_range.ceiling": "At most {max} can be bought at once; {asked} asked.",
    "not_available_on_edition": "This is not offered on your current edition.",
    "not_available_on_edition.edition": "{addon} cannot be bought on {edition}; subscribe to a "
    "paid edition first.",
    "not_available_on_edition.trial": "{addon} cannot be bought during a trial; subscribe to a "
    "paid edition first.",
    "unknown_edition": "This edition does not exist.",
    "unknown_edition.code": "No edition '{code}'.",
    "unknown_cycle": "This billing cycle does not exist.",
    "unknown_cycle.code": "No billing cycle '{code}'.",
    "unknown_addon": "This pack does not exist.",
    "unknown_addon.code": "No pack '{code}'.",
    "unknown_meter": "This meter does not exist.",
    "unknown_meter.code": "No meter '{code}'.",
    "no_price_for_cycle": "Not available for this billing cycle.",
    "no_price_for_cycle.name": "{name} has no price for the '{cycle}' cycle.",
    "already_subscribed": "The account already has a subscription; change plan instead.",
    "already_subscribed.edition": "The account already subscribes to {edition}; change plan "
    "instead.",
    "no_subscription": "The account has no active subscription.",
    "subscription_inactive": "This subscription has ended; subscribe again instead.",
    "no_pending_change": "There is no scheduled change to cancel.",
    "renewal_already_invoiced": "The next period is already invoiced with this change.",
    "invalid_amount": "This amount is not valid.",
    "invalid_amount.top_up": "A top-up is at least {min} and at most {max}.",
    "invalid_amount.top_up_min": "A top-up is at least {min}.",
    "payment_failed": "The payment failed.",
    "payment_failed.reason": "The payment failed: {reason}",
    "invalid_request": "Some of the values sent are not valid.",
    "payment_in_progress": "A purchase is waiting for its payment; try again once it is settled.",
    "raw_card_refused": "Card numbers are entered on the payment provider's page; add the card "
    "there.",
    "hosted_setup_unavailable": "Payment methods cannot be added on the provider's page here.",
    "payment_pending": "The payment is not settled yet; we will tell you when the bank answers.",
}

FR: dict[str, str] = {
    "quantity_out_of_range": "Cette quantité n'est pas autorisée.",
    "quantity_out_of_range.bounded": "{edition} se souscrit pour au moins {min} et au plus "
    "{max} ; {asked} demandés.",
    "quantity_out_of_range.unbounded": "{edition} se souscrit pour au moins {min} ; {asked} "
    "demandés.",
    "quantity_out_of_range.ceiling": "Au plus {max} à la fois ; {asked} demandés.",
    "not_available_on_edition": "Ceci n'est pas proposé avec votre offre actuelle.",
    "not_available_on_edition.edition": "{addon} ne peut pas être acheté avec {edition} : "
    "souscrivez d'abord une offre payante.",
    "not_available_on_edition.trial": "{addon} ne peut pas être acheté pendant un essai : "
    "souscrivez d'abord une offre payante.",
    "unknown_edition": "Cette offre n'existe pas.",
    "unknown_edition.code": "Aucune offre « {code} ».",
    "unknown_cycle": "Ce cycle de facturation n'existe pas.",
    "unknown_cycle.code": "Aucun cycle de facturation « {code} ».",
    "unknown_addon": "Ce pack n'existe pas.",
    "unknown_addon.code": "Aucun pack « {code} ».",
    "unknown_meter": "Ce compteur n'existe pas.",
    "unknown_meter.code": "Aucun compteur « {code} ».",
    "no_price_for_cycle": "Non disponible pour ce cycle de facturation.",
    "no_price_for_cycle.name": "{name} n'a pas de prix pour le cycle « {cycle} ».",
    "already_subscribed": "Ce compte a déjà un abonnement : changez plutôt d'offre.",
    "already_subscribed.edition": "Ce compte est déjà abonné à {edition} : changez plutôt d'offre.",
    "no_subscription": "Ce compte n'a pas d'abonnement actif.",
    "subscription_inactive": "Cet abonnement a pris fin : abonnez-vous de nouveau.",
    "no_pending_change": "Aucune modification prévue à annuler.",
    "renewal_already_invoiced": "La prochaine période est déjà facturée avec cette modification.",
    "invalid_amount": "Ce montant n'est pas valide.",
    "invalid_amount.top_up": "Une recharge est d'au moins {min} et d'au plus {max}.",
    "invalid_amount.top_up_min": "Une recharge est d'au moins {min}.",
    "payment_failed": "Le paiement a échoué.",
    "payment_failed.reason": "Le paiement a échoué : {reason}",
    "invalid_request": "Certaines des valeurs envoyées ne sont pas valides.",
    "payment_in_progress": "Un achat attend son paiement ; réessayez une fois celui-ci réglé.",
    "raw_card_refused": "Les numéros de carte se saisissent sur la page du prestataire de "
    "paiement ; ajoutez la carte là-bas.",
    "hosted_setup_unavailable": "Les moyens de paiement ne peuvent pas être ajoutés sur la "
    "page du prestataire ici.",
    "payment_pending": "Le paiement n'est pas encore réglé ; nous vous préviendrons dès la "
    "réponse de la banque.",
}

IT: dict[str, str] = {
    "quantity_out_of_range": "Questa quantità non è consentita.",
    "quantity_out_of_range.bounded": "{edition} richiede almeno {min} e al massimo {max}; "
    "richiesti {asked}.",
    "quantity_out_of_range.unbounded": "{edition} richiede almeno {min}; richiesti {asked}.",
    "quantity_out_of_range.ceiling": "Al massimo {max} alla volta; richiesti {asked}.",
    "not_available_on_edition": "Non è offerto con il piano attuale.",
    "not_available_on_edition.edition": "{addon} non può essere acquistato con {edition}; "
    "sottoscrivi prima un piano a pagamento.",
    "not_available_on_edition.trial": "{addon} non può essere acquistato durante la prova; "
    "sottoscrivi prima un piano a pagamento.",
    "unknown_edition": "Questo piano non esiste.",
    "unknown_edition.code": "Nessun piano «{code}».",
    "unknown_cycle": "Questo ciclo di fatturazione non esiste.",
    "unknown_cycle.code": "Nessun ciclo di fatturazione «{code}».",
    "unknown_addon": "Questo pacchetto non esiste.",
    "unknown_addon.code": "Nessun pacchetto «{code}».",
    "unknown_meter": "Questo contatore non esiste.",
    "unknown_meter.code": "Nessun contatore «{code}».",
    "no_price_for_cycle": "Non disponibile per questo ciclo di fatturazione.",
    "no_price_for_cycle.name": "{name} non ha un prezzo per il ciclo «{cycle}».",
    "already_subscribed": "L'account ha già un abbonamento; cambia piano invece.",
    "already_subscribed.edition": "L'account è già abbonato a {edition}; cambia piano invece.",
    "no_subscription": "L'account non ha un abbonamento attivo.",
    "subscription_inactive": "Questo abbonamento è terminato; abbonati di nuovo.",
    "no_pending_change": "Non c'è alcuna modifica programmata da annullare.",
    "renewal_already_invoiced": "Il prossimo periodo è già fatturato con questa modifica.",
    "invalid_amount": "Questo importo non è valido.",
    "invalid_amount.top_up": "Una ricarica è di almeno {min} e al massimo {max}.",
    "invalid_amount.top_up_min": "Una ricarica è di almeno {min}.",
    "payment_failed": "Il pagamento non è riuscito.",
    "payment_failed.reason": "Il pagamento non è riuscito: {reason}",
    "invalid_request": "Alcuni dei valori inviati non sono validi.",
    "payment_in_progress": "Un acquisto attende il suo pagamento; riprova quando sarà concluso.",
    "raw_card_refused": "I numeri di carta si inseriscono nella pagina del fornitore di "
    "pagamento; aggiungi la carta lì.",
    "hosted_setup_unavailable": "Qui i metodi di pagamento non si possono aggiungere nella "
    "pagina del fornitore.",
    "payment_pending": "Il pagamento non è ancora concluso; ti avviseremo quando la banca "
    "risponderà.",
}

VI: dict[str, str] = {
    "quantity_out_of_range": "Số lượng này không được phép.",
    "quantity_out_of_range.bounded": "{edition} cần ít nhất {min} và nhiều nhất {max}; bạn đã "
    "yêu cầu {asked}.",
    "quantity_out_of_range.unbounded": "{edition} cần ít nhất {min}; bạn đã yêu cầu {asked}.",
    "quantity_out_of_range.ceiling": "Mỗi lần mua nhiều nhất {max}; bạn đã yêu cầu {asked}.",
    "not_available_on_edition": "Mục này không có trong gói hiện tại của bạn.",
    "not_available_on_edition.edition": "Không thể mua {addon} với gói {edition}; hãy đăng ký "
    "một gói trả phí trước.",
    "not_available_on_edition.trial": "Không thể mua {addon} trong thời gian dùng thử; hãy đăng "
    "ký một gói trả phí trước.",
    "unknown_edition": "Gói này không tồn tại.",
    "unknown_edition.code": "Không có gói “{code}”.",
    "unknown_cycle": "Chu kỳ thanh toán này không tồn tại.",
    "unknown_cycle.code": "Không có chu kỳ thanh toán “{code}”.",
    "unknown_addon": "Gói bổ sung này không tồn tại.",
    "unknown_addon.code": "Không có gói bổ sung “{code}”.",
    "unknown_meter": "Đồng hồ đo này không tồn tại.",
    "unknown_meter.code": "Không có đồng hồ đo “{code}”.",
    "no_price_for_cycle": "Không có cho chu kỳ thanh toán này.",
    "no_price_for_cycle.name": "{name} không có giá cho chu kỳ “{cycle}”.",
    "already_subscribed": "Tài khoản đã có thuê bao; hãy đổi gói thay vì đăng ký mới.",
    "already_subscribed.edition": "Tài khoản đã đăng ký {edition}; hãy đổi gói thay vì đăng ký "
    "mới.",
    "no_subscription": "Tài khoản không có thuê bao đang hoạt động.",
    "subscription_inactive": "Thuê bao này đã kết thúc; hãy đăng ký lại.",
    "no_pending_change": "Không có thay đổi nào đã lên lịch để hủy.",
    "renewal_already_invoiced": "Kỳ tiếp theo đã được lập hóa đơn với thay đổi này.",
    "invalid_amount": "Số tiền này không hợp lệ.",
    "invalid_amount.top_up": "Mỗi lần nạp tiền ít nhất {min} và nhiều nhất {max}.",
    "invalid_amount.top_up_min": "Mỗi lần nạp tiền ít nhất {min}.",
    "payment_failed": "Thanh toán không thành công.",
    "payment_failed.reason": "Thanh toán không thành công: {reason}",
    "invalid_request": "Một số giá trị gửi lên không hợp lệ.",
    "payment_in_progress": "Một giao dịch mua đang chờ thanh toán; hãy thử lại khi giao dịch hoàn "
    "tất.",
    "raw_card_refused": "Số thẻ được nhập trên trang của nhà cung cấp thanh toán; hãy thêm "
    "thẻ ở đó.",
    "hosted_setup_unavailable": "Không thể thêm phương thức thanh toán trên trang của nhà "
    "cung cấp tại đây.",
    "payment_pending": "Khoản thanh toán chưa hoàn tất; chúng tôi sẽ báo cho bạn khi ngân "
    "hàng phản hồi.",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "fr": FR, "it": IT, "vi": VI}

# A refusal's facts → (template key, values), or None when its details do not say them.
_Facts = Callable[[Mapping[str, object], Formatter], tuple[str, dict[str, str]] | None]


def _quantity(d: Mapping[str, object], fmt: Formatter) -> tuple[str, dict[str, str]] | None:
    if d.keys() == {"max", "asked"}:  # past the ceiling of every edition and add-on
        numbers = {key: fmt.number(int(str(d[key]))) for key in ("max", "asked")}
        return "quantity_out_of_range.ceiling", numbers
    if not {"edition", "min", "asked", "unit"} <= d.keys():
        return None
    unit = str(d["unit"])
    values = {
        "edition": str(d["edition"]),
        "min": fmt.count(int(str(d["min"])), unit),
        "asked": fmt.number(int(str(d["asked"]))),
    }
    if d.get("max") is None:
        return "quantity_out_of_range.unbounded", values
    return "quantity_out_of_range.bounded", {**values, "max": fmt.count(int(str(d["max"])), unit)}


def _not_available(d: Mapping[str, object], fmt: Formatter) -> tuple[str, dict[str, str]] | None:
    if "addon" not in d:
        return None
    if d.get("trial"):
        return "not_available_on_edition.trial", {"addon": str(d["addon"])}
    return "not_available_on_edition.edition", {
        "addon": str(d["addon"]),
        "edition": str(d.get("edition", "")),
    }


def _named(code: str, *keys: str) -> _Facts:
    """A refusal whose template takes `keys` from its details as they are."""

    def facts(d: Mapping[str, object], fmt: Formatter) -> tuple[str, dict[str, str]] | None:
        if not all(d.get(key) is not None for key in keys):
            return None
        return f"{code}.{keys[0]}", {key: str(d[key]) for key in keys}

    return facts


def _top_up(d: Mapping[str, object], fmt: Formatter) -> tuple[str, dict[str, str]] | None:
    if d.get("min") is None:
        return None
    low = fmt.money(Decimal(str(d["min"])))
    if d.get("max") is None:
        return "invalid_amount.top_up_min", {"min": low}
    return "invalid_amount.top_up", {"min": low, "max": fmt.money(Decimal(str(d["max"])))}


def _payment(d: Mapping[str, object], fmt: Formatter) -> tuple[str, dict[str, str]] | None:
    words = MESSAGE_WORDS.get(fmt.language, MESSAGE_WORDS["en"])
    reason = words.get(f"reason_{d.get('reason')}")
    return None if reason is None else ("payment_failed.reason", {"reason": reason})


_FACTS: dict[str, _Facts] = {
    "quantity_out_of_range": _quantity,
    "not_available_on_edition": _not_available,
    "unknown_edition": _named("unknown_edition", "code"),
    "unknown_cycle": _named("unknown_cycle", "code"),
    "unknown_addon": _named("unknown_addon", "code"),
    "unknown_meter": _named("unknown_meter", "code"),
    "no_price_for_cycle": _named("no_price_for_cycle", "name", "cycle"),
    "already_subscribed": _named("already_subscribed", "edition"),
    "invalid_amount": _top_up,
    "payment_failed": _payment,
}


def refusal_text(error: TierlineError, fmt: Formatter) -> str | None:
    """The refusal in `fmt`'s language, or None when there are no words for its code."""
    words = CATALOGUES.get(fmt.language, EN)
    if error.code not in words:
        return None
    found = _FACTS[error.code](error.details, fmt) if error.code in _FACTS else None
    if found is None:
        # Without its facts, English keeps the engine's sentence, which says more.
        return error.message if fmt.language == "en" else words[error.code]
    key, values = found
    return words[key].format(**values)
