"""Mobile numbers as volunteers type them, turned into E.164 (``+358401234567``).

Volunteers write "040 123 4567", "+358 40 123 4567" or "00358 40…"; SMS gateways want E.164,
and replies are matched to volunteers by comparing E.164 strings, so every number is stored
in that one form.
"""

from __future__ import annotations

import re

import phonenumbers
from django.utils.translation import gettext as _
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

# Separators people type between digit groups. Letters are refused rather than read as a
# phone keypad ("0800-FLOWERS"): in a sign-up form they are a typo, not a vanity number.
_ALLOWED = re.compile(r"[0-9+\-().\s/]+")
# Text messages reach these types; a landline, toll-free or premium number cannot take them.
_SMS_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
MAX_INPUT = 40


def normalise_phone(raw: str, region: str = "FI", *, mobile_only: bool = True) -> str:
    """``raw`` as an E.164 number; numbers without a country code are read as ``region``'s.

    Raises ``ValueError`` with a translated message a form can show when the input is not a
    valid number, or (``mobile_only``, the default) when it is not one that can receive text
    messages.
    """
    text = (raw or "").strip()
    if not text:
        raise ValueError(_("Enter a mobile number."))
    if len(text) > MAX_INPUT or not _ALLOWED.fullmatch(text):
        raise ValueError(_("Enter the mobile number with digits only, for example 040 123 4567."))
    # phonenumbers forgives "++358…" and a plus in the middle; a form should not
    plus_misplaced = text.count("+") > 1 or ("+" in text and not text.lstrip("( ").startswith("+"))
    try:
        if plus_misplaced:
            raise NumberParseException(NumberParseException.NOT_A_NUMBER, "misplaced +")
        number = phonenumbers.parse(text, region.upper())
    except NumberParseException:
        raise ValueError(
            _("This is not a valid phone number. Check the digits and the country code.")
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(
            _("This is not a valid phone number. Check the digits and the country code.")
        )
    if mobile_only and phonenumbers.number_type(number) not in _SMS_TYPES:
        raise ValueError(
            _("Text messages need a mobile number; this looks like a landline or a service number.")
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_e164(value: str) -> bool:
    """Whether ``value`` is already a valid number written in E.164 (no other spelling)."""
    try:
        return normalise_phone(value, mobile_only=False) == value
    except ValueError:
        return False
