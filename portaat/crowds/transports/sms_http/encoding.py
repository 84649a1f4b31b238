"""How long a text message is: GSM 03.38 (7-bit) or UCS-2, and how many parts it is sent in.

A text that only uses the GSM 7-bit default alphabet (which has Finnish and Swedish å ä ö, but
not š ž) goes out in septets: 160 in one message, 153 in each part of a longer one (the rest
carries the header that joins the parts). The extension table (``^{}\\[~]|€`` and form feed)
costs two septets, an escape and the character. Any other character makes the whole message
UCS-2: 70 UTF-16 code units in one message, 67 per part, and a character outside the Basic
Multilingual Plane (most emoji) takes two. Phones join the parts again, but no part may end
in the middle of an escape pair or a surrogate pair, so a part can hold one unit less than
the maximum; the counts here follow that rule rather than dividing the total.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

# GSM 03.38 default alphabet in code order; position 0x1B (the escape to the extension table)
# is not a character and is left out, so it can never be "in" the alphabet.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

# What a shortened text ends with: "…" is not in the GSM alphabet and would turn a 7-bit text
# into UCS-2, halving what fits, so 7-bit texts get three full stops.
GSM7_ELLIPSIS = "..."
UCS2_ELLIPSIS = "…"


class Encoding(StrEnum):
    GSM7 = "gsm7"
    UCS2 = "ucs2"


@dataclass(frozen=True)
class Measure:
    """A text as an SMS: its encoding, its size in septets (GSM-7) or UTF-16 code units
    (UCS-2), the number of parts it is sent in, and how many units are left in the last."""

    encoding: Encoding
    units: int
    segments: int
    remaining: int


def is_gsm7(text: str) -> bool:
    """Whether every character of ``text`` is in the GSM 7-bit default alphabet or its
    extension table."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def encoding_for(text: str) -> Encoding:
    """The encoding a gateway uses for ``text``."""
    return Encoding.GSM7 if is_gsm7(text) else Encoding.UCS2


def _cost(ch: str, encoding: Encoding) -> int:
    if encoding is Encoding.GSM7:
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def units(text: str, encoding: Encoding | None = None) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) of ``text``."""
    encoding = encoding or encoding_for(text)
    if encoding is Encoding.GSM7 and not is_gsm7(text):
        raise ValueError("text is not in the GSM 7-bit alphabet")
    return sum(_cost(ch, encoding) for ch in text)


def split(text: str) -> list[str]:
    """``text`` cut into the parts it is sent in (one part when it fits in a single message).

    A part never ends inside an escape pair or a surrogate pair: a character that does not
    fit whole starts the next part."""
    encoding = encoding_for(text)
    single, part = (
        (GSM7_SINGLE, GSM7_PART) if encoding is Encoding.GSM7 else (UCS2_SINGLE, UCS2_PART)
    )
    if units(text, encoding) <= single:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        cost = _cost(ch, encoding)
        if used + cost > part:
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += cost
    parts.append("".join(current))
    return parts


def measure(text: str) -> Measure:
    """Encoding, size, parts and room left of ``text`` as one SMS (an empty text is still
    one message)."""
    encoding = encoding_for(text)
    parts = split(text)
    total = units(text, encoding)
    if len(parts) == 1:
        capacity = GSM7_SINGLE if encoding is Encoding.GSM7 else UCS2_SINGLE
    else:
        capacity = GSM7_PART if encoding is Encoding.GSM7 else UCS2_PART
    return Measure(encoding, total, len(parts), capacity - units(parts[-1], encoding))


def segments(text: str) -> int:
    """How many messages ``text`` is sent as."""
    return len(split(text))


def _back_off_cluster(text: str, cut: int) -> int:
    """Move ``cut`` left so that it does not separate a combining mark, a variation selector
    or a zero-width joiner from the character it belongs to."""
    while 0 < cut < len(text):
        ch = text[cut]
        before = text[cut - 1]
        joins = (
            unicodedata.combining(ch)
            or ch in "\u200d\ufe0e\ufe0f"
            or before == "\u200d"
            or 0x1F3FB <= ord(ch) <= 0x1F3FF  # skin-tone modifiers
        )
        if not joins:
            break
        cut -= 1
    return cut


def _with_ellipsis(prefix: str) -> str:
    prefix = prefix.rstrip()
    return prefix + (GSM7_ELLIPSIS if is_gsm7(prefix) else UCS2_ELLIPSIS)


def fit(text: str, max_segments: int) -> str:
    """``text`` unchanged when it fits in ``max_segments`` messages; otherwise its longest
    beginning that fits with an ellipsis after it, cut at a space when one is near."""
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    if segments(text) <= max_segments:
        return text
    # The count grows with the length of the beginning kept (a longer beginning never needs
    # fewer messages), so the longest one that fits can be found by bisection.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if segments(_with_ellipsis(text[:middle])) <= max_segments:
            low = middle
        else:
            high = middle - 1
    cut = _back_off_cluster(text, low)
    if cut < len(text) and not text[cut].isspace():
        space = text.rfind(" ", 0, cut)
        # a word is shortened rather than dropped when the last space is far back
        if space > 0 and cut - space <= 20:
            cut = space
    result = _with_ellipsis(text[:cut])
    while segments(result) > max_segments and cut > 0:  # defensive: never return too long
        cut -= 1
        result = _with_ellipsis(text[:cut])
    return result
