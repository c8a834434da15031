"""In-app messages written from their event's payload, in each account's language."""

from __future__ import annotations

from typing import Any

import pytest

from tierline.documents.formatting import Formatter
from tierline.notify.messages import TEMPLATE_KINDS, message_text, template_of

LOCALES = ("en", "fr", "it", "vi")

CONTENT_ACTIONS = [{"kind": "remove"}, {"kind": "remove"}, {"kind": "scale"}]

# kind, payload → what each language reads (amounts in USD, the account in Europe/Paris)
EVENTS: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("subscription.trial_started",
     {"edition_name": "Professional", "trial_end": "2026-02-14T23:30:00+00:00"}, {
        "en": "Your Professional trial has started; it ends on February 15, 2026.",
        "fr": "Votre essai de Professional a commencé ; il se termine le 15 février 2026.",
        "it": "La prova di Professional è iniziata; termina il 15 febbraio 2026.",
        "vi": "Bản dùng thử Professional đã bắt đầu; kết thúc vào ngày 15 tháng 2, 2026.",
    }),
    ("subscription.created",
     {"edition_name": "Professional", "quantity": 12, "unit": "seat", "cycle_months": 1}, {
        "en": "Your Professional license is active: 12 seats, billed every month.",
        "fr": "Votre licence Professional est active : 12 sièges, facturée chaque mois.",
        "it": "La licenza Professional è attiva: 12 postazioni, fatturata ogni mese.",
        "vi": "Giấy phép Professional của bạn đã được kích hoạt: 12 chỗ, thanh toán hằng tháng.",
    }),
    ("subscription.created",
     {"edition_name": "Pro", "quantity": 1, "unit": "account", "cycle_months": 12}, {
        "en": "Your Pro license is active: 1 account, billed every 12 months.",
        "fr": "Votre licence Pro est active : 1 compte, facturée tous les 12 mois.",
        "it": "La licenza Pro è attiva: 1 account, fatturata ogni 12 mesi.",
        "vi": "Giấy phép Pro của bạn đã được kích hoạt: 1 tài khoản, thanh toán mỗi 12 tháng.",
    }),
    ("subscription.packs_created",
     {"packs": {"External user pack": 2}, "cycle": "month", "cycle_months": 1}, {
        "en": "Your packs are active: External user pack × 2, billed every month.",
        "fr": "Vos packs sont actifs : External user pack × 2, facturés chaque mois.",
        "it": "I pacchetti sono attivi: External user pack × 2, fatturati ogni mese.",
        "vi": "Các gói bổ sung của bạn đã được kích hoạt: External user pack × 2, thanh toán "
              "hằng tháng.",
    }),
    ("subscription.auto_renew_changed",
     {"auto_renew": False, "ends_at": "2026-04-10T02:00:00+00:00"}, {
        "en": "Automatic renewal is off: the service ends on April 10, 2026.",
        "fr": "Le renouvellement automatique est désactivé : le service prend fin le 10 avril "
              "2026.",
        "it": "Il rinnovo automatico è disattivato: il servizio termina il 10 aprile 2026.",
        "vi": "Tự động gia hạn đã tắt: dịch vụ kết thúc vào ngày 10 tháng 4, 2026.",
    }),
    ("subscription.auto_renew_changed", {"auto_renew": True}, {
        "en": "Automatic renewal is on again.",
        "fr": "Le renouvellement automatique est réactivé.",
        "it": "Il rinnovo automatico è di nuovo attivo.",
        "vi": "Tự động gia hạn đã được bật lại.",
    }),
    ("subscription.upgraded", {"edition_name": "Enterprise", "change": "upgrade"}, {
        "en": "Your subscription was upgraded to Enterprise; the update is effective now.",
        "fr": "Votre abonnement est passé à Enterprise ; la modification est effective dès "
              "maintenant.",
        "it": "L'abbonamento è passato a Enterprise; la modifica è effettiva da subito.",
        "vi": "Thuê bao của bạn đã được nâng cấp lên Enterprise; thay đổi có hiệu lực ngay.",
    }),
    ("subscription.downgraded", {"edition_name": "Liberty", "change": "downgrade"}, {
        "en": "Your subscription was downgraded to Liberty; the update is effective now.",
        "fr": "Votre abonnement est descendu à Liberty ; la modification est effective dès "
              "maintenant.",
        "it": "L'abbonamento è sceso a Liberty; la modifica è effettiva da subito.",
        "vi": "Thuê bao của bạn đã được hạ xuống Liberty; thay đổi có hiệu lực ngay.",
    }),
    ("subscription.updated", {"edition_name": "Standard", "change": "quantity_increase"}, {
        "en": "Your subscription was updated: Standard; the update is effective now.",
        "fr": "Votre abonnement a été modifié : Standard ; la modification est effective dès "
              "maintenant.",
        "it": "L'abbonamento è stato modificato: Standard; la modifica è effettiva da subito.",
        "vi": "Thuê bao của bạn đã được cập nhật: Standard; thay đổi có hiệu lực ngay.",
    }),
    ("subscription.updated", {"change": "cycle_change", "cycle_days": 30}, {
        "en": "Your subscription is now billed every 30 days.",
        "fr": "Votre abonnement est désormais facturé tous les 30 jours.",
        "it": "L'abbonamento è ora fatturato ogni 30 giorni.",
        "vi": "Thuê bao của bạn giờ được thanh toán mỗi 30 ngày.",
    }),
    ("subscription.downgrade_scheduled",
     {"edition_name": "Standard", "effective_at": "2026-03-10T10:00:00+00:00"}, {
        "en": "Your change to Standard takes effect on March 10, 2026.",
        "fr": "Votre passage à Standard prendra effet le 10 mars 2026.",
        "it": "Il passaggio a Standard avrà effetto il 10 marzo 2026.",
        "vi": "Thay đổi sang Standard sẽ có hiệu lực vào ngày 10 tháng 3, 2026.",
    }),
    ("subscription.downgrade_applied", {"edition_name": "Standard"}, {
        "en": "Your subscription is now Standard.",
        "fr": "Votre abonnement est désormais Standard.",
        "it": "L'abbonamento è ora Standard.",
        "vi": "Thuê bao của bạn giờ là Standard.",
    }),
    ("subscription.change_canceled", {}, {
        "en": "Your scheduled change was cancelled; your plan stays as it is.",
        "fr": "Votre modification prévue a été annulée ; votre offre reste inchangée.",
        "it": "La modifica programmata è stata annullata; il piano resta invariato.",
        "vi": "Thay đổi đã lên lịch đã bị hủy; gói của bạn giữ nguyên.",
    }),
    ("subscription.renewed", {"period_end": "2026-05-31T22:30:00+00:00"}, {
        "en": "Your subscription renewed until June 1, 2026.",
        "fr": "Votre abonnement a été renouvelé jusqu'au 1 juin 2026.",
        "it": "L'abbonamento è stato rinnovato fino al 1 giugno 2026.",
        "vi": "Thuê bao của bạn đã được gia hạn đến ngày 1 tháng 6, 2026.",
    }),
    ("subscription.price_changing",
     {"edition": "standard", "edition_name": "Standard", "old_amount": "80.00",
      "new_amount": "90.00", "effective_at": "2026-05-31T22:30:00+00:00"}, {
        "en": "The price of your Standard subscription changes from $80.00 to $90.00 at its "
              "renewal on June 1, 2026.",
        "fr": "Le prix de votre abonnement Standard passe de 80,00\xa0$US à 90,00\xa0$US lors de "
              "son renouvellement le 1 juin 2026.",
        "it": "Il prezzo dell'abbonamento Standard passa da 80,00\xa0USD a 90,00\xa0USD al rinnovo "
              "del 1 giugno 2026.",
        "vi": "Giá thuê bao Standard của bạn thay đổi từ 80,00\xa0US$ thành 90,00\xa0US$ khi gia "
              "hạn vào ngày 1 tháng 6, 2026.",
    }),
    ("subscription.expired", {"ended_at": "2026-04-10T02:00:00+00:00"}, {
        "en": "Your subscription ended on April 10, 2026.",
        "fr": "Votre abonnement a pris fin le 10 avril 2026.",
        "it": "L'abbonamento è terminato il 10 aprile 2026.",
        "vi": "Thuê bao của bạn đã kết thúc vào ngày 10 tháng 4, 2026.",
    }),
    ("subscription.expired", {"trial": True}, {
        "en": "Your trial ended.",
        "fr": "Votre essai est terminé.",
        "it": "La prova è terminata.",
        "vi": "Thời gian dùng thử đã kết thúc.",
    }),
    ("subscription.trial_ended", {}, {
        "en": "Your trial ended; the paid subscription starts now.",
        "fr": "Votre essai est terminé ; l'abonnement payant commence maintenant.",
        "it": "La prova è terminata; l'abbonamento a pagamento inizia ora.",
        "vi": "Thời gian dùng thử đã kết thúc; thuê bao trả phí bắt đầu từ bây giờ.",
    }),
    ("subscription.canceled", {"invoice": "INV-2026-000007"}, {
        "en": "Your subscription was cancelled: invoice INV-2026-000007 could not be paid.",
        "fr": "Votre abonnement a été résilié : la facture INV-2026-000007 n'a pas pu être payée.",
        "it": "L'abbonamento è stato annullato: la fattura INV-2026-000007 non è stata pagata.",
        "vi": "Thuê bao của bạn đã bị hủy: hóa đơn INV-2026-000007 không thanh toán được.",
    }),
    ("subscription.content_reconciled",
     {"to_edition_name": "Standard", "actions": CONTENT_ACTIONS}, {
        "en": "Your content was adapted to Standard: 2 removed, 1 scaled down.",
        "fr": "Votre contenu a été adapté à Standard : supprimés : 2, réduits : 1.",
        "it": "I contenuti sono stati adattati a Standard: rimossi: 2, ridotti: 1.",
        "vi": "Nội dung của bạn đã được điều chỉnh theo Standard: đã xóa 2, đã thu nhỏ 1.",
    }),
    ("credit_note.issued", {"credit_note": "CN-2026-000001", "total": "1234.50"}, {
        "en": "Credit note CN-2026-000001 issued for $1,234.50.",
        "fr": "Avoir CN-2026-000001 émis pour 1\u202f234,50\xa0$US.",
        "it": "Nota di credito CN-2026-000001 emessa per 1.234,50\xa0USD.",
        "vi": "Đã phát hành giấy báo có CN-2026-000001 với số tiền 1.234,50\xa0US$.",
    }),
    ("invoice.finalized", {"invoice": "INV-2026-000002", "total": "96.00"}, {
        "en": "Invoice INV-2026-000002 issued: $96.00 to pay.",
        "fr": "Facture INV-2026-000002 émise : 96,00\xa0$US à payer.",
        "it": "Fattura INV-2026-000002 emessa: 96,00\xa0USD da pagare.",
        "vi": "Đã phát hành hóa đơn INV-2026-000002: cần thanh toán 96,00\xa0US$.",
    }),
    ("invoice.paid", {"invoice": "INV-2026-000002", "amount": "96.00"}, {
        "en": "Invoice INV-2026-000002 paid: $96.00.",
        "fr": "Facture INV-2026-000002 payée : 96,00\xa0$US.",
        "it": "Fattura INV-2026-000002 pagata: 96,00\xa0USD.",
        "vi": "Hóa đơn INV-2026-000002 đã được thanh toán: 96,00\xa0US$.",
    }),
    ("payment.failed",
     {"invoice": "INV-2026-000003", "amount": "96.00", "code": "card_declined"}, {
        "en": "Payment of $96.00 for INV-2026-000003 failed: The card was declined.",
        "fr": "Le paiement de 96,00\xa0$US pour INV-2026-000003 a échoué : La carte a été "
              "refusée.",
        "it": "Il pagamento di 96,00\xa0USD per INV-2026-000003 non è riuscito: La carta è stata "
              "rifiutata.",
        "vi": "Thanh toán 96,00\xa0US$ cho INV-2026-000003 không thành công: Thẻ bị từ chối.",
    }),
    ("payment.failed",
     {"invoice": "INV-2026-000004", "amount": "15.00", "code": "card_declined", "voided": True}, {
        "en": "Payment of $15.00 for INV-2026-000004 failed: The card was declined. Invoice "
              "INV-2026-000004 is void; nothing was changed.",
        "fr": "Le paiement de 15,00\xa0$US pour INV-2026-000004 a échoué : La carte a été "
              "refusée. La facture INV-2026-000004 est annulée ; rien n'a été modifié.",
        "it": "Il pagamento di 15,00\xa0USD per INV-2026-000004 non è riuscito: La carta è stata "
              "rifiutata. La fattura INV-2026-000004 è annullata; non è stato modificato nulla.",
        "vi": "Thanh toán 15,00\xa0US$ cho INV-2026-000004 không thành công: Thẻ bị từ chối. "
              "Hóa đơn INV-2026-000004 đã bị hủy; không có gì thay đổi.",
    }),
    ("purchase.refunded",
     {"invoice": "INV-2026-000005", "credit_note": "CN-2026-000002", "total": "49.00"}, {
        "en": "Your purchase on INV-2026-000005 could not be carried out because the subscription "
              "changed meanwhile; credit note CN-2026-000002 pays $49.00 back.",
        "fr": "Votre achat sur INV-2026-000005 n'a pas pu être réalisé car l'abonnement a changé "
              "entre-temps ; l'avoir CN-2026-000002 vous rembourse 49,00\xa0$US.",
        "it": "L'acquisto su INV-2026-000005 non è stato eseguito perché l'abbonamento è cambiato "
              "nel frattempo; la nota di credito CN-2026-000002 rimborsa 49,00\xa0USD.",
        "vi": "Giao dịch mua trên INV-2026-000005 không thể thực hiện vì gói đăng ký đã thay đổi "
              "trong lúc đó; phiếu giảm trừ CN-2026-000002 hoàn lại 49,00\xa0US$.",
    }),
    ("payment.backup_used",
     {"invoice": "INV-2026-000006", "amount": "15.00", "currency": "USD",
      "declined_method": "pm_1", "declined_brand": "visa", "declined_last4": "0002",
      "backup_brand": "mastercard", "backup_last4": "4444"}, {
        "en": "Your primary card, Visa ending in 0002, was declined for INV-2026-000006; the "
              "backup card, Mastercard ending in 4444, paid $15.00. Update the primary card in "
              "Payment methods.",
        "fr": "Votre carte principale, Visa se terminant par 0002, a été refusée pour "
              "INV-2026-000006 ; la carte de secours, Mastercard se terminant par 4444, a payé "
              "15,00\xa0$US. Mettez à jour la carte principale dans Moyens de paiement.",
        "it": "La carta principale, Visa che termina con 0002, è stata rifiutata per "
              "INV-2026-000006; la carta di riserva, Mastercard che termina con 4444, ha pagato "
              "15,00\xa0USD. Aggiorna la carta principale in Metodi di pagamento.",
        "vi": "Thẻ chính của bạn, Visa kết thúc bằng 0002, bị từ chối cho INV-2026-000006; thẻ "
              "dự phòng, Mastercard kết thúc bằng 4444, đã thanh toán 15,00\xa0US$. Hãy cập nhật "
              "thẻ chính trong Phương thức thanh toán.",
    }),
    ("payment.refund_failed",
     {"amount": "12.00", "balance": "20.00", "currency": "USD", "credit_note": "CN-2026-000003"}, {
        "en": "A refund of $12.00 could not be made to the card; it was added to your balance, "
              "which is now $20.00.",
        "fr": "Le remboursement de 12,00\xa0$US n'a pas pu être effectué sur la carte ; il a été "
              "ajouté à votre solde, qui est maintenant de 20,00\xa0$US.",
        "it": "Non è stato possibile rimborsare 12,00\xa0USD sulla carta; l'importo è stato "
              "aggiunto al saldo, che ora è di 20,00\xa0USD.",
        "vi": "Không thể hoàn 12,00\xa0US$ về thẻ; số tiền đã được cộng vào số dư của bạn, số dư "
              "hiện là 20,00\xa0US$.",
    }),
    ("balance.topped_up", {"amount": "50.00", "balance": "62.50"}, {
        "en": "Your balance was recharged with $50.00; it is now $62.50.",
        "fr": "Votre solde a été rechargé de 50,00\xa0$US ; il est maintenant de 62,50\xa0$US.",
        "it": "Il saldo è stato ricaricato di 50,00\xa0USD; ora è 62,50\xa0USD.",
        "vi": "Số dư của bạn đã được nạp thêm 50,00\xa0US$; số dư hiện là 62,50\xa0US$.",
    }),
]  # fmt: skip


