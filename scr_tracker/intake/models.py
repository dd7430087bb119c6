"""The restricted registers. They hold fingerprints only: keyed hashes and a
file's SHA-256, never a file, a word of its text, or a term in clear."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from scr_tracker.audit import AuditedHistory


class RestrictedTerm(models.Model):
    """A name, alias or family pseudonym that must never be entered."""

    class Scheme(models.IntegerChoices):
        EXACT = 1, "Exact words, in order"
        LOOK_ALIKES = 2, "Any order, look-alike letters and digits, run together"

    digest = models.CharField(max_length=64, unique=True)
    first_word_digest = models.CharField(max_length=64, db_index=True)
    word_count = models.PositiveSmallIntegerField()
    scheme = models.PositiveSmallIntegerField(
        choices=Scheme.choices,
        default=Scheme.EXACT,
        help_text="How the term is matched. Terms entered before look-alike matching "
        "are matched exactly; enter them again to catch other spellings.",
    )
    keys = models.JSONField(
        default=dict,
        blank=True,
        help_text="Keyed hashes for matching (scheme 2): of each word, the words in any "
        "order, and the words run together. Never the term.",
    )
    key_id = models.CharField(max_length=16)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    history = AuditedHistory()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self):
        return f"Restricted term {self.pk} ({self.word_count} words)"


class RestrictedDocument(models.Model):
    """A document that must never enter, such as the review report or a draft."""

    label = models.CharField(
        max_length=120, help_text="How business managers recognise it, e.g. 'Final report'."
    )
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    shingle_count = models.PositiveIntegerField()
    key_id = models.CharField(max_length=16)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)

    history = AuditedHistory()

    class Meta:
        ordering = ["registered_at", "pk"]

    def __str__(self):
        return self.label


class RestrictedShingle(models.Model):
    """One keyed hash of eight consecutive words of a restricted document."""

    document = models.ForeignKey(RestrictedDocument, models.CASCADE, related_name="shingles")
    digest = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"Shingle of {self.document_id}"


class PublishedTexts(models.Model):
    """One row: a counter that goes up in the same transaction as any change to
    a published text, so that every process knows when its copy of the
    published texts' fingerprints is out of date (guard.published_shingles)."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Published texts, version {self.version}"
