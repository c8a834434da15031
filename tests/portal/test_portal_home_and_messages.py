"""Home says what the plan costs with its packs, and Messages come in the order things happened."""

from __future__ import annotations

import re

from fastapi import FastAPI
from portal_builders import an_account, fact, signed_in

from tierline.runtime import Runtime
from tierline.services.change import ChangeRequest, apply_change


def with_packs(rt: Runtime, account: str, **packs: int) -> None:
    addons = {code.replace("_", "-"): count for code, count in packs.items()}
    apply_change(
        ChangeRequest(account, addons=addons), uow=rt.uow(), clock=rt.clock, gateway=rt.gateway
    )


class TestHomesPrice:
    def test_the_price_is_the_editions_and_the_packs_with_each_part(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap, quantity=12)
        with_packs(hap, account, external_users=2)

        home = signed_in(hap_app, hap, account).get("/portal").text

        price = fact(home, "price")
        assert price.startswith("$156.00")  # 12 seats at $8, and two packs at $30
        assert "Standard: $96.00" in price
        assert "External user pack (100 users) × 2: $60.00" in price

    def test_without_packs_the_price_is_the_editions(self, hap: Runtime, hap_app: FastAPI) -> None:
        home = signed_in(hap_app, hap, an_account(hap, quantity=12)).get("/portal").text

        assert fact(home, "price").startswith("$96.00")
        assert 'data-testid="price-parts"' not in home


class TestMessages:
    def test_messages_of_one_moment_are_newest_first_by_the_order_they_were_written(
        self, hap: Runtime, hap_app: FastAPI
    ) -> None:
        account = an_account(hap)
        with_packs(hap, account, workflow_executions=1)  # issued, then paid, in the same second

        page = signed_in(hap_app, hap, account).get("/portal/messages").text

        texts = re.findall(r"<p>(.*?)</p>", page[page.index("<main") :])
        issued = next(i for i, t in enumerate(texts) if re.match(r"Invoice \S+ issued", t))
        paid = next(i for i, t in enumerate(texts) if re.match(r"Invoice \S+ paid", t))
        assert paid < issued

    def test_an_update_says_what_it_changed(self, hap: Runtime, hap_app: FastAPI) -> None:
        account = an_account(hap, quantity=10)
        apply_change(
            ChangeRequest(account, quantity=15, addons={"workflow-executions": 1}),
            uow=hap.uow(), clock=hap.clock, gateway=hap.gateway,
        )  # fmt: skip

        page = signed_in(hap_app, hap, account).get("/portal/messages").text

        assert (
            "Your subscription was updated: Standard, 10 seats → 15 seats, Workflow executions "
            "+10,000 × 1 added; the update is effective now."
        ) in page
