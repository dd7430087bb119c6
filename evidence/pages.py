"""What evidence adds to the recommendation pages (see recommendations/pages.py)."""

from django import forms
from django.db.models import Count, OuterRef, Subquery

from evidence.models import AssuranceRequest, ImpactEvidence, ProgressUpdate, Submission
from scr_tracker.accounts.roles import AGENCY_USER, role_of


def recommendation_evidence(request, recommendation):
    """The evidence for a recommendation that the user may know exists."""
    submissions = (
        Submission.objects.visible_to(request.user)
        .filter(action__recommendation=recommendation)
        .for_list()
    )
    return {"submissions": submissions}


def impact_evidence(request, recommendation):
    """The evidence the latest impact judgement rests on, as far as the user
    may know it exists (an agency user: their own agency's). Only once an
    impact review is due: before that there is no judgement."""
    if recommendation.impact_review_date is None:
        return {}
    latest = recommendation.impact_judgements.values("pk")[:1]
    rests_on = (
        Submission.objects.visible_to(request.user)
        .filter(impact_links__judgement__in=latest)
        .select_related("agency")
        .order_by("-submitted_at", "-pk")
    )
    return {"impact_evidence": rests_on}


def impact_form(request, recommendation):
    """The recommendation's accepted evidence (not disposed of), as tick boxes
    on the impact form, and the links written when the judgement is saved.
    Nothing is added when there is none."""
    accepted = Submission.objects.filter(
        action__recommendation=recommendation,
        state=Submission.State.ACCEPTED,
        disposed_at__isnull=True,
    ).select_related("agency")
    if not accepted.exists():
        return {}
    field = forms.ModelMultipleChoiceField(
        queryset=accepted.order_by("-submitted_at", "-pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Accepted evidence it rests on (optional)",
        help_text="The recommendation's accepted evidence. Tick any it rests on.",
        error_messages={
            "invalid_choice": "Choose evidence from the list: only this recommendation's "
            "accepted evidence."
        },
    )
    field.label_from_instance = lambda s: (
        f"{s.agency.short_name}, {s.submitted_at:%-d %B %Y}: {s.summary[:80]}"
    )

    def saved(judgement, cleaned):
        ImpactEvidence.objects.bulk_create(
            ImpactEvidence(judgement=judgement, submission=submission)
            for submission in cleaned.get("evidence", [])
        )

    return {"fields": {"evidence": field}, "saved": saved}


def open_requests(request, agency_id):
    """An agency's open requests for evidence, for its actions page."""
    requests = (
        AssuranceRequest.objects.visible_to(request.user)
        .open()
        .filter(agency=agency_id)
        .select_related("action__recommendation__review")
    )
    return {"requests": requests}


def recommendation_progress(request, recommendation):
    """Each action's latest progress update and the length of its thread, for
    the actions whose thread the user may read (an agency user: their own
    agency's), in one query."""
    user = request.user
    actions = recommendation.actions.select_related("agency").order_by("agency__name", "pk")
    if role_of(user) == AGENCY_USER:
        actions = actions.filter(agency=user.agency_id)
    thread = ProgressUpdate.objects.visible_to(user).filter(action=OuterRef("pk"))
    latest = thread.filter(kind=ProgressUpdate.Kind.UPDATE).order_by("-written_at", "-pk")
    count = thread.order_by().values("action").annotate(n=Count("pk")).values("n")[:1]
    return {
        "progress": actions.annotate(
            latest_text=Subquery(latest.values("text")[:1]),
            latest_at=Subquery(latest.values("written_at")[:1]),
            entry_count=Subquery(count),
        )
    }
