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
# "943/476/5919"), or every digit apart ("9 4 3 4 7 6 5 9 1 9").
_NHS = re.compile(
    rf"(?<!\d)(?=(\d{{3}}{SEP}{{0,3}}\d{{3}}{SEP}{{0,3}}\d{{4}})(?!\d))"
    rf"|(?<!\d)(?<!\d{SEP})(?=(\d(?:{SEP}\d){{9}})(?!\d)(?!{SEP}\d))"
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

# In pairs (AB 12 34 56 C) or in threes (AB 123 456 C), any separators.
_NINO = re.compile(
    rf"\b[A-Z]{{2}}{SEP}{{0,2}}(?:\d{{2}}{SEP}{{0,2}}\d{{2}}{SEP}{{0,2}}\d{{2}}|\d{{3}}{SEP}{{0,2}}\d{{3}})"
    rf"{SEP}{{0,2}}[A-D]\b",
    re.IGNORECASE,
)

# --- Full unit postcodes (BS 7666 position rules, the whole alternation anchored)

_OUTWARD = r"[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY])"
# The space may be missing, doubled, or a line break.
_POSTCODE = re.compile(
    rf"\b(?:{_OUTWARD}[ \t\n\r]{{0,3}}\d[ABD-HJLNP-UW-Z]{{2}}|GIR[ \t\n\r]{{0,3}}0AA)\b",
    re.IGNORECASE,
)

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
_SPACES = re.compile(r"\s+")

# --- Unique Pupil Numbers: check letter over positions 2-13 -------------------

_UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b", re.IGNORECASE)


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


_DIGIT = re.compile(r"\d")
_MARGIN = 16  # letters an identifier can have either side of its digits, and more
_BLOCK = 4096


def find_identifiers(text: str) -> list[Finding]:
    """Every identifier in normalised text, in order of position."""
    findings = []
    # Every rule but dates of birth needs digits: run them only around digits.
    for start, end in _windows(_DIGIT, text, _MARGIN):
        findings.extend(_digit_rules(text[start:end], start))
    findings.extend(_dates_of_birth(text))
    return sorted(findings, key=lambda f: (f.start, f.rule))


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


def _digit_rules(text: str, offset: int) -> list[Finding]:
    findings = []
    for match in _NHS.finditer(text):
        group = 1 if match.group(1) is not None else 2
        if is_nhs_number(match.group(group)):
            start, end = match.span(group)
            findings.append(Finding("nhs_number", offset + start, offset + end))
    for match in _NINO.finditer(text):
        findings.append(Finding("ni_number", offset + match.start(), offset + match.end()))
    for match in _POSTCODE.finditer(text):
        findings.append(Finding("postcode", offset + match.start(), offset + match.end()))
    for match in _UPN.finditer(text):
        if is_upn(match.group()):
            findings.append(Finding("upn", offset + match.start(), offset + match.end()))
    return findings


_BIRTH_KEYWORD = re.compile(r"d[.-]? ?o[.-]? ?b|birth|born", re.IGNORECASE)
_WINDOW = 60  # longer than any keyword, gap and date together


def _dates_of_birth(text: str) -> list[Finding]:
    """A date of birth needs a birth keyword, so the full pattern only runs
    where there are keywords: fast on long text with none, and still linear on
    text full of them."""
    findings = []
    for start, end in _windows(_BIRTH_KEYWORD, text, _WINDOW):
        # Dates span words, so line breaks and tabs are read as spaces; a
        # same-length substitution keeps the offsets.
        window = text[start:end].translate(_WHITESPACE_TO_SPACE)
        for match in _DOB.finditer(window):
            findings.append(Finding("date_of_birth", start + match.start(), start + match.end()))
    return findings


_WHITESPACE_TO_SPACE = str.maketrans("\n\t\r\x0b\x0c", "     ")
