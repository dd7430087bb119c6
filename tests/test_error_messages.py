"""Every refusal names the field or file and says how to fix it; a date in the
past is asked about, not taken silently; files chosen are said to be lost
when a form comes back."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evidence.models import Submission
from scr_tracker.reporting.models import BoardPack
from tests import snapshot

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def errors_of(response):
    """The error summary's messages, as the page says them."""
    summary = response.content.decode().split("govuk-error-summary__list", 1)[1].split("</ul>")[0]
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", summary, re.S)
    ]


def test_the_import_page_names_each_missing_field(manager_client, w6):
    response = manager_client.post(reverse("recommendations:import_plan"), {})
    assert response.status_code == 400
    errors = errors_of(response)
    assert len(errors) >= 5
    assert "This field is required." not in response.content.decode()
    assert len(set(errors)) == len(errors)  # each says which field it is about
    assert "Choose the spreadsheet to import." in errors


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_a_target_date_in_the_past_is_asked_about_then_taken(manager_client, w6):
    rec = w6.recommendations.get(number=1)
    url = reverse("recommendations:target_date_change", args=[rec.pk])
    data = {
        "version": rec.version,
        "reason": "The board agreed it late.",
        **_date("target_date", YESTERDAY),
    }
    before = snapshot.take()
    asked = manager_client.post(url, data)
    assert asked.status_code == 400
    (error,) = errors_of(asked)
    assert error == (
        f"New target date is in the past ({YESTERDAY:%-d %B %Y}). If that is right, tick "
        "“Yes, the date is in the past” and save again; if not, correct it."
    )
    assert (
        'name="confirm_past"' in asked.content.decode()
        and 'type="checkbox"' in asked.content.decode()
    )
    snapshot.assert_unchanged(before)
    taken = manager_client.post(url, {**data, "confirm_past": "on"})
    assert taken.status_code == 302
    rec.refresh_from_db()
    assert rec.target_date == YESTERDAY


def test_a_board_date_in_the_past_is_asked_about(manager_client, w6):
    data = {"title": "Invented board", "reviews": [w6.pk], **_date("board_date", YESTERDAY)}
    asked = manager_client.post(reverse("reporting:board_packs"), data)
    assert asked.status_code == 400
    assert "Board date is in the past" in errors_of(asked)[0]
    assert not BoardPack.objects.exists()
    taken = manager_client.post(reverse("reporting:board_packs"), {**data, "confirm_past": "on"})
    assert taken.status_code == 302
    assert BoardPack.objects.get().board_date == YESTERDAY


def test_a_refused_file_type_is_named_and_files_are_said_to_be_lost(client_a, action_a):
    response = client_a.post(
        reverse("evidence:submission_create"),
        {
            "action": action_a.pk,
            "summary": "Invented audit.",
            "impact": "It helped.",
            "files": [
                SimpleUploadedFile("audit.txt", b"An invented audit.\n", "text/plain"),
                SimpleUploadedFile("tool.exe", b"MZ invented", "application/octet-stream"),
            ],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert any(
        "File 2 (tool.exe) is not a type the tracker takes." in e for e in errors_of(response)
    )
    assert "Choose your 2 files again." in page
    assert not Submission.objects.exists()


def test_a_form_with_no_files_chosen_says_nothing_of_them(client_a, action_a):
    response = client_a.post(reverse("evidence:submission_create"), {"action": action_a.pk})
    assert response.status_code == 400
    assert "again.</strong>" not in response.content.decode()
    assert "This field is required." not in response.content.decode()


def test_an_action_due_in_the_past_is_asked_about(manager_client, w6, agency_a):
    rec = w6.recommendations.get(number=2)
    url = reverse("recommendations:action_create", args=[rec.pk])
    data = {
        "agency": agency_a.pk,
        "description": "Invented action.",
        **_date("due_date", YESTERDAY),
    }
    asked = manager_client.post(url, data)
    assert asked.status_code == 400
    assert "Due date is in the past" in errors_of(asked)[0]
    assert not rec.actions.exists()
    assert manager_client.post(url, {**data, "confirm_past": "on"}).status_code == 302
    assert rec.actions.get().due_date == YESTERDAY
