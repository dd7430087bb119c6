"""Rules that find a child's identifiers in text (docs: identifiers.md).

Every pattern is linear: fixed or bounded repetition, no nested quantifiers, so
no input can make matching backtrack catastrophically. Checksums are checked in
Python after a candidate matches. Callers pass normalised text (normalise.py).
"""

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Finding:
    rule: str  # stable id, safe to log
    start: int  # span in the normalised text; never logged or shown as a value
    end: int

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]


RULE_LABELS = {
    "nhs_number": "an NHS, CHI or H&C number",
    "ni_number": "a National Insurance number",
    "postcode": "a full postcode",
    "date_of_birth": "a date of birth",
    "upn": "a Unique Pupil Number",
}

# --- NHS, CHI and H&C numbers: ten digits, modulus 11 --------------------------

# Separators people put inside identifiers: spaces and line breaks, dots,
# hyphens, slashes and brackets (after normalise(), every Unicode kind of them
# is one of these).
SEP = r"[ \t\n\r./\\()\[\]-]"
# 3-3-4 with up to three separators between groups ("(943) 476 5919",
# "943/476/5919"), or every digit apart ("9 4 3 4 7 6 5 9 1 9"): the first
# digit of a run, then the rest.
_NHS_REST = (
    rf"(?<!\d\d)(?=(?P<nhs0>\d{{2}}{SEP}{{0,3}}\d{{3}}{SEP}{{0,3}}\d{{4}})(?!\d))"
    rf"|(?<!\d\d)(?<!\d{SEP}\d)(?=(?P<nhs1>(?:{SEP}\d){{9}})(?!\d)(?!{SEP}\d))"
)


def nhs_check_digit(first_nine: str) -> int:
    """The check digit for nine digits; 10 means no valid completion exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return 0 if check == 11 else check


_SEPARATORS = str.maketrans("", "", " \t\n\r./\\()[]-")


@lru_cache(maxsize=4096)
def is_nhs_number(candidate: str) -> bool:
    digits = candidate.translate(_SEPARATORS)
    if len(digits) != 10:
        return False
    check = nhs_check_digit(digits[:9])
    return check != 10 and check == int(digits[9])


# --- National Insurance numbers: scanned loosely (a look-alike is a leak) -----

# Two letters, up to two separators, then the digits in pairs (AB 12 34 56 C)
# or in threes (AB 123 456 C), the separators any, and the suffix: from the
# first digit on.
_NI_REST = (
    rf"(?:\d{SEP}{{0,2}}\d{{2}}{SEP}{{0,2}}\d{{2}}|\d{{2}}{SEP}{{0,2}}\d{{3}}){SEP}{{0,2}}[A-D]\b"
)

# --- Full unit postcodes (BS 7666 position rules, the whole alternation anchored)

# One or two outward letters, then from the first digit: the rest of the
# outward code, the space (missing, doubled, or a line break) and the inward
# code. And GIR 0AA.
_SPACE = r"[ \t\n\r]"
_INWARD = rf"{_SPACE}{{0,3}}\d[ABD-HJLNP-UW-Z]{{2}}\b"
_POSTCODE_ONE = r"[A-PR-UWYZ]"
_POSTCODE_ONE_REST = rf"(?:\d?|[A-HJKPSTUW]){_INWARD}"
_POSTCODE_TWO = r"[A-PR-UWYZ][A-HK-Y]"
_POSTCODE_TWO_REST = rf"(?:\d?|[ABEHMNPRVWXY]){_INWARD}"

# --- Dates of birth: a date with a birth keyword beside it --------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_S = r" {1,3}"  # bounded, so a run of spaces cannot make matching slow
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    rf"|\d{{1,2}}{_S}\d{{1,2}}{_S}(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|{_DAY}{_S}(?:of{_S})?{_MONTH},?{_S}\d{{2,4}}"
    rf"|{_MONTH}{_S}{_DAY},?{_S}\d{{2,4}})"
)
_J = r"[ .-]{1,3}"  # "date of birth", "date-of-birth", "date.of.birth"
_BIRTH = rf"(?:d[.-]? ?o[.-]? ?b\b\.?|date{_J}of{_J}birth|birth[ -]?date|born(?:{_S}on)?)"
_GAP = r"[ :;,.()\[\]-]{0,5}"
_DOB = re.compile(
    rf"(?<![a-z]){_BIRTH}{_GAP}(?<![\d]){_DATE}(?!\d)|(?<!\d){_DATE}{_GAP}{_BIRTH}",
    re.IGNORECASE,
)

# --- Unique Pupil Numbers: check letter over positions 2-13 -------------------

_UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_REST = r"\d{10}[0-9A-Z]\b"  # after one letter and the first digit


def upn_check_letter(last_twelve: str) -> str:
    total = 0
    for position, char in enumerate(last_twelve.upper(), start=2):
        value = int(char) if char.isdigit() else _UPN_ALPHABET.find(char)
        if value < 0:
            return ""
        total += position * value
    return _UPN_ALPHABET[total % 23]


@lru_cache(maxsize=4096)
def is_upn(candidate: str) -> bool:
    candidate = candidate.upper()
    return len(candidate) == 13 and upn_check_letter(candidate[1:]) == candidate[0]


# --- The scan ------------------------------------------------------------------

# Every rule but dates of birth has a digit, so one pattern finds them all,
# starting at a digit: the regular expression engine skips from digit to digit
# in C, and at each tries the rules by what comes before it (lookbehinds of
# fixed width, one for each number of separators) and after it. No two rules
# can match at the same digit (each needs other digits around it), so taking
# the first alternative that matches loses nothing. The text is ASCII
# (normalise.identifier_text), the same length as the original.


def _after(name, before, rest, separator=SEP, counts=(0,)):
    """Alternatives for the digit just read, by how many separators come
    between it and the letters `before` it: `rest` from the digit (captured
    as name + count)."""
    return {
        count: rf"(?<=\b{before}{separator * count}\d)(?=(?P<{name}{count}>{rest}))"
        for count in counts
    }


_LETTERED = [
    _after("upn", "[A-Z]", _UPN_REST),
    _after("postcode_one", _POSTCODE_ONE, _POSTCODE_ONE_REST),
    _after("postcode_two", _POSTCODE_TWO, _POSTCODE_TWO_REST),
    _after("gir", "GIR", r"AA\b", _SPACE, counts=(0, 1, 2, 3)),
    _after("ni", "[A-Z]{2}", _NI_REST, counts=(0, 1, 2)),
]
# Most digits have no letter just before them (or separators then a letter):
# one cheap lookbehind for each number of separators rules out the rest.
_BY_SEPARATORS = [
    rf"(?<=[A-Z]{SEP * count}\d)(?:"
    + "|".join(rule[count] for rule in _LETTERED if count in rule)
    + ")"
    for count in range(4)
]
_CANDIDATES = re.compile(
    r"\d(?:" + "|".join([_NHS_REST, *_BY_SEPARATORS]) + ")", re.IGNORECASE | re.ASCII
)
# Each alternative's rule, and how many characters before the digit it starts.
_RULE = {
    "nhs0": ("nhs_number", 0),
    "nhs1": ("nhs_number", 0),
    "upn0": ("upn", 1),
    "postcode_one0": ("postcode", 1),
    "postcode_two0": ("postcode", 2),
    **{f"gir{n}": ("postcode", 3 + n) for n in range(4)},
    **{f"ni{n}": ("ni_number", 2 + n) for n in range(3)},
}


def find_identifiers(
    text: str, *, first_only: bool = False, start: int = 0, stop: int | None = None
) -> list[Finding]:
    """Every identifier in text (identifier_text() of normalised text), in
    order of position; with first_only, only the first one found (enough to
    refuse a file, and quick however many there are).

    With start and stop, only those whose first digit (or birth keyword or
    date) lies in text[start:stop], read with the text around them: a long
    text's halves (halves.py) each take their own, and none is taken twice."""
    findings = []
    for match in _CANDIDATES.finditer(text, start):
        if stop is not None and match.start() >= stop:
            break
        name = match.lastgroup
        rule, before = _RULE[name]
        begin, end = match.start() - before, match.end(name)
        if rule == "nhs_number" and not is_nhs_number(text[begin:end]):
            continue
        if rule == "upn" and not is_upn(text[begin:end]):
            continue
        findings.append(Finding(rule, begin, end))
        if first_only:
            return findings
    findings.extend(_dates_of_birth(text, first_only, start, stop))
    return sorted(findings, key=lambda f: (f.start, f.rule))


