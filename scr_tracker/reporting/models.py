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
