from django.conf import settings
from django.db import models
from django.utils import timezone

from recommendations.models import Review


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Board packs cannot be changed.")

    def delete(self):
        raise TypeError("Board packs cannot be deleted.")


class Frozen(models.Model):
    """Written once, never changed or deleted (on PostgreSQL a trigger refuses
    any UPDATE or DELETE too, whatever path a write takes)."""

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Board packs cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Board packs cannot be deleted.")


class BoardPackQuerySet(FrozenQuerySet):
    def seen_by(self, user):
        """Packs every review of which ``user`` may see: a pack with a
        restricted review is shown only to people granted that review."""
        hidden = BoardPackReview.objects.exclude(review__in=Review.objects.visible_to(user))
        return self.exclude(pk__in=hidden.values("pack"))


class BoardPack(Frozen):
    """Where the recommendations of one or more reviews stood at a board
    meeting, frozen row by row exactly as the live pages showed them."""

    title = models.CharField(max_length=200, help_text="For example “Executive board, June”.")
    board_date = models.DateField()
    reviews = models.ManyToManyField(Review, through="BoardPackReview", related_name="board_packs")
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    rows = models.JSONField(help_text="One entry per recommendation, as it stood (see board.py).")

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-board_date", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.board_date:%-d %B %Y})"


class BoardPackReview(Frozen):
    """A review in a board pack. Each review has at most one pack per board date."""

    pack = models.ForeignKey(BoardPack, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="+")
    board_date = models.DateField(help_text="The pack's board date, repeated for the constraint.")

    class Meta:
        ordering = ["review__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "board_date"],
                name="board_pack_one_per_review_and_date",
                violation_error_message="That review already has a board pack for that date.",
            ),
        ]

    def __str__(self):
        return f"{self.review} in {self.pack}"


class MonthEndCount(models.Model):
    """How many of a review's recommendations had a rating at the end of a
    closed month: five rows per review and month (zeros included), computed
    from the history the first time the trend needs that month, then kept. A
    closed month's history never changes (history is only ever appended, at
    the time of the change), so neither does its count."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    rating = models.CharField(max_length=10, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "month", "rating"], name="month_end_count_once"
            ),
        ]

    def __str__(self):
        return f"{self.review} {self.month:%B %Y} {self.rating or 'not rated'}: {self.count}"
