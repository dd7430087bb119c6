"""Keyed hashes for the restricted registers. The key (REGISTER_KEY) comes from
the environment; without it the stored hashes cannot be tested against a guess.

Words are normalised first (normalise.py, then accents removed and case folded),
so "Zoë SMITH" and "zoe smith" give the same hashes."""

import hashlib
import hmac
from functools import partial

import numpy as np
from django.conf import settings

from scr_tracker.intake.words import Words

SHINGLE_WORDS = 8  # a document fingerprint is every run of eight words


def _key() -> bytes:
    return settings.REGISTER_KEY.encode()


def key_id() -> str:
    """Names the key without revealing it, so rows made under another key show up."""
    return hmac.new(_key(), b"register key id", hashlib.sha256).hexdigest()[:16]


def words(text: str, *, normalised: bool = False) -> list[str]:
    """The text's words, normalised, without accents and case folded. Pass
    normalised=True when the text is already normalise()d."""
    return [w.decode() for w in Words.of(text, normalised=normalised).list]


def term_digest(term_words: list[str] | tuple[str, ...]) -> str:
    """HMAC-SHA-256 of one to three normalised words."""
    return digest(" ".join(term_words).encode())


def digest(data: bytes) -> str:
    """HMAC-SHA-256 of words already encoded (bytes words joined by spaces)."""
    return hmac.digest(_key(), data, "sha256").hex()


def digests(many) -> dict[bytes, str]:
    """digest() of each of many, the key read once."""
    key = _key()
    one = hmac.digest
    return {data: one(key, data, "sha256").hex() for data in many}


# Digits and letters people swap for one another in a name ("Sm1th", "J0nes",
# "Smlth"): each group becomes one letter, in terms and in the text alike.
_SWAPPED, _AS = "01i3457896", "olleastbgb"
SKELETON = str.maketrans(_SWAPPED, _AS)
SKELETON_BYTES = bytes.maketrans(_SWAPPED.encode(), _AS.encode())


def skeleton(word: str) -> str:
    return word.translate(SKELETON)


def term_keys(term_words) -> dict[str, list[str]]:
    """The keyed hashes a term is matched by (scheme 2): each of its words, its
    words in any order, and its words run together in any order ("janesmith").
    Only hashes: the term itself is never kept."""
    from itertools import permutations

    skel = [skeleton(w) for w in term_words]
    joined = {"".join(order) for order in permutations(skel)} if len(skel) > 1 else set()
    return {
        "word": sorted({term_digest([w]) for w in skel}),
        "term": [term_digest(sorted(skel))],
        "joined": sorted(term_digest([w]) for w in joined),
    }


def term_record(term_words) -> dict:
    """The fields of a new RestrictedTerm (scheme 2) for its normalised words."""
    keys = term_keys(term_words)
    return {
        "digest": keys["term"][0],
        "first_word_digest": term_digest([skeleton(term_words[0])]),
        "word_count": len(term_words),
        "scheme": 2,
        "keys": keys,
    }


_BASE = np.uint64(0x100000001B3)  # an odd multiplier; arithmetic is modulo 2**64


def word_values(words: Words) -> np.ndarray:
    """A keyed 64-bit hash (BLAKE2b) of each word, each distinct word hashed
    once into a table; every word's place in the table looked up in one C
    loop."""
    if not len(words):
        return np.zeros(0, dtype=np.uint64)
    distinct = list(words.distinct)
    hashed = map(partial(hashlib.blake2b, key=_key()[:64], digest_size=8), distinct)
    table = np.frombuffer(b"".join(map(hashlib.blake2b.digest, hashed)), dtype=">u8")
    index = dict(zip(distinct, range(len(distinct)), strict=True))
    places = np.fromiter(map(index.__getitem__, words.list), dtype=np.int64, count=len(words))
    return table.astype(np.uint64)[places]


def shingle_array(values: np.ndarray) -> np.ndarray:
    """The keyed 64-bit hash of every eight-word run, in order, as signed
    integers (as stored): a polynomial of its words' keyed hashes (values),
    computed for all runs at once (array arithmetic wraps modulo 2**64)."""
    count = len(values) - SHINGLE_WORDS + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    runs = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE_WORDS):
        runs *= _BASE
        runs += values[offset : offset + count]
    return runs.view(np.int64)


def shingle_digests(all_words: list[bytes] | list[str]) -> set[int]:
    """The distinct shingles of the words (str or UTF-8 bytes), as a set."""
    encoded = [w.encode() if isinstance(w, str) else w for w in all_words]
    return set(shingle_array(word_values(Words.from_list(encoded))).tolist())
