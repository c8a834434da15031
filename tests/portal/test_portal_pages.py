"""Every page in every language, and what each page says in the seeds' words."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from fastapi import FastAPI
from markupsafe import escape
from portal_builders import DECLINED_CARD, LOCALES, an_account, csrf_of, fact, signed_in
from pypdf import PdfReader

from tierline.documents import labels_for
from tierline.i18n import translations
from tierline.runtime import Runtime
from tierline.services import accounts, queries
from tierline.services.balance import get_balance
from tierline.services.change import ChangeRequest, preview_change
from tierline.services.subscriptions import get_subscription

PAGES = [
    ("", "Home"),
    ("/plans", "Plans"),
    ("/plans?cycle=year&quantity=25", "Plans"),
    ("/change?edition=professional", "Review before paying"),
    ("/change?quantity=12", "Review before paying"),
    ("/change?addon.external-users=1", "Review before paying"),
    ("/change?cycle=year", "Review before paying"),
    ("/expand", "Expand"),
    ("/packs", "Packs"),
    ("/subscription", "Manage your subscription"),
    ("/billing", "Billing history"),
    ("/payment-methods", "Payment methods"),
    ("/balance", "Balance"),
    ("/messages", "Messages"),
]


def words(language: str, message: str) -> str:
    """A message of the portal as a reader of `language` sees it in the page's HTML."""
    return translations(language).gettext(message)


class TestEveryPageInEveryLanguage:
    @pytest.mark.parametrize("locale", LOCALES)
    def test_each_page_is_in_the_accounts_language(
        self, hap: Runtime, hap_app: FastAPI, locale: str
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, locale=locale))
        for path, title in PAGES:
            page = browser.get("/portal" + path)
            assert page.status_code == 200, (path, page.text)
            html = page.text
            assert f'<html lang="{locale}">' in html
            assert re.search(rf"<h1>{re.escape(words(locale, title))}", html), path
            assert words(locale, "Billing history") in html
            assert words(locale, "Skip to content") in html
            if locale != "en":
                assert ">Billing history<" not in html, path

    @pytest.mark.parametrize("locale", LOCALES)
    def test_the_subscribe_page_is_in_the_accounts_language(
        self, hap: Runtime, hap_app: FastAPI, locale: str
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, locale=locale, edition=None))
        page = browser.get("/portal/subscribe?edition=standard&cycle=year&quantity=10")
        assert page.status_code == 200
        assert words(locale, "Pay and subscribe") in page.text
        assert words(locale, "You have no subscription yet.") in browser.get("/portal").text

    @pytest.mark.parametrize(
        ("locale", "price"),
        [("en", "$80.00"), ("fr", "80,00\xa0$US"), ("it", "80,00\xa0USD"), ("vi", "80,00\xa0US$")],
    )
    def test_amounts_and_dates_follow_the_locale(
        self, hap: Runtime, hap_app: FastAPI, locale: str, price: str
    ) -> None:
        home = signed_in(hap_app, hap, an_account(hap, locale=locale)).get("/portal").text
        assert fact(home, "price").startswith(price)
        assert "2026" in fact(home, "registered")

    @pytest.mark.parametrize("locale", LOCALES)
    def test_the_billing_page_uses_the_documents_words(
        self, hap: Runtime, hap_app: FastAPI, locale: str
    ) -> None:
        billing = signed_in(hap_app, hap, an_account(hap, locale=locale)).get("/portal/billing")
        labels = labels_for(locale)
        assert str(escape(labels.receipt)) in billing.text
        assert str(escape(labels.status_paid)) in billing.text


