"""Tax ids checked offline for their country: format and check digits."""

from __future__ import annotations

import pytest

from tierline.errors import Invalid, InvalidTaxId
from tierline.taxids import EU_MEMBER_STATES, TaxId, is_valid_tax_id, parse_tax_id


class TestEuVatNumbers:
    def test_a_french_vat_number_is_valid_for_france(self) -> None:
        assert parse_tax_id("FR40303265045", "FR") == TaxId("FR", "FR40303265045", checked=True)

    def test_separators_are_ignored_and_the_compact_form_kept(self) -> None:
        assert parse_tax_id("fr 40 303.265-045", "FR").number == "FR40303265045"

    def test_the_country_prefix_may_be_left_out(self) -> None:
        assert parse_tax_id("40303265045", "FR").number == "FR40303265045"
        assert parse_tax_id("B58378431", "ES").number == "ESB58378431"

    def test_a_greek_number_carries_the_el_prefix(self) -> None:
        assert parse_tax_id("094259216", "GR").number == "EL094259216"
        assert parse_tax_id("EL094259216", "GR").number == "EL094259216"

    def test_a_wrong_check_digit_is_refused(self) -> None:
        with pytest.raises(InvalidTaxId) as caught:
            parse_tax_id("FR40303265046", "FR")

        assert caught.value.code == "invalid_tax_id"
        assert caught.value.param == "tax_id"

    def test_a_number_of_another_member_state_is_refused(self) -> None:
        assert is_valid_tax_id("DE136695976", "DE")
        assert not is_valid_tax_id("DE136695976", "FR")

    def test_every_member_state_is_a_country_code(self) -> None:
        assert "GR" in EU_MEMBER_STATES and "EL" not in EU_MEMBER_STATES
        assert len(EU_MEMBER_STATES) == 27


class TestOtherCountries:
    def test_a_national_module_checks_the_number(self) -> None:
        assert is_valid_tax_id("GB980780684", "GB")
        assert is_valid_tax_id("CHE-116.281.710 MWST", "CH")
        assert not is_valid_tax_id("GB980780685", "GB")

    def test_a_us_number_is_read_with_its_separators(self) -> None:
        assert is_valid_tax_id("04-2103594", "US")
        assert not is_valid_tax_id("00-0000000", "US")

    def test_without_a_national_module_only_the_shape_is_looked_at(self) -> None:
        assert parse_tax_id("VA-12345", "VA") == TaxId("VA", "VA12345", checked=False)
        assert not is_valid_tax_id("?", "VA")

    def test_a_country_that_is_not_a_country_code_is_refused(self) -> None:
        with pytest.raises(Invalid) as caught:
            parse_tax_id("123456789", "XX")

        assert caught.value.code == "invalid_country"
