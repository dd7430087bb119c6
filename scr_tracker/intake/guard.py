"""The identifier guard for text: identifiers (identifiers.py), restricted terms
and overlap with restricted documents (registers).

Messages say what kind of thing was found and where, and how to fix it. They
never contain the value; logs carry the rule and the place only."""

import logging
from dataclasses import dataclass

from scr_tracker.intake import keyed
from scr_tracker.intake.identifiers import find_identifiers
from scr_tracker.intake.normalise import Squeezed, normalise

log = logging.getLogger("scr_tracker.intake")

# A text overlaps a restricted document when it shares this many eight-word
# runs with it (about two sentences), or at least half of its own runs.
OVERLAP_SHINGLES = 15
OVERLAP_MIN_SHORT = 3
_QUERY_CHUNK = 2000
_IN_MEMORY_FROM = 5000


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str  # safe to show: no value, says how to fix
    spans: tuple[tuple[int, int], ...] = ()  # where in the original text, to redact it


RESTRICTED_TERM = "This contains a name or term on the partnership's restricted list. Remove it."
RESTRICTED_DOCUMENT = (
    "This matches a document that must not be kept in the tracker. Remove that material; "
    "if you think this is wrong, ask the partnership's business manager."
)


def text_problems(
    text: str, *, where: str = "", by_line: bool = False, documents: bool = True
) -> list[Problem]:
    """Everything wrong with one piece of text, as messages that are safe to show."""
    if not text:
        return []
    normalised = normalise(text)
    squeezed = Squeezed(normalised)
    problems = []
    by_rule: dict[str, list] = {}
    for finding in find_identifiers(squeezed.text):
        by_rule.setdefault(finding.rule, []).append(finding)
    for rule, findings in by_rule.items():
        # One message per kind is enough to fix it; every place is redacted.
        spans = tuple(squeezed.original_span(f.start, f.end) for f in findings)
        message = _identifier_message(normalised, spans[0], findings[0].label, by_line)
        problems.append(Problem(rule, message, spans))
    text_words = keyed.words(normalised, normalised=True)
    if contains_restricted_term(text_words):
        problems.append(Problem("restricted_term", RESTRICTED_TERM))
    if documents and overlaps_restricted_document(text_words):
        problems.append(Problem("restricted_document", RESTRICTED_DOCUMENT))
    for problem in problems:
        log.warning("intake refused: rule=%s where=%s", problem.rule, where or "text")
    return problems


def _identifier_message(normalised, span, rule_label, by_line) -> str:
    start, end = span
    if by_line:
        place = f"line {normalised.count(chr(10), 0, start) + 1}"
    else:
        place = f"characters {start + 1}–{end}"
    return f"This looks like {rule_label} ({place}). Remove it."


def contains_restricted_term(text_words: list[str]) -> bool:
    from scr_tracker.intake.models import RestrictedTerm

    if not text_words:
        return False
    rows = list(RestrictedTerm.objects.values_list("scheme", "digest", "first_word_digest", "keys"))
    exact = [(digest, first) for scheme, digest, first, _ in rows if scheme == 1]
    keys = [k for scheme, _, _, k in rows if scheme == 2]
    return bool(exact and _exact_term(text_words, exact)) or bool(
        keys and _look_alike_term(text_words, keys)
    )


def _exact_term(text_words, rows) -> bool:
    """Terms entered before look-alike matching: the same words in the same order."""
    digests = {digest for digest, _ in rows}
    first_words = {first for _, first in rows}
    starts = {w for w in set(text_words) if keyed.term_digest([w]) in first_words}
    if not starts:
        return False
    seen = set()
    for index, word in enumerate(text_words):
        if word not in starts:
            continue
        for size in (1, 2, 3):
            gram = tuple(text_words[index : index + size])
            if len(gram) == size and gram not in seen:
                seen.add(gram)
                if keyed.term_digest(gram) in digests:
                    return True
    return False


