"""The identifier guard for text: identifiers (identifiers.py), restricted terms
and overlap with restricted documents (registers).

Messages say what kind of thing was found and where, and how to fix it. They
never contain the value; logs carry the rule and the place only."""

import logging
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from scr_tracker.intake import halves, keyed
from scr_tracker.intake.identifiers import find_identifiers
from scr_tracker.intake.normalise import (
    Squeezed,
    identifier_text,
    normalise_with_characters,
    word_buffer,
)
from scr_tracker.intake.terms import contains_restricted_term, registered_terms
from scr_tracker.intake.words import Words

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
    text: str,
    *,
    where: str = "",
    by_line: bool = False,
    documents: bool = True,
    first_only: bool = False,
) -> list[Problem]:
    """Everything wrong with one piece of text, as messages that are safe to show."""
    return check_text(
        text, where=where, by_line=by_line, documents=documents, first_only=first_only
    ).problems


class Checked:
    """The problems of a text, and its words and their keyed values (read
    once, when first wanted)."""

    def __init__(self, text: str):
        self.text = text
        self.problems: list[Problem] = []

    @cached_property
    def normalised(self) -> tuple[str, set[str]]:
        return normalise_with_characters(self.text)

    @cached_property
    def words(self) -> Words:
        return Words(word_buffer(*self.normalised))

    @cached_property
    def values(self) -> np.ndarray:
        return keyed.word_values(self.words)


def check_text(
    text: str,
    *,
    where: str = "",
    by_line: bool = False,
    documents: bool = True,
    first_only: bool = False,
    keep_values: bool = False,
) -> Checked:
    """text_problems(), keeping the words' keyed values for a later overlap
    check (keep_values). With first_only, the check stops at the first
    identifier (a file is refused whole: nothing in it is redacted, so the
    rest need not be located). A long text is checked in two halves at once
    where a second process can run (halves.py)."""
    checked = Checked(text)
    if not text:
        return checked
    if halves.wanted(text) and _in_two(checked, by_line, documents, first_only, keep_values):
        _log(checked.problems, where)
        return checked
    problems = checked.problems
    normalised, characters = checked.normalised
    squeezed = Squeezed(identifier_text(normalised, characters))
    by_rule: dict[str, list] = {}
    for finding in find_identifiers(squeezed.text, first_only=first_only):
        by_rule.setdefault(finding.rule, []).append(finding)
    for rule, findings in by_rule.items():
        # One message per kind is enough to fix it; every place is redacted.
        spans = tuple(squeezed.original_span(f.start, f.end) for f in findings)
        message = _identifier_message(text, spans[0], findings[0].label, by_line)
        problems.append(Problem(rule, message, spans))
    if first_only and problems:
        _log(problems, where)
        return checked
    terms = registered_terms()
    if terms and contains_restricted_term(checked.words, terms):
        problems.append(Problem("restricted_term", RESTRICTED_TERM))
    if documents and documents_registered() and overlaps_restricted_document(checked.values):
        problems.append(Problem("restricted_document", RESTRICTED_DOCUMENT))
    _log(problems, where)
    return checked


def _in_two(checked: Checked, by_line, documents, first_only, keep_values) -> bool:
    """check_text() by halves.check(); False when the text has no place to cut."""
    compare = documents and documents_registered()
    register = halves.Register(
        registered_terms(),
        compare,
        published_shingles() if compare else frozenset(),
        _register() if compare else None,
    )
    result = halves.check(checked.text, register, first_only=first_only, keep_values=keep_values)
    if result is None:
        return False
    findings, term, overlap, values = result
    by_rule: dict[str, list] = {}
    for rule, label, span in findings:
        by_rule.setdefault(rule, [label]).append(span)
    for rule, (label, *spans) in by_rule.items():
        message = _identifier_message(checked.text, spans[0], label, by_line)
        checked.problems.append(Problem(rule, message, tuple(spans)))
    if values is not None:
        checked.values = values
    if first_only and checked.problems:
        return True
    if term:
        checked.problems.append(Problem("restricted_term", RESTRICTED_TERM))
    if overlap is not None and _overlapping(*overlap):
        checked.problems.append(Problem("restricted_document", RESTRICTED_DOCUMENT))
    return True


