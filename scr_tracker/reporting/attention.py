"""Needs your attention: what waits for each person, counted in one query on
every signed-in page (the menu's counts and the home page's list share it).
Every count is taken through the same scoping querysets as the pages it links
to, so nobody is told of anything they could not open (docs/decisions.md)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Value,
)
from django.urls import reverse
from django.utils import timezone

from evidence.models import AssuranceRequest, Notification, Submission, SubmissionFile
from recommendations.models import Action, ImpactJudgement, Recommendation, SignOff
from scr_tracker.accounts.models import Agency, User
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE, role_of

DUE_SOON_DAYS = 14


@dataclass
class Item:
    key: str
    count: int
    text: str  # e.g. "pieces of evidence to review"
    url: str


def _counts(querysets: dict) -> dict[str, int]:
    """How many rows each queryset has, in one query: a UNION ALL of one
    ``SELECT key, COUNT(*)`` each, so that PostgreSQL plans every count on its
    own (as scalar subqueries of one row, a manager's menu counts took 26–34 ms
    at 10,000 recommendations against 24 ms so: benchmarks/attention.py)."""
    parts = [
        queryset.order_by()
        .annotate(attention_key=Value(key, output_field=CharField()))
        .values("attention_key")
        .annotate(n=Count("pk"))
        .values_list("attention_key", "n")
        .order_by()
        for key, queryset in querysets.items()
    ]
    return dict(parts[0].union(*parts[1:], all=True).order_by()) if parts else {}


def _manager(user, today):
    escalated_before = today - timedelta(days=settings.ESCALATE_AFTER_DAYS)
    requests = AssuranceRequest.objects.visible_to(user).open().filter(due_date__lt=today)
    recs = Recommendation.objects.visible_to(user)
    someone = User.objects.filter(is_active=True, role=AGENCY_USER, agency=OuterRef("pk"))
    nobody = Agency.objects.exclude(Exists(someone))
    return [
        (
            "evidence",
            "evidence to review",
            reverse("evidence:submission_list") + "?state=submitted",
            Submission.objects.visible_to(user).filter(
                state=Submission.State.SUBMITTED, disposed_at__isnull=True
            ),
        ),
        (
            "held",
            "held files to check",
            reverse("evidence:held_files"),
            SubmissionFile.objects.in_reviews_seen_by(user).filter(state=SubmissionFile.State.HELD),
        ),
        ("overdue_requests", "requests overdue", reverse("evidence:request_list"), requests),
        (
            "escalated",
            f"requests escalated (over {settings.ESCALATE_AFTER_DAYS} days overdue)",
            reverse("evidence:request_list"),
            requests.filter(due_date__lt=escalated_before),
        ),
        (
            "unstaffed",
            "actions whose agency has nobody to send evidence",
            reverse("people:people") + "?role=agency_user",
            Action.objects.visible_to(user)
            .filter(agency__in=nobody)
            .exclude(state=Action.State.ASSURED),
        ),
        (
            "ready",
            "recommendations ready to sign off",
            reverse("reporting:dashboard") + "#sign-offs",
            recs.ready_for_sign_off(),
        ),
        (
            "again",
            "recommendations to sign off again",
            reverse("reporting:dashboard") + "#sign-offs",
            recs.needing_sign_off(),
        ),
        (
            "impact_due",
            "impact reviews due",
            reverse("reporting:dashboard") + "#impact-due",
            impact_reviews_due(recs, today),
        ),
        (
            "overdue",
            "recommendations overdue",
            reverse("reporting:dashboard") + "?overdue=on#recommendations",
            recs.filter(Recommendation.overdue_q()),
        ),
    ]


def impact_reviews_due(recs, today):
    """Signed-off recommendations at or past their impact review date with no
    impact judgement since they were signed off (the review date is
    IMPACT_REVIEW_MONTHS after the sign-off)."""
    since = ExpressionWrapper(
        OuterRef("impact_review_date") - timedelta(days=31 * settings.IMPACT_REVIEW_MONTHS),
        output_field=DateField(),
    )
    judged = ImpactJudgement.objects.filter(recommendation=OuterRef("pk"), judged_on__gte=since)
    return recs.filter(impact_review_date__lte=today).exclude(Exists(judged))


def _agency_user(user, today):
    ours = Submission.objects.visible_to(user)
    later = ours.filter(action=OuterRef("action"), submitted_at__gt=OuterRef("submitted_at"))
    return [
        (
            "open_requests",
            "requests for evidence",
            reverse("recommendations:my_actions") + "#requests",
            AssuranceRequest.objects.visible_to(user).open(),
        ),
        (
            "returned",
            "pieces of evidence returned to you",
            reverse("evidence:submission_list") + "?state=returned",
            ours.filter(state=Submission.State.RETURNED).exclude(Exists(later)),
        ),
        (
            "due_soon",
            f"actions due within {DUE_SOON_DAYS} days or overdue",
            reverse("recommendations:my_actions"),
            Action.objects.visible_to(user)
            .filter(agency=user.agency_id, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
            .exclude(state=Action.State.ASSURED),
        ),
    ]


def _executive(user, today):
    items = [
        (
            "flagged",
            "requests flagged to executives",
            reverse("reporting:dashboard") + "#flagged",
            AssuranceRequest.objects.visible_to(user).open().filter(flagged_on__isnull=False),
        )
    ]
    if user.agency_id is not None and user.agency.is_statutory_partner:
        items.append(
            (
                "partner",
                f"sign-offs waiting for {user.agency.short_name}",
                reverse("reporting:dashboard") + "#partner-sign-offs",
                waiting_for_partner(user),
            )
        )
    return items


def waiting_for_partner(user):
    """Recommendations signed off by a business manager (and still so) that
    the executive's statutory partner has not yet signed off."""
    ours = SignOff.objects.filter(
        recommendation=OuterRef("pk"),
        kind=SignOff.Kind.PARTNER,
        agency=user.agency_id,
        version=OuterRef("version"),
    )
    return (
        Recommendation.objects.visible_to(user)
        .with_sign_off()
        .filter(signed_off_version=F("version"))
        .exclude(Exists(ours))
    )


