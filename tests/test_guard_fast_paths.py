"""The guard's fast paths give exactly what the plain way gives (hypothesis).

The guard reads text in a few whole-text passes (one pattern for every digit
rule, words split from a byte buffer, array arithmetic for fingerprints). Each
is checked here against the plain, slow way of saying the same thing, over
generated text, so that speed never changes a result."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from scr_tracker.intake import keyed
from scr_tracker.intake import normalise as n
from scr_tracker.intake.identifiers import SEP, find_identifiers, is_nhs_number, is_upn
from scr_tracker.intake.words import Words

# --- The digit rules, one pattern each (as they read before being combined) ----

_OUTWARD = r"[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY])"
PLAIN = {
    "nhs_number": re.compile(
        rf"(?<!\d)(?=(\d{{3}}{SEP}{{0,3}}\d{{3}}{SEP}{{0,3}}\d{{4}})(?!\d))"
        rf"|(?<!\d)(?<!\d{SEP})(?=(\d(?:{SEP}\d){{9}})(?!\d)(?!{SEP}\d))"
    ),
    "ni_number": re.compile(
        rf"\b[A-Z]{{2}}{SEP}{{0,2}}(?:\d{{2}}{SEP}{{0,2}}\d{{2}}{SEP}{{0,2}}\d{{2}}"
        rf"|\d{{3}}{SEP}{{0,2}}\d{{3}}){SEP}{{0,2}}[A-D]\b",
        re.IGNORECASE | re.ASCII,
    ),
    "postcode": re.compile(
        rf"\b(?:{_OUTWARD}[ \t\n\r]{{0,3}}\d[ABD-HJLNP-UW-Z]{{2}}|GIR[ \t\n\r]{{0,3}}0AA)\b",
        re.IGNORECASE | re.ASCII,
    ),
    "upn": re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b", re.IGNORECASE | re.ASCII),
}


def plain_findings(text):
    found = set()
    for match in PLAIN["nhs_number"].finditer(text):
        group = 1 if match.group(1) is not None else 2
        if is_nhs_number(match.group(group)):
            found.add(("nhs_number", *match.span(group)))
    for rule in ("ni_number", "postcode"):
        found |= {(rule, *m.span()) for m in PLAIN[rule].finditer(text)}
    found |= {("upn", *m.span()) for m in PLAIN["upn"].finditer(text) if is_upn(m.group())}
    return found


IDENTIFIER_ALPHABET = list("0123456789 ABCDGIRSTWXZabpqr./-()\n") + ["GIR", "WS", "NHS"]
IDENTIFIER_TEXT = st.lists(st.sampled_from(IDENTIFIER_ALPHABET), max_size=60).map("".join)
PLANTED = st.sampled_from(
    [
        "943 476 5919",
        "9 4 3 4 7 6 5 9 1 9",
        "(943)/476-5919",
        "AB 12 34 56 C",
        "ab-123-456-d",
        "WS1  1TP",
        "EC1A 1BB",
        "GIR 0AA",
        "B801200005001",
        "DN55\n1PT",
    ]
)


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.one_of(IDENTIFIER_TEXT, PLANTED), max_size=8))
def test_one_pattern_finds_what_each_rule_finds_alone(pieces):
    text = "".join(pieces)
    combined = {(f.rule, f.start, f.end) for f in find_identifiers(text)}
    combined = {f for f in combined if f[0] != "date_of_birth"}
    assert combined == plain_findings(text)


# --- Words ----------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def plain_words(text):
    folded = "".join(n._fold_table().get(ord(c), c) for c in n.normalise(text))
    return [w.encode() for w in _WORD.findall(folded.casefold())]


WORDY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("abc XYZ.-'_*,;\n\t019") + ["\u200b", "\u00ad", "\u2019"]),
        st.sampled_from(["é", "Ł", "ß", "ﬁ", "½", "а", "Ж", "ǅ", "İ", "\u0301", "٣", "“", "£"]),
        st.characters(codec="utf-8"),
    ),
    max_size=80,
)


@settings(max_examples=400, deadline=None)
@given(text=WORDY)
def test_the_word_buffer_holds_the_words_of_the_plain_pattern(text):
    assert Words.of(text).list == plain_words(text)


def test_many_distinct_characters_map_as_one_at_a_time():
    """Past eight distinct characters to change, the mapping is made in an
    array: the same result as mapping each character on its own."""
    text = "Привет, мир: ＡＢＣ ①②③ – — ‘quoted’ \u200b ΑΒΓ Ł ß " * 50
    one_by_one = "".join(n._table().get(ord(c), c) for c in text)
    assert n.normalise(text) == one_by_one
    assert len(n.non_ascii_characters(text)) > n._REPLACE_AT_MOST


@settings(max_examples=200, deadline=None)
@given(text=WORDY)
def test_identifier_text_keeps_every_position(text):
    normalised = n.normalise(text)
    ascii_text = n.identifier_text(normalised)
    assert ascii_text.isascii() and len(ascii_text) == len(normalised)
    for original, read in zip(normalised, ascii_text, strict=True):
        if original.isascii():
            assert read == original
        elif original.isdecimal():
            assert read == str(unicodedata.decimal(original))
        else:
            assert read == ("_" if original.isalnum() else "?")


# --- Fingerprints -----------------------------------------------------------------


def plain_shingles(words):
    """Each eight-word run hashed on its own: the polynomial of its words'
    keyed hashes, modulo 2**64, as a signed 64-bit number."""
    values = [int(v) for v in keyed.word_values(Words.from_list(words))]
    out = set()
    for start in range(len(words) - keyed.SHINGLE_WORDS + 1):
        total = 0
        for value in values[start : start + keyed.SHINGLE_WORDS]:
            total = (total * 0x100000001B3 + value) % 2**64
        out.add(total - 2**64 if total >= 2**63 else total)
    return out


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.sampled_from([b"a", b"b", b"c", b"zo\xc3\xab", b"12"]), max_size=40))
def test_fingerprints_in_arrays_are_the_runs_hashed_one_by_one(words):
    assert keyed.shingle_digests(words) == plain_shingles(words)


def test_a_word_value_is_its_keyed_hash():
    import hashlib

    from django.conf import settings as django_settings

    key = django_settings.REGISTER_KEY.encode()[:64]
    (value,) = keyed.word_values(Words.from_list([b"smith"])).tolist()
    expected = hashlib.blake2b(b"smith", key=key, digest_size=8).digest()
    assert value == int.from_bytes(expected, "big")