def reader(locale: str) -> Formatter:
    return Formatter.of(locale, "Europe/Paris", "USD")


class TestEveryMessageInEveryLanguage:
    @pytest.mark.parametrize("locale", LOCALES)
    @pytest.mark.parametrize(
        ("kind", "payload", "expected"),
        EVENTS,
        ids=[f"{kind}-{i}" for i, (kind, _, _) in enumerate(EVENTS)],
    )
    def test_the_event_reads_in_the_accounts_language_with_its_figures(
        self, locale: str, kind: str, payload: dict[str, Any], expected: dict[str, str]
    ) -> None:
        text = message_text(kind, payload, "stored", reader(locale))
        assert text == expected[locale]

    def test_every_template_has_an_event_above(self) -> None:
        used = {template_of(kind, payload) for kind, payload, _ in EVENTS}
        assert used == set(TEMPLATE_KINDS)


class TestWhatCannotBeWritten:
    def test_a_kind_without_a_template_keeps_its_stored_text(self) -> None:
        assert message_text("invoice.voided", {}, "Invoice voided.", reader("fr")) == (
            "Invoice voided."
        )

    def test_a_payload_without_the_facts_keeps_its_stored_text(self) -> None:
        stored = "Your subscription renewed until 2026-05-10."
        assert message_text("subscription.renewed", {"subscription": "sub_1"}, stored,
                            reader("fr")) == stored  # fmt: skip

    def test_a_payment_failure_of_an_unknown_kind_says_the_payment_was_refused(self) -> None:
        payload = {"invoice": "INV-1", "amount": "5", "code": "processing_error"}
        assert message_text("payment.failed", payload, "stored", reader("en")) == (
            "Payment of $5.00 for INV-1 failed: The payment was refused."
        )

    def test_the_catalogs_unit_forms_are_used(self) -> None:
        fmt = Formatter.of(
            "fr", "UTC", "EUR", {"poste": {"fr": {"one": "poste", "other": "postes"}}}
        )
        payload = {"edition_name": "Pro", "quantity": 3, "unit": "poste", "cycle_months": 1}
        assert message_text("subscription.created", payload, "stored", fmt) == (
            "Votre licence Pro est active : 3 postes, facturée chaque mois."
        )


class TestWhatAnUpdateChanged:
    def test_an_update_names_the_quantity_and_the_packs_it_changed(self) -> None:
        payload = {
            "edition_name": "Professional", "change": "quantity_increase",
            "quantity_before": 10, "quantity_after": 15, "unit": "seat",
            "packs_before": {"Data sync": 1, "Workflows": 2},
            "packs_after": {"Workflows": 3, "External users": 1},
        }  # fmt: skip
        assert message_text("subscription.updated", payload, "stored", reader("en")) == (
            "Your subscription was updated: Professional, 10 seats → 15 seats, Data sync removed, "
            "Workflows × 2 → 3, External users × 1 added; the update is effective now."
        )
        assert message_text("subscription.updated", payload, "stored", reader("fr")) == (
            "Votre abonnement a été modifié : Professional, 10 sièges → 15 sièges, Data sync "
            "retiré, Workflows × 2 → 3, External users × 1 ajouté ; la modification est effective "
            "dès maintenant."
        )
