"""Refusals in the account's language, from each error's code and the facts it carries."""

from __future__ import annotations

import pytest

from tierline.documents.formatting import Formatter
from tierline.errors import Invalid, NotAllowed, PaymentFailed, QuantityOutOfRange, TierlineError
from tierline.i18n import words
from tierline.portal.refusals import CODES, general, refusal_text

LOCALES = ("en", "fr", "it", "vi")


def said(error: TierlineError, locale: str) -> str | None:
    return refusal_text(error, Formatter.of(locale, "UTC", "EUR"))


QUANTITY = QuantityOutOfRange(
    "Serenity takes at least 1 and at most 5000 contacts; 5001 asked.",
    details={"edition": "Serenity", "min": 1, "max": 5000, "asked": 5001, "unit": "contact"},
)

# error → what each language reads
REFUSALS: list[tuple[TierlineError, dict[str, str]]] = [
    (QUANTITY, {
        "en": "Serenity takes at least 1 contact and at most 5,000 contacts; 5,001 asked.",
        "fr": "Serenity se souscrit pour au moins 1 contact et au plus 5\u202f000 contacts ; "
              "5\u202f001 demandés.",
        "it": "Serenity richiede almeno 1 contatto e al massimo 5.000 contatti; richiesti 5.001.",
        "vi": "Serenity cần ít nhất 1 liên hệ và nhiều nhất 5.000 liên hệ; bạn đã yêu cầu 5.001.",
    }),
    (QuantityOutOfRange("…", details={"edition": "Enterprise", "min": 50, "max": None,
                                      "asked": 20, "unit": "seat"}), {
        "en": "Enterprise takes at least 50 seats; 20 asked.",
        "fr": "Enterprise se souscrit pour au moins 50 sièges ; 20 demandés.",
        "it": "Enterprise richiede almeno 50 postazioni; richiesti 20.",
        "vi": "Enterprise cần ít nhất 50 chỗ; bạn đã yêu cầu 20.",
    }),
    (NotAllowed("…", code="not_available_on_edition",
                details={"addon": "SMS pack", "edition": "Free", "trial": False}), {
        "en": "SMS pack cannot be bought on Free; subscribe to a paid edition first.",
        "fr": "SMS pack ne peut pas être acheté avec Free : souscrivez d'abord une offre payante.",
        "it": "SMS pack non può essere acquistato con Free; sottoscrivi prima un piano a "
              "pagamento.",
        "vi": "Không thể mua SMS pack với gói Free; hãy đăng ký một gói trả phí trước.",
    }),
    (NotAllowed("…", code="not_available_on_edition",
                details={"addon": "SMS pack", "edition": "Pro", "trial": True}), {
        "en": "SMS pack cannot be bought during a trial; subscribe to a paid edition first.",
        "fr": "SMS pack ne peut pas être acheté pendant un essai : souscrivez d'abord une offre "
              "payante.",
        "it": "SMS pack non può essere acquistato durante la prova; sottoscrivi prima un piano a "
              "pagamento.",
        "vi": "Không thể mua SMS pack trong thời gian dùng thử; hãy đăng ký một gói trả phí trước.",
    }),
    (Invalid("…", code="unknown_edition", details={"code": "gold"}), {
        "en": "No edition 'gold'.", "fr": "Aucune offre « gold ».",
        "it": "Nessun piano «gold».", "vi": "Không có gói “gold”.",
    }),
    (Invalid("…", code="unknown_cycle", details={"code": "week"}), {
        "en": "No billing cycle 'week'.", "fr": "Aucun cycle de facturation « week ».",
        "it": "Nessun ciclo di fatturazione «week».", "vi": "Không có chu kỳ thanh toán “week”.",
    }),
    (Invalid("…", code="unknown_addon", details={"code": "sms"}), {
        "en": "No pack 'sms'.", "fr": "Aucun pack « sms ».",
        "it": "Nessun pacchetto «sms».", "vi": "Không có gói bổ sung “sms”.",
    }),
    (Invalid("…", code="unknown_meter", details={"code": "fax"}), {
        "en": "No meter 'fax'.", "fr": "Aucun compteur « fax ».",
        "it": "Nessun contatore «fax».", "vi": "Không có đồng hồ đo “fax”.",
    }),
    (Invalid("…", code="no_price_for_cycle", details={"name": "Pro", "cycle": "Yearly"}), {
        "en": "Pro has no price for the 'Yearly' cycle.",
        "fr": "Pro n'a pas de prix pour le cycle « Yearly ».",
        "it": "Pro non ha un prezzo per il ciclo «Yearly».",
        "vi": "Pro không có giá cho chu kỳ “Yearly”.",
    }),
    (Invalid("…", code="already_subscribed", details={"edition": "Pro"}), {
        "en": "The account already subscribes to Pro; change plan instead.",
        "fr": "Ce compte est déjà abonné à Pro : changez plutôt d'offre.",
        "it": "L'account è già abbonato a Pro; cambia piano invece.",
        "vi": "Tài khoản đã đăng ký Pro; hãy đổi gói thay vì đăng ký mới.",
    }),
    (Invalid("…", code="invalid_amount", details={"min": "10.00", "max": "1000.00"}), {
        "en": "A top-up is at least €10.00 and at most €1,000.00.",
        "fr": "Une recharge est d'au moins 10,00\xa0€ et d'au plus 1\u202f000,00\xa0€.",
        "it": "Una ricarica è di almeno 10,00\xa0€ e al massimo 1.000,00\xa0€.",
        "vi": "Mỗi lần nạp tiền ít nhất 10,00\xa0€ và nhiều nhất 1.000,00\xa0€.",
    }),
    (Invalid("…", code="invalid_amount", details={"min": "10.00", "max": None}), {
        "en": "A top-up is at least €10.00.",
        "fr": "Une recharge est d'au moins 10,00\xa0€.",
        "it": "Una ricarica è di almeno 10,00\xa0€.",
        "vi": "Mỗi lần nạp tiền ít nhất 10,00\xa0€.",
    }),
    (PaymentFailed("…", details={"reason": "insufficient_funds"}), {
        "en": "The payment failed: The card has insufficient funds.",
        "fr": "Le paiement a échoué : La provision de la carte est insuffisante.",
        "it": "Il pagamento non è riuscito: La carta non ha fondi sufficienti.",
        "vi": "Thanh toán không thành công: Thẻ không đủ số dư.",
    }),
]  # fmt: skip


