"""Pages of a list held in memory, and the cursors of items without a single id."""

from __future__ import annotations

import pytest

from tierline.domain.pages import PageRequest, page_of, paginate
from tierline.domain.usage import Member, member_of_key
from tierline.domain.webhooks import event_id_of, event_message_id
from tierline.errors import Invalid

LETTERS = ["a", "b", "c", "d", "e"]


def _same(item: str) -> str:
    return item


class TestPaginate:
    def test_the_first_page_holds_limit_items_and_says_more_follow(self) -> None:
        page = paginate(LETTERS, _same, PageRequest(limit=2))

        assert (page.items, page.has_more) == (("a", "b"), True)

    def test_a_page_starts_after_its_cursor(self) -> None:
        page = paginate(LETTERS, _same, PageRequest(limit=2, starting_after="b"))

        assert (page.items, page.has_more) == (("c", "d"), True)

    def test_a_page_that_ends_at_the_last_item_has_no_more(self) -> None:
        page = paginate(LETTERS, _same, PageRequest(limit=2, starting_after="c"))

        assert (page.items, page.has_more) == (("d", "e"), False)

    def test_after_the_last_item_the_page_is_empty(self) -> None:
        page = paginate(LETTERS, _same, PageRequest(limit=2, starting_after="e"))

        assert (page.items, page.has_more) == ((), False)

    def test_a_cursor_the_list_does_not_hold_is_refused(self) -> None:
        with pytest.raises(Invalid) as raised:
            paginate(LETTERS, _same, PageRequest(limit=2, starting_after="z"))

        assert (raised.value.code, raised.value.param) == ("unknown_cursor", "starting_after")

    def test_one_row_beyond_the_limit_means_more_follow(self) -> None:
        assert page_of(["a", "b", "c"], 2).has_more is True
        assert page_of(["a", "b"], 2).has_more is False


class TestMemberKeys:
    @pytest.mark.parametrize(
        ("person", "application"),
        [("ann", "crm"), ("a/b", "c%d"), ("ann lee", "h/r/x"), ("é", "%2F")],
    )
    def test_a_member_key_names_its_person_and_application(
        self, person: str, application: str
    ) -> None:
        key = Member("acme", person, application, "normal").key

        assert key.count("/") == 1
        assert member_of_key(key) == (person, application)

    @pytest.mark.parametrize("key", ["ann", "ann/crm/x", "/crm", "ann/", ""])
    def test_a_string_that_is_not_a_member_key_names_no_member(self, key: str) -> None:
        assert member_of_key(key) is None


class TestMessageIds:
    def test_a_message_id_names_its_outbox_event(self) -> None:
        assert event_message_id(42) == "evt_42"
        assert event_id_of("evt_42") == 42

    @pytest.mark.parametrize(
        "text", ["evt_", "42", "evt_x", "evt_-1", "evt_4.2", "evt_٤٢", "evt_" + "9" * 19]
    )
    def test_a_string_that_is_not_a_message_id_names_no_event(self, text: str) -> None:
        assert event_id_of(text) is None
