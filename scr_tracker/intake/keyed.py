"""Keyed hashes for the restricted registers. The key (REGISTER_KEY) comes from
the environment; without it the stored hashes cannot be tested against a guess.

Words are normalised first (normalise.py, then accents removed and case folded),
so "Zoë SMITH" and "zoe smith" give the same hashes."""

import hashlib
import hmac
import re

from django.conf import settings

from scr_tracker.intake.normalise import fold, normalise

SHINGLE_WORDS = 8  # a document fingerprint is every run of eight words
_WORD = re.compile(r"[^\W_]+")


def _key() -> bytes:
    return settings.REGISTER_KEY.encode()


def key_id() -> str:
    """Names the key without revealing it, so rows made under another key show up."""
    return hmac.new(_key(), b"register key id", hashlib.sha256).hexdigest()[:16]


def words(text: str, *, normalised: bool = False) -> list[str]:
    """The text's words, normalised, without accents and case folded. Pass
    normalised=True when the text is already normalise()d."""
    return _WORD.findall(fold(text if normalised else normalise(text)).casefold())


def term_digest(term_words: list[str] | tuple[str, ...]) -> str:
    """HMAC-SHA-256 of one to three normalised words."""
    return hmac.digest(_key(), " ".join(term_words).encode(), "sha256").hex()


# Digits and letters people swap for one another in a name ("Sm1th", "J0nes",
# "Smlth"): each group becomes one letter, in terms and in the text alike.
SKELETON = str.maketrans("01i3457896", "olleastbgb")


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


_BASE = 0x100000001B3  # an odd multiplier; arithmetic is modulo 2**64
_MASK = (1 << 64) - 1
_HIGH = _BASE ** (SHINGLE_WORDS - 1) & _MASK


def shingle_digests(all_words: list[str]) -> set[int]:
    """A keyed 64-bit hash of every eight-word run: each distinct word is
    hashed once with keyed BLAKE2b, and the run's hash is a polynomial of its
    words' keyed hashes, rolled along the text (linear in its length)."""
    if len(all_words) < SHINGLE_WORDS:
        return set()
    key = _key()[:64]
    word_hash = {
        w: int.from_bytes(hashlib.blake2b(w.encode(), key=key, digest_size=8).digest(), "big")
        for w in set(all_words)
    }
    values = [word_hash[w] for w in all_words]
    current = 0
    for value in values[:SHINGLE_WORDS]:
        current = (current * _BASE + value) & _MASK
    digests = {current}
    for leaving, entering in zip(values, values[SHINGLE_WORDS:], strict=False):
        current = ((current - leaving * _HIGH) * _BASE + entering) & _MASK
        digests.add(current)
    # Stored in a signed 64-bit column.
    return {d - (1 << 64) if d >= 1 << 63 else d for d in digests}
