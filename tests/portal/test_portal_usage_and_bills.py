"""Home's seats used / bought and the "Use" section's used / limit, the notice when a limit is
reached (Expand, a pack, an upgrade: what the entitlement check suggests), "Pay now" on an open
bill, and what a change does to the account's content, shown before confirming."""

from __future__ import annotations

import re

from fastapi import FastAPI
from markupsafe import escape
from portal_builders import (
    an_account,
    an_open_bill,
    csrf_of,
    fact,
    members,
    signed_in,
    waiting_rooms,
)

from tierline.runtime import Runtime
from tierline.services import queries
from tierline.services.change import ChangeRequest, preview_change
from tierline.services.entitlements import (
    CheckEntitlement,
    RecordConsumption,
    ReportMember,
    check_entitlement,
    record_consumption,
    report_member,
)


def use_cell(html: str, name: str) -> str:
    found = re.search(rf'data-use="{name}"[^>]*>(.*?)</td>', html, re.S)
    assert found, f"no use cell {name}"
    return found.group(1).strip()


def reached_block(html: str, name: str) -> str:
    end = r'</div>\s*(<div class="reached"|</section>)'
    found = re.search(rf'<div class="reached" data-limit="{name}">(.*?){end}', html, re.S)
    assert found, f"no notice for {name}"
    return found.group(1)


class TestSeatsAndUse:
    def test_seats_used_count_normal_members_once_per_application(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, quantity=12)
        members(hap, account, 3)  # p0, p1, p2 in crm
        members(hap, account, 1, app="hr")  # p0 again, in a second application: counts again
        report_member(
            ReportMember(account, "p9", "crm", "pending_activation"), uow=hap.uow(),
            clock=hap.clock,
        )  # fmt: skip

        home = signed_in(hap_app, hap, account).get("/portal").text

        assert fact(home, "quantity") == "4 / 12"
        assert use_cell(home, "seats") == "4 / 12"
        assert 'data-testid="limits-reached"' not in home

    def test_each_quota_shows_used_over_its_limit(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap)
        record_consumption(
            RecordConsumption(account, "workflow_executions", 2500), uow=hap.uow(), clock=hap.clock
        )

        home = signed_in(hap_app, hap, account).get("/portal").text

        assert use_cell(home, "workflow_executions") == "2,500 / 10,000"
        assert use_cell(home, "external_users") == "0 / 100"
        assert use_cell(home, "applications") == "0 / 50"