def _log(problems, where):
    for problem in problems:
        log.warning("intake refused: rule=%s where=%s", problem.rule, where or "text")


def _identifier_message(text, span, rule_label, by_line) -> str:
    start, end = span
    if by_line:
        # Normalising never makes or removes a line break: count in the text.
        place = f"line {text.count(chr(10), 0, start) + 1}"
    else:
        place = f"characters {start + 1}–{end}"
    return f"This looks like {rule_label} ({place}). Remove it."


def documents_registered() -> bool:
    from scr_tracker.intake.models import RestrictedDocument

    return RestrictedDocument.objects.exists()


def overlaps_restricted_document(values: np.ndarray) -> bool:
    """Whether a text, as its words' keyed values (keyed.word_values), shares
    enough runs of words with a registered document (callers ask
    documents_registered() first)."""
    if len(values) < keyed.SHINGLE_WORDS:
        return False
    runs = keyed.shingle_array(values)
    published = published_shingles()
    if len(runs) < _IN_MEMORY_FROM:
        shingles = set(runs.tolist()) - published
        distinct, matched = len(shingles), _matches_per_document(shingles) if shingles else {}
    else:
        distinct = _distinct_at_least(runs, published, 2 * OVERLAP_SHINGLES)
        matched = _matches_in_register(runs, published)
    return _overlapping(distinct, matched)


def _overlapping(distinct: int, matched: dict[int, int]) -> bool:
    """Whether a text with `distinct` unpublished runs, `matched[document]` of
    them in a registered document, overlaps it."""
    threshold = min(OVERLAP_SHINGLES, max(OVERLAP_MIN_SHORT, (distinct + 1) // 2))
    return distinct > 0 and any(count >= threshold for count in matched.values())


def _distinct_at_least(runs: np.ndarray, published: frozenset, enough: int) -> int:
    """How many distinct unpublished runs there are, counted only until
    `enough` (beyond it the threshold is the same)."""
    seen: set[int] = set()
    for start in range(0, len(runs), _QUERY_CHUNK):
        seen.update(runs[start : start + _QUERY_CHUNK].tolist())
        if len(seen - published) >= enough:
            break
    return len(seen - published)


def _matches_in_register(runs: np.ndarray, published: frozenset) -> dict[int, int]:
    """A long text: every run looked up in the register at once (a binary
    search per run, in C); how many of each document's runs it holds."""
    documents, digests = _register()
    if published and len(digests):
        unpublished = ~np.isin(digests, np.fromiter(published, dtype=np.int64))
        documents, digests = documents[unpublished], digests[unpublished]
    if not len(digests):
        return {}
    nearest = digests[np.minimum(np.searchsorted(digests, runs), len(digests) - 1)]
    held = np.isin(digests, np.unique(nearest[nearest == runs]))
    counts = np.bincount(documents[held])
    return {int(document): int(counts[document]) for document in np.flatnonzero(counts)}


# This process's copy of the register's runs, and the documents it was read
# from (their ids and SHA-256, read on every long check: one small query).
_register_copy = {"documents": None, "arrays": None}


def _register() -> tuple[np.ndarray, np.ndarray]:
    """The register's runs as arrays sorted by digest: (document, digest)."""
    from scr_tracker.intake.models import RestrictedDocument, RestrictedShingle

    documents = list(RestrictedDocument.objects.order_by("pk").values_list("pk", "sha256"))
    if documents != _register_copy["documents"]:
        rows = RestrictedShingle.objects.values_list("document", "digest")
        pairs = np.array(list(rows), dtype=np.int64).reshape(-1, 2)
        order = np.argsort(pairs[:, 1], kind="stable")
        _register_copy.update(documents=documents, arrays=(pairs[order, 0], pairs[order, 1]))
    return _register_copy["arrays"]


def _matches_per_document(shingles: set[int]) -> dict[int, int]:
    from scr_tracker.intake.models import RestrictedShingle

    matched: dict[int, int] = {}
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
