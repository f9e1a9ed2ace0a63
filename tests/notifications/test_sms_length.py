"""The SMS length a sender is shown: GSM-7 or UCS-2, and how many parts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from evac.notifications.sms_length import GSM7, UCS2, sms_length


def test_a_plain_latin_sms_fits_160_characters_in_one_part() -> None:
    assert sms_length("x" * 160) == sms_length("x" * 160)
    assert (sms_length("x" * 160).encoding, sms_length("x" * 160).parts) == (GSM7, 1)
    assert sms_length("x" * 161).parts == 2
    assert sms_length("x" * 306).parts == 2 and sms_length("x" * 307).parts == 3


def test_a_turkish_or_arabic_letter_makes_the_sms_ucs2() -> None:
    turkish = sms_length("Yol kapalı")
    assert turkish.encoding == UCS2 and turkish.characters == 10
    assert sms_length("ş" * 70).parts == 1 and sms_length("ş" * 71).parts == 2
    assert sms_length("طريق" * 20).parts == 2  # 80 characters, 67 a part


def test_extended_gsm_characters_take_two_places() -> None:
    assert sms_length("€[]").characters == 6 and sms_length("€[]").encoding == GSM7


def test_more_than_five_parts_is_too_long() -> None:
    assert not sms_length("x" * 765).too_long
    assert sms_length("x" * 766).too_long
    assert sms_length("ş" * 336).too_long and sms_length("ş" * 335).parts == 5


@given(st.text(max_size=1200))
def test_the_parts_always_hold_the_text(text: str) -> None:
    length = sms_length(text)
    per_part = 153 if length.encoding == GSM7 else 67
    single = 160 if length.encoding == GSM7 else 70
    assert length.parts * per_part >= length.characters or length.characters <= single
    assert (length.parts == 0) == (length.characters == 0)
