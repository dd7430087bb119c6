"""Sign-off, board packs, exports and the public-safe summary."""

import calendar
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from recommendations import dashboard as board
from recommendations import reports
from recommendations.forms import DashboardFilterForm, SignOffForm, SnapshotForm
from recommendations.models import Action, BoardSnapshot, Rating, Recommendation, Review, SignOff
from recommendations.views import edit_recommendation
from scr_tracker.accounts.roles import is_business_manager, is_executive, role_of
from scr_tracker.audit import changes_by


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _scoped(user, pk):
    return get_object_or_404(Recommendation.objects.visible_to(user).for_list(), pk=pk)


def unassured_actions(rec):
    return [a for a in rec.actions.select_related("agency") if a.state != Action.State.ASSURED]


@login_required
def sign_off(request, pk):
    """A business manager signs a recommendation off as Complete, once every
    action's evidence is accepted."""
    rec = _scoped(request.user, pk)
    if not is_business_manager(request.user):
        raise PermissionDenied("Only business managers sign recommendations off.")
    waiting = unassured_actions(rec)
    has_actions = rec.actions.exists()
    template = "recommendations/sign_off_form.html"
    ctx = {"waiting": waiting, "has_actions": has_actions}
    if request.method == "POST" and (waiting or not has_actions):
        form = SignOffForm(request.POST, instance=rec)
        form.add_error(None, "Every action's evidence must be accepted before signing off.")
        return render(request, template, {**ctx, "recommendation": rec, "form": form}, status=400)

    def apply(current, cleaned):
        current.rating = Rating.COMPLETE
        current.rating_rationale = (
            cleaned["note"] or "Signed off: every action's evidence was accepted."
        )
        current.impact_review_date = add_months(timezone.localdate(), settings.IMPACT_REVIEW_MONTHS)

    def record(current, form):
        SignOff.objects.create(
            recommendation=current,
            kind=SignOff.Kind.MANAGER,
            signed_by=request.user,
            rating=current.rating,
            target_date=current.target_date,
            version=current.version,
            note=form.cleaned_data["note"],
        )

    return edit_recommendation(
        request,
        rec,
        SignOffForm,
        template,
        reason=lambda cleaned: f"Signed off as Complete. {cleaned['note']}".strip(),
        apply=apply,
        shown=lambda current: [("Rating", current.get_rating_display())],
        success="The recommendation was signed off as Complete.",
        saved=record,
        ctx=ctx,
    )


@login_required
@require_POST
def partner_sign_off(request, pk):
    """An executive of a statutory partner adds their agency's sign-off to a
    recommendation a business manager has signed off."""
    rec = _scoped(request.user, pk)
    agency = request.user.agency
    if not is_executive(request.user) or agency is None or not agency.is_statutory_partner:
        raise PermissionDenied("Only executives of the statutory partners add a sign-off.")
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=rec.pk)
        latest = rec.sign_offs.filter(kind=SignOff.Kind.MANAGER).first()
        if latest is None or not latest.is_current(rec):
            messages.error(request, "A business manager must sign it off first (again).")
            return redirect("recommendations:recommendation_detail", pk=rec.pk)
        with changes_by(request.user, f"Signed off for {agency.name}"):
            SignOff.objects.create(
                recommendation=rec,
                kind=SignOff.Kind.PARTNER,
                signed_by=request.user,
                agency=agency,
                rating=rec.rating,
                target_date=rec.target_date,
                version=rec.version,
            )
    messages.success(request, f"Your sign-off for {agency.name} was recorded.")
    return redirect("recommendations:recommendation_detail", pk=rec.pk)


def _require_board_reader(user):
    if role_of(user) not in ("Business managers", "Executives"):
        raise PermissionDenied("Board packs are for business managers and executives.")


@login_required
def snapshot_list(request):
    _require_board_reader(request.user)
    manager = is_business_manager(request.user)
    form = SnapshotForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied("Only business managers freeze a board snapshot.")
        review = Review.objects.order_by("pk").first()
        if form.is_valid() and review is not None:
            try:
                with transaction.atomic():
                    snapshot = reports.take_snapshot(
                        review,
                        form.cleaned_data["board_date"],
                        form.cleaned_data["title"],
                        request.user,
                    )
            except IntegrityError:
                form.add_error("board_date", "There is already a snapshot for that board date.")
            else:
                messages.success(request, "The snapshot was frozen.")
                return redirect("recommendations:snapshot_report", pk=snapshot.pk)
    ctx = {
        "snapshots": BoardSnapshot.objects.select_related("review", "taken_by"),
        "form": form,
        "is_manager": manager,
    }
    return render(
        request, "recommendations/snapshot_list.html", ctx, status=400 if form.errors else 200
    )


def _report_context(snapshot):
    before = reports.previous(snapshot)
    return {
        "snapshot": snapshot,
        "before": before,
        "movement": reports.movement(snapshot, before),
        "rows": [
            {
                **row,
                "rating_label": reports.rating_label(row["rating"]),
                "tag": board.rating_tag(row["rating"]),
            }
            for row in snapshot.rows
        ],
    }


@login_required
@require_safe
def snapshot_report(request, pk):
    _require_board_reader(request.user)
    snapshot = get_object_or_404(BoardSnapshot.objects.select_related("review", "taken_by"), pk=pk)
    return render(request, "recommendations/snapshot_report.html", _report_context(snapshot))


@login_required
@require_safe
def snapshot_pdf(request, pk):
    """The board report as a printable PDF."""
    from weasyprint import HTML

    _require_board_reader(request.user)
    snapshot = get_object_or_404(BoardSnapshot.objects.select_related("review", "taken_by"), pk=pk)
    html = render_to_string("recommendations/board_report_print.html", _report_context(snapshot))
    pdf = HTML(string=html, base_url=None).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"board-report-{snapshot.board_date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _export_rows(request):
    form = DashboardFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    recs = board.filtered(request.user, filters)
    return list(reports.export_rows(request.user, recs))


@login_required
@require_safe
def export_csv(request):
    """The dashboard table, in the user's scope and with the current filters."""
    if role_of(request.user) is None:
        raise PermissionDenied("Your account has no role yet.")
    response = HttpResponse(reports.as_csv(_export_rows(request)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{reports.export_name("csv")}"'
    return response


@login_required
@require_safe
def export_xlsx(request):
    if role_of(request.user) is None:
        raise PermissionDenied("Your account has no role yet.")
    response = HttpResponse(
        reports.as_xlsx(_export_rows(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{reports.export_name("xlsx")}"'
    return response


@login_required
@require_safe
def public_summary(request):
    """What may be published: the review, each recommendation's published text,
    its rating and target date. Nothing about evidence, actions or agencies."""
    _require_board_reader(request.user)
    ctx = {
        "reviews": Review.objects.prefetch_related("recommendations"),
        "generated": timezone.localdate(),
    }
    response = render(request, "recommendations/public_summary.html", ctx)
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="recommendations-summary.html"'
    return response
