"""Requests for evidence, and the reminder command: reminders before the due
date, chasers after it, escalation and the executives' flag; never twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evidence import reminders
from evidence.models import AssuranceRequest, Notification
from scr_tracker.accounts.roles import AGENCY_USER
from tests import factories
from tests.intake_helpers import post_evidence

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def people(agency_a, agency_a_user, manager, settings):
    settings.REMIND_BEFORE_DAYS = 7
    settings.CHASE_EVERY_DAYS = 7
    settings.ESCALATE_AFTER_DAYS = 14
    settings.FLAG_AFTER_DAYS = 28
    for user, address in [(agency_a_user, "a@example.invalid"), (manager, "bm@example.invalid")]:
        user.email = address
        with factories.setup_changes():
            user.save()
    colleague = factories.make_user(AGENCY_USER, agency=agency_a, email="a2@example.invalid")
    return {"agency": [agency_a_user, colleague], "manager": manager}


def asked(agency, manager, due):
    return factories.make_request(factories.make_action(agency=agency), manager, due_date=due)


def test_a_manager_requests_evidence_and_the_agency_sees_it(manager, agency_a, agency_a_user):
    action = factories.make_action(agency=agency_a)
    client = Client()
    client.force_login(manager)
    due = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        reverse("evidence:request_create"),
        {
            "action": str(action.pk),
            "due_date_day": str(due.day),
            "due_date_month": str(due.month),
            "due_date_year": str(due.year),
            "good_evidence": "An audit of ten invented cases.",
        },
    )
    assert response.status_code == 302
    request = AssuranceRequest.objects.get()
    assert (request.agency, request.due_date, request.state) == (agency_a, due, "open")
    assert request.history.get().history_change_reason == f"Evidence requested from {agency_a.name}"
    agency = Client()
    agency.force_login(agency_a_user)
    home = agency.get(reverse("recommendations:my_actions")).content.decode()
    assert "An audit of ten invented cases." in home


def test_sending_evidence_answers_the_open_request(manager, agency_a_user):
    action = factories.make_action(agency=agency_a_user.agency)
    request = factories.make_request(action, manager)
    client = Client()
    client.force_login(agency_a_user)
    response = post_evidence(client, action, [("audit.txt", b"An invented audit.\n")])
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "answered"
    assert request.answer.action == action
    assert request.history.latest().history_change_reason == "Answered by the agency's evidence"


def test_agency_b_never_sees_agency_a_s_requests(manager, agency_a, agency_b_user):
    factories.make_request(
        factories.make_action(agency=agency_a), manager, good_evidence="Invented A-only request"
    )
    client = Client()
    client.force_login(agency_b_user)
    page = client.get(reverse("evidence:request_list")).content.decode()
    assert "Invented A-only request" not in page


@pytest.mark.parametrize(
    ("days_until_due", "kinds"),
    [
        (8, []),
        (7, ["reminder"]),
        (0, ["reminder"]),
        (-1, ["chaser-1"]),
        (-7, ["chaser-1"]),
        (-8, ["chaser-2"]),
        (-13, ["chaser-2"]),
        (-14, ["chaser-2", "escalation"]),
        (-15, ["chaser-3", "escalation"]),
    ],
)
def test_thresholds(people, agency_a, days_until_due, kinds):
    request = asked(agency_a, people["manager"], TODAY + datetime.timedelta(days=days_until_due))
    reminders.run(today=TODAY)
    sent = sorted({n.kind for n in Notification.objects.filter(request=request)})
    assert sent == sorted(kinds)
    for note in Notification.objects.filter(request=request):
        expected = people["manager"] if note.kind == "escalation" else None
        if expected:
            assert note.recipient == expected
        else:
            assert note.recipient.agency == agency_a


def test_running_twice_sends_nothing_new(people, agency_a):
    asked(agency_a, people["manager"], TODAY - datetime.timedelta(days=20))
    first = reminders.run(today=TODAY)
    # chaser to both agency users, escalation to the manager
    assert len(first.created) == 3
    assert len(mail.outbox) == 3
    second = reminders.run(today=TODAY)
    assert second.created == [] and second.emailed == 0
    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 3


def test_one_email_a_person_a_run_however_many_requests(people, agency_a):
    """Three requests due for the same agency: each person gets one email that
    lists all three; every notification is still its own in the tracker."""
    for days in (3, 10, 20):  # a reminder, a chaser, a chaser and an escalation
        asked(agency_a, people["manager"], TODAY + datetime.timedelta(days=-days + 6))
    outcome = reminders.run(today=TODAY)
    officer = people["agency"][0]
    notes = Notification.objects.filter(recipient=officer).order_by("pk")
    assert notes.count() == 3
    to_officer = [m for m in mail.outbox if m.to == [officer.email]]
    assert len(to_officer) == 1
    assert to_officer[0].subject == "3 things in the tracker need you"
    for note in notes:
        assert note.subject in to_officer[0].body and note.emailed_at is not None
    assert len(mail.outbox) == 3  # the two agency users and the manager
    assert outcome.emailed == Notification.objects.count()


def test_the_next_chaser_goes_a_week_later(people, agency_a):
    asked(agency_a, people["manager"], TODAY - datetime.timedelta(days=1))
    reminders.run(today=TODAY)
    reminders.run(today=TODAY + datetime.timedelta(days=6))
    assert Notification.objects.filter(kind="chaser-2").count() == 0
    reminders.run(today=TODAY + datetime.timedelta(days=7))
    assert Notification.objects.filter(kind="chaser-2").count() == 2


def test_long_overdue_is_flagged_once_on_the_executive_dashboard(people, agency_a, executive):
    request = asked(agency_a, people["manager"], TODAY - datetime.timedelta(days=28))
    assert reminders.run(today=TODAY).flagged == [request]
    assert reminders.run(today=TODAY).flagged == []
    request.refresh_from_db()
    assert request.flagged_on == TODAY
    client = Client()
    client.force_login(executive)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Evidence long overdue, escalated (1)" in page


def test_answered_and_cancelled_requests_are_left_alone(people, agency_a):
    for state in ("answered", "cancelled"):
        asked(agency_a, people["manager"], TODAY - datetime.timedelta(days=20))
        AssuranceRequest.objects.filter(state="open").update(state=state)
    assert reminders.run(today=TODAY).created == []


def test_a_failed_email_is_kept_and_retried(people, agency_a, settings):
    asked(agency_a, people["manager"], TODAY + datetime.timedelta(days=3))
    settings.MAILERS = {"default": {"BACKEND": "tests.mail.FailingBackend"}}
    outcome = reminders.run(today=TODAY)
    assert (len(outcome.created), outcome.emailed, outcome.failed) == (2, 0, 2)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    outcome = reminders.run(today=TODAY)
    assert (len(outcome.created), outcome.emailed) == (0, 2)
    assert Notification.objects.filter(emailed_at=None).count() == 0


def test_every_email_is_also_a_notification_in_the_tracker(people, agency_a):
    asked(agency_a, people["manager"], TODAY + datetime.timedelta(days=2))
    reminders.run(today=TODAY)
    client = Client()
    client.force_login(people["agency"][0])
    page = client.get(reverse("evidence:notification_list")).content.decode()
    assert mail.outbox[0].subject in page
    assert "New" in page
    # Seeing the list marks nothing read; opening the notification does.
    note = Notification.objects.get(recipient=people["agency"][0])
    assert note.read_at is None
    opened = client.get(reverse("evidence:notification_open", args=[note.pk]))
    assert opened.status_code == 302 and opened.url == reverse("recommendations:my_actions")
    note.refresh_from_db()
    assert note.read_at is not None
    # The email: the title and the link, nothing the request said.
    assert mail.outbox[0].body.startswith(note.subject)
    assert "/recommendations/my-actions/" in mail.outbox[0].body
    assert note.request.good_evidence not in mail.outbox[0].body


def test_the_command_reports_what_it_did(people, agency_a, capsys):
    asked(agency_a, people["manager"], timezone.localdate() + datetime.timedelta(days=1))
    call_command("send_reminders")
    assert "2 new notification(s), 2 email(s) sent" in capsys.readouterr().out


def test_a_manager_cancels_an_open_request_with_history(manager, agency_a):
    request = factories.make_request(factories.make_action(agency=agency_a), manager)
    client = Client()
    client.force_login(manager)
    url = reverse("evidence:request_cancel", args=[request.pk])
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.state == "cancelled"
    latest = request.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        manager,
        "Request cancelled by a business manager",
    )
    # A second cancel changes nothing and says why.
    response = client.post(url, follow=True)
    assert "already answered or cancelled" in response.content.decode()
    assert request.history.count() == 2


def test_a_request_due_in_the_past_is_refused(manager, agency_a):
    action = factories.make_action(agency=agency_a)
    client = Client()
    client.force_login(manager)
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("evidence:request_create"),
        {
            "action": str(action.pk),
            "due_date_day": str(past.day),
            "due_date_month": str(past.month),
            "due_date_year": str(past.year),
            "good_evidence": "An audit.",
        },
    )
    assert response.status_code == 400
    assert "Evidence due by must be today or later." in response.content.decode()
    assert not AssuranceRequest.objects.exists()


def test_the_request_form_asks_for_the_review_first_then_lists_only_its_actions(manager, agency_a):
    first = factories.make_action(
        factories.make_recommendation(factories.make_review(reference="INV A")), agency_a
    )
    other = factories.make_action(
        factories.make_recommendation(factories.make_review(reference="INV B")), agency_a
    )
    client = Client()
    client.force_login(manager)
    url = reverse("evidence:request_create")
    choice = client.get(url)
    assert "Which review is the request about?" in choice.text
    assert f"?review={first.recommendation.review_id}" in choice.text
    form = client.get(url, {"review": first.recommendation.review_id})
    offered = list(form.context["form"].fields["action"].queryset)
    assert offered == [first]
    # An action of another review cannot be sent with this review's form.
    response = client.post(
        url,
        {
            "review": first.recommendation.review_id,
            "action": other.pk,
            "due_date_day": "1",
            "due_date_month": "1",
            "due_date_year": str(timezone.localdate().year + 1),
            "good_evidence": "An audit's findings.",
        },
    )
    assert response.status_code == 400
    assert not AssuranceRequest.objects.exists()
    # A link from an action goes straight to its review's form.
    direct = client.get(url, {"action": other.pk})
    assert list(direct.context["form"].fields["action"].queryset) == [other]


def test_assuring_the_action_closes_its_open_requests_with_history(people, agency_a, manager):
    request = asked(agency_a, manager, TODAY - datetime.timedelta(days=20))
    other = asked(agency_a, manager, TODAY - datetime.timedelta(days=20))
    client = Client()
    client.force_login(manager)
    response = client.post(
        reverse("recommendations:action_assure", args=[request.action_id]),
        {
            "version": request.action.version,
            "reason": "Seen at a practice visit on 3 March: supervision records in place.",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == AssuranceRequest.State.CANCELLED
    latest = request.history.latest()
    assert latest.history_user == manager
    assert latest.history_change_reason.startswith("Closed: the action is assured")
    # Nobody is chased for it; the other action's request still is.
    outcome = reminders.run(today=TODAY)
    assert {note.request_id for note in outcome.created} == {other.pk}
