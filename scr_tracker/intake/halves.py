"""A long text checked in two processes, one half each, on a machine with a
second core: the same findings as checking it whole (guard.check_text), in
about half the time.

The text is cut at a space between two words of two letters or digits or
more, so no word, no glued run ("Sm.ith", "J a n e") and no character's
normalisation crosses the cut. Then:
- identifiers: each half reads its own stretch with the text around it (at
  least CONTEXT visible characters each side, more than any rule reads), and
  keeps only those that start in its stretch, so none is found twice or lost;
- restricted terms: each half reads its own words, and the seam (the words
  either side of the cut) is read once more here;
- restricted documents: each half matches its own eight-word runs against the
  register, and the seven runs that cross the cut are matched here.

This process checks the first half while a forked child checks the second.
The child reads no database and writes no log: everything it needs (terms,
register, published runs) is read here before the fork, and it sends its
findings back through a pipe. When the child cannot run or fails, this process
checks the second half itself: the text is never passed unchecked.

Used only for long texts (SPLIT_FROM), when GUARD_PROCESSES allows a second
process, and when this process has one thread (forking a threaded process
can deadlock the child)."""

import logging
import os
import pickle
import re
import select
import signal
import threading
import time

import numpy as np
from django.conf import settings

from scr_tracker.intake import keyed
from scr_tracker.intake.identifiers import find_identifiers
from scr_tracker.intake.normalise import (
    INVISIBLE,
    Squeezed,
    _fold_table,
    _table,
    identifier_text,
    normalise,
    normalise_with_characters,
    word_buffer,
)
from scr_tracker.intake.terms import contains_restricted_term
from scr_tracker.intake.words import Words

log = logging.getLogger("scr_tracker.intake")

SPLIT_FROM = 1_000_000  # characters; below this a fork costs more than it saves
CONTEXT = 256  # visible characters read either side of a stretch
SEAM_WORDS = 8  # words either side of the cut read again for terms
_CUT = re.compile(r"[A-Za-z0-9]{2} [A-Za-z0-9]{2}")
_CUT_SEARCH = 1 << 16
_CHILD_SECONDS = 120


def wanted(text: str) -> bool:
    return (
        len(text) >= SPLIT_FROM
        and settings.GUARD_PROCESSES > 1
        and hasattr(os, "fork")
        and threading.active_count() == 1
    )


def cut_point(text: str) -> int | None:
    """A space near the middle with two letters or digits either side, or None."""
    middle = len(text) * 13 // 25  # this process's half a little longer: the child starts later
    match = _CUT.search(text, middle, middle + _CUT_SEARCH)
    return match.start() + 2 if match else None


class Register:
    """What the halves match against, read from the database before the fork."""

    def __init__(self, terms, documents: bool, published: frozenset, arrays):
        self.terms = terms
        self.documents = documents
        self.published = published
        if documents:
            document_ids, digests = arrays
            if published and len(digests):
                keep = ~np.isin(digests, np.fromiter(published, dtype=np.int64))
                document_ids, digests = document_ids[keep], digests[keep]
            self.document_ids, self.digests = document_ids, digests


def check(text: str, register: Register, *, first_only: bool, keep_values: bool):
    """(findings as (rule, label, (start, end)) in order, a restricted term found,
    the documents' matched run counts or None, the words' keyed values or
    None), or None when the text has no place to cut."""
    cut = cut_point(text)
    if cut is None:
        return None
    _warm()
    second = _Child(_stretch, text, cut, len(text), register, first_only, keep_values)
    first = _stretch(text, 0, cut, register, first_only, keep_values)
    if first_only and first["findings"]:
        second.stop()
        return first["findings"], False, None, None
    other = second.result()
    if other is None:
        log.warning("intake: the second process failed; this one checked both halves")
        other = _stretch(text, cut, len(text), register, first_only, keep_values)
    else:
        log.info("intake: %d characters checked in two processes", len(text))
    if first_only and other["findings"]:
        return other["findings"], False, None, None
    findings = sorted(first["findings"] + other["findings"], key=lambda f: (f[2][0], f[0]))
    term = first["term"] or other["term"] or _seam_term(first, other, register)
    matched = None
    if register.documents:
        matched = _overlap(first, other, register)
    values = None
    if keep_values:
        values = np.concatenate([first["values"], other["values"]])
    return findings, term, matched, values


def _warm():
    """Fill the per-process tables here, once, not in every child."""
    _table()
    _fold_table()


def _around(text: str, position: int, step: int) -> int:
    """A position CONTEXT visible characters or more from position (step -1
    before it, +1 after it), or the text's edge."""
    reach = CONTEXT
    while True:
        edge = max(0, position - reach) if step < 0 else min(len(text), position + reach)
        stretch = text[edge:position] if step < 0 else text[position:edge]
        if edge in (0, len(text)) or len(stretch) - normalise(stretch).count(INVISIBLE) >= CONTEXT:
            return edge
        reach *= 2


