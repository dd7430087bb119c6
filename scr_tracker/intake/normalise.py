"""Text normalisation before any matching (identifiers.md, "Before matching").

Every character maps to exactly one character, so a position in the
normalised text is the same position in the original: saying *where*
something was found costs nothing, whatever the text (no re-scan per finding).

- NFKC where it gives one character (full-width and mathematical digits become
  ASCII digits, compatibility letters their plain form);
- letters that look like ASCII letters or digits (Cyrillic "а", Greek "ο", "Ł")
  become them, from the Unicode confusables data;
- format characters (zero-width spaces and joiners, BOM, bidi controls) and
  combining marks become INVISIBLE (DEL): a word separator, so two words are
  never joined, which the identifier rules skip (squeeze) so that a digit
  cannot be hidden behind one;
- every kind of space becomes a space;
- every kind of dash becomes "-", brackets "(" or ")", slashes "/".

ASCII text, the common case, is returned unchanged without any per-character
work. Restricted terms and fingerprints fold further (keyed.words)."""

import json
import re
import sys
import unicodedata
from bisect import bisect_right
from functools import cache
from importlib import resources

SLASHES = {0x2044, 0x2215, 0x29F8, 0xFF0F, 0x2571}
INVISIBLE = "\x7f"


@cache
def _confusables() -> dict[str, str]:
    """Non-ASCII character -> the ASCII letter or digit it is confusable with."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text()
    )
    mapping = {}
    for char, entries in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for entry in entries:
            target = entry["c"]
            # "Ł" is confusable with "L" plus a combining stroke: take the letter.
            if (
                target[:1].isascii()
                and target[:1].isalnum()
                and all(unicodedata.combining(rest) for rest in target[1:])
            ):
                mapping[char] = target[0]
                break
    return mapping


def _one(char: str) -> str:
    confusable = _confusables()
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        folded = char
    if not folded.isascii():
        folded = confusable.get(folded, folded)
    if folded.isascii():
        return folded
    category = unicodedata.category(folded)
    if category in ("Cf", "Mn", "Me", "Mc"):
        return INVISIBLE
    if category in ("Zs", "Zl", "Zp", "Cc"):
        return " "
    if category == "Pd" or folded == "\u2212":  # dashes, and the minus sign
        return "-"
    if category == "Ps":
        return "("
    if category == "Pe":
        return ")"
    if ord(folded) in SLASHES:
        return "/"
    return folded


@cache
def _table() -> dict[int, str]:
    table = {}
    for code in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        mapped = _one(char)
        if mapped != char:
            table[code] = mapped
    return table


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def normalise(text: str) -> str:
    """The text with every character mapped as above; the same length. Only
    the non-ASCII runs are translated (most text is nearly all ASCII)."""
    if text.isascii():
        return text
    table = _table()
    return _NON_ASCII.sub(lambda run: run.group().translate(table), text)


@cache
def _fold_table() -> dict[int, str]:
    """For words: a letter with an accent or stroke becomes its base letter
    ("é" -> "e"); everything normalise() maps is mapped first."""
    table = dict(_table())
    for code in range(0x80, sys.maxunicode + 1):
        if code in table or 0xD800 <= code <= 0xDFFF:
            continue
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != chr(code) and len(base) >= 1:
            table[code] = base
    return table


def fold(normalised: str) -> str:
    """Normalised text with accents removed, for words (terms and fingerprints).
    May change the length: positions are never taken from it."""
    if normalised.isascii():
        return normalised
    table = _fold_table()
    return _NON_ASCII.sub(lambda run: run.group().translate(table), normalised)


def original_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A span of normalise(text) in text: the same span (one character each)."""
    return start, end


class Squeezed:
    """Normalised text without its INVISIBLE characters, for the identifier
    rules, and the way back to positions in the original text (linear to
    build; each lookup a binary search; the identity when there are none)."""

    def __init__(self, normalised: str):
        if INVISIBLE not in normalised:
            self.text, self._removed_at = normalised, []
            return
        removed = [i for i, char in enumerate(normalised) if char == INVISIBLE]
        self.text = normalised.replace(INVISIBLE, "")
        # Where each removed character would have been in the squeezed text.
        self._removed_at = [index - count for count, index in enumerate(removed)]

    def original(self, position: int) -> int:
        return position + bisect_right(self._removed_at, position)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if not self._removed_at:
            return start, end
        return self.original(start), self.original(end - 1) + 1