class TestLimitReached:
    def test_all_seats_in_use_offers_expand_to_the_suggested_quantity(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)  # Standard × 10
        members(hap, account, 10)
        suggestion = check_entitlement(CheckEntitlement(account, "seats"), uow=hap.uow()).suggestion
        assert suggestion is not None and (suggestion.kind, suggestion.quantity) == ("quantity", 11)
        browser = signed_in(hap_app, hap, account)

        home = browser.get("/portal").text

        notice = reached_block(home, "seats")
        assert "All 10 seats are in use (10 members counted)." in notice
        assert 'href="/portal/change?quantity=11"' in notice
        assert ">Expand to 11 seats</a>" in notice
        assert fact(home, "quantity") == "10 / 10"
        preview = browser.get("/portal/change?quantity=11")
        assert preview.status_code == 200
        assert "Expand" in preview.text
        assert "From Standard · 10 seats · Monthly to Standard · 11 seats · Monthly" in preview.text

    def test_a_quota_used_up_offers_the_pack_that_covers_it(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        record_consumption(
            RecordConsumption(account, "workflow_executions", 10_000), uow=hap.uow(),
            clock=hap.clock,
        )  # fmt: skip

        home = signed_in(hap_app, hap, account).get("/portal").text

        notice = reached_block(home, "workflow_executions")
        assert "Workflow executions: the limit of 10,000 is reached (10,000 used)." in notice
        assert 'href="/portal/change?addon.workflow-executions=1"' in notice
        assert "Buy Workflow executions +10,000" in notice
        assert 'class="reached"' in home  # the row of the "Use" section is marked too

    def test_a_trial_is_told_but_offered_no_expand(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, edition="professional", trial=True)
        members(hap, account, 10)

        home = signed_in(hap_app, hap, account).get("/portal").text

        notice = reached_block(home, "seats")
        assert "All 10 seats are in use" in notice
        assert "/portal/change" not in notice
        assert (
            "Free and trial editions cannot be expanded and take no packs: "
            "buy the licensed edition first." in notice
        )

    def test_the_free_edition_is_offered_the_licensed_edition_not_expand(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, edition="free")
        members(hap, account, 10)

        home = signed_in(hap_app, hap, account).get("/portal").text

        notice = reached_block(home, "seats")
        assert "All 10 seats are in use" in notice
        assert 'href="/portal/change?edition=standard&amp;quantity=11"' in notice
        assert "Upgrade to Standard" in notice
        assert "Expand" not in notice
        # limits of 0 that nothing uses (data sync, external users on Free) are not "reached"
        assert 'data-limit="data_sync_rows"' not in home
        assert 'data-limit="external_users"' not in home

    def test_a_member_sees_the_notice_without_buttons(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap)
        members(hap, account, 10)

        home = signed_in(hap_app, hap, account, role="member").get("/portal").text

        notice = reached_block(home, "seats")
        assert "All 10 seats are in use" in notice
        assert "/portal/change" not in notice

    def test_the_notice_is_in_the_accounts_language(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, locale="fr")
        members(hap, account, 10)

        home = signed_in(hap_app, hap, account).get("/portal").text

        notice = reached_block(home, "seats")
        assert "Limite atteinte : 10 sièges en cours d'utilisation (10 membres comptés)." in notice
        assert ">Étendre à 11 sièges</a>" in notice
        assert str(escape("Limites atteintes")) in home


class TestPayNow:
    def test_an_open_bill_has_pay_now_with_the_card_choice(
        self, association: Runtime, association_app: FastAPI
    ) -> None:
        account, number = an_open_bill(association)

        page = signed_in(association_app, association, account).get("/portal/billing").text

        assert f'action="/portal/invoices/{number}/pay"' in page
        assert f'<option value="card-{account}">Visa ending in 0002 (Primary)</option>' in page
        assert f'<option value="backup-{account}">Visa ending in 4242 (Backup)</option>' in page
        assert "Primary card, then backup" in page

    def test_a_declined_card_says_why_then_the_backup_pays(
        self, association: Runtime, association_app: FastAPI
    ) -> None:
        account, number = an_open_bill(association)
        browser = signed_in(association_app, association, account)
        csrf = csrf_of(browser.get("/portal/billing").text)

        failed = browser.post(
            f"/portal/invoices/{number}/pay",
            data={"csrf": csrf, "payment_method": f"card-{account}"},
        )

        assert "the payment failed: the card was declined." in failed.text.lower()
        assert queries.get_invoice(number, uow=association.uow()).status == "open"
        paid = browser.post(
            f"/portal/invoices/{number}/pay",
            data={"csrf": csrf, "payment_method": f"backup-{account}"},
        )
        receipt = queries.list_receipts(account, uow=association.uow())[-1]
        assert f"Invoice {number} is paid. Receipt {receipt.number}" in paid.text
        assert queries.get_invoice(number, uow=association.uow()).status == "paid"
        assert receipt.payment_method == f"backup-{account}"
        assert f'action="/portal/invoices/{number}/pay"' not in paid.text

    def test_a_member_sees_no_button_and_cannot_pay(
        self, association: Runtime, association_app: FastAPI
    ) -> None:
        account, number = an_open_bill(association)
        browser = signed_in(association_app, association, account, role="member")
        page = browser.get("/portal/billing").text
        assert f"/portal/invoices/{number}/pay" not in page
        assert "Pay now" not in page

        refused = browser.post(f"/portal/invoices/{number}/pay", data={"csrf": csrf_of(page)})

        assert refused.status_code == 403
        assert "Only administrators can buy, change, cancel or pay." in refused.text
        assert queries.get_invoice(number, uow=association.uow()).status == "open"

    def test_another_accounts_bill_is_not_found(
        self, association: Runtime, association_app: FastAPI
    ) -> None:
        _, number = an_open_bill(association)
        other, _ = an_open_bill(association)
        browser = signed_in(association_app, association, other)
        csrf = csrf_of(browser.get("/portal/billing").text)

        refused = browser.post(f"/portal/invoices/{number}/pay", data={"csrf": csrf})

        assert refused.status_code == 404
        assert queries.get_invoice(number, uow=association.uow()).status == "open"

    def test_paying_twice_is_refused_in_the_accounts_language(
        self, association: Runtime, association_app: FastAPI
    ) -> None:
        account, number = an_open_bill(association, locale="fr")
        browser = signed_in(association_app, association, account)
        csrf = csrf_of(browser.get("/portal/billing").text)
        backup = {"csrf": csrf, "payment_method": f"backup-{account}"}
        done = browser.post(f"/portal/invoices/{number}/pay", data=backup)
        assert f"La facture {number} est payée." in done.text

        again = browser.post(f"/portal/invoices/{number}/pay", data=backup)

        assert str(escape("Cette facture est déjà payée.")) in again.text


class TestContentOfAChange:
    def test_a_downgrade_preview_says_what_happens_to_each_piece_of_content(
        self, waiting_room: Runtime, waiting_room_app: FastAPI
    ) -> None:
        account = an_account(waiting_room, edition="pro")
        waiting_rooms(waiting_room, account)
        expected = preview_change(
            ChangeRequest(account, edition="free"), uow=waiting_room.uow(),
            clock=waiting_room.clock,
        ).content  # fmt: skip

        page = signed_in(waiting_room_app, waiting_room, account).get("/portal/change?edition=free")

        assert page.status_code == 200, page.text
        html = page.text
        assert "What will happen to your content" in html
        for action in expected:
            assert f'data-resource="{action.resource_id}"' in html
        assert "Domain d-b will be removed." in html
        assert "Waiting room r-b1 will be removed." in html
        assert "Priority group pg-1 will be removed; a later upgrade does not restore it." in html
        assert "Custom template ct-1 will be removed." in html  # with its waiting room
        assert "Entry rate of waiting room r-a1 capped from 300 to 20." in html
        assert "Capacity of waiting room r-a1 scaled from 2,000 to 100." in html

    def test_the_content_is_told_in_the_accounts_language(
        self, waiting_room: Runtime, waiting_room_app: FastAPI
    ) -> None:
        account = an_account(waiting_room, edition="pro", locale="fr")
        waiting_rooms(waiting_room, account)

        html = (
            signed_in(waiting_room_app, waiting_room, account)
            .get("/portal/change?edition=standard")
            .text
        )

        assert str(escape("Ce qui arrivera à vos contenus")) in html
        assert "Custom template ct-1 sera détaché" in html
        assert "Entry rate de waiting room r-a1 : plafonné de 300 à 200." in html
        assert "Priority group pg-1 sera supprimé ; une montée en gamme" in html

    def test_without_content_the_section_is_not_shown(
        self, waiting_room: Runtime, waiting_room_app: FastAPI
    ) -> None:
        account = an_account(waiting_room, edition="pro")

        html = (
            signed_in(waiting_room_app, waiting_room, account)
            .get("/portal/change?edition=standard")
            .text
        )

        assert "What will happen to your content" not in html
