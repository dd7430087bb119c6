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
work. Words for terms and fingerprints fold further (word_buffer)."""

import json
import sys
import unicodedata
from bisect import bisect_right
from functools import cache
from importlib import resources

import numpy as np

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


_ASCII_BYTES = bytes(range(128))
# Past this many distinct characters to change, one translate beats one
# replace per character (each replace reads the whole text).
_REPLACE_AT_MOST = 8


def non_ascii_characters(text: str) -> set[str]:
    """The distinct non-ASCII characters of a text, read at the speed of
    encoding it (most text is nearly all ASCII)."""
    encoded = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return set(encoded.decode("utf-8", "surrogatepass"))


def remap(text: str, characters: set[str], mapping) -> str:
    """text with each of characters (its distinct non-ASCII ones) replaced by
    mapping(character); linear in the text whatever the characters: one C
    replace per changed character when they are few, else one table lookup
    per character in an array (numpy)."""
    changes = {c: m for c in characters if (m := mapping(c)) != c}
    # Replacing one at a time must not re-map what an earlier one wrote.
    chained = any(char in changes for mapped in changes.values() for char in mapped)
    if len(changes) > _REPLACE_AT_MOST or chained:
        singles = {c: m for c, m in changes.items() if len(m) == 1}
        text = _remap_singles(text, singles)
        changes = {c: m for c, m in changes.items() if c not in singles}
        if len(changes) > _REPLACE_AT_MOST or chained:
            return text.translate({ord(c): m for c, m in changes.items()})
    for char, mapped in changes.items():
        text = text.replace(char, mapped)
    return text


def _remap_singles(text: str, singles: dict[str, str]) -> str:
    if not singles:
        return text
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    table[[ord(c) for c in singles]] = [ord(m) for m in singles.values()]
    return table[codes].tobytes().decode("utf-32-le", "surrogatepass")


def normalise(text: str) -> str:
    """The text with every character mapped as above; the same length. Only
    the distinct non-ASCII characters present are looked up."""
    return normalise_with_characters(text)[0]


def normalise_with_characters(text: str) -> tuple[str, set[str]]:
    """normalise(text), and the distinct non-ASCII characters of the result
    (so that what is made from it need not look for them again)."""
    if text.isascii():
        return text, set()
    table = _table()
    characters = non_ascii_characters(text)
    normalised = remap(text, characters, lambda c: table.get(ord(c), c))
    return normalised, {m for c in characters if not (m := table.get(ord(c), c)).isascii()}


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

    def squeezed(self, original: int) -> int:
        """Where a position of the original text is in the squeezed one."""
        removed = self._removed_at
        # The removed characters before it: the k-th was at removed[k] + k.
        low, high = 0, len(removed)
        while low < high:
            middle = (low + high) // 2
            if removed[middle] + middle < original:
                low = middle + 1
            else:
                high = middle
        return original - low

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if not self._removed_at:
            return start, end
        return self.original(start), self.original(end - 1) + 1


# --- What the rules read ------------------------------------------------------


def _identifier_character(char: str) -> str:
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    if char.isalnum():
        return "_"  # a word character, as it was, that no rule takes for a letter
    return char  # made "?" by the encoding below


def identifier_text(normalised: str, characters: set[str] | None = None) -> str:
    """What the identifier rules read: ASCII and the same length as the text,
    so that a position in it is the position in the original. Any decimal
    digit becomes its ASCII digit; any other non-ASCII letter or digit "_"
    (still a word character, for word boundaries); anything else "?"."""
    if normalised.isascii():
        return normalised
    if characters is None:
        characters = non_ascii_characters(normalised)
    text = remap(normalised, characters, _identifier_character)
    return text.encode("ascii", "replace").decode("ascii")


# Inside a word, these join its pieces rather than separate words: a name
# written "Sm.ith", "Sm-ith", "Sm'ith" or with a zero-width space inside is read
# as one word as well as two (words.py). In the word buffer they are \x01.
JOINERS = ".-'_*" + INVISIBLE
_NON_ASCII_JOINERS = "\u2018\u2019\u02bc\u00b7\u2022\u2027"
JOINER = 1


def _word_table() -> bytes:
    table = bytearray(range(256))
    for code in range(128):
        char = chr(code)
        if char.isalnum():
            table[code] = ord(char.lower())
        elif char in JOINERS or code == JOINER:
            table[code] = JOINER
        else:
            table[code] = 0x20
    return bytes(table)


_WORD_TABLE = _word_table()


def _word_character(char: str) -> str:
    if char in _NON_ASCII_JOINERS:
        return chr(JOINER)
    folded = _fold_table().get(ord(char), char).casefold()
    return "".join(c if c.isalnum() or c.isascii() else " " for c in folded)


def word_buffer(normalised: str, characters: set[str] | None = None) -> bytes:
    """The text as words read it, in UTF-8: letters without accents, case
    folded; ASCII letters and digits as themselves in lower case; joiners
    \\x01; everything else a space. Its words are its runs of other bytes,
    exactly the words of `[^\\W_]+` over the folded, case-folded text."""
    if not normalised.isascii():
        if characters is None:
            characters = non_ascii_characters(normalised)
        normalised = remap(normalised, characters, _word_character)
    return normalised.encode("utf-8", "surrogatepass").translate(_WORD_TABLE)
