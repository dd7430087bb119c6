"""Importing a new review's action plan from a spreadsheet: a preview first,
row-level errors, and nothing saved unless the whole file is valid."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from recommendations.models import Action, Recommendation, Review
from tests import snapshot

URL = reverse("recommendations:import_plan")
HEADER = ["Number", "Short title", "Recommendation", "Agency", "Action", "Due date"]
REVIEW = {
    "reference": "TEST CSPR 9",
    "title": "Invented practice review",
    "kind": "cspr",
    "completed_year": "2025",
    "period_from_year": "2020",
    "period_to_year": "2024",
    "publication": "published",
    "publication_reason": "",
}


def rows(agency_a, agency_b):
    return [
        HEADER,
        [
            1,
            "Supervision",
            "The partnership should audit invented supervision.",
            agency_a.name,
            "Audit supervision files.",
            "2027-03-31",
        ],
        [1, "", "", agency_b.short_name, "Confirm supervision arrangements.", "30/06/2027"],
        [
            2,
            "Escalation",
            "The partnership should publish an invented escalation route.",
            "",
            "",
            "",
        ],
    ]


def xlsx(data):
    book = Workbook()
    for row in data:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("plan.xlsx", out.getvalue())


def csv_file(data):
    text = "\n".join(",".join(f'"{c}"' for c in row) for row in data)
    return SimpleUploadedFile("plan.csv", text.encode())


@pytest.mark.parametrize("make_file", [xlsx, csv_file])
def test_a_valid_plan_is_previewed_then_imported_whole(
    manager_client, agency_a, agency_b, make_file
):
    before = snapshot.take()
    preview = manager_client.post(
        URL, {**REVIEW, "spreadsheet": make_file(rows(agency_a, agency_b))}
    )
    assert preview.status_code == 200
    assert "2 recommendations and 2 actions" in preview.content.decode()
    snapshot.assert_unchanged(before)  # a preview saves nothing
    done = manager_client.post(URL, {"payload": preview.context["payload"]})
    assert done.status_code == 302
    review = Review.objects.get(reference="TEST CSPR 9")
    recs = {r.number: r for r in review.recommendations.all()}
    assert sorted(recs) == [1, 2]
    # Then each is checked for repeats, one at a time.
    assert done["Location"] == reverse("recommendations:repeat_check", args=[recs[1].pk])
    first = manager_client.get(done["Location"]).content.decode()
    assert reverse("recommendations:repeat_check", args=[recs[2].pk]) in first
    last = manager_client.get(reverse("recommendations:repeat_check", args=[recs[2].pk]))
    assert "That is the last recommendation of TEST CSPR 9." in last.content.decode()
    assert recs[1].text == "The partnership should audit invented supervision."
    actions = Action.objects.filter(recommendation=recs[1]).order_by("agency__name")
    assert [(a.agency, str(a.due_date)) for a in actions] == [
        (agency_a, "2027-03-31"),
        (agency_b, "2027-06-30"),
    ]
    assert recs[2].actions.count() == 0
    assert review.history.get().history_change_reason.startswith("Imported from an action plan")


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (["x", "T", "Text.", "", "", ""], "Row 5: the number must be a whole number"),
        ([3, "T", "Text.", "No Such Agency", "Do it.", ""], "Row 5: no agency is called"),
        ([3, "T", "Text.", "A", "Do it.", "next Tuesday"], "Row 5: the due date must be a date"),
        ([3, "T", "Text.", "A", "", ""], "Row 5: say what the agency must do"),
        (
            [3, "T", "Met the child, NHS 943 476 5919, at home.", "", "", ""],
            "Row 5: the recommendation",
        ),
        ([3, "T" * 81, "Text.", "", "", ""], "Row 5: the short title must be 80 characters"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_the_row(
    manager_client, agency_a, agency_b, bad_row, message
):
    data = rows(agency_a, agency_b) + [bad_row]
    before = snapshot.take()
    response = manager_client.post(URL, {**REVIEW, "spreadsheet": xlsx(data)})
    assert response.status_code == 400
    assert any(error.startswith(message) for error in response.context["row_errors"])
    assert "Nothing was imported" in response.content.decode()
    snapshot.assert_unchanged(before)
    assert "943 476 5919" not in response.content.decode()


def test_a_wrong_header_or_file_type_is_refused(manager_client, agency_a, agency_b):
    data = rows(agency_a, agency_b)
    data[0] = ["No", "Title"]
    response = manager_client.post(URL, {**REVIEW, "spreadsheet": xlsx(data)})
    assert "Row 1: the header row must be" in response.context["row_errors"][0]
    response = manager_client.post(
        URL, {**REVIEW, "spreadsheet": SimpleUploadedFile("plan.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 400
    assert "Choose an Excel (.xlsx) or CSV (.csv) file." in response.content.decode()
    assert not Review.objects.filter(reference="TEST CSPR 9").exists()


def test_an_altered_preview_is_refused(manager_client, agency_a, agency_b):
    preview = manager_client.post(URL, {**REVIEW, "spreadsheet": xlsx(rows(agency_a, agency_b))})
    payload = preview.context["payload"]
    before = snapshot.take()
    response = manager_client.post(URL, {"payload": payload[:-3] + "AAA"}, follow=True)
    assert "The preview has expired or was altered" in response.content.decode()
    snapshot.assert_unchanged(before)
    assert Recommendation.objects.filter(review__reference="TEST CSPR 9").count() == 0
