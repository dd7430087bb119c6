"""The dashboard, board packs, exports and the public-safe summary."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, Prefetch
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from evidence import access_log
from evidence.models import AccessLog, AssuranceRequest
from recommendations import themes
from recommendations.models import RatingDefinition, Recommendation, Review
from scr_tracker.accounts.capabilities import can, require
from scr_tracker.accounts.roles import agency_scope, role_of
from scr_tracker.pagination import pagination
from scr_tracker.reporting import attention, board, dashboard, exports, trend
from scr_tracker.reporting.forms import BoardPackForm, DashboardFilterForm
from scr_tracker.reporting.models import BoardPack, BoardPackReview

PER_PAGE = 50
FALLBACK_SINCE_DAYS = 30
FILTERS = ("review", "rating", "agency", "theme", "overdue")


def _query(request, **changes):
    """The current query string with ``changes`` (None removes a key); the page
    number is dropped unless given."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return query.urlencode()


def _last_pack(user, review):
    packs = BoardPack.objects.seen_by(user).order_by("-board_date", "-pk")
    if review is not None:
        packs = packs.filter(reviews=review)
    return packs.only("pk", "title", "board_date").first()


@login_required
@require_safe
def dashboard_page(request):
    if agency_scope(request.user) is not None:
        return redirect("recommendations:my_actions")
    require(request.user, "view_dashboard")
    request.shows_attention = True  # the whole "Needs your attention" list
    form = DashboardFilterForm(request.GET, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    user = request.user
    summaries = dashboard.review_summaries(user)
    review = filters.get("review")
    if review is None and len(summaries) == 1:
        review = Review.objects.get(pk=summaries[0].review_id)  # one the user can see
    last_pack = _last_pack(user, review)
    since = filters.get("since") or (
        last_pack.board_date
        if last_pack
        else timezone.localdate() - timedelta(days=FALLBACK_SINCE_DAYS)
    )
    recs = dashboard.in_scope(user, filters)
    page = Paginator(dashboard.table(recs), PER_PAGE).get_page(request.GET.get("page"))
    unrated = dashboard.in_scope(user, filters, ignore=("rating",))
    counts = [
        (label, tag, count, _query(request, rating=dashboard.rating_param(key)))
        for key, label, tag, count in dashboard.rating_counts(unrated)
    ]
    flagged = (
        AssuranceRequest.objects.open()
        .filter(flagged_on__isnull=False, action__recommendation__in=recs.values("pk"))
        .select_related("agency", "action__recommendation__review")
        .order_by("due_date", "pk")
    )
    waiting, waiting_count = dashboard.waiting_for_sign_off(recs)
    partner_waiting = None
    if can(user, "partner_sign_off") and user.agency_id and user.agency.is_statutory_partner:
        partner_waiting = list(
            attention.waiting_for_partner(user)
            .select_related("review")
            .order_by("review", "number")[:20]
        )
    ctx = {
        "form": form,
        "summaries": summaries if len(summaries) > 1 else [],
        "themes": [
            {**row, "query": _query(request, theme=str(row["theme"]))}
            for row in themes.summaries(dashboard.in_scope(user, filters, ignore=("theme",)), user)
        ],
        "theme": filters.get("theme"),
        "review": review,
        "heading": review.reference if review else "all reviews",
        "page": page,
        "pages": pagination(page, _query(request)),
        "counts": counts,
        "overdue": dashboard.in_scope(user, filters, ignore=("overdue",))
        .filter(Recommendation.overdue_q())
        .count(),
        "overdue_query": _query(request, overdue="on"),
        "flagged": flagged[:20],
        "flagged_count": flagged.count(),
        "waiting": waiting,
        "partner_waiting": partner_waiting,
        "waiting_count": waiting_count,
        "impact_due": list(
            attention.impact_reviews_due(recs, timezone.localdate())
            .select_related("review")
            .order_by("impact_review_date", "pk")[:20]
        )
        if can(user, "sign_off")
        else [],
        "since": since,
        "last_pack": last_pack if not filters.get("since") else None,
        "changes": dashboard.changes_since(user, recs, since),
        "trend": trend.trend(recs, reviews=_whole_reviews(user, filters, review, summaries)),
        "export_query": _query(request),
        "rating_definitions": RatingDefinition.objects.all(),
        "filtered": any(filters.get(name) for name in FILTERS),
    }
    status = 400 if form.errors else 200
    return render(request, "reporting/dashboard.html", ctx, status=status)


def _whole_reviews(user, filters, review, summaries):
    """The ids of the reviews whose every recommendation the table shows (so the
    trend can use the kept month-end counts), or None when it is filtered."""
    if any(filters.get(name) for name in ("rating", "agency", "theme", "overdue")):
        return None
    if not can(user, "view_dashboard"):
        return None
    return [review.pk] if review is not None else [s.review_id for s in summaries]


@login_required
def board_packs(request):
    """The board packs, newest first; a business manager freezes a new one."""
    require(request.user, "view_board_packs")
    form = BoardPackForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        require(request.user, "freeze_board_pack")
        if form.is_valid():
            pack = _freeze(request, form)
            if pack is not None:
                messages.success(request, "The board pack was frozen.")
                return redirect("reporting:board_pack", pk=pack.pk)
    ctx = {
        "packs": BoardPack.objects.seen_by(request.user)
        .select_related("taken_by")
        .prefetch_related(Prefetch("reviews", Review.objects.order_by("reference"))),
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "reporting/board_packs.html", ctx, status=status)


def _freeze(request, form):
    reviews, board_date = list(form.cleaned_data["reviews"]), form.cleaned_data["board_date"]
    taken = BoardPackReview.objects.filter(review__in=reviews, board_date=board_date)
    clash = sorted({row.review.reference for row in taken.select_related("review")})
    if not clash:
        try:
            return board.freeze(reviews, board_date, form.cleaned_data["title"], request.user)
        except IntegrityError:  # frozen by someone else a moment ago
            clash = [review.reference for review in reviews]
    form.add_error(
        "board_date",
        f"{board.joined(clash)} already "
        f"{'has a board pack' if len(clash) == 1 else 'have board packs'} for that date. "
        "Choose another date, or leave that review out.",
    )
    return None


def _pack_context(pack):
    reviews = board.reviews_of(pack)
    before = board.previous(pack)
    rows = board.shown_rows(pack)
    groups = []
    for row in rows:
        if not groups or groups[-1][0] != row.get("review"):
            groups.append((row.get("review"), []))
        groups[-1][1].append(row)
    return {
        "pack": pack,
        "reviews": reviews,
        "heading": board.pack_heading(reviews),
        "before": before,
        "movement": board.movement(pack, before),
        "summary": board.summary(rows),
        "groups": groups,
        "partnership_name": settings.PARTNERSHIP_NAME,  # the PDF has no request
    }


def _get_pack(request, pk):
    require(request.user, "view_board_packs")
    return get_object_or_404(
        BoardPack.objects.seen_by(request.user).select_related("taken_by"), pk=pk
    )


@login_required
@require_safe
def board_pack(request, pk):
    pack = _get_pack(request, pk)
    return render(request, "reporting/board_pack.html", _pack_context(pack))


@login_required
@require_safe
def board_pack_pdf(request, pk):
    """The board pack as a tagged PDF (PDF/UA-1) with a title and language."""
    from weasyprint import HTML

    pack = _get_pack(request, pk)
    access_log.log(request.user, AccessLog.Event.BOARD_PACK, what=f"board pack {pack.pk} (PDF)")
    html = render_to_string("reporting/board_pack_print.html", _pack_context(pack))
    pdf = HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"board-pack-{pack.board_date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def board_pack_xlsx(request, pk):
    pack = _get_pack(request, pk)
    access_log.log(request.user, AccessLog.Event.BOARD_PACK, what=f"board pack {pack.pk} (Excel)")
    rows = exports.pack_rows(board.shown_rows(pack))
    name = f"board-pack-{pack.board_date:%Y-%m-%d}.xlsx"
    return exports.xlsx_response(rows, name, "Board pack", exports.PACK_COLUMNS)


def _export_table(request):
    if role_of(request.user) is None:
        raise PermissionDenied("Your account has no role yet.")
    form = DashboardFilterForm(request.GET, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    recs = dashboard.in_scope(request.user, filters)
    # An agency user's evidence counts are their own agency's only.
    return exports.table_rows(recs, agency_id=agency_scope(request.user))


@login_required
@require_safe
def export_csv(request):
    """The dashboard table, in the user's scope and with the current filters."""
    rows = _export_table(request)
    access_log.log(request.user, AccessLog.Event.EXPORTED, what=_export_what(request, "CSV"))
    return exports.csv_response(rows, exports.export_name("csv"))


@login_required
@require_safe
def export_xlsx(request):
    rows = _export_table(request)
    access_log.log(request.user, AccessLog.Event.EXPORTED, what=_export_what(request, "Excel"))
    return exports.xlsx_response(rows, exports.export_name("xlsx"), "Recommendations")


def _export_what(request, kind):
    """The export's format and filters (names of filters and ids only)."""
    chosen = ", ".join(f"{k}={request.GET[k]}" for k in FILTERS if request.GET.get(k))
    return f"the recommendations ({kind}{'; ' + chosen if chosen else ''})"


PUBLIC_PER_PAGE = 50


def _published(review):
    return (
        Recommendation.objects.filter(review=review)
        .with_sign_off()
        .only("number", "text", "sub_points", "rating", "target_date", "version", "review")
        .order_by("number", "pk")
    )


@login_required
@require_safe
def public_summary(request):
    """What may be published: the review, each recommendation's published text,
    its rating and target date, and whether a Complete still stands. Nothing
    about evidence, actions or agencies. One review a page at a time (50
    recommendations a page); the download is every recommendation, streamed."""
    require(request.user, "view_board_packs")
    reviews = (
        Review.objects.visible_to(request.user)
        .annotate(recommendation_count=Count("recommendations"))
        .order_by("reference")
    )
    chosen = request.GET.get("review", "")
    review = reviews.filter(pk=chosen).first() if chosen.isdigit() else None
    several = len(reviews) > 1
    if review is None and not several:
        review = reviews.first()
    if request.GET.get("download"):
        return _public_download(request, [review] if review else list(reviews))
    ctx = {
        "reviews": reviews,
        "review": review,
        "several": several,
        "generated": timezone.localdate(),
    }
    if review is not None:
        ctx["page"] = Paginator(_published(review), PUBLIC_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(request, "reporting/public_summary.html", ctx)


def _public_download(request, reviews):
    from django.template.loader import get_template

    start = get_template("reporting/public_summary_start.html")
    head = get_template("reporting/includes/public_review_head.html")
    one = get_template("reporting/includes/public_recommendation.html")
    context = {"generated": timezone.localdate(), "partnership_name": settings.PARTNERSHIP_NAME}

    def page():
        yield start.render(context)
        for review in reviews:
            yield head.render({"review": review})
            for rec in _published(review).iterator(chunk_size=500):
                yield one.render({"rec": rec})
            yield "</section>\n"
        yield "</main>\n</body>\n</html>\n"

    response = StreamingHttpResponse(page(), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recommendations-summary.html"'
    return response
