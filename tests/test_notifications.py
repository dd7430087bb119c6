"""Event notifications: when one person acts through the real pages, the
people it concerns are told, in the tracker and by email (as each happens, or
in one email a day), and nobody else: not the person who acted, not another
agency, not someone without access to a restricted review. Emails carry a
title and a link only."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from evidence.models import Notification, Submission
from scr_tracker.accounts.models import User
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE
from scr_tracker.intake.guard import text_problems
from tests import documents, factories

pytestmark = pytest.mark.django_db

GOOD_EVIDENCE = "The invented audit's findings on supervision, with its sample."
SUMMARY = "An invented audit of forty supervision records, with findings."


@pytest.fixture
def world(w6, agency_a, agency_b, manager):
    police = factories.make_agency(
        "Invented Police", short_name="Police", is_statutory_partner=True
    )
    people = {
        "manager": manager,
        "other_manager": factories.make_user(
            BUSINESS_MANAGER, username="manager-two", email="manager-two@example.invalid"
        ),
        "officer": factories.make_user(
            AGENCY_USER, agency=agency_a, username="officer", email="officer@example.invalid"
        ),
        "daily": factories.make_user(
            AGENCY_USER,
            agency=agency_a,
            username="daily-officer",
            email="daily@example.invalid",
            emails=User.Emails.DAILY,
        ),
        "agency_b": factories.make_user(
            AGENCY_USER, agency=agency_b, username="b-officer", email="b@example.invalid"
        ),
        "partner": factories.make_user(
            EXECUTIVE, agency=police, username="police-exec", email="police@example.invalid"
        ),
        "executive": factories.make_user(EXECUTIVE, username="exec", email="exec@example.invalid"),
    }
    rec = w6.recommendations.get(number=1)
    action = factories.make_action(recommendation=rec, agency=agency_a)
    return {"people": people, "rec": rec, "action": action}


def as_(person):
    client = Client()
    client.force_login(person)
    return client


def told(kind):
    """{username: (subject, link)} of the notifications of this kind."""
    return {
        n.recipient.username: (n.subject, n.link)
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    }


def emails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def ask(world, django_capture_on_commit_callbacks):
    manager = as_(world["people"]["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("evidence:request_create"),
            {
                "action": world["action"].pk,
                "due_date_day": "1",
                "due_date_month": "6",
                "due_date_year": "2031",
                "good_evidence": GOOD_EVIDENCE,
            },
        )
    assert response.status_code == 302, response.content.decode()[-1500:]


def send_evidence(world, django_capture_on_commit_callbacks, content=b"An invented audit.\n"):
    officer = as_(world["people"]["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("evidence:submission_create"),
            {
                "action": world["action"].pk,
                "summary": SUMMARY,
                "impact": "Supervision now happens monthly.",
                "files": SimpleUploadedFile("audit.txt", content, "text/plain"),
            },
        )
    assert response.status_code == 302, response.content.decode()[-1500:]
    return Submission.objects.latest("pk")


def test_a_request_tells_the_agency_by_email_at_once_or_in_the_daily_email(
    world, django_capture_on_commit_callbacks
):
    ask(world, django_capture_on_commit_callbacks)
    title = "Evidence requested for SCR W6 recommendation 1, due 1 June 2031"
    link = reverse("evidence:submission_create") + f"?action={world['action'].pk}"
    assert told("request_made") == {"officer": (title, link), "daily-officer": (title, link)}
    # At once, to the one who wants each as it happens: the title and the link only.
    (email,) = emails_to("officer@example.invalid")
    assert email.subject == title
    assert email.body == f"{title}\n\nOpen it in the tracker: http://localhost:8000{link}\n"
    assert GOOD_EVIDENCE not in email.body
    assert text_problems(email.subject + email.body) == []
    assert len(mail.outbox) == 1  # nobody else: not the manager, not agency B

    # The daily email: one, then nothing more on a second run.
    call_command("send_digests", stdout=io.StringIO())
    (digest,) = emails_to("daily@example.invalid")
    assert digest.subject == title
    call_command("send_digests", stdout=io.StringIO())
    assert len(emails_to("daily@example.invalid")) == 1
    # send_reminders never emails those who chose the daily email.
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_a_daily_email_lists_each_title_and_link(world, django_capture_on_commit_callbacks):
    ask(world, django_capture_on_commit_callbacks)
    request_id = world["action"].requests.get().pk
    manager = as_(world["people"]["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("evidence:request_cancel", args=[request_id]))
    assert emails_to("daily@example.invalid") == []
    call_command("send_digests", stdout=io.StringIO())
    (digest,) = emails_to("daily@example.invalid")
    assert digest.subject == "2 things in the tracker need you"
    lines = digest.body.splitlines()
    assert lines[0] == "1. Evidence requested for SCR W6 recommendation 1, due 1 June 2031"
    assert lines[2] == "2. The request for evidence for SCR W6 recommendation 1 was cancelled"
    assert lines[3] == "   http://localhost:8000" + reverse("evidence:request_list")


def test_evidence_sent_tells_the_managers_and_its_review_tells_the_agency(
    world, django_capture_on_commit_callbacks
):
    submission = send_evidence(world, django_capture_on_commit_callbacks)
    detail = reverse("evidence:submission_detail", args=[submission.pk])
    title = "Evidence sent by A for SCR W6 recommendation 1"
    assert told("evidence_sent") == {"manager": (title, detail), "manager-two": (title, detail)}
    (email,) = emails_to("manager-two@example.invalid")
    assert SUMMARY not in email.body and "audit.txt" not in email.body

    manager = as_(world["people"]["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            reverse("evidence:submission_review", args=[submission.pk]),
            {"decision": "returned", "note": "Add the sample size."},
        )
    returned = (
        "Your agency's evidence for SCR W6 recommendation 1 was returned: "
        "read why and send it again"
    )
    # The officer who sent it and their colleague; not the manager who returned it.
    assert told("evidence_returned") == {
        "officer": (returned, detail),
        "daily-officer": (returned, detail),
    }
    assert "Add the sample size" not in emails_to("officer@example.invalid")[0].body


def test_accepted_evidence_and_the_sign_off_it_allows_tell_each_in_turn(
    world, django_capture_on_commit_callbacks
):
    submission = send_evidence(world, django_capture_on_commit_callbacks)
    manager = as_(world["people"]["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            reverse("evidence:submission_review", args=[submission.pk]),
            {"decision": "accepted", "note": "Good."},
        )
    assert set(told("evidence_accepted")) == {"officer", "daily-officer"}

    rec = world["rec"]
    rec.refresh_from_db()
    page = reverse("recommendations:recommendation_detail", args=[rec.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("recommendations:sign_off", args=[rec.pk]),
            {"version": rec.version, "note": ""},
        )
    assert response.status_code == 302
    waiting = "SCR W6 recommendation 1 was signed off and waits for your agency's sign-off"
    # Only the statutory partner's executive: not one with no partner agency.
    assert told("sign_off_waiting") == {"police-exec": (waiting, page)}
    assert [m.subject for m in emails_to("police@example.invalid")] == [waiting]

    rec.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("recommendations:target_date_change", args=[rec.pk]),
            {
                "version": rec.version,
                "target_date_day": "1",
                "target_date_month": "3",
                "target_date_year": "2032",
                "reason": "The board moved it.",
            },
        )
    assert response.status_code == 302, response.content.decode()[-1500:]
    stale = "SCR W6 recommendation 1 changed after it was signed off: it needs signing off again"
    assert told("sign_off_stale") == {"manager-two": (stale, page), "police-exec": (stale, page)}


def test_a_held_file_tells_the_managers_and_its_release_tells_the_agency(
    world, django_capture_on_commit_callbacks
):
    officer = as_(world["people"]["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("evidence:submission_create"),
            {
                "action": world["action"].pk,
                "summary": SUMMARY,
                "impact": "Supervision now happens monthly.",
                "files": SimpleUploadedFile(
                    "scan.pdf", documents.make_pdf(["Cover"], picture_pages=[0]), "application/pdf"
                ),
            },
        )
    assert response.status_code == 302
    held = "1 file(s) sent by A for SCR W6 recommendation 1 held for a person to check"
    assert told("file_held")["manager"] == (held, reverse("evidence:held_files"))
    upload = Submission.objects.latest("pk").files.get()
    manager = as_(world["people"]["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            reverse("evidence:file_decision", args=[upload.pk]),
            {"decision": "release", "note": "Checked: a printed audit form."},
        )
    assert set(told("file_released")) == {"officer", "daily-officer"}


def test_a_restricted_review_tells_only_those_granted_it(world, django_capture_on_commit_callbacks):
    review = world["rec"].review
    people = world["people"]
    with factories.setup_changes():
        review.is_restricted = True
        review.save()
    for person in (people["manager"], people["officer"]):
        factories.make_restricted_access(review, person)
    ask(world, django_capture_on_commit_callbacks)
    assert set(told("request_made")) == {"officer"}  # not the colleague without access
    submission = send_evidence(world, django_capture_on_commit_callbacks)
    detail = reverse("evidence:submission_detail", args=[submission.pk])
    title = "Evidence sent by A for SCR W6 recommendation 1"
    assert told("evidence_sent") == {"manager": (title, detail)}  # not the other manager


def test_the_list_is_the_persons_own_paginated_and_marked_read(world):
    officer, other = world["people"]["officer"], world["people"]["agency_b"]
    for n in range(53):
        Notification.objects.create(
            recipient=officer,
            review=world["rec"].review,
            kind="evidence_accepted",
            subject=f"Invented notification {n}",
            body="",
            link=reverse("recommendations:my_actions"),
        )
    client = as_(officer)
    first = client.get(reverse("evidence:notification_list")).content.decode()
    assert first.count("Invented notification") == 50
    assert "Invented notification 52" in first  # newest first
    assert "Showing" in first or 'aria-label="Page 2"' in first
    second = client.get(reverse("evidence:notification_list") + "?page=2").content.decode()
    assert second.count("Invented notification") == 3
    # The menu counts what is new; opening one marks it read, then all at once.
    home = client.get(reverse("recommendations:my_actions")).content.decode()
    assert re.search(r">Notifications <strong class=\"govuk-tag[^>]*>53<", home)
    one = Notification.objects.filter(recipient=officer).first()
    assert client.get(reverse("evidence:notification_open", args=[one.pk])).status_code == 302
    assert Notification.objects.filter(recipient=officer, read_at=None).count() == 52
    assert as_(other).get(reverse("evidence:notification_open", args=[one.pk])).status_code == 404
    client.post(reverse("evidence:notifications_read"))
    assert Notification.objects.filter(recipient=officer, read_at=None).count() == 0


def test_a_person_chooses_the_daily_email_and_it_is_in_their_history(world):
    officer = world["people"]["officer"]
    client = as_(officer)
    response = client.post(reverse("evidence:notification_emails"), {"emails": "daily"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.emails == User.Emails.DAILY
    latest = officer.history.first()
    assert (latest.emails, latest.history_change_reason) == (
        "daily",
        "Chose how their notifications are emailed",
    )
    page = client.get(reverse("evidence:notification_list")).content.decode()
    assert "Your notifications will be emailed in one email a day." in page
    assert (
        client.post(reverse("evidence:notification_emails"), {"emails": "hourly"}).status_code
        == 302
    )
    officer.refresh_from_db()
    assert officer.emails == User.Emails.DAILY  # refused, unchanged