class TestHome:
    def test_home_shows_edition_status_cycle_quantity_price_and_next_payment(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        home = signed_in(hap_app, hap, an_account(hap, quantity=12)).get("/portal").text
        assert fact(home, "edition") == "Standard"
        assert fact(home, "status") == "Active"
        assert fact(home, "cycle") == "Monthly"
        assert fact(home, "quantity").endswith("/ 12")
        assert fact(home, "price").startswith("$96.00")
        # renewed 3 days before the period ends (HAP's lead days)
        assert fact(home, "next-payment").startswith("Feb 25, 2026")
        assert fact(home, "registered") == "January 31, 2026"
        assert fact(home, "balance") == "$0.00"
        assert 'href="/portal/expand"' in home
        assert 'href="/portal/packs#pack-external-users"' in home

    def test_a_trial_shows_try_and_no_expand_or_pack_buttons(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition="professional", trial=True)
        home = signed_in(hap_app, hap, account).get("/portal").text
        assert fact(home, "status") == "Try"
        assert 'href="/portal/expand"' not in home
        assert 'href="/portal/packs' not in home
        assert (
            "Free and trial editions cannot be expanded and take no packs: "
            "buy the licensed edition first." in home
        )

    def test_the_free_edition_shows_no_expand_and_refuses_recharge_with_the_reason(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition="free")
        browser = signed_in(hap_app, hap, account)
        assert 'href="/portal/expand"' not in browser.get("/portal").text
        balance = browser.get("/portal/balance").text
        assert "The free edition does not support recharging balance." in balance
        refused = browser.post(
            "/portal/balance/recharge", data={"csrf": csrf_of(balance), "amount": "20"}
        )
        assert "The free edition does not support recharging balance." in refused.text
        assert get_balance(account, uow=hap.uow()) == 0

    def test_a_sales_managed_account_is_told_to_contact_its_sales_consultant(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, sales_managed=True, edition=None)
        browser = signed_in(hap_app, hap, account)
        for path in ("", "/plans", "/balance"):
            assert (
                "Purchases for this organisation are made offline: "
                "please contact your sales consultant." in browser.get("/portal" + path).text
            )
        plans = browser.get("/portal/plans").text
        assert 'action="/portal/subscribe"' not in plans


class TestPlans:
    def test_plans_list_every_edition_priced_for_the_cycle_and_quantity(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, edition=None))
        html = browser.get("/portal/plans?cycle=year&quantity=20").text
        for name in ("Free", "Standard", "Professional", "Enterprise"):
            assert name in html
        assert "$80.00 per seat" in html and "$1,600.00" in html  # Standard: 80 × 20
        assert "$140.00 per seat" in html and "$2,800.00" in html  # Professional: 140 × 20
        assert "$11,000.00" in html  # Enterprise takes at least 50: 220 × 50
        assert "save 17%" in html  # 80 a year against 8 a month
        assert "Total = Price × Quantity" in html

    def test_without_a_subscription_each_edition_starts_at_its_own_quantity_without_a_note(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, edition=None))

        html = browser.get("/portal/plans").text

        box = re.search(r"<input[^>]*data-quantity-all[^>]*>", html)
        assert box is not None and 'value=""' in box.group(0)
        assert re.search(r'id="qty-standard"[^>]*value="10"', html)
        assert re.search(r'id="qty-enterprise"[^>]*value="50"', html)
        assert re.search(r'id="total-standard"[^>]*>\$80\.00<', html)  # 10 seats at $8
        assert re.search(r'id="total-enterprise"[^>]*>\$1,100\.00<', html)  # 50 at $22
        assert "Raised to this edition" not in re.sub(r'data-below="[^"]*"', "", html)
        notes = re.findall(r'<p class="note small" id="note-[^"]+"[^>]*>', html)
        assert len(notes) == 4 and all(" hidden" in note for note in notes)

    def test_a_quantity_asked_for_under_a_minimum_is_raised_with_a_note(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, edition=None))

        html = browser.get("/portal/plans?quantity=3").text

        assert re.search(r'id="qty-standard"[^>]*value="10"', html)
        shown = re.sub(r'data-below="[^"]*"', "", html)
        assert "Raised to this edition's minimum: 10</p>" in shown

    def test_total_is_price_times_quantity_as_the_user_types(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, edition=None))
        body = browser.get("/portal/quote?edition=standard&cycle=year&quantity=12").json()
        assert body == {"ok": True, "price": "$80.00", "total": "$960.00"}
        refused = browser.get("/portal/quote?edition=free&cycle=month&quantity=11").json()
        assert refused["ok"] is False and "at most 10" in refused["message"]

    def test_association_bands_price_the_number_of_contacts(
        self, association: Runtime, association_app: FastAPI
    ) -> None:
        browser = signed_in(association_app, association, an_account(association, edition=None))
        html = browser.get("/portal/plans?cycle=month&quantity=800").text
        assert "€25.00" in html and "€45.00" in html


