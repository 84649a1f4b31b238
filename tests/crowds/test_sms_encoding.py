"""GSM 03.38 / UCS-2 lengths and parts, checked against the standard's tables and limits."""

from __future__ import annotations

import random

import pytest

from portaat.crowds.transports.sms_http.encoding import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    Encoding,
    Measure,
    encoding_for,
    fit,
    is_gsm7,
    measure,
    segments,
    split,
    units,
)

# The default alphabet's 128 positions in code order; 0x1B (the escape) is a blank here.
GSM_TABLE = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)


def test_the_default_alphabet_is_the_standards_table_without_the_escape() -> None:
    assert len(GSM_TABLE) == 128
    assert GSM_TABLE[0x1B] == "\x1b"
    assert set(GSM_TABLE) - {"\x1b"} == GSM7_BASIC
    assert GSM_TABLE[0x0E:0x10] == "Åå"
    assert GSM_TABLE[0x5B:0x5D] == "ÄÖ"
    assert GSM_TABLE[0x7B:0x7D] == "äö"
    assert len(GSM7_EXTENSION) == 10


@pytest.mark.parametrize("ch", list("åäöÅÄÖéÉüÜñÑàèùìòÇØøÆæß¿¡§¤£¥$@ΔΦΓΛΩΠΨΣΘΞ_\n\r"))
def test_nordic_and_other_default_characters_are_gsm(ch: str) -> None:
    assert is_gsm7(ch)
    assert units(ch) == 1


@pytest.mark.parametrize("ch", list("\f^{}\\[~]|€"))
def test_extension_characters_take_two_septets(ch: str) -> None:
    assert is_gsm7(ch)
    assert units(ch) == 2
    assert units(f"a{ch}b") == 4


@pytest.mark.parametrize(
    "ch", ["š", "ž", "Š", "Ž", "ç", "á", "õ", "ê", "`", "…", "’", "–", "\t", "\x1b", "😀", "ж"]
)
def test_other_characters_make_the_message_ucs2(ch: str) -> None:
    assert not is_gsm7(ch)
    assert encoding_for(f"Hei {ch}") is Encoding.UCS2


def test_finnish_and_swedish_calls_stay_in_seven_bits() -> None:
    fi = "Myrsky kaatoi puita Käpylässä. Tarvitaan 10 ihmistä, sahoja ja hanskoja. Vastaa: K7QX 1"
    sv = "Stormen fällde träd i Åggelby. Vi behöver 10 personer. Svara: K7QX 1"
    assert encoding_for(fi) is Encoding.GSM7
    assert encoding_for(sv) is Encoding.GSM7
    assert units(fi) == len(fi)
    assert encoding_for("Šiauliai") is Encoding.UCS2


def test_ucs2_counts_utf16_code_units() -> None:
    assert units("ж") == 1
    assert units("😀") == 2  # outside the BMP: a surrogate pair
    sample = "Hei 😀 ž €"
    assert units(sample) == len(sample.encode("utf-16-le")) // 2 == 10


def test_units_refuses_to_count_a_non_gsm_text_as_gsm() -> None:
    with pytest.raises(ValueError):
        units("š", Encoding.GSM7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("€" * 80, 1),  # 160 septets
        ("€" * 81, 2),  # 76 pairs fit a part of 153
        ("ж" * 70, 1),
        ("ж" * 71, 2),
        ("ж" * 134, 2),
        ("ж" * 135, 3),
        ("😀" * 35, 1),  # 70 code units
        ("😀" * 36, 2),  # 33 emoji (66 units) per part
        ("a" * 100 + "š", 2),  # one character makes all 101 UCS-2
    ],
)
def test_segment_counts(text: str, expected: int) -> None:
    assert segments(text) == expected


def test_an_escape_pair_is_never_split_across_parts() -> None:
    text = "a" * 152 + "€" + "a" * 152  # 306 septets: two parts by division, three in fact
    parts = split(text)
    assert parts == ["a" * 152, "€" + "a" * 151, "a"]
    assert all(units(part) <= 153 for part in parts)
    assert "".join(parts) == text


def test_a_surrogate_pair_is_never_split_across_parts() -> None:
    text = "ж" * 66 + "😀" + "ж" * 66  # 134 units: two parts by division, three in fact
    parts = split(text)
    assert parts == ["ж" * 66, "😀" + "ж" * 65, "ж"]
    assert all(len(part.encode("utf-16-le")) // 2 <= 67 for part in parts)


def test_measure_reports_room_left() -> None:
    assert measure("a" * 150) == Measure(Encoding.GSM7, 150, 1, 10)
    long = measure("a" * 161)
    assert (long.segments, long.units, long.remaining) == (2, 161, 153 - 8)
    ucs = measure("ž" * 10)
    assert (ucs.encoding, ucs.units, ucs.segments, ucs.remaining) == (Encoding.UCS2, 10, 1, 60)
    assert measure("").segments == 1


def test_fit_keeps_a_text_that_fits() -> None:
    text = "Hei! " * 32  # 160 characters
    assert fit(text, 1) == text
    assert fit("a" * 306, 2) == "a" * 306


def test_fit_shortens_a_gsm_text_at_a_word_with_full_stops() -> None:
    text = " ".join(f"sana{i}" for i in range(100))  # about 590 septets
    result = fit(text, 1)
    assert segments(result) == 1
    assert encoding_for(result) is Encoding.GSM7  # not "…", which would force UCS-2
    assert result.endswith("...")
    kept = result[:-3]
    assert text.startswith(kept)
    assert text[len(kept)] == " "  # cut between words
    assert units(result) > 150  # and not much shorter than it could be


def test_fit_shortens_a_ucs2_text_with_an_ellipsis() -> None:
    text = "Žalgiris " * 40
    result = fit(text, 2)
    assert segments(result) <= 2
    assert result.endswith("…")
    assert text.startswith(result[:-1])


def test_fit_uses_full_stops_when_the_kept_beginning_is_gsm() -> None:
    text = "a " * 200 + "😀"
    result = fit(text, 1)
    assert result.endswith("...")
    assert encoding_for(result) is Encoding.GSM7


def test_fit_never_separates_an_emoji_from_its_modifier() -> None:
    thumbs = "👍🏽"
    text = "ж" * 67 + thumbs * 20
    for n in (1, 2):
        result = fit(text, n)
        body = result[:-1]
        assert not body.endswith("👍"), result  # the skin tone went with it or neither did
        assert segments(result) <= n


def test_fit_cuts_inside_a_long_word_when_there_is_no_space() -> None:
    result = fit("x" * 500, 1)
    assert result == "x" * 157 + "..."


def test_fit_needs_at_least_one_part() -> None:
    with pytest.raises(ValueError):
        fit("hello", 0)


def test_fit_always_fits_random_texts() -> None:
    rng = random.Random(8)
    alphabet = "abc äöå ÅÄÖ €[]{} ž š 😀 👍🏽 ж\n."
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 700)))
        n = rng.randint(1, 4)
        result = fit(text, n)
        assert segments(result) <= n
        if result != text:
            marker = "..." if result.endswith("...") else "…"
            assert text.startswith(result[: -len(marker)].rstrip())