def _stretch(text, start, stop, register, first_only, keep_values) -> dict:
    """Everything the guard finds in text[start:stop], reading the text around it."""
    begin, end = _around(text, start, -1), _around(text, stop, +1)
    normalised, characters = normalise_with_characters(text[begin:end])
    squeezed = Squeezed(identifier_text(normalised, characters))
    found = find_identifiers(
        squeezed.text,
        first_only=first_only,
        start=squeezed.squeezed(start - begin),
        stop=squeezed.squeezed(stop - begin),
    )
    findings = []
    for finding in found:
        low, high = squeezed.original_span(finding.start, finding.end)
        findings.append((finding.rule, finding.label, (begin + low, begin + high)))
    result = {"findings": findings, "term": False, "values": None}
    if first_only and findings:
        return result
    words = Words(word_buffer(normalised[start - begin : stop - begin], characters))
    result["edges"] = (words.list[: 4 * SEAM_WORDS], words.list[-4 * SEAM_WORDS :])
    result["term"] = bool(register.terms) and contains_restricted_term(words, register.terms)
    if register.documents or keep_values:
        values = keyed.word_values(words)
        result["values"] = values
    if register.documents:
        result.update(_runs(values, register))
        if not keep_values and len(values) > 2 * SEAM_WORDS:
            # Only the words at the cut are needed (the runs across it).
            result["values"] = np.concatenate([values[:SEAM_WORDS], values[-SEAM_WORDS:]])
    return result


def _seam_term(first, other, register) -> bool:
    """A term whose words lie either side of the cut."""
    if not register.terms or "edges" not in first or "edges" not in other:
        return False
    before, after = first["edges"][1], other["edges"][0]
    before = before[_unbroken_from(before, SEAM_WORDS) :]
    after = after[: len(after) - _unbroken_from(after[::-1], SEAM_WORDS)]
    return contains_restricted_term(Words(b" ".join(before + after)), register.terms)


def _unbroken_from(words: list[bytes], count: int) -> int:
    """Where to start taking the last `count` words so that a run of single
    letters ("J a n e") is never cut in two (a cut run could read as a term
    the whole run is not)."""
    index = max(0, len(words) - count)
    while index > 0 and _single(words[index]) and _single(words[index - 1]):
        index -= 1
    return index


def _single(word: bytes) -> bool:
    return len(word.decode("utf-8", "replace")) == 1


def _runs(values: np.ndarray, register: Register) -> dict:
    """The distinct unpublished runs (enough of them to set the threshold)
    and the register's runs this stretch holds."""
    from scr_tracker.intake.guard import OVERLAP_SHINGLES

    runs = keyed.shingle_array(values)
    seen: set[int] = set()
    for begin in range(0, len(runs), 2000):
        seen.update(runs[begin : begin + 2000].tolist())
        seen -= register.published
        if len(seen) >= 2 * OVERLAP_SHINGLES:
            break
    return {"seen": seen, "held": _held(runs, register)}


def _held(runs: np.ndarray, register: Register) -> np.ndarray:
    digests = register.digests
    if not len(digests) or not len(runs):
        return np.zeros(0, dtype=np.int64)
    nearest = digests[np.minimum(np.searchsorted(digests, runs), len(digests) - 1)]
    return np.unique(nearest[nearest == runs])


def _overlap(first, other, register) -> tuple[int, dict[int, int]]:
    """(distinct unpublished runs, capped; each document's runs held), as
    guard.overlaps_restricted_document decides on them."""
    tail = first["values"][-(keyed.SHINGLE_WORDS - 1) :]
    head = other["values"][: keyed.SHINGLE_WORDS - 1]
    across = keyed.shingle_array(np.concatenate([tail, head]))
    seen = first["seen"] | other["seen"] | (set(across.tolist()) - register.published)
    held = np.concatenate([first["held"], other["held"], _held(across, register)])
    counts = np.bincount(register.document_ids[np.isin(register.digests, held)])
    return len(seen), {int(d): int(counts[d]) for d in np.flatnonzero(counts)}


class _Child:
    """function(*args) in a forked process; its result comes back pickled."""

    def __init__(self, function, *args):
        self.pid = None
        try:
            read, write = os.pipe()
            self.pid = os.fork()
        except OSError:
            return
        if self.pid == 0:  # the child: compute, send, and leave at once
            status = 0
            try:
                os.close(read)
                data = pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            except BaseException:  # noqa: BLE001 - the parent checks the half itself
                status = 1
            finally:
                os._exit(status)
        os.close(write)
        self.read = read

    def stop(self):
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.read)

    def result(self):
        """The child's result, or None when it failed or took too long."""
        if not self.pid:
            return None
        chunks, deadline = [], time.monotonic() + _CHILD_SECONDS
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.read], [], [], left)[0]:
                    os.kill(self.pid, signal.SIGKILL)
                    break
                chunk = os.read(self.read, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(self.read)
            _, status = os.waitpid(self.pid, 0)
        if status != 0:
            return None
        try:
            return pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's bytes
        except Exception:  # noqa: BLE001
            return None
