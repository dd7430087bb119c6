"""Properties of the guard over generated text (hypothesis): every planted
identifier is found, wherever non-ASCII, zero-width or combining characters
fall around it, and each finding's place is the identifier's own characters in
the original text, found without re-reading the text (linear in its length)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scr_tracker.intake import normalise as normalise_module
from scr_tracker.intake.guard import text_problems

NHS = "943 476 5919"
NOISE = st.text(
    alphabet=st.sampled_from(
        list("abc XYZ.,;") + ["é", "“", "”", "£", "\u200b", "\u0301", "Ł", "а"]
    ),
    max_size=40,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pieces=st.lists(NOISE, min_size=1, max_size=30))
def test_every_planted_number_is_found_where_it_is(db, pieces):
    # Each number between letters, so that two of them never run together.
    text = "".join(f"{piece}q{NHS}q" for piece in pieces)
    planted = [i for i in range(len(text)) if text.startswith(NHS, i)]
    problems = [p for p in text_problems(text, documents=False) if p.rule == "nhs_number"]
    (problem,) = problems
    found = sorted(start for start, _ in problem.spans)
    # Each planted number is found at its own place (a neighbouring digit-free
    # noise character never moves a span), and the span covers exactly it.
    assert found == planted
    for start, end in problem.spans:
        assert text[start:end] == NHS


def test_where_is_worked_out_without_reading_the_text_again(db, monkeypatch):
    """The cost of placing findings does not grow with the text: normalising
    happens once, however many findings there are."""
    calls = []
    real = normalise_module.normalise_with_characters

    def counting(text):
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr("scr_tracker.intake.guard.normalise_with_characters", counting)
    text = "é " + f"{NHS} and more. " * 2000
    problems = text_problems(text, documents=False)
    assert len(problems[0].spans) == 2000
    assert len(calls) == 1
