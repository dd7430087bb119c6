"""Fingerprints of a restricted document: the file's SHA-256 and the keyed
hashes of its eight-word runs. The file and its text are dropped here."""

import hashlib
from dataclasses import dataclass

from scr_tracker.intake import keyed
from scr_tracker.intake.extract import ALLOWED_DESCRIPTION, TYPES, Refused, inspect
from scr_tracker.intake.uploads import clean_name, extension_of
from scr_tracker.intake.words import Words

# The places that hold what the document's author wrote. Everything else
# (document properties, styles, settings, sheet names, links, unused objects)
# is the same in every file the same program makes: fingerprinting it would
# refuse unrelated files from that program.
OWN_TEXT = (
    "",  # plain text and CSV
    "page ",
    "comments",
    "the document body",
    "the cells",
    "sheet ",
    "a sheet",
    "footnotes",
    "endnotes",
    "a header",
    "a footer",
)


def is_own_text(where: str) -> bool:
    return where == "" or any(where.startswith(prefix) for prefix in OWN_TEXT if prefix)


@dataclass
class Fingerprint:
    sha256: str
    shingles: set[int]
    unreadable: list[str]


def fingerprint(upload) -> Fingerprint:
    data = b"".join(upload.chunks())
    if not data:
        raise Refused("The document is empty. Choose the file again.")
    sha256 = hashlib.sha256(data).hexdigest()
    extension = extension_of(clean_name(upload.name))
    if extension not in TYPES:
        # Still worth registering: the same file is then refused on sight.
        return Fingerprint(sha256, set(), [f"its type is not one of {ALLOWED_DESCRIPTION}"])
    extracted = inspect(extension, data)
    all_words: list[bytes] = []
    for part in extracted.parts:
        if is_own_text(part.where):
            all_words.extend(Words.of(part.text).list)
    shingles = keyed.shingle_array(keyed.word_values(Words.from_list(all_words)))
    return Fingerprint(sha256, set(shingles.tolist()), extracted.unreadable)
