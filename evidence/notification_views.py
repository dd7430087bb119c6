"""Each person's own notifications: newest first, 50 a page, unread marked
New until opened or marked read; and how they are emailed (as each thing
happens, or one email a day). Nobody sees another person's notifications."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from evidence.models import Notification
from scr_tracker.accounts.models import User
from scr_tracker.audit import changes_by
from scr_tracker.pagination import pagination

PER_PAGE = 50


class EmailsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["emails"]
        labels = {"emails": "Email me my notifications"}
        widgets = {"emails": forms.RadioSelect}


@login_required
@require_safe
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    notes = Notification.objects.of(request.user)
    if unread_only:
        notes = notes.filter(read_at=None)
    page = Paginator(notes.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    ctx = {
        "notifications": page.object_list,
        "pages": pagination(page, "show=unread" if unread_only else ""),
        "unread_only": unread_only,
        "emails_form": EmailsForm(instance=request.user),
    }
    return render(request, "evidence/notification_list.html", ctx)


@login_required
@require_safe
def notification_open(request, pk):
    """Marks one of the person's notifications read and goes where it points."""
    note = Notification.objects.of(request.user).filter(pk=pk).only("link", "read_at").first()
    if note is None:
        raise Http404("No such notification.")
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    link = note.link
    if not link.startswith("/") or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect("evidence:notification_list")
    return redirect(link)


@login_required
@require_POST
def notifications_read(request):
    marked = (
        Notification.objects.of(request.user).filter(read_at=None).update(read_at=timezone.now())
    )
    messages.success(request, f"{marked} notification(s) marked as read.")
    return redirect("evidence:notification_list")


@login_required
@require_POST
def notification_emails(request):
    form = EmailsForm(request.POST, instance=request.user)
    if not form.is_valid():
        messages.error(request, "Choose how you want to be emailed.")
        return redirect("evidence:notification_list")
    with changes_by(request.user, "Chose how their notifications are emailed"):
        form.save()
    choice = request.user.get_emails_display().lower()
    messages.success(request, f"Your notifications will be emailed {choice}.")
    return redirect("evidence:notification_list")
