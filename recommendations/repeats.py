"""Repeats across reviews: the recommendations of other reviews most like
this one, for a business manager to confirm or dismiss.

On PostgreSQL the measure is trigram similarity (pg_trgm) of the published
texts, best first, at least THRESHOLD. Which recommendations are compared:

- With statistics of the search index (reporting migration 0004, kept by
  ANALYZE) over at least MIN_ROWS recommendations: those sharing at least one
  of this text's *distinctive words*, its rarest words whose combined share
  of all recommendations is at most BUDGET (the shares are PostgreSQL's own
  statistics: no query counts them). Every recommendation shares the
  phrasing "the partnership should ensure that all agencies…", so comparing
  with every one would compare with all (docs/performance.md).
- Otherwise (a small or new table, or a text of common words only): every
  recommendation, through the trigram GIN index's "%" operator.

On SQLite (the demo): the share of distinct words the two texts have in
common, computed here over every other recommendation; marked as such on the
page. Only recommendations the person may see are suggested, and pairs
already decided are not suggested again."""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Q

from recommendations.models import Recommendation, Repeat

THRESHOLD = 0.4  # the labelled set (tests/test_repeats.py): repeats 0.67-0.88, others 0.30 at most
SUGGESTED = 5
MIN_ROWS = 2000  # below this, comparing with every recommendation is fast enough
BUDGET = 0.05  # the distinctive words are found in at most 5% of recommendations in all
CONFIG = "english"
INDEX = "search_recommendation_idx"  # its expression is vector()'s


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
        words = distinctive_words(rec.text)
        with transaction.atomic(), connection.cursor() as cursor:
            if words:
                others = others.alias(words=vector()).filter(words=AnyOf(words))
            else:
                cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [THRESHOLD])
                others = others.filter(text__trigram_similar=rec.text)
            found = list(
                others.annotate(similarity=TrigramSimilarity("text", rec.text))
                .filter(similarity__gte=THRESHOLD)
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


def vector():
    """The search index's expression (reporting migration 0004)."""
    return SearchVector("short_title", "text", config=CONFIG)


class AnyOf(SearchQuery):
    """Any of these lexemes, as the index holds them: cast to a tsquery,
    never parsed or stemmed again."""

    def __init__(self, lexemes):
        super().__init__("", search_type="raw", config=CONFIG)
        self.lexemes = list(lexemes)

    def as_sql(self, compiler, connection, function=None, template=None):
        quoted = ("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in self.lexemes)
        return "%s::tsquery", [" | ".join(quoted)]


DISTINCTIVE_SQL = """
SELECT lexeme, COALESCE(stats.freqs[array_position(stats.elems, lexeme)],
                        stats.freqs[cardinality(stats.elems) + 1] / 2)
FROM unnest(tsvector_to_array(to_tsvector(%s::regconfig, %s))) AS lexeme
JOIN (
    SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs
    FROM pg_stats WHERE schemaname = current_schema() AND tablename = %s
) AS stats ON true
WHERE (SELECT reltuples FROM pg_class WHERE oid = %s::regclass) >= %s
ORDER BY 2, 1
"""


def distinctive_words(text):
    """The rarest lexemes of ``text`` whose shares of all recommendations
    (PostgreSQL's statistics of the search index; a word not among its
    most common elements counts as half the least common) add up to at most
    BUDGET. Empty when there are no statistics or fewer than MIN_ROWS
    recommendations, or when even the rarest word is too common: then every
    recommendation is compared."""
    table = Recommendation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(DISTINCTIVE_SQL, [CONFIG, text, INDEX, table, MIN_ROWS])
        shares = cursor.fetchall()
    chosen, total = [], 0.0
    for lexeme, share in shares:
        if share is None or total + share > BUDGET:
            break
        chosen.append(lexeme)
        total += share
    return chosen


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
