"""Keyed hashes for the restricted registers. The key (REGISTER_KEY) comes from
the environment; without it the stored hashes cannot be tested against a guess.

Words are normalised first (normalise.py, then accents removed and case folded),
so "Zoë SMITH" and "zoe smith" give the same hashes."""

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings

from scr_tracker.intake.normalise import normalise

SHINGLE_WORDS = 8  # a document fingerprint is every run of eight words
_WORD = re.compile(r"[^\W_]+")


def _key() -> bytes:
    return settings.REGISTER_KEY.encode()


def key_id() -> str:
    """Names the key without revealing it, so rows made under another key show up."""
    return hmac.new(_key(), b"register key id", hashlib.sha256).hexdigest()[:16]


def words(text: str) -> list[str]:
    text = normalise(text)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(text.casefold())


def term_digest(term_words: list[str] | tuple[str, ...]) -> str:
    """HMAC-SHA-256 of one to three normalised words."""
    message = " ".join(term_words).encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def shingle_digests(all_words: list[str]) -> set[int]:
    """Keyed 64-bit hashes (BLAKE2b with the key) of every eight-word run."""
    key = _key()[:64]
    digests = set()
    for start in range(len(all_words) - SHINGLE_WORDS + 1):
        data = " ".join(all_words[start : start + SHINGLE_WORDS]).encode()
        raw = hashlib.blake2b(data, key=key, digest_size=8).digest()
        digests.add(int.from_bytes(raw, "big", signed=True))
    return digests
