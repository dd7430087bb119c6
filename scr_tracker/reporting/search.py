"""Search across reviews, recommendations, actions, progress updates and
evidence summaries, from the box in every signed-in page's header.

Only what the person may see is searched: each kind goes through the same
scoping queryset as the pages that show it (``visible_to``: restricted
reviews, another agency's evidence and progress, and, for those without the
right, evidence content), so nothing out of scope is found, nor counted.

On PostgreSQL: full-text search (English stemming, "websearch" syntax:
quotes for a phrase, OR, -word), each kind's text indexed by a GIN index on
the very expression the query uses (migration reporting 0004), ranked, and
matches highlighted by the database. On SQLite (the demo): a plain
case-insensitive search, newest first, highlighted here.

The words searched for pass the intake guard first: a search for an
identifier or a restricted term is refused, never run and never shown back."""

import html
import re
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from evidence.models import ProgressUpdate, Submission
from recommendations.models import Action, Recommendation, Review
from scr_tracker.accounts.capabilities import can
from scr_tracker.intake.guard import text_problems

CONFIG = "english"
SHOWN = 10  # results of each kind on the page
CANDIDATES = 500  # the newest matches ranked, when a word is in very many rows
COUNTED = 1000  # counted up to; more is said as "more than 1,000"
MAX_QUERY = 200
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: tuple[str, ...]

    def vector(self):
        return SearchVector(*self.fields, config=CONFIG)


KINDS = [
    Kind("review", "Reviews", ("reference", "title")),
    Kind("recommendation", "Recommendations", ("short_title", "text")),
    Kind("action", "Actions", ("description",)),
    Kind("progress", "Progress updates", ("text",)),
    Kind("evidence", "Evidence", ("summary", "impact")),
]


def scoped(kind, user):
    """The rows of ``kind`` the user may see and search, or None."""
    if kind.key == "review":
        return Review.objects.visible_to(user)
    if kind.key == "recommendation":
        return Recommendation.objects.visible_to(user).select_related("review")
    if kind.key == "action":
        return Action.objects.visible_to(user).select_related("recommendation__review", "agency")
    if kind.key == "progress":
        return ProgressUpdate.objects.visible_to(user).select_related(
            "action__recommendation__review", "agency"
        )
    if not can(user, "read_evidence_content"):
        return None  # executives see that evidence exists, never what it says
    return (
        Submission.objects.visible_to(user)
        .filter(disposed_at__isnull=True)
        .select_related("action__recommendation__review", "agency")
    )


def link_of(kind, row, user):
    if kind.key == "review":
        if can(user, "manage_reviews"):
            return reverse("recommendations:review_detail", args=[row.pk])
        if can(user, "view_dashboard"):
            return reverse("reporting:dashboard") + f"?review={row.pk}"
        return reverse("recommendations:my_actions")
    if kind.key == "recommendation":
        return reverse("recommendations:recommendation_detail", args=[row.pk])
    if kind.key == "action":
        return reverse("recommendations:recommendation_detail", args=[row.recommendation_id])
    if kind.key == "progress":
        return reverse("evidence:action_progress", args=[row.action_id]) + f"#entry-{row.pk}"
    return reverse("evidence:submission_detail", args=[row.pk])


def title_of(kind, row):
    if kind.key == "review":
        return f"{row.reference}: {row.title}"
    if kind.key == "recommendation":
        return f"{row}: {row.short_title}"
    if kind.key == "action":
        return f"{row.recommendation}: action for {row.agency.name}"
    if kind.key == "progress":
        return (
            f"{row.action.recommendation}: {row.get_kind_display().lower()} from {row.agency.name}"
        )
    return f"{row.action.recommendation}: evidence from {row.agency.name}"


def _on_postgresql():
    return connection.vendor == "postgresql"


def find(kind, rows, words):
    """(how many match, the best SHOWN of them with a highlighted extract)."""
    if _on_postgresql():
        query = SearchQuery(words, config=CONFIG, search_type="websearch")
        vector = kind.vector()
        matched = rows.annotate(found=vector).filter(found=query)
        # A word in nearly every row would rank them all: rank the newest
        # CANDIDATES matches only, and count up to COUNTED (docs/decisions.md).
        newest = matched.order_by("-pk").values("pk")[:CANDIDATES]
        text = (
            Concat(*_spaced(kind.fields), output_field=TextField())
            if len(kind.fields) > 1
            else F(kind.fields[0])
        )
        best = (
            rows.filter(pk__in=newest)
            .annotate(
                rank=SearchRank(vector, query),
                extract=SearchHeadline(
                    text,
                    query,
                    config=CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                ),
            )
            .order_by("-rank", "-pk")[:SHOWN]
        )
        count = matched.order_by()[: COUNTED + 1].count()  # counted unsorted
        return count, [(row, _marked(row.extract)) for row in best]
    condition = Q()
    for term in words.split():
        condition &= Q(
            *[Q(**{f"{field}__icontains": term}) for field in kind.fields], _connector=Q.OR
        )
    matched = rows.filter(condition)
    best = matched.order_by("-pk")[:SHOWN]
    count = matched[: COUNTED + 1].count()
    found = []
    for row in best:
        text = " ".join(str(getattr(row, field)) for field in kind.fields)
        found.append((row, _marked_here(text, words)))
    return count, found


def _spaced(fields):
    parts = []
    for field in fields:
        parts.extend([field, Value(" ")])
    return parts[:-1]


def _marked(extract):
    """The database's extract, escaped, with its matches as <mark>."""
    safe = html.escape(extract or "")
    return mark_safe(safe.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def _marked_here(text, words):
    short = text[:300] + ("…" if len(text) > 300 else "")
    safe = html.escape(short)
    terms = [re.escape(html.escape(term)) for term in words.split()]
    if not terms:
        return mark_safe(safe)  # noqa: S308
    pattern = re.compile("(" + "|".join(terms) + ")", re.IGNORECASE)
    return mark_safe(pattern.sub(r"<mark>\1</mark>", safe))  # noqa: S308


@login_required
@require_safe
def search(request):
    words = request.GET.get("q", "").strip()
    ctx = {"words": "", "groups": [], "refused": "", "searched": False}
    if len(words) > MAX_QUERY:
        ctx["refused"] = f"Search for at most {MAX_QUERY} characters."
    elif words:
        problems = text_problems(words, where="search")
        if problems:
            ctx["refused"] = (
                "The search was not run: it looks like it holds an identifier or a name on "
                "the restricted list. Search for words about the work instead."
            )
        else:
            ctx.update(words=words, searched=True, groups=_groups(request.user, words))
    status = 400 if ctx["refused"] else 200
    return render(request, "reporting/search.html", ctx, status=status)


def _groups(user, words):
    groups = []
    for kind in KINDS:
        rows = scoped(kind, user)
        if rows is None:
            continue
        count, best = find(kind, rows, words)
        groups.append(
            {
                "key": kind.key,
                "label": kind.label,
                "count": count,
                "more": count > COUNTED,
                "newest_only": _on_postgresql() and count > CANDIDATES,
                "ranked": CANDIDATES,
                "results": [
                    {
                        "title": title_of(kind, row),
                        "url": link_of(kind, row, user),
                        "extract": extract,
                    }
                    for row, extract in best
                ],
            }
        )
    return groups
