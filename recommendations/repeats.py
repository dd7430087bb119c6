"""Repeats across reviews: the recommendations of other reviews most like
this one, for a business manager to confirm or dismiss.

On PostgreSQL: trigram similarity (pg_trgm) of the published texts, found
through a trigram GIN index (its "%" operator, with the threshold set for the
query), best first. On SQLite (the demo): the share of distinct words the two
texts have in common, computed here over every other recommendation; marked
as such on the page. Only recommendations the person may see are suggested,
and pairs already decided are not suggested again."""

import re

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Q

from recommendations.models import Recommendation, Repeat

THRESHOLD = 0.4  # the labelled set (tests/test_repeats.py): repeats 0.67-0.88, others 0.30 at most
SUGGESTED = 5


def exact() -> bool:
    """Whether suggestions come from PostgreSQL's trigram index (else the fallback)."""
    return connection.vendor == "postgresql"


def suggestions(rec, user, limit=SUGGESTED):
    """[(recommendation, similarity)] of other reviews, most similar first,
    leaving out pairs a person has already decided."""
    decided = Repeat.objects.filter(recommendation=rec).values("earlier")
    others = (
        Recommendation.objects.visible_to(user)
        .exclude(review=rec.review_id)
        .exclude(pk__in=decided)
        .select_related("review")
    )
    if exact():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [THRESHOLD])
            found = list(
                others.filter(text__trigram_similar=rec.text)
                .annotate(similarity=TrigramSimilarity("text", rec.text))
                .order_by("-similarity", "pk")[:limit]
            )
        return [(other, other.similarity) for other in found]
    scored = []
    for other in others.only("pk", "text", "number", "short_title", "review__reference"):
        score = word_overlap(rec.text, other.text)
        if score >= THRESHOLD / 2:
            scored.append((other, score))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:limit]


def similarity(rec, other) -> float:
    """How alike two recommendations' texts are, by the same measure as the
    suggestions (kept with a person's decision)."""
    if exact():
        found = (
            Recommendation.objects.filter(pk=other.pk)
            .annotate(similarity=TrigramSimilarity("text", rec.text))
            .values_list("similarity", flat=True)
            .first()
        )
        return float(found or 0)
    return word_overlap(rec.text, other.text)


def word_overlap(one, other) -> float:
    """The share of distinct words of three letters or more two texts have in
    common (SQLite's measure)."""
    mine, theirs = _words(one), _words(other)
    return len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0


def _words(text):
    return {word for word in re.findall(r"[a-z]{3,}", text.lower())}


def confirmed(rec, user):
    """The confirmed repeats of ``rec``, either way round, that the user may
    see (one query)."""
    visible = Recommendation.objects.visible_to(user).values("pk")
    judged = (
        Repeat.objects.filter(decision=Repeat.Decision.CONFIRMED)
        .filter(
            Q(recommendation=rec, earlier__in=visible) | Q(earlier=rec, recommendation__in=visible)
        )
        .select_related("recommendation__review", "earlier__review")
        .order_by("decided_at", "pk")
    )
    return [j.earlier if j.recommendation_id == rec.pk else j.recommendation for j in judged]