def _unread(user):
    return (
        "unread",
        "new notifications",
        reverse("evidence:notification_list") + "?show=unread",
        Notification.objects.of(user).filter(read_at=None),
    )


def _with_unread(kind):
    return lambda user, today: [*kind(user, today), _unread(user)]


KINDS = {
    BUSINESS_MANAGER: _with_unread(_manager),
    AGENCY_USER: _with_unread(_agency_user),
    EXECUTIVE: _with_unread(_executive),
}
# A business manager's menu shows only these; the rest, which read every
# recommendation and action, are counted on their home page (the dashboard).
MANAGERS_MENU = {"evidence", "held", "overdue_requests", "escalated", "unread"}


def for_user(user, everything=True) -> list[Item]:
    """What waits for ``user`` (zero counts included), in one query; kept on
    the user object for the rest of the request. ``everything=False``: a
    business manager's menu counts only (benchmarks/attention.py)."""
    known = getattr(user, "_attention", None)
    if known is not None:
        return known
    kind = KINDS.get(role_of(user))
    items = []
    if kind is not None:
        counters = kind(user, timezone.localdate())
        if not everything and role_of(user) == BUSINESS_MANAGER:
            counters = [counter for counter in counters if counter[0] in MANAGERS_MENU]
        counts = _counts({key: queryset for key, _, _, queryset in counters})
        items = [Item(key, counts.get(key, 0), text, url) for key, text, url, _ in counters]
    user._attention = items
    return items


# The menu's counts: route -> (the items it sums, what the number means).
IN_THE_MENU = {
    "evidence:submission_list": (("evidence", "returned"), "waiting for you"),
    "evidence:held_files": (("held",), "to check"),
    "evidence:request_list": (("overdue_requests", "open_requests"), "needing you"),
    "reporting:dashboard": (("flagged", "partner"), "needing you"),
    "evidence:notification_list": (("unread",), "new"),
}


def on_page(request) -> list[Item]:
    """For the page being drawn: everything on a home page that shows the
    list (its view says so), the menu's counts elsewhere."""
    return for_user(request.user, everything=getattr(request, "shows_attention", False))


def menu_counts(request) -> dict[str, tuple[int, str]]:
    counts = {item.key: item.count for item in on_page(request)}
    found = {}
    for route, (keys, meaning) in IN_THE_MENU.items():
        total = sum(counts.get(key, 0) for key in keys)
        if total:
            found[route] = (total, meaning)
    return found
