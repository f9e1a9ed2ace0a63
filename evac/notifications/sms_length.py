"""How long an SMS is, and in how many parts it travels.

An SMS written only with the GSM 03.38 alphabet (GSM-7) holds 160 characters,
or 153 per part once it is split; one character outside it (Turkish ş, ğ, ı,
Arabic, most emoji) makes the whole message UCS-2: 70 characters, or 67 per
part. A few GSM-7 characters (``^ { } [ ] ~ | € \\``) take two places. Pure: no
database, no settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
GSM7 = "GSM-7"
UCS2 = "UCS-2"
SINGLE = {GSM7: 160, UCS2: 70}
PER_PART = {GSM7: 153, UCS2: 67}
MAX_PARTS = 5


@dataclass(frozen=True)
class SmsLength:
    characters: int
    """Places used in its alphabet (a GSM-7 extended character counts two)."""
    encoding: str
    parts: int

    @property
    def too_long(self) -> bool:
        return self.parts > MAX_PARTS

    @property
    def limit(self) -> int:
        """How many places ``MAX_PARTS`` parts hold in this alphabet."""
        return PER_PART[self.encoding] * MAX_PARTS


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text)


def sms_length(text: str) -> SmsLength:
    if is_gsm7(text):
        encoding = GSM7
        places = sum(2 if char in GSM7_EXTENDED else 1 for char in text)
    else:
        encoding = UCS2
        places = len(text.encode("utf-16-le")) // 2
    if places <= SINGLE[encoding]:
        parts = 1 if places else 0
    else:
        parts = math.ceil(places / PER_PART[encoding])
    return SmsLength(places, encoding, parts)
