"""Restricted terms in a text: names, aliases and pseudonyms the partnership
has registered, kept only as keyed hashes (keyed.term_keys).

A term matches with its words in any order, with look-alike letters and
digits for letters, run together, spelled out in single letters ("J a n e"),
or cut into pieces by joiners ("Sm.ith", "Sm-ith", a zero-width space). One
keyed hash per distinct word of the text; word positions only for the words
that are a term's words."""

from bisect import bisect_right

import numpy as np

from scr_tracker.intake import keyed
from scr_tracker.intake.words import Words


def registered_terms() -> list[tuple]:
    """The register's keyed hashes (one query), read once per text checked."""
    from scr_tracker.intake.models import RestrictedTerm

    return list(RestrictedTerm.objects.values_list("scheme", "digest", "first_word_digest", "keys"))


def contains_restricted_term(words: Words, rows: list[tuple]) -> bool:
    if not len(words):
        return False
    exact = [(digest, first) for scheme, digest, first, _ in rows if scheme == 1]
    keys = [k for scheme, _, _, k in rows if scheme == 2]
    return bool(exact and _exact_term(words, exact)) or bool(keys and _look_alike_term(words, keys))


def _exact_term(words: Words, rows) -> bool:
    """Terms entered before look-alike matching: the same words in the same order."""
    digests = {digest for digest, _ in rows}
    first_words = {first for _, first in rows}
    starts = {w for w, d in keyed.digests(words.distinct).items() if d in first_words}
    text = words.list
    for index in words.positions(starts).tolist():
        for size in (1, 2, 3):
            gram = text[index : index + size]
            if len(gram) == size and keyed.digest(b" ".join(gram)) in digests:
                return True
    return False


def _look_alike_term(words: Words, all_keys) -> bool:
    word_keys = {d for keys in all_keys for d in keys.get("word", [])}
    whole = {d for keys in all_keys for d in keys.get("term", []) + keys.get("joined", [])}
    distinct = list(words.distinct)
    # One translate for all of them (no word holds a line break).
    skeletons = b"\n".join(distinct).translate(keyed.SKELETON_BYTES).split(b"\n")
    skeleton = dict(zip(distinct, skeletons, strict=True))
    digest = keyed.digests(set(skeleton.values()))
    if any(d in whole for d in digest.values()):
        return True  # a one-word term, or a term's words run together
    hits = {w for w, s in skeleton.items() if digest[s] in word_keys}
    positions = words.positions(hits)
    if _side_by_side(words, positions, skeleton, whole):
        return True
    glued = _glued_pieces(words, digest, whole, word_keys)
    if glued is True:
        return True
    if not glued:
        return False
    # Read with the glued runs as words: a run replaces the words inside it.
    plain = [(i, i + 1, skeleton[words.list[i]]) for i in positions.tolist()]
    firsts = [first for first, _, _ in glued]
    outside = [piece for piece in plain if not _inside(piece[0], glued, firsts)]
    return _adjacent_term(sorted(outside + glued), whole)


def _side_by_side(words: Words, positions, skeleton, whole) -> bool:
    """A term's words next to each other as written: only where two or three
    of its words are adjacent (found with array operations)."""
    if len(positions) < 2:
        return False
    starts = positions[:-1][np.diff(positions) == 1].tolist()
    text = words.list
    for start in starts:
        for size in (2, 3):
            gram = text[start : start + size]
            if (
                len(gram) == size
                and keyed.digest(b" ".join(sorted(skeleton[w] for w in gram))) in whole
            ):
                return True
    return False


def _glued_pieces(words: Words, digest, whole, word_keys):
    """The glued runs that are a term's words, as (first, after, skeleton);
    True when one is a whole term ("Sm.ith", "J a n e", "Jane-Smith")."""
    firsts, afters, written_runs = words.glued_runs()
    hits = {}
    for written in set(written_runs):
        skel = Words.glued(written).translate(keyed.SKELETON_BYTES)
        if skel not in digest:
            digest[skel] = keyed.digest(skel)
        if digest[skel] in whole:
            return True
        if digest[skel] in word_keys:
            hits[written] = skel
    if not hits:
        return []
    return [
        (first, after, hits[written])
        for first, after, written in zip(
            firsts.tolist(), afters.tolist(), written_runs, strict=True
        )
        if written in hits
    ]


def _inside(position, glued, firsts) -> bool:
    index = bisect_right(firsts, position) - 1
    return index >= 0 and position < glued[index][1]


def _adjacent_term(pieces, whole) -> bool:
    """Two or three pieces side by side whose words, sorted, are a term."""
    after_of = {first: (after, skel) for first, after, skel in pieces}
    for _, after, skel in pieces:
        gram = [skel]
        following = after
        for _ in (2, 3):
            if following not in after_of:
                break
            following, next_skel = after_of[following]
            gram.append(next_skel)
            if keyed.digest(b" ".join(sorted(gram))) in whole:
                return True
    return False
