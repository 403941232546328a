"""Text normalisation: one stored form per person, and one way to compare addresses."""

from core.normalization import (
    email_comparison_key,
    is_japanese_phone,
    normalize_phone,
    normalize_typed_email,
)


def test_a_typed_address_keeps_the_case_of_its_local_part():
    """Stored as typed (mail servers may honour case); only the domain is folded."""
    assert normalize_typed_email(" Ｈａｎａｋｏ＠Ｅｘａｍｐｌｅ．ＣＯＭ ") == "Hanako@example.com"


def test_two_spellings_of_one_address_compare_equal():
    assert email_comparison_key(" Hanako@Example.com") == email_comparison_key("hanako@example.COM")
    assert email_comparison_key("Hanako@Example.com") == "hanako@example.com"


def test_a_typed_address_without_an_at_sign_is_left_for_the_validator():
    assert normalize_typed_email("ｔａｒｏ") == "taro"


def test_phone_helpers_agree_on_the_canonical_form():
    assert normalize_phone("+81-90-1234-5678") == "09012345678"
    assert is_japanese_phone("09012345678")
    assert not is_japanese_phone("0901234567")