class TestChangePreview:
    def test_an_upgrade_shows_the_services_figures_before_paying(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        page = signed_in(hap_app, hap, account).get("/portal/change?edition=professional").text
        expected = preview_change(
            ChangeRequest(account, edition="professional"), uow=hap.uow(), clock=hap.clock
        )
        assert fact(page, "due-now") == f"${expected.total_now:,.2f}"
        assert fact(page, "effective") == "Immediately"
        assert fact(page, "next-renewal") == f"${expected.next_renewal_amount:,.2f}"
        for line in expected.lines:
            assert str(escape(line.description)) in page
        assert "Pay and update subscription" in page

    def test_a_downgrade_warns_what_is_lost_and_waits_for_the_period_end(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition="professional")
        page = signed_in(hap_app, hap, account).get("/portal/change?edition=standard").text
        assert fact(page, "effective") == "On February 28, 2026"
        assert "Data integration: no longer included" in page
        assert "Applications: from 200 to 50" in page
        assert (
            "Be careful to export and download the data you won't be able to access afterwards."
            in page
        )
        assert "Schedule the change" in page

    def test_a_refused_move_shows_the_catalogs_message(
        self, association: Runtime, association_app: FastAPI
    ) -> None:
        account = an_account(association, edition="serenity")
        page = signed_in(association_app, association, account).get(
            "/portal/change?edition=liberty"
        )
        assert page.status_code == 403
        assert "It is not possible to switch from a paid offer to a free offer" in page.text
        assert "This change is not possible" in page.text
        assert 'action="/portal/change"' not in page.text

    def test_an_association_upgrade_credits_the_unused_part_with_a_credit_note(
        self, association: Runtime, association_app: FastAPI
    ) -> None:
        account = an_account(association, edition="serenity")
        browser = signed_in(association_app, association, account)
        page = browser.get("/portal/change?edition=professional").text
        assert "issued as a credit note and set against the new invoice" in page
        done = browser.post(
            "/portal/change", data={"csrf": csrf_of(page), "change": "edition=professional"}
        )
        assert done.status_code == 200
        assert "Your subscription was updated; the change is effective now." in done.text
        assert get_subscription(account, uow=association.uow()).plan.edition == "professional"
        billing = browser.get("/portal/billing").text
        note = queries.list_credit_notes(account, uow=association.uow())[0].number
        assert f"/portal/credit-notes/{note}.pdf" in billing

    def test_a_failed_card_keeps_the_plan_and_shows_the_payment_error(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        accounts.add_payment_method(
            accounts.AddPaymentMethod(account, DECLINED_CARD, primary=True),
            uow=hap.uow(), clock=hap.clock, gateway=hap.gateway,
        )  # fmt: skip
        browser = signed_in(hap_app, hap, account)
        page = browser.get("/portal/change?quantity=20").text
        response = browser.post(
            "/portal/change", data={"csrf": csrf_of(page), "change": "quantity=20"}
        )
        assert "The payment failed: The card was declined." in response.text
        assert get_subscription(account, uow=hap.uow()).plan.quantity == 10


class TestDocuments:
    def test_an_invoice_downloads_as_a_pdf_with_its_figures(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, locale="fr", quantity=12)
        invoice = queries.list_invoices(account, uow=hap.uow())[0]
        response = signed_in(hap_app, hap, account).get(f"/portal/invoices/{invoice.number}.pdf")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        text = "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        assert invoice.number in text
        assert "Facture" in text
        assert "96,00" in text
        assert invoice.total == Decimal("96.00")

    def test_a_receipt_downloads_as_a_pdf(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap)
        receipt = queries.list_receipts(account, uow=hap.uow())[0]
        response = signed_in(hap_app, hap, account).get(f"/portal/receipts/{receipt.number}.pdf")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


class TestManageAndWallet:
    def test_unsubscribe_then_turn_renewal_back_on(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        csrf = csrf_of(browser.get("/portal/subscription").text)
        off = browser.post("/portal/subscription/auto-renew", data={"csrf": csrf, "enabled": "0"})
        assert "Automatic renewal is off: the service ends on February 28, 2026." in off.text
        assert not get_subscription(account, uow=hap.uow()).auto_renew
        on = browser.post("/portal/subscription/auto-renew", data={"csrf": csrf, "enabled": "1"})
        assert "Automatic renewal is on again." in on.text
        assert get_subscription(account, uow=hap.uow()).auto_renew

    def test_add_a_backup_card_then_swap_roles_and_remove(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        csrf = csrf_of(browser.get("/portal/payment-methods").text)
        browser.post(
            "/portal/payment-methods",
            data={"csrf": csrf, "card": "5555 5555 5555 4444", "use_as": "backup"},
        )
        methods = accounts.list_payment_methods(account, uow=hap.uow())
        backup = next(m for m in methods if m.is_backup)
        assert backup.last4 == "4444"
        browser.post(
            f"/portal/payment-methods/{backup.id}/role", data={"csrf": csrf, "role": "primary"}
        )
        methods = accounts.list_payment_methods(account, uow=hap.uow())
        assert next(m for m in methods if m.is_primary).id == backup.id
        done = browser.post(f"/portal/payment-methods/{backup.id}/remove", data={"csrf": csrf})
        assert "The card was removed." in done.text
        assert backup.id not in [
            m.id for m in accounts.list_payment_methods(account, uow=hap.uow())
        ]

    def test_an_invalid_card_is_refused_with_the_reason(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        browser = signed_in(hap_app, hap, an_account(hap, locale="it"))
        csrf = csrf_of(browser.get("/portal/payment-methods").text)
        page = browser.post("/portal/payment-methods", data={"csrf": csrf, "card": "1234"})
        assert "Il numero della carta non è valido." in page.text

    def test_recharge_adds_to_the_balance_and_lists_the_transaction(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        browser = signed_in(hap_app, hap, account)
        csrf = csrf_of(browser.get("/portal/balance").text)
        page = browser.post("/portal/balance/recharge", data={"csrf": csrf, "amount": "25.50"})
        assert "Your balance was recharged; it is now $25.50." in page.text
        assert "Recharge" in page.text
        assert get_balance(account, uow=hap.uow()) == Decimal("25.50")

    def test_messages_list_the_license_confirmation(self, hap: Runtime, hap_app: FastAPI) -> None:
        page = signed_in(hap_app, hap, an_account(hap)).get("/portal/messages").text
        assert "Your Standard license is active" in page