_BLOCK = 4096


def _windows(pattern, text, margin):
    """The 4 KB blocks of text in which pattern occurs (a match may straddle a
    block's edge), each widened by margin and merged with its neighbours."""
    windows: list[list[int]] = []
    for block in range(0, len(text), _BLOCK):
        if pattern.search(text, max(0, block - 20), block + _BLOCK + 20):
            start, end = max(0, block - margin), block + _BLOCK + margin
            if windows and start <= windows[-1][1]:
                windows[-1][1] = end
            else:
                windows.append([start, end])
    return windows


# Every birth keyword has a "b", so the scan skips from "b" to "b" and looks
# behind it for the rest ("d.o.b", "DOB", "d o b"); "birth" and "born" ahead.
_BIRTH_KEYWORD = re.compile(
    r"[bB](?:(?<=[dD][oO][bB])|(?<=[dD][ .-][oO][bB])|(?<=[dD][oO][ .-][bB])"
    r"|(?<=[dD][ .-][oO][ .-][bB])|(?<=[dD][.-] [oO][.-] [bB])|(?<=[dD][.-] [oO][bB])"
    r"|(?<=[dD][oO][.-] [bB])|(?<=[dD][ .-][oO][.-] [bB])|(?<=[dD][.-] [oO][ .-][bB])"
    r"|[iI][rR][tT][hH]|[oO][rR][nN])"
)
_WINDOW = 60  # longer than any keyword, gap and date together


# Every birth keyword, with its dots, hyphens and spaces taken out and in
# lower case, holds one of these ("d. o. b" -> "dob", "date of birth").
_KEYWORD_CORES = (b"dob", b"birth", b"born")
_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def _may_have_birth_keyword(text: str) -> bool:
    """A quick test that no birth keyword can be in the text (a few C passes)."""
    squeezed = text.encode("ascii", "replace").translate(_LOWER, b" .-\t\n\r\x0b\x0c")
    return any(core in squeezed for core in _KEYWORD_CORES)


def _dates_of_birth(
    text: str, first_only: bool = False, start: int = 0, stop: int | None = None
) -> list[Finding]:
    """A date of birth needs a birth keyword, so the full pattern only runs
    where there are keywords: fast on long text with none, and still linear on
    text full of them."""
    findings = []
    if not _may_have_birth_keyword(text):
        return findings
    for begin, end in _windows(_BIRTH_KEYWORD, text, _WINDOW):
        # Dates span words, so line breaks and tabs are read as spaces; a
        # same-length substitution keeps the offsets.
        window = text[begin:end].translate(_WHITESPACE_TO_SPACE)
        for match in _DOB.finditer(window):
            at = begin + match.start()
            if at < start or (stop is not None and at >= stop):
                continue
            findings.append(Finding("date_of_birth", at, begin + match.end()))
            if first_only:
                return findings
    return findings


_WHITESPACE_TO_SPACE = str.maketrans("\n\t\r\x0b\x0c", "     ")
