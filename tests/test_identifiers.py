"""The identifier rules on their own (identifiers.md; catalogue ID-01 to ID-08,
ID-11): every vector that must be refused is, and every benign text passes."""

import pytest

from scr_tracker.intake.identifiers import (
    find_identifiers,
    is_nhs_number,
    is_upn,
    nhs_check_digit,
    upn_check_letter,
)
from scr_tracker.intake.normalise import Squeezed, identifier_text, normalise


def rules(text):
    return [f.rule for f in find_identifiers(Squeezed(identifier_text(normalise(text))).text)]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Child's number 943 476 5919 on file", "nhs_number"),  # ID-01
        ("9434765919", "nhs_number"),
        ("943-476-5919", "nhs_number"),
        ("4010232137", "nhs_number"),
        ("999 000 0018", "nhs_number"),  # ID-02: the test range is not whitelisted
        ("9990000026", "nhs_number"),
        ("1111111111", "nhs_number"),  # a repdigit passes mod 11: still refused
        ("AB 12 34 56 C", "ni_number"),  # ID-05: the loose scan
        ("ab123456c", "ni_number"),
        ("QQ 12 34 56 A", "ni_number"),
        ("AB-12-34-56-C", "ni_number"),
        ("WS1 1TP", "postcode"),  # ID-06
        ("ws11tp", "postcode"),
        ("EC1A 1BB", "postcode"),
        ("W1A 0AX", "postcode"),
        ("M1 1AE", "postcode"),
        ("B33 8TH", "postcode"),
        ("CR2 6XH", "postcode"),
        ("DN55 1PT", "postcode"),
        ("GIR 0AA", "postcode"),
        ("DOB: 12/03/2014", "date_of_birth"),  # ID-07
        ("d.o.b 12.3.14", "date_of_birth"),
        ("born 3rd March 2014", "date_of_birth"),
        ("12/03/2014 (DOB)", "date_of_birth"),
        ("Date of birth: 2014-03-12", "date_of_birth"),
        ("born on March 3, 2014", "date_of_birth"),
        ("birth date 3 Mar 2014", "date_of_birth"),
        ("Date of birth\n12/03/2014", "date_of_birth"),  # across a line break
        ("B801200005001", "upn"),  # ID-08
        # ID-11: evasion by Unicode
        ("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19", "nhs_number"),
        ("943\u200b476\u200b5919", "nhs_number"),
        ("943\u00a0476\u00a05919", "nhs_number"),
        ("943.476.5919", "nhs_number"),
        ("943\u2013476\u20135919", "nhs_number"),
        ("943\u2011476\u20115919", "nhs_number"),
        ("\ufeff9434765919", "nhs_number"),
        ("AB\u202e123456C", "ni_number"),
        ("WS1\u00a01TP", "postcode"),
        # Other shapes people write them in
        ("(943) 476 5919", "nhs_number"),
        ("9 4 3 4 7 6 5 9 1 9", "nhs_number"),
        ("943/476/5919", "nhs_number"),
        ("943 / 476 / 5919", "nhs_number"),
        ("[943]-[476]-[5919]", "nhs_number"),
        ("9\u200b4\u200b3 476 5919", "nhs_number"),  # zero-width inside a group
        ("94\u03013 476 5919", "nhs_number"),  # a combining mark inside
        ("\U0001d7d7\U0001d7d2\U0001d7d1 476 5919", "nhs_number"),  # mathematical digits
        ("date-of-birth: 3rd March 2014", "date_of_birth"),
        ("date.of.birth 12/03/2014", "date_of_birth"),
        ("D-O-B 12/03/2014", "date_of_birth"),
        ("dob 12 03 2014", "date_of_birth"),
        ("born 3 12 14", "date_of_birth"),
        ("WS1  1TP", "postcode"),
        ("WS1\n1TP", "postcode"),
        ("AB 123 456 C", "ni_number"),
        ("\u0410\u0412 12 34 56 \u0421", "ni_number"),  # Cyrillic look-alike letters
    ],
)
def test_refused(text, rule):
    assert rule in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "943 476 5918",  # ID-03: fails mod 11
        "987 654 4321",  # the NHS's own format example fails mod 11
        "call 01214960000 today",  # 11 digits: no NHS number inside
        "07700 900123",
        "+44 121 496 0000",
        "Meeting held 12/03/2024",  # ID-07: plain dates pass
        "minutes 2024-03-12.pdf",
        "The board met on 3 March 2024 and agreed the plan.",
        "WS2",  # outward code alone
        "Services in WS1, WS2 and WS10",
        "SCR W6",
        "Serious Case Review W6 (2018), recommendation 4",
        "A801200005001",  # UPN with a wrong check letter
        "Version 1.2.3.4, reference 2018/19",
        "QV1 1AA",  # Q is never the first letter of a postcode
        "Born in Bradford, the initiative spread.",
        "A reborn approach: 12/03/2024",
        "Meeting 12 03 2024",
        "Held on 12.03.2024 with 15 staff",
        "9 4 3 4 7 6 5 9 1 9 8",  # eleven spaced digits: no NHS number inside
        "1 9 4 3 4 7 6 5 9 1 9",
        "(0121) 496 0000",
        "Date of the birth of the service: 12/03/2024",
    ],
)
def test_benign_text_passes(text):
    assert rules(text) == []


def test_check_digit_of_ten_means_no_valid_completion():  # ID-04
    assert nhs_check_digit("400000008") == 10
    assert not any(is_nhs_number(f"400000008{d}") for d in range(10))


def test_worked_example_and_check_digits():
    assert nhs_check_digit("943476591") == 9
    assert is_nhs_number("9434765919") and not is_nhs_number("9434765918")
    assert upn_check_letter("801200005001") == "B"
    assert is_upn("B801200005001") and not is_upn("A801200005001")


def test_digit_boundaries_are_respected():
    # The valid number is inside a longer run of digits: not an NHS number.
    assert rules("19434765919") == []
    assert rules("94347659190") == []


def test_overlapping_candidates_are_all_tried():
    # An invalid candidate must not hide a valid one that overlaps it.
    assert "nhs_number" in rules("123 943 476 5919")


def test_where_maps_back_to_the_original_text():
    text = "No. \uff19\uff14\uff13 476 5919 here"
    squeezed = Squeezed(normalise(text))
    finding = find_identifiers(squeezed.text)[0]
    start, end = squeezed.original_span(finding.start, finding.end)
    assert text[start:end] == "\uff19\uff14\uff13 476 5919"
    # Characters the rules skip (zero-width, combining) are inside the span.
    text = "x\u200b\u200b9 4\u0301 3 4 7 6 5 9 1 9 end"
    squeezed = Squeezed(normalise(text))
    finding = find_identifiers(squeezed.text)[0]
    start, end = squeezed.original_span(finding.start, finding.end)
    assert text[start:end] == "9 4\u0301 3 4 7 6 5 9 1 9"
