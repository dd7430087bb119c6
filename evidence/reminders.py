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
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from evidence.models import AssuranceRequest, Notification
from recommendations.grants import ReviewGrant
from scr_tracker.accounts.models import User
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER
from scr_tracker.audit import system_user


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


class Audiences:
    """Every active agency user, by agency, every active business manager, and
    who may see each restricted review: read once per run, whatever the
    number of requests."""

    def __init__(self):
        active = User.objects.filter(is_active=True).order_by("pk")
        self.managers = list(active.filter(role=BUSINESS_MANAGER))
        self.by_agency = {}
        for person in active.filter(role=AGENCY_USER, agency__isnull=False):
            self.by_agency.setdefault(person.agency_id, []).append(person)
        self.granted = set(
            ReviewGrant.objects.filter(permission__codename="view_review").values_list(
                "content_object", "user"
            )
        )

    def of(self, request, audience):
        people = (
            self.by_agency.get(request.agency_id, []) if audience == AGENCY_USER else self.managers
        )
        review = request.action.recommendation.review
        if review.is_restricted:
            return [p for p in people if (review.pk, p.pk) in self.granted]
        return people


def message(request, kind):
    """(subject, body, link): a title and a link to where the thing is done,
    never what the request or the action says (events.py)."""
    rec = request.action.recommendation
    link = reverse("recommendations:my_actions")
    due = f"{request.due_date:%-d %B %Y}"
    if kind == "reminder":
        subject = f"Evidence for {rec} is due on {due}"
    elif kind == "escalation":
        subject = (
            f"Escalated: evidence for {rec} from {request.agency.short_name} is "
            f"{request.days_overdue()} days overdue"
        )
        link = reverse("evidence:request_list")
    else:
        subject = f"Overdue: evidence for {rec} was due on {due}"
    body = f"{subject}\n\nOpen it in the tracker: {settings.SITE_URL}{link}\n"
    return subject, body, link


BATCH = 1000
FLAGGED = "Flagged to executives: long overdue"


def run(today=None) -> Outcome:
    """Decide what to send in sets: a fixed number of queries to read the
    requests, the people and what was already sent, then the new
    notifications created in batches. A run with nothing new sends nothing
    and costs a few queries."""
    today = today or timezone.localdate()
    outcome = Outcome()
    horizon = today + timedelta(days=settings.REMIND_BEFORE_DAYS)
    requests = list(
        AssuranceRequest.objects.open()
        .filter(due_date__lte=horizon)  # later ones call for nothing yet
        .select_related("agency", "action__recommendation__review")
        .order_by("pk")
    )
    audiences = Audiences()
    sent = set(
        Notification.objects.filter(request__in=[r.pk for r in requests]).values_list(
            "request_id", "kind", "recipient_id"
        )
    )
    new = []
    for request in requests:
        for kind, audience in due_kinds(request, today):
            people = [
                p for p in audiences.of(request, audience) if (request.pk, kind, p.pk) not in sent
            ]
            if not people:
                continue
            subject, body, link = message(request, kind)
            review = request.action.recommendation.review
            new.extend(
                Notification(
                    recipient=p,
                    request=request,
                    review=review,
                    kind=kind,
                    subject=subject,
                    body=body,
                    link=link,
                )
                for p in people
            )
    for start in range(0, len(new), BATCH):
        # A run at the same moment may have made some already: those are skipped.
        Notification.objects.bulk_create(new[start : start + BATCH], ignore_conflicts=True)
    outcome.created = new
    to_flag = [
        r
        for r in requests
        if r.flagged_on is None and r.days_overdue(today) >= settings.FLAG_AFTER_DAYS
    ]
    if to_flag:
        for request in to_flag:
            request.flagged_on = today
        with transaction.atomic():
            # One UPDATE and one history INSERT per batch, each history row
            # naming the system account and the reason, as every change does.
            bulk_update_with_history(
                to_flag,
                AssuranceRequest,
                ["flagged_on"],
                batch_size=BATCH,
                default_user=system_user(),
                default_change_reason=FLAGGED,
            )
    outcome.flagged = to_flag
    # Those who chose one email a day have theirs from send_digests.
    send(Notification.objects.filter(recipient__emails=User.Emails.EACH), outcome)
    return outcome


def digests(outcome=None) -> Outcome:
    """One email to each person who chose one a day, of everything not yet
    emailed to them: run once a day (manage.py send_digests). Nothing is
    emailed twice, so a second run the same day sends only what is new."""
    outcome = outcome or Outcome()
    send(Notification.objects.filter(recipient__emails=User.Emails.DAILY), outcome)
    return outcome


def send(notifications, outcome=None):
    """Email those of ``notifications`` not yet emailed, one email per person
    (a digest when there is more than one thing), over one connection; each
    batch of successes is recorded in one UPDATE. A failure is counted and
    retried on the next run."""
    outcome = outcome or Outcome()
    unsent = (
        notifications.filter(emailed_at=None, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "pk")
    )
    connection = mail.mailers.default
    try:
        connection.open()
    except OSError:
        outcome.failed += unsent.count()  # the server cannot be reached: all next time
        return outcome
    emailed = []
    try:
        for notes in _by_recipient(unsent.iterator(chunk_size=BATCH)):
            try:
                connection.send_messages([digest(notes)])
            except OSError:
                outcome.failed += len(notes)
                continue
            emailed.extend(note.pk for note in notes)
            if len(emailed) >= BATCH:
                _mark_emailed(emailed, outcome)
    finally:
        connection.close()
    _mark_emailed(emailed, outcome)
    return outcome


def _by_recipient(notes):
    group = []
    for note in notes:
        if group and group[-1].recipient_id != note.recipient_id:
            yield group
            group = []
        group.append(note)
    if group:
        yield group


def digest(notes):
    """One email for one person's new notifications: the notification itself
    when there is one, otherwise each title and link in turn under a count."""
    to = [notes[0].recipient.email]
    if len(notes) == 1:
        return mail.EmailMessage(notes[0].subject, notes[0].body, to=to)
    subject = f"{len(notes)} things in the tracker need you"
    parts = [
        f"{n}. {note.subject}\n   {settings.SITE_URL}{note.link}" for n, note in enumerate(notes, 1)
    ]
    listing = reverse("evidence:notification_list")
    body = (
        "\n".join(parts)
        + f"\n\nAll your notifications: {settings.SITE_URL}{listing}\n"
        + "Choose how you are emailed on that page.\n"
    )
    return mail.EmailMessage(subject, body, to=to)


def _mark_emailed(pks, outcome):
    if pks:
        Notification.objects.filter(pk__in=pks).update(emailed_at=timezone.now())
        outcome.emailed += len(pks)
        pks.clear()
