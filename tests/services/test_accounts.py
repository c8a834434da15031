from __future__ import annotations

import pytest
from service_builders import DECLINED, MASTERCARD, START, VISA, Billing

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.domain.pages import PageRequest
from tierline.errors import Conflict, Invalid, NotFound
from tierline.services import queries
from tierline.services.accounts import (
    CreateAccount,
    SetPaymentRoles,
    create_account,
    list_payment_methods,
    remove_payment_method,
    set_payment_roles,
)


class TestCreateAccount:
    def test_a_new_account_gets_the_catalog_currency_and_defaults(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        account = create_account(CreateAccount(name="Acme"), uow=billing.uow, clock=billing.clock)

        assert account.id.startswith("acct_")
        assert (account.currency, account.timezone, account.locale) == ("EUR", "UTC", "en")
        assert account.sales_managed is False
        assert account.created_at == START
        with billing.uow:
            assert billing.uow.accounts.get(account.id) == account

    @pytest.mark.parametrize("timezone", ["Mars/Olympus", "Europe/" + "x" * 400, "../etc"])
    def test_an_unknown_timezone_is_refused_with_the_field_named(
        self, billing: Billing, catalog: Catalog, timezone: str
    ) -> None:
        with pytest.raises(Invalid) as refused:
            create_account(
                CreateAccount(name="Acme", timezone=timezone), uow=billing.uow, clock=billing.clock
            )

        assert refused.value.param == "timezone"
        with billing.uow:
            assert list(billing.uow.accounts.page(PageRequest()).items) == []

    def test_a_currency_other_than_the_catalogs_is_refused(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        with pytest.raises(Invalid) as refused:
            create_account(
                CreateAccount(name="Acme", currency="USD"), uow=billing.uow, clock=billing.clock
            )

        assert refused.value.param == "currency"

    def test_an_account_id_already_taken_is_a_conflict(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(Conflict) as refused:
            create_account(
                CreateAccount(name="Other", id="acme"), uow=billing.uow, clock=billing.clock
            )

        assert refused.value.code == "account_exists"
        with billing.uow:
            assert billing.uow.accounts.get("acme").name == "Acme"


class TestAddPaymentMethod:
    def test_the_first_card_becomes_the_primary_method(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(), backup=None)

        method = billing.add_card(VISA, id="main")

        assert (method.is_primary, method.is_backup) == (True, False)
        assert (method.brand, method.last4) == ("visa", "4242")
        assert billing.methods() == {"main": (True, False)}

    def test_a_second_card_is_neither_primary_nor_backup_unless_asked(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(VISA,), backup=None)

        billing.add_card(MASTERCARD, id="spare")

        assert billing.methods() == {"main": (True, False), "spare": (False, False)}

    def test_a_card_added_as_backup_takes_the_backup_role(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(VISA,), backup=None)

        method = billing.add_card(MASTERCARD, id="backup", backup=True)

        assert (method.is_primary, method.is_backup) == (False, True)
        assert billing.methods() == {"main": (True, False), "backup": (False, True)}

    def test_a_new_primary_card_takes_the_role_from_the_old_one(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.add_card(DECLINED, id="new", primary=True)

        assert billing.methods() == {
            "main": (False, False),
            "backup": (False, True),
            "new": (True, False),
        }

    def test_an_invalid_card_number_is_refused_as_invalid_card(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(), backup=None)

        with pytest.raises(Invalid) as refused:
            billing.add_card("4242424242424241", id="main")

        assert (refused.value.code, refused.value.param) == ("invalid_card", "card")
        assert billing.methods() == {}

    def test_a_payment_method_id_already_used_is_a_conflict(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(Conflict):
            billing.add_card(MASTERCARD, id="main")

    def test_a_card_for_an_unknown_account_is_not_found(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        with pytest.raises(NotFound):
            billing.add_card(VISA, id="main", account="nobody")


class TestSetPaymentRoles:
    def test_roles_can_be_swapped(self, billing: Billing, acme: Account) -> None:
        methods = set_payment_roles(
            SetPaymentRoles("acme", primary="backup", backup="main"), uow=billing.uow
        )

        assert {m.id: (m.is_primary, m.is_backup) for m in methods} == {
            "main": (False, True),
            "backup": (True, False),
        }
        assert billing.methods() == {"main": (False, True), "backup": (True, False)}

    def test_the_same_method_cannot_be_primary_and_backup(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(Invalid) as refused:
            set_payment_roles(SetPaymentRoles("acme", "main", "main"), uow=billing.uow)

        assert refused.value.param == "backup"
        assert billing.methods() == {"main": (True, False), "backup": (False, True)}

    def test_an_unknown_method_is_not_found_and_nothing_changes(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(NotFound) as refused:
            set_payment_roles(SetPaymentRoles("acme", "ghost", "main"), uow=billing.uow)

        assert refused.value.param == "primary"
        assert billing.methods() == {"main": (True, False), "backup": (False, True)}


class TestRemovePaymentMethod:
    def test_removing_the_primary_promotes_the_backup(
        self, billing: Billing, acme: Account
    ) -> None:
        remove_payment_method("acme", "main", uow=billing.uow)

        assert billing.methods() == {"backup": (True, False)}

    def test_removing_the_backup_leaves_the_primary_alone(
        self, billing: Billing, acme: Account
    ) -> None:
        remove_payment_method("acme", "backup", uow=billing.uow)

        assert billing.methods() == {"main": (True, False)}

    def test_removing_an_unknown_method_is_not_found(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(NotFound):
            remove_payment_method("acme", "ghost", uow=billing.uow)

        assert len(list_payment_methods("acme", uow=billing.uow)) == 2

    def test_a_removed_card_is_still_named_on_the_receipts_it_paid(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe(trial=False)  # its first invoice paid by the primary Visa, `main`
        (receipt,) = queries.list_receipts("acme", uow=billing.uow)
        assert receipt.payment_method == "main"

        remove_payment_method("acme", "main", uow=billing.uow)

        named = queries.methods_of_receipts("acme", [receipt], uow=billing.uow)
        assert {k: (m.brand, m.last4) for k, m in named.items()} == {"main": ("visa", "4242")}
