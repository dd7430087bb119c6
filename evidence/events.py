"""Event notifications: who is told what, when another person acts.

Each event makes one notification per person told, in the transaction of the
change (so a change rolled back tells nobody), and emails them once it has
committed, unless they chose one email a day (``manage.py send_digests``). A
notification is a title and a link to the place where the thing is done:
never evidence content, nor anything typed by a person, so nothing the
intake guard would refuse can reach an email. The person who acted is not
told of their own act; a restricted review's events go only to the people
granted it by name.

    event                who is told
    request_made         the agency's users
    request_cancelled    the agency's users
    evidence_sent        business managers
    evidence_returned    the agency's users
    evidence_accepted    the agency's users
    file_held            business managers
    file_released        the agency's users
    file_rejected        the agency's users
    sign_off_waiting     executives of the statutory partners
    sign_off_stale       business managers, and the partners' executives
    progress_update      business managers
    progress_challenge   the agency's users
    (escalation, reminders and chasers come from send_reminders)
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from evidence.models import Notification
from recommendations.grants import ReviewGrant
from scr_tracker.accounts.capabilities import can
from scr_tracker.accounts.models import User
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE

EVENTS = {
    "request_made",
    "request_cancelled",
    "evidence_sent",
    "evidence_returned",
    "evidence_accepted",
    "file_held",
    "file_released",
    "file_rejected",
    "sign_off_waiting",
    "sign_off_stale",
    "progress_update",
    "progress_challenge",
}


def _people(review, actor, **filters):
    people = User.objects.filter(is_active=True, **filters).exclude(pk=actor.pk)
    if review.is_restricted:
        granted = ReviewGrant.objects.filter(content_object=review).values("user")
        people = people.filter(pk__in=granted)
    return list(people.order_by("pk"))


def agency_people(agency_id, review, actor):
    return _people(review, actor, role=AGENCY_USER, agency=agency_id)


def managers(review, actor):
    return _people(review, actor, role=BUSINESS_MANAGER)


def partner_executives(review, actor):
    people = _people(review, actor, role=EXECUTIVE, agency__is_statutory_partner=True)
    return [person for person in people if can(person, "partner_sign_off")]


def tell(kind, people, *, title, link, review, request=None):
    """One notification each; emailed after the commit to those who want
    each as it happens (and have an address)."""
    assert kind in EVENTS, kind  # noqa: S101 - a programming error, not input
    if not people:
        return []
    body = f"{title}\n\nOpen it in the tracker: {settings.SITE_URL}{link}\n"
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            request=request,
            review=review,
            kind=kind,
            subject=title[:200],
            body=body,
            link=link,
        )
        for person in people
    )
    now = [
        note.pk
        for note, person in zip(notes, people, strict=True)
        if person.emails == User.Emails.EACH and person.email
    ]
    if now:
        transaction.on_commit(lambda: send_now(now))
    return notes


def send_now(pks):
    """Email these notifications, one email each; what fails is left unsent
    and retried by the next run of send_reminders."""
    from evidence import reminders

    reminders.send(Notification.objects.filter(pk__in=pks, emailed_at=None))


# --- The events, as the views call them ------------------------------------------


def _action_place(action):
    return action.recommendation, action.recommendation.review


def request_made(asked, actor):
    rec, review = _action_place(asked.action)
    tell(
        "request_made",
        agency_people(asked.agency_id, review, actor),
        title=f"Evidence requested for {rec}, due {asked.due_date:%-d %B %Y}",
        link=reverse("evidence:submission_create") + f"?action={asked.action_id}",
        review=review,
        request=asked,
    )


def request_cancelled(asked, actor):
    rec, review = _action_place(asked.action)
    tell(
        "request_cancelled",
        agency_people(asked.agency_id, review, actor),
        title=f"The request for evidence for {rec} was cancelled",
        link=reverse("evidence:request_list"),
        review=review,
        request=asked,
    )


def evidence_sent(submission, actor):
    rec, review = _action_place(submission.action)
    link = reverse("evidence:submission_detail", args=[submission.pk])
    tell(
        "evidence_sent",
        managers(review, actor),
        title=(
            f"Evidence sent {'again ' if submission.version > 1 else ''}by "
            f"{submission.agency.short_name} for {rec}"
        ),
        link=link,
        review=review,
    )


def files_held(submission, count, actor):
    rec, review = _action_place(submission.action)
    tell(
        "file_held",
        managers(review, actor),
        title=(
            f"{count} file(s) sent by {submission.agency.short_name} for {rec} "
            "held for a person to check"
        ),
        link=reverse("evidence:held_files"),
        review=review,
    )


def evidence_reviewed(submission, accepted, actor):
    rec, review = _action_place(submission.action)
    if accepted:
        kind, title = "evidence_accepted", f"Your agency's evidence for {rec} was accepted"
    else:
        kind = "evidence_returned"
        title = f"Your agency's evidence for {rec} was returned: read why and send it again"
    tell(
        kind,
        agency_people(submission.agency_id, review, actor),
        title=title,
        link=reverse("evidence:submission_detail", args=[submission.pk]),
        review=review,
    )


def file_decided(upload, released, actor):
    submission = upload.submission
    rec, review = _action_place(submission.action)
    if released:
        kind, title = "file_released", f"A held file of your evidence for {rec} was released"
    else:
        kind, title = "file_rejected", f"A file of your evidence for {rec} was rejected"
    tell(
        kind,
        agency_people(submission.agency_id, review, actor),
        title=title,
        link=reverse("evidence:submission_detail", args=[submission.pk]),
        review=review,
    )


def signed_off(rec, actor):
    tell(
        "sign_off_waiting",
        partner_executives(rec.review, actor),
        title=f"{rec} was signed off and waits for your agency's sign-off",
        link=reverse("recommendations:recommendation_detail", args=[rec.pk]),
        review=rec.review,
    )


def sign_off_gone_stale(rec, actor):
    tell(
        "sign_off_stale",
        managers(rec.review, actor) + partner_executives(rec.review, actor),
        title=f"{rec} changed after it was signed off: it needs signing off again",
        link=reverse("recommendations:recommendation_detail", args=[rec.pk]),
        review=rec.review,
    )


def progress_posted(entry, actor):
    rec, review = _action_place(entry.action)
    link = reverse("evidence:action_progress", args=[entry.action_id]) + f"#entry-{entry.pk}"
    if entry.kind == entry.Kind.UPDATE:
        kind, people = "progress_update", managers(review, actor)
        title = f"Progress update from {entry.action.agency.short_name} on {rec}"
    else:
        kind, people = "progress_challenge", agency_people(entry.agency_id, review, actor)
        title = f"A question on your agency's progress on {rec}"
    tell(kind, people, title=title, link=link, review=review)
