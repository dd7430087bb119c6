from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from recommendations.grants import RecommendationGrant, ReviewGrant
from scr_tracker.accounts.models import Agency
from scr_tracker.accounts.roles import AGENCY_USER, role_of
from scr_tracker.audit import AuditedHistory


def hidden_reviews(user, whose=None):
    """The restricted reviews not granted by name to ``user`` (usually none).
    ``whose``: instead of a user, an expression naming one (the outer query's
    user, for hidden_review_ids_of_user). The review grant table holds only
    ``view_review`` grants (access.GRANTS), so no join to the permission table
    is needed."""
    granted = ReviewGrant.objects.filter(user=user.pk if whose is None else whose)
    return (
        Review.objects.filter(is_restricted=True)
        .exclude(pk__in=granted.values("content_object"))
        .values("pk")
    )


def hidden_review_ids_of_user():
    """The ids of the reviews hidden from the user of the outer query: read
    with the signed-in person (accounts/sso.py, WITH_THE_USER)."""
    from django.contrib.postgres.expressions import ArraySubquery

    return ArraySubquery(hidden_reviews(None, whose=OuterRef(OuterRef("pk"))))


def not_hidden(user, path: str, level: str) -> Q:
    """Keeps the rows whose ``path`` (a foreign key to a ``level``: "review",
    "recommendation" or "action") is outside every review hidden from
    ``user``. The signed-in person comes with those ids (usually none: then
    no filter at all); otherwise a subquery of them inside the query that uses
    it. Either way no query of its own, and no join on the rows listed."""
    known = getattr(user, "hidden_review_ids", None)
    if known is not None and not known:
        return Q()
    hidden = known if known is not None else hidden_reviews(user)
    ids = {
        "review": hidden,
        "recommendation": Recommendation.objects.filter(review__in=hidden).values("pk"),
        "action": Action.objects.filter(recommendation__review__in=hidden).values("pk"),
    }[level]
    return ~Q(**{f"{path}__in": ids})


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviews the person may see: restricted ones only when granted."""
        if role_of(user) is None:
            return self.none()
        return self.filter(not_hidden(user, "pk", "review"))


VERSION_HELP = "Goes up by one with every edit; an edit made from an older version is refused."


class Review(models.Model):
    """A case review whose recommendations the partnership tracks.

    By design there is no field, model or file slot for the review report itself:
    an unpublished report (such as SCR W6's) must never enter the tracker. Only
    the published recommendations and facts about the review are kept.
    """

    class Kind(models.TextChoices):
        SCR = "scr", "Serious case review"
        CSPR = "cspr", "Child safeguarding practice review"
        SAR = "sar", "Safeguarding adult review"
        DHR = "dhr", "Domestic homicide review"
        OTHER = "other", "Other review"

    class Publication(models.TextChoices):
        PUBLISHED = "published", "Published"
        NOT_PUBLISHED = "not_published", "Not published"

    reference = models.CharField(max_length=40, unique=True, help_text="For example “SCR W6”.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    completed_year = models.PositiveSmallIntegerField()
    completed_on = models.DateField(
        null=True, blank=True, help_text="Leave blank when only the year is known."
    )
    period_from_year = models.PositiveSmallIntegerField("practice examined from (year)")
    period_to_year = models.PositiveSmallIntegerField("practice examined to (year)")
    publication = models.CharField(max_length=20, choices=Publication.choices)
    publication_reason = models.TextField(
        blank=True,
        help_text="Why the report was or was not published, as the partnership stated it.",
    )
    recommendations_published_on = models.DateField(null=True, blank=True)
    # Retention of the evidence about this review (docs/retention.md): kept for
    # retention_years (blank: the EVIDENCE_RETENTION_YEARS setting) after the
    # review is closed, unless a legal hold stops its disposal.
    closed_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the partnership closed its work on the review; leave blank while open.",
    )
    retention_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Years to keep the evidence after the review is closed; blank for the default.",
    )
    legal_hold_reason = models.TextField(
        blank=True,
        help_text="While this says why, no evidence about the review is disposed of.",
    )
    version = models.PositiveIntegerField(default=1, help_text=VERSION_HELP)
    is_restricted = models.BooleanField(
        "restricted",
        default=False,
        help_text=(
            "Seen only by the people granted access to it, whatever their role: for example "
            "a domestic homicide review before publication, or one under criminal proceedings."
        ),
    )

    objects = ReviewQuerySet.as_manager()
    history = AuditedHistory()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from_year__lte=F("period_to_year")),
                name="review_period_in_order",
                violation_error_message="The period examined must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__year=F("completed_year")),
                name="review_completed_on_in_completed_year",
                violation_error_message="The completion date must fall in the completion year.",
            ),
            models.CheckConstraint(
                condition=~Q(publication="not_published") | ~Q(publication_reason=""),
                name="review_unpublished_has_reason",
                violation_error_message="Say why the review was not published.",
            ),
            models.CheckConstraint(
                condition=Q(retention_years__isnull=True) | Q(retention_years__gte=1),
                name="review_retention_at_least_a_year",
                violation_error_message="Keep evidence for at least a year after closing.",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def on_legal_hold(self) -> bool:
        return bool(self.legal_hold_reason.strip())

    @property
    def years_kept(self) -> int:
        return self.retention_years or settings.EVIDENCE_RETENTION_YEARS

    @property
    def disposal_from(self):
        """The first day its evidence may be disposed of (None while open)."""
        if self.closed_on is None:
            return None
        try:
            return self.closed_on.replace(year=self.closed_on.year + self.years_kept)
        except ValueError:  # 29 February into a year without one
            return self.closed_on.replace(year=self.closed_on.year + self.years_kept, day=28)

    @property
    def retention_rule(self) -> str:
        return f"Evidence kept {self.years_kept} years after the review closed"


class Rating(models.TextChoices):
    """The partnership's RAG ratings. Complete is shown blue."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"

    @property
    def tag_class(self) -> str:
        return RATING_TAG_CLASSES[self]


# The GOV.UK Frontend tag modifier for each rating; the tag always shows the word too.
RATING_TAG_CLASSES = {
    Rating.RED: "govuk-tag--red",
    Rating.AMBER: "govuk-tag--orange",
    Rating.GREEN: "govuk-tag--green",
    Rating.COMPLETE: "govuk-tag--blue",
}
NOT_RATED_TAG_CLASS = "govuk-tag--grey"


SIGNED_OFF = "Signed off"
NEEDS_SIGNING_OFF_AGAIN = "Needs signing off again"


class RatingDefinition(models.Model):
    """What the partnership means by each rating; business managers edit it."""

    rating = models.CharField(max_length=10, choices=Rating.choices, unique=True)
    definition = models.TextField()
    version = models.PositiveIntegerField(default=1, help_text=VERSION_HELP)

    history = AuditedHistory()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.get_rating_display()

    @property
    def tag_class(self) -> str:
        return Rating(self.rating).tag_class


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Recommendations the user may read: all for business managers and
        executives, those with an action for their agency for agency users, and
        those they lead; of a restricted review, only when granted it."""
        role = role_of(user)
        if role is None:
            return self.none()
        mine = self.filter(not_hidden(user, "review", "review"))
        if role != AGENCY_USER:
            return mine
        led = Exists(
            RecommendationGrant.objects.filter(content_object=OuterRef("pk"), user=user.pk)
        )
        if user.agency_id is None:
            return mine.filter(led)
        ours = Exists(Action.objects.filter(recommendation=OuterRef("pk"), agency=user.agency_id))
        return mine.filter(ours | led)

    def led_by(self, user):
        """The recommendations ``user`` is the named lead of."""
        return self.filter(grants__user=user.pk, grants__permission__codename="lead_recommendation")

    def for_list(self):
        return self.select_related("review").order_by("review__reference", "number")

    def with_actions(self):
        """With each recommendation's actions and their agencies (one more query)."""
        return self.prefetch_related(Prefetch("actions", Action.objects.select_related("agency")))

    def with_sign_off(self):
        """Annotated with ``signed_off_version``: the version the latest business
        manager's sign-off was given for (None when never signed off). Compare it
        with ``version`` (see Recommendation.sign_off_state)."""
        latest = SignOff.objects.filter(
            recommendation=OuterRef("pk"), kind=SignOff.Kind.MANAGER
        ).order_by("-signed_at", "-pk")
        return self.annotate(signed_off_version=Subquery(latest.values("version")[:1]))

    def needing_sign_off(self):
        """Signed off as Complete, then changed: it needs signing off again."""
        return (
            self.with_sign_off()
            .filter(rating=Rating.COMPLETE)
            .exclude(signed_off_version=F("version"))
        )

    def ready_for_sign_off(self):
        """Not Complete, with actions, every one of them assured."""
        return (
            self.exclude(rating=Rating.COMPLETE)
            .filter(Exists(Action.objects.filter(recommendation=OuterRef("pk"))))
            .exclude(
                Exists(
                    Action.objects.filter(recommendation=OuterRef("pk")).exclude(
                        state=Action.State.ASSURED
                    )
                )
            )
        )


class Impact(models.TextChoices):
    EVIDENCED = "evidenced", "Impact evidenced"
    PARTLY = "partly", "Impact partly evidenced"
    NOT_EVIDENCED = "not_evidenced", "Impact not evidenced"


class Recommendation(models.Model):
    """One published recommendation of a review, with the partnership's response
    and its current RAG rating."""

    class Response(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        ACCEPTED_IN_PART = "accepted_in_part", "Accepted in part"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    short_title = models.CharField(
        max_length=80, help_text="The partnership's working title, for tables."
    )
    text = models.TextField(help_text="The published wording, verbatim.")
    sub_points = models.JSONField(
        default=list, blank=True, help_text="The published bullet points, verbatim, in order."
    )
    response = models.CharField(
        "partnership's response", max_length=20, choices=Response.choices, blank=True
    )
    response_reason = models.TextField(blank=True)
    rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    rating_rationale = models.TextField(blank=True)
    target_date = models.DateField(null=True, blank=True)
    original_target_date = models.DateField(
        null=True, blank=True, help_text="The first target date set; kept when the date moves."
    )
    version = models.PositiveIntegerField(default=1, help_text=VERSION_HELP)
    impact_review_date = models.DateField(
        null=True, blank=True, help_text="When to check that the change has lasted."
    )
    # Outcomes, apart from the delivery rating: what should be different, how
    # that will be known, and (after sign-off) a manager's judgement of it.
    intended_outcome = models.TextField(
        blank=True, help_text="What should be different for children and families."
    )
    outcome_measure = models.TextField(blank=True, help_text="How the partnership will know.")
    themes = models.ManyToManyField(
        "Theme", through="RecommendationTheme", related_name="recommendations", blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecommendationQuerySet.as_manager()
    history = AuditedHistory()

    class Meta:
        ordering = ["review", "number"]
        permissions = [
            ("lead_recommendation", "Lead: rate the recommendation and give its actions"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"],
                name="recommendation_number_unique_in_review",
                violation_error_message="The review already has a recommendation with that number.",
            ),
            models.CheckConstraint(
                condition=Q(rating="") | ~Q(rating_rationale=""),
                name="recommendation_rating_has_rationale",
                violation_error_message="Give the rationale for the rating.",
            ),
            models.CheckConstraint(
                condition=Q(response__in=["", "accepted"]) | ~Q(response_reason=""),
                name="recommendation_partial_response_has_reason",
                violation_error_message="Say why the recommendation was not fully accepted.",
            ),
        ]

    def __str__(self):
        return f"{self.review.reference} recommendation {self.number}"

    def save(self, *args, **kwargs):
        """Saves; a new or changed published text tells the intake guard, in
        the same transaction, that its published fingerprints are out of date."""
        from scr_tracker.intake import guard

        now = self._published_text()
        changed = self._state.adding or getattr(self, "_published_as_loaded", None) != now
        with transaction.atomic():
            super().save(*args, **kwargs)
            if changed:
                guard.published_texts_changed()
        self._published_as_loaded = now

    def delete(self, *args, **kwargs):
        from scr_tracker.intake import guard

        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            guard.published_texts_changed()
        return result

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._published_as_loaded = instance._published_text()
        return instance

    def _published_text(self):
        deferred = self.get_deferred_fields()
        if "text" in deferred or "sub_points" in deferred:
            return None
        return (self.text, list(self.sub_points or []))

    def clean(self):
        points = self.sub_points
        if not isinstance(points, list) or not all(
            isinstance(point, str) and point.strip() for point in points
        ):
            raise ValidationError({"sub_points": "Sub-points must be a list of non-empty texts."})

    @property
    def rating_tag_class(self) -> str:
        return Rating(self.rating).tag_class if self.rating else NOT_RATED_TAG_CLASS

    @staticmethod
    def overdue_q(path=""):
        """Past its target date and not complete (``path``: the way to the
        recommendation from another model, e.g. "recommendation__")."""
        return Q(**{f"{path}target_date__lt": timezone.localdate()}) & ~Q(
            **{f"{path}rating": Rating.COMPLETE}
        )

    @property
    def is_overdue(self) -> bool:
        return (
            self.target_date is not None
            and self.target_date < timezone.localdate()
            and self.rating != Rating.COMPLETE
        )

    @property
    def sign_off_state(self) -> str:
        """ "signed off", "needs signing off again" or "" (never signed off), from
        the ``signed_off_version`` annotation (RecommendationQuerySet.with_sign_off)."""
        signed = self.signed_off_version
        if signed is None:
            return ""
        return SIGNED_OFF if signed == self.version else NEEDS_SIGNING_OFF_AGAIN

    @property
    def agencies(self) -> list:
        """The agencies with actions, by name (from prefetched actions)."""
        return sorted({action.agency for action in self.actions.all()}, key=lambda a: a.name)


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Actions of the recommendations the user may read (for business
        managers and executives, every one outside a hidden review)."""
        role = role_of(user)
        if role is None:
            return self.none()
        if role != AGENCY_USER:
            return self.filter(not_hidden(user, "recommendation", "recommendation"))
        return self.filter(recommendation__in=Recommendation.objects.visible_to(user))


class Action(models.Model):
    """What one agency must do for one recommendation: the unit an agency is
    accountable for, and the unit its evidence answers."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted"
        ASSURED = "assured", "Assured"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="actions"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField(help_text="What the agency must do, and what would show it.")

    class Assurance(models.TextChoices):
        EVIDENCE = "evidence", "Accepted evidence"
        DECISION = "decision", "Assured without evidence"

    due_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_STARTED)
    assurance = models.CharField(
        "assured by",
        max_length=10,
        choices=Assurance.choices,
        blank=True,
        help_text="What an assured action rests on: accepted evidence, or a manager's decision.",
    )
    assurance_reason = models.TextField(
        "why assured without evidence", blank=True, help_text="Required for a decision."
    )
    version = models.PositiveIntegerField(default=1, help_text=VERSION_HELP)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()
    history = AuditedHistory()

    class Meta:
        ordering = ["recommendation", "agency__name", "pk"]
        indexes = [
            # Agency scope: "recommendations my agency has actions on" and "my actions".
            models.Index(fields=["agency", "recommendation"], name="action_agency_rec_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="assured") & ~Q(assurance=""))
                | (~Q(state="assured") & Q(assurance="")),
                name="action_assured_says_by_what",
                violation_error_message="An assured action rests on evidence or a decision.",
            ),
            models.CheckConstraint(
                condition=~Q(assurance="decision") | ~Q(assurance_reason=""),
                name="action_decision_has_reason",
                violation_error_message="Say why the action is assured without evidence.",
            ),
        ]

    def __str__(self):
        return f"{self.recommendation}: {self.agency.short_name}"

    # What evidence does to an action. The evidence app calls these, inside its
    # own transaction and audit context; each saves the action's new state and
    # a new version (so an open edit form made before it is refused).

    def evidence_submitted(self):
        """Evidence arrived: a not-started or in-progress action awaits review."""
        if self.state in (self.State.NOT_STARTED, self.State.IN_PROGRESS):
            self._move(self.State.EVIDENCE_SUBMITTED)

    def evidence_accepted(self):
        """Accepted evidence assures the action."""
        self._move(self.State.ASSURED, self.Assurance.EVIDENCE)

    def evidence_returned(self):
        """Returned evidence puts the action back in progress, unless it is
        already assured (by other evidence, or by a decision)."""
        if self.state != self.State.ASSURED:
            self._move(self.State.IN_PROGRESS)

    def assure_without_evidence(self, reason):
        """A business manager's explicit decision, with its reason. Does not
        save: it is made through a versioned edit form."""
        if not reason or not reason.strip():
            raise ValidationError("Say why the action is assured without evidence.")
        self.state, self.assurance = self.State.ASSURED, self.Assurance.DECISION
        self.assurance_reason = reason.strip()

    def set_state_by_hand(self, state):
        """A manager's own state: Not started or In progress (never Assured; that
        comes from evidence or assure_without_evidence). Clears any assurance.
        Does not save: it is part of the action's edit form."""
        if state == self.state:
            return
        if state not in HAND_STATES:
            raise ValidationError("Assured comes from accepted evidence or a decision.")
        self.state, self.assurance, self.assurance_reason = state, "", ""

    def _move(self, state, assurance="", reason=""):
        self.state, self.assurance, self.assurance_reason = state, assurance, reason
        self.version = F("version") + 1
        self.save(update_fields=["state", "assurance", "assurance_reason", "version", "updated_at"])
        self.refresh_from_db(fields=["version"])

    @property
    def assured_by_decision(self) -> bool:
        return self.assurance == self.Assurance.DECISION

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.state != self.State.ASSURED
        )


# The states a manager may choose in an action's edit form.
HAND_STATES = (Action.State.NOT_STARTED, Action.State.IN_PROGRESS)


def rests_on(actions) -> str:
    """What a sign-off rests on, in words, from the recommendation's actions."""
    by_evidence = [a for a in actions if a.assurance == Action.Assurance.EVIDENCE]
    by_decision = [a for a in actions if a.assurance == Action.Assurance.DECISION]
    parts = []
    if by_evidence:
        n = len(by_evidence)
        parts.append(f"{n} action{'s' if n != 1 else ''} assured by accepted evidence")
    if by_decision:
        names = "; ".join(f"{a.agency.name}: {a.assurance_reason}" for a in by_decision)
        n = len(by_decision)
        parts.append(f"{n} action{'s' if n != 1 else ''} assured without evidence ({names})")
    return ". ".join(parts) + "." if parts else ""


class SignOff(models.Model):
    """A record that a recommendation was signed off: by a business manager (which
    makes it Complete), or by an executive of a statutory partner. It keeps the
    state that was signed off; a later change means it needs signing off again."""

    class Kind(models.TextChoices):
        MANAGER = "manager", "Business manager's sign-off"
        PARTNER = "partner", "Statutory partner's sign-off"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="sign_offs"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    rating = models.CharField(max_length=10, choices=Rating.choices)
    target_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(help_text="The recommendation's version signed off.")
    note = models.TextField(blank=True)
    rests_on = models.TextField(
        blank=True, help_text="What the sign-off rested on: how each action was assured."
    )

    history = AuditedHistory()

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="partner") | Q(agency__isnull=False),
                name="signoff_partner_names_agency",
                violation_error_message="A partner's sign-off names the partner agency.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.recommendation}"

    def is_current(self, recommendation=None) -> bool:
        """Still about the recommendation as it is now."""
        rec = recommendation or self.recommendation
        return rec.version == self.version


