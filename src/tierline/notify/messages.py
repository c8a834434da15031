"""In-app messages in the reader's language, written when they are read.

An event in the outbox keeps its kind and a payload of facts (edition names, amounts, instants,
document numbers). `message_text` puts one into words with the catalogue of the account's
language (English, French, Italian, Vietnamese; any other language reads English) and its
`Formatter`, which writes amounts, dates and counts as the documents do. An event whose kind has
no template, or whose payload lacks a fact its template needs (an event written before the
payload carried it), keeps the English text it was stored with.

Every catalogue has the same keys and the same `{placeholders}` (a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from tierline.documents.formatting import Formatter

EN: dict[str, str] = {
    "subscription.trial_started": "Your {edition} trial has started; it ends on {date}.",
    "subscription.created": "Your {edition} license is active: {count}, billed {every}.",
    "subscription.auto_renew_on": "Automatic renewal is on again.",
    "subscription.auto_renew_off": "Automatic renewal is off: the service ends on {date}.",
    "subscription.upgraded": "Your subscription was upgraded to {edition}; the update is "
    "effective now.",
    "subscription.downgraded": "Your subscription was downgraded to {edition}; the update is "
    "effective now.",
    "subscription.updated": "Your subscription was updated: {edition}; the update is effective "
    "now.",
    "subscription.cycle_changed": "Your subscription is now billed {every}.",
    "subscription.scheduled": "Your change to {edition} takes effect on {date}.",
    "subscription.applied": "Your subscription is now {edition}.",
    "subscription.change_canceled": "Your scheduled change was cancelled; your plan stays as it "
    "is.",
    "subscription.renewed": "Your subscription renewed until {date}.",
    "subscription.expired": "Your subscription ended on {date}.",
    "subscription.trial_expired": "Your trial ended.",
    "subscription.trial_ended": "Your trial ended; the paid subscription starts now.",
    "subscription.canceled": "Your subscription was cancelled: invoice {invoice} could not be "
    "paid.",
    "subscription.content_reconciled": "Your content was adapted to {edition}: {done}.",
    "credit_note.issued": "Credit note {number} issued for {amount}.",
    "invoice.finalized": "Invoice {number} issued: {amount} to pay.",
    "invoice.paid": "Invoice {number} paid: {amount}.",
    "payment.failed": "Payment of {amount} for {invoice} failed: {reason}",
    "payment.failed_voided": "Payment of {amount} for {invoice} failed: {reason} Invoice "
    "{invoice} is void; nothing was changed.",
    "balance.topped_up": "Your balance was recharged with {amount}; it is now {balance}.",
    "purchase.refunded": "Your purchase on {invoice} could not be carried out because the "
    "subscription changed meanwhile; credit note {credit_note} pays {amount} back.",
    # parts
    "every_month": "every month",
    "every_months": "every {count} months",
    "every_day": "every day",
    "every_days": "every {count} days",
    "content_remove": "{count} removed",
    "content_scale": "{count} scaled down",
    "content_cap": "{count} capped",
    "content_detach": "{count} detached",
    "content_reattach": "{count} re-attached",
    "reason_card_declined": "The card was declined.",
    "reason_insufficient_funds": "The card has insufficient funds.",
    "reason_gateway_timeout": "The payment gateway did not answer.",
    "reason_no_payment_method": "There is no payment method.",
    "reason_payment_failed": "The payment was refused.",
}

FR: dict[str, str] = {
    "subscription.trial_started": "Votre essai de {edition} a commencé ; il se termine le {date}.",
    "subscription.created": "Votre licence {edition} est active : {count}, facturée {every}.",
    "subscription.auto_renew_on": "Le renouvellement automatique est réactivé.",
    "subscription.auto_renew_off": "Le renouvellement automatique est désactivé : le service "
    "prend fin le {date}.",
    "subscription.upgraded": "Votre abonnement est passé à {edition} ; la modification est "
    "effective dès maintenant.",
    "subscription.downgraded": "Votre abonnement est descendu à {edition} ; la modification est "
    "effective dès maintenant.",
    "subscription.updated": "Votre abonnement a été modifié : {edition} ; la modification est "
    "effective dès maintenant.",
    "subscription.cycle_changed": "Votre abonnement est désormais facturé {every}.",
    "subscription.scheduled": "Votre passage à {edition} prendra effet le {date}.",
    "subscription.applied": "Votre abonnement est désormais {edition}.",
    "subscription.change_canceled": "Votre modification prévue a été annulée ; votre offre reste "
    "inchangée.",
    "subscription.renewed": "Votre abonnement a été renouvelé jusqu'au {date}.",
    "subscription.expired": "Votre abonnement a pris fin le {date}.",
    "subscription.trial_expired": "Votre essai est terminé.",
    "subscription.trial_ended": "Votre essai est terminé ; l'abonnement payant commence "
    "maintenant.",
    "subscription.canceled": "Votre abonnement a été résilié : la facture {invoice} n'a pas pu "
    "être payée.",
    "subscription.content_reconciled": "Votre contenu a été adapté à {edition} : {done}.",
    "credit_note.issued": "Avoir {number} émis pour {amount}.",
    "invoice.finalized": "Facture {number} émise : {amount} à payer.",
    "invoice.paid": "Facture {number} payée : {amount}.",
    "payment.failed": "Le paiement de {amount} pour {invoice} a échoué : {reason}",
    "payment.failed_voided": "Le paiement de {amount} pour {invoice} a échoué : {reason} La "
    "facture {invoice} est annulée ; rien n'a été modifié.",
    "balance.topped_up": "Votre solde a été rechargé de {amount} ; il est maintenant de {balance}.",
    "purchase.refunded": "Votre achat sur {invoice} n'a pas pu être réalisé car "
    "l'abonnement a changé entre-temps ; l'avoir {credit_note} vous rembourse {amount}.",
    "every_month": "chaque mois",
    "every_months": "tous les {count} mois",
    "every_day": "chaque jour",
    "every_days": "tous les {count} jours",
    "content_remove": "supprimés : {count}",
    "content_scale": "réduits : {count}",
    "content_cap": "plafonnés : {count}",
    "content_detach": "détachés : {count}",
    "content_reattach": "rattachés : {count}",
    "reason_card_declined": "La carte a été refusée.",
    "reason_insufficient_funds": "La provision de la carte est insuffisante.",
    "reason_gateway_timeout": "La plateforme de paiement n'a pas répondu.",
    "reason_no_payment_method": "Aucun moyen de paiement n'est enregistré.",
    "reason_payment_failed": "Le paiement a été refusé.",
}

IT: dict[str, str] = {
    "subscription.trial_started": "La prova di {edition} è iniziata; termina il {date}.",
    "subscription.created": "La licenza {edition} è attiva: {count}, fatturata {every}.",
    "subscription.auto_renew_on": "Il rinnovo automatico è di nuovo attivo.",
    "subscription.auto_renew_off": "Il rinnovo automatico è disattivato: il servizio termina il "
    "{date}.",
    "subscription.upgraded": "L'abbonamento è passato a {edition}; la modifica è effettiva da "
    "subito.",
    "subscription.downgraded": "L'abbonamento è sceso a {edition}; la modifica è effettiva da "
    "subito.",
    "subscription.updated": "L'abbonamento è stato modificato: {edition}; la modifica è "
    "effettiva da subito.",
    "subscription.cycle_changed": "L'abbonamento è ora fatturato {every}.",
    "subscription.scheduled": "Il passaggio a {edition} avrà effetto il {date}.",
    "subscription.applied": "L'abbonamento è ora {edition}.",
    "subscription.change_canceled": "La modifica programmata è stata annullata; il piano resta "
    "invariato.",
    "subscription.renewed": "L'abbonamento è stato rinnovato fino al {date}.",
    "subscription.expired": "L'abbonamento è terminato il {date}.",
    "subscription.trial_expired": "La prova è terminata.",
    "subscription.trial_ended": "La prova è terminata; l'abbonamento a pagamento inizia ora.",
    "subscription.canceled": "L'abbonamento è stato annullato: la fattura {invoice} non è stata "
    "pagata.",
    "subscription.content_reconciled": "I contenuti sono stati adattati a {edition}: {done}.",
    "credit_note.issued": "Nota di credito {number} emessa per {amount}.",
    "invoice.finalized": "Fattura {number} emessa: {amount} da pagare.",
    "invoice.paid": "Fattura {number} pagata: {amount}.",
    "payment.failed": "Il pagamento di {amount} per {invoice} non è riuscito: {reason}",
    "payment.failed_voided": "Il pagamento di {amount} per {invoice} non è riuscito: {reason} "
    "La fattura {invoice} è annullata; non è stato modificato nulla.",
    "balance.topped_up": "Il saldo è stato ricaricato di {amount}; ora è {balance}.",
    "purchase.refunded": "L'acquisto su {invoice} non è stato eseguito perché l'abbonamento "
    "è cambiato nel frattempo; la nota di credito {credit_note} rimborsa {amount}.",
    "every_month": "ogni mese",
    "every_months": "ogni {count} mesi",
    "every_day": "ogni giorno",
    "every_days": "ogni {count} giorni",
    "content_remove": "rimossi: {count}",
    "content_scale": "ridotti: {count}",
    "content_cap": "limitati: {count}",
    "content_detach": "scollegati: {count}",
    "content_reattach": "ricollegati: {count}",
    "reason_card_declined": "La carta è stata rifiutata.",
    "reason_insufficient_funds": "La carta non ha fondi sufficienti.",
    "reason_gateway_timeout": "Il gateway di pagamento non ha risposto.",
    "reason_no_payment_method": "Non c'è alcun metodo di pagamento.",
    "reason_payment_failed": "Il pagamento è stato rifiutato.",
}

VI: dict[str, str] = {
    "subscription.trial_started": "Bản dùng thử {edition} đã bắt đầu; kết thúc vào ngày {date}.",
    "subscription.created": "Giấy phép {edition} của bạn đã được kích hoạt: {count}, thanh toán "
    "{every}.",
    "subscription.auto_renew_on": "Tự động gia hạn đã được bật lại.",
    "subscription.auto_renew_off": "Tự động gia hạn đã tắt: dịch vụ kết thúc vào ngày {date}.",
    "subscription.upgraded": "Thuê bao của bạn đã được nâng cấp lên {edition}; thay đổi có hiệu "
    "lực ngay.",
    "subscription.downgraded": "Thuê bao của bạn đã được hạ xuống {edition}; thay đổi có hiệu "
    "lực ngay.",
    "subscription.updated": "Thuê bao của bạn đã được cập nhật: {edition}; thay đổi có hiệu lực "
    "ngay.",
    "subscription.cycle_changed": "Thuê bao của bạn giờ được thanh toán {every}.",
    "subscription.scheduled": "Thay đổi sang {edition} sẽ có hiệu lực vào ngày {date}.",
    "subscription.applied": "Thuê bao của bạn giờ là {edition}.",
    "subscription.change_canceled": "Thay đổi đã lên lịch đã bị hủy; gói của bạn giữ nguyên.",
    "subscription.renewed": "Thuê bao của bạn đã được gia hạn đến ngày {date}.",
    "subscription.expired": "Thuê bao của bạn đã kết thúc vào ngày {date}.",
    "subscription.trial_expired": "Thời gian dùng thử đã kết thúc.",
    "subscription.trial_ended": "Thời gian dùng thử đã kết thúc; thuê bao trả phí bắt đầu từ bây "
    "giờ.",
    "subscription.canceled": "Thuê bao của bạn đã bị hủy: hóa đơn {invoice} không thanh toán được.",
    "subscription.content_reconciled": "Nội dung của bạn đã được điều chỉnh theo {edition}: "
    "{done}.",
    "credit_note.issued": "Đã phát hành giấy báo có {number} với số tiền {amount}.",
    "invoice.finalized": "Đã phát hành hóa đơn {number}: cần thanh toán {amount}.",
    "invoice.paid": "Hóa đơn {number} đã được thanh toán: {amount}.",
    "payment.failed": "Thanh toán {amount} cho {invoice} không thành công: {reason}",
    "payment.failed_voided": "Thanh toán {amount} cho {invoice} không thành công: {reason} "
    "Hóa đơn {invoice} đã bị hủy; không có gì thay đổi.",
    "balance.topped_up": "Số dư của bạn đã được nạp thêm {amount}; số dư hiện là {balance}.",
    "every_month": "hằng tháng",
    "purchase.refunded": "Giao dịch mua trên {invoice} không thể thực hiện vì gói đăng ký "
    "đã thay đổi trong lúc đó; phiếu giảm trừ {credit_note} hoàn lại {amount}.",
    "every_months": "mỗi {count} tháng",
    "every_day": "hằng ngày",
    "every_days": "mỗi {count} ngày",
    "content_remove": "đã xóa {count}",
    "content_scale": "đã thu nhỏ {count}",
    "content_cap": "đã giới hạn {count}",
    "content_detach": "đã tách {count}",
    "content_reattach": "đã gắn lại {count}",
    "reason_card_declined": "Thẻ bị từ chối.",
    "reason_insufficient_funds": "Thẻ không đủ số dư.",
    "reason_gateway_timeout": "Cổng thanh toán không phản hồi.",
    "reason_no_payment_method": "Chưa có phương thức thanh toán.",
    "reason_payment_failed": "Thanh toán bị từ chối.",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "fr": FR, "it": IT, "vi": VI}

# The order a reconciliation's actions are counted in.
_CONTENT = ("remove", "scale", "cap", "detach", "reattach")


class _Missing(Exception):
    """The payload lacks a fact the template needs."""


class _Facts:
    """An event's payload, read as the reader's formatter writes it."""

    def __init__(self, payload: Mapping[str, Any], fmt: Formatter, words: Mapping[str, str]):
        self.payload = payload
        self.fmt = fmt
        self.words = words

    def raw(self, key: str) -> Any:
        value = self.payload.get(key)
        if value is None:
            raise _Missing(key)
        return value

    def text(self, key: str) -> str:
        return str(self.raw(key))

    def money(self, key: str) -> str:
        return self.fmt.money(Decimal(str(self.raw(key))))

    def date(self, key: str) -> str:
        return self.fmt.date(datetime.fromisoformat(self.text(key)))

    def every(self) -> str:
        months = int(self.payload.get("cycle_months") or 0)
        days = int(self.payload.get("cycle_days") or 0)
        if months == 1 or (not months and days == 1):
            return self.words["every_month" if months else "every_day"]
        if months:
            return self.words["every_months"].format(count=self.fmt.number(months))
        if days:
            return self.words["every_days"].format(count=self.fmt.number(days))
        raise _Missing("cycle_months")


def _trial_started(f: _Facts) -> dict[str, str]:
    return {"edition": f.text("edition_name"), "date": f.date("trial_end")}


def _created(f: _Facts) -> dict[str, str]:
    count = f.fmt.count(int(f.raw("quantity")), f.text("unit"))
    return {"edition": f.text("edition_name"), "count": count, "every": f.every()}


def _edition(f: _Facts) -> dict[str, str]:
    return {"edition": f.text("edition_name")}


def _scheduled(f: _Facts) -> dict[str, str]:
    return {"edition": f.text("edition_name"), "date": f.date("effective_at")}


def _content(f: _Facts) -> dict[str, str]:
    kinds = [str(action.get("kind")) for action in f.raw("actions")]
    done = [
        f.words[f"content_{kind}"].format(count=f.fmt.number(kinds.count(kind)))
        for kind in _CONTENT
        if kind in kinds
    ]
    return {"edition": f.text("to_edition_name"), "done": ", ".join(done)}


def _document(number: str, amount: str) -> Callable[[_Facts], dict[str, str]]:
    def facts(f: _Facts) -> dict[str, str]:
        return {"number": f.text(number), "amount": f.money(amount)}

    return facts


def _payment_failed(f: _Facts) -> dict[str, str]:
    code = f.text("code")
    reason = f.words.get(f"reason_{code}") or f.words["reason_payment_failed"]
    return {"amount": f.money("amount"), "invoice": f.text("invoice"), "reason": reason}


def _topped_up(f: _Facts) -> dict[str, str]:
    return {"amount": f.money("amount"), "balance": f.money("balance")}


def _nothing(f: _Facts) -> dict[str, str]:
    return {}


_FACTS: dict[str, Callable[[_Facts], dict[str, str]]] = {
    "subscription.trial_started": _trial_started,
    "subscription.created": _created,
    "subscription.auto_renew_on": _nothing,
    "subscription.auto_renew_off": lambda f: {"date": f.date("ends_at")},
    "subscription.upgraded": _edition,
    "subscription.downgraded": _edition,
    "subscription.updated": _edition,
    "subscription.cycle_changed": lambda f: {"every": f.every()},
    "subscription.scheduled": _scheduled,
    "subscription.applied": _edition,
    "subscription.change_canceled": _nothing,
    "subscription.renewed": lambda f: {"date": f.date("period_end")},
    "subscription.expired": lambda f: {"date": f.date("ended_at")},
    "subscription.trial_expired": _nothing,
    "subscription.trial_ended": _nothing,
    "subscription.canceled": lambda f: {"invoice": f.text("invoice")},
    "subscription.content_reconciled": _content,
    "credit_note.issued": _document("credit_note", "total"),
    "invoice.finalized": _document("invoice", "total"),
    "invoice.paid": _document("invoice", "amount"),
    "payment.failed": _payment_failed,
    "payment.failed_voided": _payment_failed,
    "balance.topped_up": _topped_up,
    "purchase.refunded": lambda f: {
        "invoice": f.text("invoice"),
        "credit_note": f.text("credit_note"),
        "amount": f.money("total"),
    },
}

TEMPLATE_KINDS = tuple(_FACTS)


def template_of(kind: str, payload: Mapping[str, Any]) -> str:
    """The template an event uses: its kind, or the variant its payload says."""
    if kind == "subscription.auto_renew_changed":
        return (
            "subscription.auto_renew_on"
            if payload.get("auto_renew")
            else ("subscription.auto_renew_off")
        )
    if kind == "subscription.updated" and payload.get("change") == "cycle_change":
        return "subscription.cycle_changed"
    if kind == "subscription.expired" and payload.get("trial"):
        return "subscription.trial_expired"
    if kind == "payment.failed" and payload.get("voided"):
        return "payment.failed_voided"
    if kind.startswith("subscription.") and kind.endswith("_scheduled"):
        return "subscription.scheduled"
    if kind.startswith("subscription.") and kind.endswith("_applied"):
        return "subscription.applied"
    return kind


def message_text(kind: str, payload: Mapping[str, Any], stored: str, fmt: Formatter) -> str:
    """An event as a message in `fmt`'s language; `stored` when it cannot be put into words."""
    template = template_of(kind, payload)
    facts = _FACTS.get(template)
    if facts is None:
        return stored
    words = CATALOGUES.get(fmt.language, EN)
    try:
        values = facts(_Facts(payload, fmt, words))
    except (_Missing, ValueError, TypeError, ArithmeticError):
        return stored
    return words[template].format(**values)
