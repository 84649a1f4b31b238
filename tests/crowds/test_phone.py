"""Mobile numbers as volunteers type them, normalised to E.164 (or refused with a reason)."""

from __future__ import annotations

import pytest
from django.utils import translation

from portaat.crowds.phone import is_e164, normalise_phone


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in English (the default language of the suite is Finnish)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("040 123 4567", "+358401234567"),
        ("0401234567", "+358401234567"),
        ("040-123 4567", "+358401234567"),
        ("(040) 123 4567", "+358401234567"),
        ("+358401234567", "+358401234567"),
        ("+358 40 123 4567", "+358401234567"),
        ("00358 40 123 4567", "+358401234567"),
        ("0035840 1234567", "+358401234567"),
        ("  050 765 4321 ", "+358507654321"),
        ("041 1234567", "+358411234567"),
        ("0457 1234567", "+3584571234567"),
        ("+46 70 123 45 67", "+46701234567"),  # Swedish mobile
        ("+372 5123 4567", "+37251234567"),  # Estonian mobile
    ],
)
def test_mobile_numbers_become_e164(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


def test_a_region_reads_national_numbers_of_that_country() -> None:
    assert normalise_phone("070-123 45 67", "SE") == "+46701234567"
    assert normalise_phone("070-123 45 67", "se") == "+46701234567"


@pytest.mark.parametrize(
    "raw",
    [
        "09 123 4567",  # Helsinki landline
        "+358 9 123 4567",
        "+46 8 123 456 78",  # Stockholm landline
        "0800 123 456",  # toll-free
        "0600 12345",  # premium rate
        "+358 20 1234567",  # national service number
    ],
)
def test_numbers_that_cannot_take_text_messages_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="mobile number"):
        normalise_phone(raw)


def test_any_valid_number_when_mobile_only_is_off() -> None:
    assert normalise_phone("09 123 4567", mobile_only=False) == "+35891234567"


@pytest.mark.parametrize(
    "raw",
    [
        "12",
        "040 123",
        "+358 40 123 4567 8901",
        "+999 123 4567",
        "++358401234567",
        "040+1234567",
        "+",
    ],
)
def test_invalid_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not a valid phone number"):
        normalise_phone(raw)


@pytest.mark.parametrize(
    "raw", ["040 ABC 4567", "0800-FLOWERS", "040 123 4567 ext 5", "+358401234567;"]
)
def test_letters_and_other_characters_are_refused_not_read_as_a_keypad(raw: str) -> None:
    with pytest.raises(ValueError, match="digits only"):
        normalise_phone(raw)


def test_an_overlong_input_is_refused_before_parsing() -> None:
    with pytest.raises(ValueError, match="digits only"):
        normalise_phone("0" * 41)


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_input_asks_for_a_number(raw: str) -> None:
    with pytest.raises(ValueError, match="Enter a mobile number"):
        normalise_phone(raw)


def test_messages_are_translatable() -> None:
    # gettext at raise time: the message follows the active language once translated
    with translation.override("en"), pytest.raises(ValueError) as info:
        normalise_phone("09 123 4567")
    assert isinstance(info.value.args[0], str)
    assert "landline" in info.value.args[0]


def test_is_e164_only_for_the_canonical_spelling() -> None:
    assert is_e164("+358401234567")
    assert not is_e164("0401234567")
    assert not is_e164("+358 40 123 4567")
    assert not is_e164("+35812")


def test_a_bracketed_country_code_is_read() -> None:
    assert normalise_phone("(+358) 40 123 4567") == "+358401234567"
