"""Text normalisation before any matching (identifiers.md, "Before matching").

NFKC (full-width digits become ASCII), Unicode format characters removed
(zero-width spaces and joiners, BOM, bidi controls), every space and dash
variant mapped to an ASCII space or hyphen. ASCII text, the common case, is
returned unchanged without any per-character work."""

import sys
import unicodedata
from functools import cache


@cache
def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(0x80, sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        if category == "Cf":
            table[code] = None
        elif category == "Zs" or code in (0x2028, 0x2029, 0x85):
            table[code] = " "
        elif category == "Pd" or code == 0x2212:  # dashes, and the minus sign
            table[code] = "-"
    return table


def normalise(text: str) -> str:
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(_table())


def original_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Map a span of normalise(text) back to character positions in text, to
    say *where* something was found (never what). Slow, and only used for a
    refusal."""
    if text.isascii():
        return start, end
    position = 0  # characters of normalised output produced so far
    first = None
    for index, char in enumerate(text):
        produced = len(normalise(char))
        if first is None and position + produced > start:
            first = index
        position += produced
        if position >= end:
            return (first if first is not None else index), index + 1
    return (first if first is not None else len(text)), len(text)
