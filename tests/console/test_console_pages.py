"""The console's pages through HTTP: the dashboard's figures and charts, the account search,
an account's page and its PDFs, and actions on behalf of an account with their previews, role
checks and audit entries."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from console_builders import console_as, csrf_of, form_csrf
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.portal.portal_builders import WAITING_ROOM, a_runtime, an_account, waiting_rooms
from tierline.api.app import create_app
from tierline.notify import Dispatcher
from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.accounts import remove_payment_method
from tierline.services.change import ChangeRequest, apply_change
from tierline.services.renewal import advance_clock
from tierline.services.subscriptions import get_subscription
from tierline.services.webhooks import create_endpoint

DEBIT_CARD = "4000056655665556"  # declined once the first payment is made


class TestDashboard:
    def test_the_dashboard_shows_mrr_the_plan_list_and_a_chart_per_report(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        an_account(hap, edition="standard", quantity=10)
        browser = console_as(app, hap, "read_only")

        page = browser.get("/console")

        assert page.status_code == 200
        assert 'data-kpi="mrr-' in page.text
        assert page.text.count('<svg class="chart"') >= 4
        plan_list = page.text.split('id="plan-list"', 1)[1].split("</table>", 1)[0]
        assert "<td>" in plan_list and "No live subscription." not in plan_list

    def test_the_dashboard_is_in_the_chosen_language(self, hap: Runtime, app: FastAPI) -> None:
        browser = console_as(app, hap, "read_only")
        response = browser.post(
            "/console/language", data={"lang": "fr", "back": "/console", "csrf": form_csrf(browser)}
        )
        assert response.status_code == 200
        assert '<html lang="fr">' in response.text


class TestAccounts:
    def test_search_finds_an_account_by_name_id_and_invoice_number(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account = an_account(hap, name="Zephyr Logistics")
        invoice = queries.list_invoices(account, uow=hap.uow())[0].number
        browser = console_as(app, hap, "read_only")

        for text in ("zephyr", account, invoice):
            page = browser.get("/console/accounts", params={"q": text})
            assert f"/console/accounts/{account}" in page.text, text
        assert "Zephyr" not in browser.get("/console/accounts", params={"q": "nobody"}).text

    def test_the_dunning_filter_keeps_only_past_due_accounts(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        an_account(hap, name="Quiet Corp")
        page = console_as(app, hap, "read_only").get("/console/accounts", params={"dunning": "1"})
        assert "Quiet Corp" not in page.text

    def test_the_account_page_lists_subscriptions_documents_and_payments_with_pdfs(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account = an_account(hap, name="Orbit Ltd")
        invoice = queries.list_invoices(account, uow=hap.uow())[0].number
        browser = console_as(app, hap, "read_only")

        page = browser.get(f"/console/accounts/{account}")

        assert page.status_code == 200
        assert "Orbit Ltd" in page.text
        assert f"/documents/{invoice}.pdf" in page.text
        assert 'id="payments"' in page.text and "succeeded" in page.text
        pdf = browser.get(f"/console/accounts/{account}/documents/{invoice}.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")

    def test_a_receipt_pdf_names_the_card_even_after_its_removal(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account = an_account(hap, card="5555555555554444")
        (receipt,) = queries.list_receipts(account, uow=hap.uow())
        assert receipt.payment_method is not None
        remove_payment_method(account, receipt.payment_method, uow=hap.uow())
        browser = console_as(app, hap, "read_only")

        pdf = browser.get(f"/console/accounts/{account}/documents/{receipt.number}.pdf")

        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Mastercard ending in 4444" in text

    def test_the_account_page_names_packs_and_limits_as_the_catalog_does(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account = an_account(hap, edition="standard")
        apply_change(
            ChangeRequest(account, addons={"external-users": 2}),
            uow=hap.uow(), clock=hap.clock, gateway=hap.gateway,
        )  # fmt: skip
        browser = console_as(app, hap, "read_only")

        page = browser.get(f"/console/accounts/{account}").text

        subscriptions = page[page.index('id="subscriptions"') : page.index("</table>")]
        assert "External user pack (100 users) × 2" in subscriptions
        assert "external-users ×" not in subscriptions
        entitlements = page[page.index('id="entitlements"') :]
        entitlements = entitlements[: entitlements.index("</table>")]
        assert "<td>Attachment uploads (GB) <code" in entitlements
        assert "<td>External users <code" in entitlements

    def test_limits_are_named_in_the_operators_language(self, hap: Runtime, app: FastAPI) -> None:
        account = an_account(hap, edition="standard")
        browser = console_as(app, hap, "read_only")
        browser.post(
            "/console/language", data={"lang": "fr", "back": "/console", "csrf": form_csrf(browser)}
        )

        page = browser.get(f"/console/accounts/{account}").text

        assert "<td>Pièces jointes envoyées (Go) <code" in page

    def test_a_read_only_operator_sees_no_action_forms(self, hap: Runtime, app: FastAPI) -> None:
        account = an_account(hap)
        page = console_as(app, hap, "read_only").get(f"/console/accounts/{account}")
        assert "/auto-renew" not in page.text and "/sales-managed" not in page.text


class TestActions:
    def test_support_previews_a_seat_change_then_confirms_it(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account = an_account(hap, edition="standard", quantity=10)
        browser = console_as(app, hap, "support")

        preview = browser.get(f"/console/accounts/{account}/change", params={"quantity": "12"})
        assert preview.status_code == 200
        assert 'data-fact="total-now"' in preview.text
        assert "<dd>Expand</dd>" in preview.text  # the kind of change in words, not its code
        assert get_subscription(account, uow=hap.uow()).plan.quantity == 10  # nothing yet

        done = browser.post(
            f"/console/accounts/{account}/change",
            data={"csrf": csrf_of(preview.text), "quantity": "12"},
        )

        assert done.status_code == 200
        assert "The change is done." in done.text
        assert get_subscription(account, uow=hap.uow()).plan.quantity == 12

    def test_a_pack_change_is_previewed_and_confirmed_with_its_counts(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account = an_account(hap, edition="standard", quantity=10)
        browser = console_as(app, hap, "support")
        packs = {"pack": ["external-users", "attachment-uploads"], "pack_count": ["2", "0"]}

        preview = browser.get(f"/console/accounts/{account}/change", params=packs)
        assert preview.status_code == 200, preview.text
        assert 'name="pack" value="external-users"' in preview.text
        done = browser.post(
            f"/console/accounts/{account}/change", data={"csrf": csrf_of(preview.text), **packs}
        )

        assert "The change is done." in done.text
        assert get_subscription(account, uow=hap.uow()).plan.addons == {"external-users": 2}

    def test_in_french_the_change_of_a_preview_is_a_noun_and_the_button_a_verb(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account = an_account(hap, edition="standard", quantity=10)
        browser = console_as(app, hap, "support")
        browser.post(
            "/console/language", data={"lang": "fr", "back": "/console", "csrf": form_csrf(browser)}
        )

        preview = browser.get(f"/console/accounts/{account}/change", params={"quantity": "12"})

        assert "<dt>Changement</dt>" in preview.text
        assert "<dd>Extension</dd>" in preview.text
        assert '<button type="submit" class="small">Changer</button>' in preview.text

    def test_turning_auto_renewal_off_is_in_the_audit_log(self, hap: Runtime, app: FastAPI) -> None:
        account = an_account(hap)
        support = console_as(app, hap, "support")
        csrf = form_csrf(support, f"/console/accounts/{account}")

        response = support.post(
            f"/console/accounts/{account}/auto-renew", data={"csrf": csrf, "enabled": "0"}
        )

        assert "Automatic renewal is off." in response.text
        assert get_subscription(account, uow=hap.uow()).auto_renew is False
        log = console_as(app, hap, "owner").get("/console/audit", params={"q": account}).text
        assert "subscription.auto_renew" in log

    def test_a_role_without_the_right_is_refused_on_every_action_post(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account = an_account(hap)
        browser = console_as(app, hap, "read_only")
        csrf = form_csrf(browser)
        posts = {
            "change": {"quantity": "11"},
            "cancel-change": {},
            "auto-renew": {"enabled": "0"},
            "sales-managed": {"enabled": "1"},
            "portal-link": {"role": "admin"},
            "balance-adjustment": {"amount": "1.00", "reason": "x"},
        }
        for action, data in posts.items():
            response = browser.post(
                f"/console/accounts/{account}/{action}", data={"csrf": csrf, **data}
            )
            assert response.status_code == 403, action
        assert get_subscription(account, uow=hap.uow()).auto_renew is True

    def test_an_action_without_the_csrf_token_is_refused(self, hap: Runtime, app: FastAPI) -> None:
        account = an_account(hap)
        browser = console_as(app, hap, "support")
        response = browser.post(f"/console/accounts/{account}/auto-renew", data={"enabled": "0"})
        assert response.status_code == 403
        assert get_subscription(account, uow=hap.uow()).auto_renew is True

    def test_a_portal_link_opens_the_accounts_portal(self, hap: Runtime, app: FastAPI) -> None:
        account = an_account(hap, name="Linked Org")
        browser = console_as(app, hap, "support")
        csrf = form_csrf(browser, f"/console/accounts/{account}")

        page = browser.post(
            f"/console/accounts/{account}/portal-link", data={"csrf": csrf, "role": "member"}
        )

        link = re.search(r'id="portal-link">([^<]+)<', page.text)
        assert link is not None
        assert "Linked Org" in TestClient(app).get(link.group(1)).text

    def test_finance_adjusts_a_balance_after_a_preview(self, hap: Runtime, app: FastAPI) -> None:
        account = an_account(hap)
        browser = console_as(app, hap, "finance")
        preview = browser.get(
            f"/console/accounts/{account}/balance-adjustment",
            params={"amount": "20.00", "reason": "goodwill"},
        )
        assert 'data-fact="after"' in preview.text

        done = browser.post(
            f"/console/accounts/{account}/balance-adjustment",
            data={"csrf": csrf_of(preview.text), "amount": "20.00", "reason": "goodwill"},
        )

        assert "The balance is adjusted." in done.text
        assert 'data-fact="balance"' in done.text

    def test_a_refused_change_is_shown_as_a_page_with_the_reason(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        account = an_account(hap, edition="standard")
        browser = console_as(app, hap, "support")
        response = browser.get(f"/console/accounts/{account}/change", params={"quantity": "0"})
        assert response.status_code == 400
        assert 'class="notice error"' in response.text


class TestOpenInvoices:
    """On a runtime of its own: the clock moves to a renewal that the card declines."""

    def _declined_renewal(self, rt: Runtime) -> tuple[str, str]:
        account = an_account(rt, card=DEBIT_CARD, name="Late Payer")
        rt.gateway.decline(f"tok_{DEBIT_CARD}")  # type: ignore[attr-defined]
        advance_clock(datetime(2026, 3, 1, tzinfo=UTC), uow=rt.uow(), clock=rt.clock,  # type: ignore[arg-type]
                      gateway=rt.gateway)  # fmt: skip
        invoice = next(
            i for i in queries.list_invoices(account, uow=rt.uow()) if i.status == "open"
        )
        return account, invoice.number

    def test_the_dashboard_lists_an_account_in_dunning(
        self, fresh: Runtime, fresh_app: FastAPI
    ) -> None:
        self._declined_renewal(fresh)
        page = console_as(fresh_app, fresh, "read_only").get("/console")
        dunning = page.text.split('id="dunning"', 1)[1]
        assert "Late Payer" in dunning

    def test_finance_retries_then_voids_and_the_account_is_active_again(
        self, fresh: Runtime, fresh_app: FastAPI
    ) -> None:
        account, number = self._declined_renewal(fresh)
        browser = console_as(fresh_app, fresh, "finance")

        preview = browser.get(f"/console/accounts/{account}/invoices/{number}/retry")
        assert 'data-fact="amount-due"' in preview.text
        declined = browser.post(
            f"/console/accounts/{account}/invoices/{number}/retry",
            data={"csrf": csrf_of(preview.text)},
        )
        assert declined.status_code == 402

        void = browser.get(f"/console/accounts/{account}/invoices/{number}/void")
        done = browser.post(
            f"/console/accounts/{account}/invoices/{number}/void",
            data={"csrf": csrf_of(void.text), "reason": "outage"},
        )

        assert "The invoice is void" in done.text
        assert get_subscription(account, uow=fresh.uow()).status == "active"
        log = console_as(fresh_app, fresh, "owner").get("/console/audit", params={"q": account})
        assert "invoice.retry_payment" in log.text and "invoice.void" in log.text


def test_an_account_page_lists_its_content(tmp_path: Path) -> None:
    rt = a_runtime(tmp_path, WAITING_ROOM)
    account = an_account(rt, edition="pro", name="Concerts")
    waiting_rooms(rt, account)
    app = create_app(rt, secret_key="console-tests")

    page = console_as(app, rt, "read_only").get(f"/console/accounts/{account}")

    content = page.text.split('id="content"', 1)[1].split("</table>", 1)[0]
    assert "r-a1" in content and "waiting_room" in content
    rt.engine.dispose()


class TestCatalog:
    def test_everyone_sees_the_current_version_and_only_finance_may_upload(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        support = console_as(app, hap, "support").get("/console/catalog")
        assert 'id="catalog-yaml"' in support.text
        assert "/catalog/review" not in support.text
        finance = console_as(app, hap, "finance").get("/console/catalog")
        assert "/catalog/review" in finance.text

    def test_an_invalid_catalog_shows_each_problem_with_its_line(
        self, hap: Runtime, app: FastAPI
    ) -> None:
        browser = console_as(app, hap, "finance")
        csrf = form_csrf(browser, "/console/catalog")
        text = "currency: EUR\nquantity_unit: seat\ncycles: [{code: month, months: 1}]\neditions:\n"
        text += "  - {code: a, name: A, rank: 1, prices: [{cycle: month, per_unit: 2.5}]}\n"

        response = browser.post("/console/catalog/review", data={"csrf": csrf, "text": text})

        assert response.status_code == 400
        issues = response.text.split('id="catalog-issues"', 1)[1].split("</div>", 1)[0]
        assert "line 5" in issues and "editions[0].prices[0].per_unit" in issues

    def test_a_price_change_is_reviewed_then_installed_as_a_new_version(
        self, fresh: Runtime, fresh_app: FastAPI
    ) -> None:
        browser = console_as(fresh_app, fresh, "owner")
        current = browser.get("/console/catalog")
        text = re.search(r'id="catalog-yaml">(.*?)</pre>', current.text, re.S)
        assert text is not None
        body = html.unescape(text.group(1))
        changed = body.replace("per_unit: '8.00'", "per_unit: '9.00'", 1)
        assert changed != body

        review = browser.post(
            "/console/catalog/review", data={"csrf": csrf_of(current.text), "text": changed}
        )
        assert review.status_code == 200
        assert "prices.month" in review.text

        done = browser.post(
            "/console/catalog/install", data={"csrf": csrf_of(review.text), "text": changed}
        )
        assert "The new catalog version is installed." in done.text
        assert "Version 2," in done.text


class _Refusing:
    """An endpoint that answers 500 to everything."""

    def send(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        return 500


class TestWebhooks:
    def test_deliveries_are_listed_and_support_sends_one_again(
        self, fresh: Runtime, fresh_app: FastAPI
    ) -> None:
        create_endpoint("https://hooks.example.com/tierline", (), uow=fresh.uow(),
                        clock=fresh.clock)  # fmt: skip
        account = an_account(fresh, name="Hooked")
        Dispatcher(sender=_Refusing()).dispatch_once(fresh)
        browser = console_as(fresh_app, fresh, "support")

        page = browser.get("/console/webhooks", params={"account": account})
        deliveries = page.text.split('id="deliveries"', 1)[1]
        assert "hooks.example.com" in deliveries and "500" in deliveries
        action = re.search(r'action="(/console/webhooks/\d+/[^"]+/replay)"', deliveries)
        assert action is not None

        done = browser.post(action.group(1), data={"csrf": csrf_of(page.text)})

        assert "The delivery is sent again" in done.text
        log = console_as(fresh_app, fresh, "owner").get("/console/audit").text
        assert "webhook.replay" in log

    def test_read_only_may_look_but_not_send_again(
        self, fresh: Runtime, fresh_app: FastAPI
    ) -> None:
        browser = console_as(fresh_app, fresh, "read_only")
        assert browser.get("/console/webhooks").status_code == 200
        response = browser.post(
            "/console/webhooks/1/we_x/replay", data={"csrf": form_csrf(browser)}
        )
        assert response.status_code == 403
