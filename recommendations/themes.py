"""The partnership's themes across reviews: which recommendations carry
which, changed one at a time with its history, and the dashboard's figures
per theme (one grouped query)."""

from django.db.models import Count, Exists, OuterRef, Q

from recommendations.models import Rating, Recommendation, RecommendationTheme, Repeat, Theme


def change_themes(rec, user, *, add=(), remove=()):
    """Gives ``rec`` the themes of ``add`` it does not carry yet, and takes
    away those of ``remove`` it carries: one history row each (inside the
    caller's changes_by). Returns (added, removed) theme names."""
    carried = {link.theme_id: link for link in rec.theme_links.select_related("theme")}
    added = [theme for theme in add if theme.pk not in carried]
    removed = [carried[theme.pk] for theme in remove if theme.pk in carried]
    for theme in added:
        RecommendationTheme.objects.create(recommendation=rec, theme=theme, added_by=user)
    for link in removed:
        link.delete()
    return [t.name for t in added], [link.theme.name for link in removed]


def carried_by(rec):
    return list(Theme.objects.filter(links__recommendation=rec))


def summaries(recs, user):
    """One row per theme that a recommendation of ``recs`` carries, by name:
    how many recommendations, how many are Complete, overdue, and how many
    repeat an earlier recommendation the user may see (a confirmed repeat
    whose later recommendation carries the theme)."""
    repeats = Repeat.objects.filter(
        recommendation=OuterRef("recommendation"),
        decision=Repeat.Decision.CONFIRMED,
        earlier__in=Recommendation.objects.visible_to(user).values("pk"),
    )
    rows = (
        RecommendationTheme.objects.filter(recommendation__in=recs.order_by().values("pk"))
        .values("theme", "theme__name")
        .annotate(
            total=Count("pk"),
            complete=Count("pk", filter=Q(recommendation__rating=Rating.COMPLETE)),
            overdue=Count("pk", filter=Recommendation.overdue_q("recommendation__")),
            repeats=Count("pk", filter=Q(Exists(repeats))),
        )
        .order_by()  # grouped by hashing; the dozen rows are sorted here
    )
    return sorted(rows, key=lambda row: (row["theme__name"].lower(), row["theme"]))
