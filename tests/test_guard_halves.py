"""A long text checked in two processes (intake/halves.py) is refused for
exactly what checking it whole refuses it for, wherever the identifier, term
or excerpt lies relative to the cut, and a child that fails never lets a
half through unchecked.

The size threshold is lowered here so that short generated texts are cut;
the halves run in a real forked child."""

import os
import random
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scr_tracker.intake import halves
from scr_tracker.intake.guard import check_text
from tests import factories

FILLER_TEXT = (
    "the partnership reviewed training audit supervision referral threshold strategy "
    "meeting assurance practice neglect escalation board agencies shared plans visits notes"
)
FILLER = FILLER_TEXT.split()
REGISTERED = (
    "an invented panel heard how a fictional family moved between four made up towns each "
    "move closing one set of services and opening another with no agency carrying the "
    "history of concern forward to the next while every record stayed with the old team"
)
PLANTED = [
    "943 476 5919",
    "9 4 3 4 7 6 5 9 1 9",
    "(943)/476-5919",
    "WS1 1TP",
    "AB 12 34 56 C",
    "date of birth 12/03/2014",
    "DOB: 3rd March 2014",
    "Invented Pseudonym",
    "Pseudonym, Invented",
    "P s e u d o n y m Invented",
    "In-vent-ed.Pseu\u200bdonym",
    "Inv\u0435nted Ps\u0435udonym",  # Cyrillic е
    REGISTERED,
    "caf\u00e9 na\u00efve \u201cquoted\u201d",
    "\u200b" * 300,  # invisible characters: the context must reach past them
    "J a n e",
    "0121 496 0000",  # a phone number: passes
    "943 476 5918",  # a failing check digit: passes
]


IDENTIFIERS = {"nhs_number", "postcode", "ni_number", "date_of_birth", "upn"}


@pytest.fixture
def registers(db):
    factories.make_restricted_term("Invented Pseudonym")
    factories.make_restricted_document(REGISTERED)


def whole(text, **options):
    from django.test import override_settings

    with override_settings(GUARD_PROCESSES=1):
        return _seen(check_text(text, **options), options)


def in_halves(text, monkeypatch, **options):
    monkeypatch.setattr(halves, "SPLIT_FROM", 0)
    monkeypatch.setattr(halves.threading, "active_count", lambda: 1)
    calls = []
    real = halves.check
    monkeypatch.setattr(halves, "check", lambda *a, **k: calls.append(1) or real(*a, **k))
    with warnings.catch_warnings():
        # The test process may run threads of its own; the app forks only when it has one.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        seen = _seen(check_text(text, **options), options)
    return seen, bool(calls)


def _seen(checked, options):
    """The problems, and the words' keyed values when they were to be kept
    (and the check went that far)."""
    values = checked.__dict__.get("values") if options.get("keep_values") else None
    return (
        [(p.rule, p.message, p.spans) for p in checked.problems],
        None if values is None else values.tolist(),
    )


def text_with(planted: list[tuple[int, str]], words=400, seed=0):
    rng = random.Random(seed)  # noqa: S311 (invented text)
    out = [rng.choice(FILLER) for _ in range(words)]
    for offset, item in sorted(planted, reverse=True):
        out.insert(words // 2 + offset, item)
    return " ".join(out)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    planted=st.lists(
        st.tuples(st.integers(-12, 12), st.sampled_from(PLANTED)), min_size=1, max_size=4
    ),
    seed=st.integers(0, 50),
    first_only=st.booleans(),
)
def test_two_halves_refuse_exactly_what_the_whole_does(
    registers, monkeypatch, planted, seed, first_only
):
    text = text_with(planted, seed=seed)
    options = {"first_only": first_only, "keep_values": True, "by_line": seed % 2 == 0}
    expected = whole(text, **options)
    got, cut = in_halves(text, monkeypatch, **options)
    assert cut
    if first_only and expected[0] and expected[0][0][0] in IDENTIFIERS:
        # A file is refused at the first identifier a half finds: one of
        # those the whole text holds, not always the same one.
        everything = {rule for rule, _, _ in whole(text)[0]}
        assert len(got[0]) == 1 and got[0][0][0] in everything & IDENTIFIERS
    else:
        assert got == expected


def test_each_planted_thing_at_the_cut_is_found_once(registers, monkeypatch):
    """Every planted identifier, term and excerpt, laid across the cut itself."""
    for item in PLANTED:
        for offset in (-1, 0, 1):
            text = text_with([(offset, item)])
            expected = whole(text)
            assert in_halves(text, monkeypatch)[0] == expected, (item, offset)


def test_a_child_that_fails_leaves_its_half_to_this_process(registers, monkeypatch):
    parent = os.getpid()
    real = halves._stretch

    def failing(*args):
        if os.getpid() != parent:
            os._exit(3)  # the child dies without a word
        return real(*args)

    monkeypatch.setattr(halves, "_stretch", failing)
    text = text_with([(5, "943 476 5919"), (9, "Invented Pseudonym")])
    expected = whole(text)
    assert [rule for rule, _, _ in expected[0]] == ["nhs_number", "restricted_term"]
    assert in_halves(text, monkeypatch)[0] == expected


def test_a_text_with_no_place_to_cut_is_checked_whole(registers, monkeypatch):
    text = "1 2 3 4 " * 300 + " 9 4 3 4 7 6 5 9 1 9"
    assert halves.cut_point(text) is None
    got, _ = in_halves(text, monkeypatch)
    assert [rule for rule, _, _ in got[0]] == ["nhs_number"]


def test_only_long_texts_in_a_one_thread_process_are_cut(settings, monkeypatch):
    long = "ab " * (halves.SPLIT_FROM // 3 + 1)
    monkeypatch.setattr(halves.threading, "active_count", lambda: 1)
    assert halves.wanted(long)
    assert not halves.wanted(long[: halves.SPLIT_FROM - 10])
    settings.GUARD_PROCESSES = 1
    assert not halves.wanted(long)
    settings.GUARD_PROCESSES = 2
    monkeypatch.setattr(halves.threading, "active_count", lambda: 3)
    assert not halves.wanted(long)


def test_an_excerpt_cut_in_two_is_still_matched(registers, monkeypatch):
    """Just enough of a registered document (fifteen eight-word runs), laid
    across the cut: the runs that cross it are needed to reach the threshold."""
    excerpt = " ".join(REGISTERED.split()[:22])
    for words in range(len(FILLER)):
        text = " ".join([FILLER_TEXT] * 10 + [excerpt] + [FILLER_TEXT] * 9 + FILLER[:words])
        start = text.index(excerpt)
        if start + 20 < halves.cut_point(text) < start + len(excerpt) - 20:
            break
    else:
        pytest.fail("no filler put the cut inside the excerpt")
    expected = whole(text)
    assert [rule for rule, _, _ in expected[0]] == ["restricted_document"]
    assert in_halves(text, monkeypatch)[0] == expected