class Repeat(models.Model):
    """A business manager's judgement on whether a recommendation repeats one
    of another review: the question inspectors ask first. Suggested by text
    similarity (recommendations/repeats.py); confirmed or dismissed by a person."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", "Repeats it"
        DISMISSED = "dismissed", "Not a repeat"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="repeat_judgements"
    )
    earlier = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    similarity = models.FloatField(help_text="How alike the texts were when decided (0 to 1).")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    history = AuditedHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "earlier"],
                name="repeat_once_per_pair",
                violation_error_message="That pair was already decided.",
            ),
            models.CheckConstraint(
                condition=~Q(recommendation=F("earlier")),
                name="repeat_not_itself",
                violation_error_message="A recommendation cannot repeat itself.",
            ),
        ]

    def __str__(self):
        return f"{self.recommendation} / {self.earlier}: {self.get_decision_display()}"


class ImpactJudgement(models.Model):
    """A business manager's judgement, at the impact review after sign-off, of
    whether the recommendation's intended outcome is evidenced: apart from the
    delivery rating (a recommendation can be Complete and its impact not
    evidenced). The latest is the current one; each is kept."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="impact_judgements"
    )
    judgement = models.CharField(max_length=20, choices=Impact.choices)
    narrative = models.TextField(help_text="What the judgement rests on.")
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    judged_on = models.DateField(default=timezone.localdate)

    history = AuditedHistory()

    class Meta:
        ordering = ["-judged_on", "-pk"]

    def __str__(self):
        return f"{self.get_judgement_display()}: {self.recommendation}"


class Theme(models.Model):
    """One of the partnership's own themes ("information sharing",
    "professional curiosity", "neglect"…): recommendations of every review
    carry them, so the dashboard can group and filter across reviews."""

    name = models.CharField(max_length=60, help_text="For example “Information sharing”.")
    description = models.TextField(blank=True, help_text="What the theme covers (optional).")
    version = models.PositiveIntegerField(default=1, help_text=VERSION_HELP)

    history = AuditedHistory()

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="theme_name_unique",
                violation_error_message="There is already a theme with that name.",
            ),
        ]

    def __str__(self):
        return self.name


class RecommendationTheme(models.Model):
    """A theme a recommendation carries: who gave it, and when. Each one added
    or taken away is a row of history (not a new version of the
    recommendation: a theme is the partnership's filing, not what is signed
    off)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="theme_links"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    history = AuditedHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "theme"],
                name="theme_once_per_recommendation",
                violation_error_message="The recommendation already has that theme.",
            ),
        ]

    def __str__(self):
        return f"{self.recommendation}: {self.theme}"