class TestRefusalsInEveryLanguage:
    @pytest.mark.parametrize("locale", LOCALES)
    @pytest.mark.parametrize(
        ("error", "expected"), REFUSALS, ids=[f"{e.code}-{i}" for i, (e, _) in enumerate(REFUSALS)]
    )
    def test_the_refusal_states_its_facts_in_the_language(
        self, error: TierlineError, expected: dict[str, str], locale: str
    ) -> None:
        assert said(error, locale) == expected[locale]

    @pytest.mark.parametrize("locale", ["fr", "it", "vi"])
    def test_without_its_facts_a_refusal_says_its_codes_sentence(self, locale: str) -> None:
        error = NotAllowed("There is no scheduled change to cancel.", code="no_pending_change")
        assert said(error, locale) == general(words(locale), "no_pending_change")
        assert said(Invalid("Say what to change."), locale) == general(
            words(locale), "invalid_request"
        )

    def test_without_its_facts_english_keeps_the_engines_sentence(self) -> None:
        assert said(Invalid("Say what to change."), "en") == "Say what to change."
        bare = QuantityOutOfRange("An add-on quantity cannot be negative (-1).")
        assert said(bare, "en") == "An add-on quantity cannot be negative (-1)."
        assert said(bare, "fr") == "Cette quantité n'est pas autorisée."

    def test_a_code_without_words_is_left_to_the_caller(self) -> None:
        assert said(NotAllowed("Operator words.", code="transition_not_allowed"), "fr") is None

    @pytest.mark.parametrize("locale", ["fr", "it", "vi"])
    def test_every_codes_sentence_is_translated(self, locale: str) -> None:
        english = words("en")
        for code in CODES:
            assert general(words(locale), code) != general(english, code), (locale, code)