def _look_alike_term(text_words, all_keys) -> bool:
    """A term's words in any order, with look-alike letters and digits, run
    together, or spelled out in single letters ("J a n e"). One keyed hash per
    distinct word of the text; n-grams only where every word is a term's word."""
    word_keys = {d for keys in all_keys for d in keys.get("word", [])}
    whole = {d for keys in all_keys for d in keys.get("term", []) + keys.get("joined", [])}
    skel = " ".join(text_words).translate(keyed.SKELETON).split(" ")
    sequences = [skel]
    collapsed = _collapse_single_letters(skel)
    if collapsed is not None:
        sequences.append(collapsed)
    for words in sequences:
        digest = {w: keyed.term_digest([w]) for w in set(words)}
        if any(d in whole for d in digest.values()):
            return True  # a one-word term, or a term's words run together
        hits = {w for w, d in digest.items() if d in word_keys}
        if not hits:
            continue
        for index, word in enumerate(words):
            if word not in hits:
                continue
            for size in (2, 3):
                gram = words[index : index + size]
                complete = len(gram) == size and all(w in hits for w in gram)
                if complete and keyed.term_digest(sorted(gram)) in whole:
                    return True
    return False


def _collapse_single_letters(words):
    """The words with every run of two or more one-letter words joined into
    one ("J a n e" -> "jane"), or None when there is no such run."""
    out, run, found = [], [], False
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        if len(run) >= 2:
            out.append("".join(run))
            found = True
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out if found else None


def overlaps_restricted_document(text_words: list[str]) -> bool:
    from scr_tracker.intake.models import RestrictedDocument

    if len(text_words) < keyed.SHINGLE_WORDS or not RestrictedDocument.objects.exists():
        return False
    shingles = keyed.shingle_digests(text_words) - published_shingles()
    if not shingles:
        return False
    matched = _matches_per_document(shingles)
    threshold = min(OVERLAP_SHINGLES, max(OVERLAP_MIN_SHORT, (len(shingles) + 1) // 2))
    return any(count >= threshold for count in matched.values())


def _matches_per_document(shingles: set[int]) -> dict[int, int]:
    from scr_tracker.intake.models import RestrictedShingle

    matched: dict[int, int] = {}
    if len(shingles) >= _IN_MEMORY_FROM:
        # A long text: one pass over the register beats thousands of lookups.
        for document_id, digest in RestrictedShingle.objects.values_list("document", "digest"):
            if digest in shingles:
                matched[document_id] = matched.get(document_id, 0) + 1
        return matched
    ordered = sorted(shingles)
    for start in range(0, len(ordered), _QUERY_CHUNK):
        chunk = ordered[start : start + _QUERY_CHUNK]
        rows = RestrictedShingle.objects.filter(digest__in=chunk).values_list("document", "digest")
        for document_id, _ in set(rows):
            matched[document_id] = matched.get(document_id, 0) + 1
    return matched


# Where the published texts come from: each source is a callable returning
# (text, [sub-points]) pairs. The recommendations app adds its published
# recommendations when it starts (the intake never imports it).
_PUBLISHED_SOURCES = []


def add_published_source(source):
    if source not in _PUBLISHED_SOURCES:
        _PUBLISHED_SOURCES.append(source)


# This process's copy of the published texts' fingerprints, and the version of
# the texts it was made from (intake.PublishedTexts).
_published = {"version": None, "shingles": frozenset()}


def published_texts_changed():
    """Call in the transaction that changes a published text: every process
    recomputes the published fingerprints on its next check."""
    from django.db.models import F

    from scr_tracker.intake.models import PublishedTexts

    if not PublishedTexts.objects.filter(pk=1).update(version=F("version") + 1):
        PublishedTexts.objects.create(pk=1, version=1)


def published_shingles() -> frozenset[int]:
    """Runs of words in the published recommendations: quoting a published
    recommendation is expected, even if a restricted report quotes it too.
    Computed once per version of the texts, not on every check (one query to
    read the version), so a save costs the same at any number of them."""
    from scr_tracker.intake.models import PublishedTexts

    version = PublishedTexts.objects.filter(pk=1).values_list("version", flat=True).first()
    if version is not None and version == _published["version"]:
        return _published["shingles"]
    published = set()
    for source in _PUBLISHED_SOURCES:
        for text, sub_points in source():
            published |= keyed.shingle_digests(keyed.words(" ".join([text, *(sub_points or [])])))
    if version is not None:
        _published.update(version=version, shingles=frozenset(published))
    return frozenset(published)
