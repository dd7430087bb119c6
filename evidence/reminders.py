"""Reminders, chasers and escalation for open assurance requests.

Run as often as wanted (``manage.py send_reminders``, from cron): each
notification is created once per (request, kind, recipient), so a second run
the same day sends nothing new; an email that failed is retried on the next run.

For an open request due in ``REMIND_BEFORE_DAYS`` days or fewer: a reminder to
the agency's users. Once it is overdue: a chaser, and another every
``CHASE_EVERY_DAYS``. ``ESCALATE_AFTER_DAYS`` overdue: an escalation to the
business managers. ``FLAG_AFTER_DAYS`` overdue: flagged on the executives'
dashboard.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from evidence.models import AssuranceRequest, Notification
from scr_tracker.accounts.models import User
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER
from scr_tracker.audit import changes_by, system_user


@dataclass
class Outcome:
    created: list = field(default_factory=list)
    emailed: int = 0
    failed: int = 0
    flagged: list = field(default_factory=list)


def due_kinds(request, today):
    """The notifications a request calls for today: [(kind, audience)]."""
    overdue = request.days_overdue(today)
    kinds = []
    if -settings.REMIND_BEFORE_DAYS <= overdue <= 0:
        kinds.append(("reminder", AGENCY_USER))
    if overdue > 0:
        kinds.append((f"chaser-{(overdue - 1) // settings.CHASE_EVERY_DAYS + 1}", AGENCY_USER))
    if overdue >= settings.ESCALATE_AFTER_DAYS:
        kinds.append(("escalation", BUSINESS_MANAGER))
    return kinds


def recipients(request, audience):
    people = User.objects.filter(is_active=True, groups__name=audience)
    if audience == AGENCY_USER:
        people = people.filter(agency=request.agency_id)
    return people.order_by("pk")


def message(request, kind):
    rec = request.action.recommendation
    link = settings.SITE_URL + reverse("recommendations:my_actions")
    due = f"{request.due_date:%-d %B %Y}"
    if kind == "reminder":
        subject = f"Evidence for {rec} is due on {due}"
        opening = f"The partnership asked {request.agency.name} for evidence by {due}."
    elif kind == "escalation":
        subject = f"Escalated: evidence for {rec} from {request.agency.short_name} is overdue"
        opening = (
            f"{request.agency.name} has not sent the evidence requested for {due}. It is "
            f"{request.days_overdue()} days overdue."
        )
        link = settings.SITE_URL + reverse("evidence:request_list")
    else:
        subject = f"Overdue: evidence for {rec} was due on {due}"
        opening = f"The evidence the partnership asked {request.agency.name} for is overdue."
    body = (
        f"{opening}\n\nAction: {request.action.description}\n\n"
        f"What good evidence would show: {request.good_evidence}\n\n"
        f"Send it in the tracker: {link}\n"
    )
    return subject, body


def run(today=None) -> Outcome:
    today = today or timezone.localdate()
    outcome = Outcome()
    requests = AssuranceRequest.objects.open().select_related(
        "agency", "action__recommendation__review"
    )
    for request in requests:
        for kind, audience in due_kinds(request, today):
            subject, body = message(request, kind)
            for person in recipients(request, audience):
                try:
                    with transaction.atomic():
                        note = Notification.objects.create(
                            recipient=person, request=request, kind=kind, subject=subject, body=body
                        )
                except IntegrityError:
                    continue  # sent on an earlier run
                outcome.created.append(note)
        if request.flagged_on is None and request.days_overdue(today) >= settings.FLAG_AFTER_DAYS:
            with changes_by(system_user(), "Flagged to executives: long overdue"):
                request.flagged_on = today
                request.save(update_fields=["flagged_on"])
            outcome.flagged.append(request)
    _send_unsent(outcome)
    return outcome


def _send_unsent(outcome):
    unsent = Notification.objects.filter(emailed_at=None).exclude(recipient__email="")
    for note in unsent.select_related("recipient"):
        try:
            send_mail(note.subject, note.body, None, [note.recipient.email])
        except OSError:
            outcome.failed += 1
            continue
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        outcome.emailed += 1
