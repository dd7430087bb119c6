"""People pages (capability ``manage_people``): the people of the partnership
by agency and role, inviting a person, changing their role or agency, switching
a leaver's account off (their sessions end at once) and on again, and the list
of agencies. Every change is in the person's or agency's history with who and
why (docs/people.md). The Django admin stays for break-glass superusers."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST, require_safe

from scr_tracker.accounts import resets
from scr_tracker.accounts.capabilities import requires
from scr_tracker.accounts.invitations import invite_tokens, send_invitation
from scr_tracker.accounts.models import Agency, SignInEvent, User
from scr_tracker.accounts.people_forms import (
    AccountStateForm,
    AgencyForm,
    ChoosePasswordForm,
    EditPersonForm,
    InviteForm,
)
from scr_tracker.audit import SYSTEM_USERNAME, changes_by
from scr_tracker.pagination import pagination

PER_PAGE = 50
# Sent inside the change's transaction and audit context when an account is
# switched off, so that other apps end what the person was granted.
account_switched_off = Signal()

PERSON_FIELDS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email address",
    "role": "Role",
    "agency": "Agency",
    "expires_on": "Account expires on",
    "is_active": "Account on",
}


def people_in_partnership():
    """Everyone but the system account and break-glass superusers."""
    return User.objects.exclude(username=SYSTEM_USERNAME).exclude(is_superuser=True)


@login_required
@require_safe
@requires("manage_people")
def people(request):
    found = people_in_partnership().select_related("agency")
    chosen = {key: request.GET.get(key, "") for key in ("agency", "role", "state", "q")}
    if chosen["agency"].isdigit():
        found = found.filter(agency=chosen["agency"])
    if chosen["role"] in User.Role.values:
        found = found.filter(role=chosen["role"])
    if chosen["state"] in ("on", "off"):
        found = found.filter(is_active=chosen["state"] == "on")
    if chosen["q"].strip():
        words = chosen["q"].strip()
        found = found.filter(
            Q(first_name__icontains=words)
            | Q(last_name__icontains=words)
            | Q(email__icontains=words)
        )
    found = found.order_by("agency__name", "role", "last_name", "first_name", "pk")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = "&".join(f"{key}={value}" for key, value in chosen.items() if value)
    ctx = {
        "page": page,
        "people": page.object_list,
        "pages": pagination(page, query),
        "agencies": Agency.objects.order_by("name"),
        "roles": User.Role.choices,
        "chosen": chosen,
    }
    return render(request, "people/people.html", ctx)


def _person(pk):
    return get_object_or_404(people_in_partnership().select_related("agency"), pk=pk)


def _changes(rows):
    """(row, [(label, old, new)]) for a person's history rows, newest first."""
    rows = list(rows)
    # Every agency the rows name, in one query (not one a change).
    agencies = dict(
        Agency.objects.filter(pk__in={row.agency_id for row in rows}).values_list("pk", "name")
    )
    result = []
    for newer, older in zip(rows, [*rows[1:], None], strict=True):
        changed = []
        if older is not None:
            delta = newer.diff_against(older, included_fields=list(PERSON_FIELDS))
            for change in delta.changes:
                changed.append(
                    (
                        PERSON_FIELDS[change.field],
                        _shown(change.field, change.old, agencies),
                        _shown(change.field, change.new, agencies),
                    )
                )
        result.append((newer, changed))
    return result


def _shown(name, value, agencies):
    if name == "role":
        return User.Role(value).label if value else "No role"
    if name == "agency":
        return agencies.get(value, "No agency")
    if name == "is_active":
        return "On" if value else "Off"
    if value in (None, ""):
        return "Not set"
    return f"{value:%-d %B %Y}" if hasattr(value, "strftime") else str(value)


@login_required
@require_safe
@requires("manage_people")
def person(request, pk):
    found = _person(pk)
    history = found.history.select_related("history_user").order_by("-history_date", "-history_id")
    ctx = {
        "person": found,
        "history": _changes(history[:50]),
        "events": SignInEvent.objects.filter(user=found).select_related("by")[:20],
        "invited": not found.has_usable_password() and found.is_active,
        "locked_out": resets.is_locked_out(found),
    }
    return render(request, "people/person.html", ctx)


@login_required
@requires("manage_people")
def invite(request):
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), changes_by(request.user, form.cleaned_data["reason"]):
            invited = form.save()
        send_invitation(invited)
        messages.success(
            request,
            f"{invited.get_full_name()} was invited. The email to {invited.email} has a link "
            f"to choose a password; it works once, for {settings.INVITE_DAYS} days.",
        )
        return redirect("people:person", pk=invited.pk)
    status = 400 if form.errors else 200
    return render(request, "people/invite.html", {"form": form}, status=status)


@login_required
@require_POST
@requires("manage_people")
def resend_invitation(request, pk):
    found = _person(pk)
    if found.has_usable_password() or not found.is_active:
        messages.error(request, "This person has already chosen a password, or is switched off.")
    else:
        send_invitation(found)
        messages.success(request, f"A new invitation was sent to {found.email}.")
    return redirect("people:person", pk=found.pk)


@login_required
@requires("manage_people")
def edit_person(request, pk):
    found = _person(pk)
    form = EditPersonForm(request.POST if request.method == "POST" else None, instance=found)
    if request.method == "POST" and form.is_valid():
        if found.pk == request.user.pk and "role" in form.changed_data:
            form.add_error("role", "You cannot change your own role: ask another business manager.")
        elif not form.has_changes():
            messages.info(request, "Nothing was changed.")
            return redirect("people:person", pk=found.pk)
        else:
            with transaction.atomic(), changes_by(request.user, form.cleaned_data["reason"]):
                form.save()
            messages.success(request, f"{found.get_full_name()}'s details were changed.")
            return redirect("people:person", pk=found.pk)
    ctx = {"form": form, "person": found}
    return render(request, "people/edit_person.html", ctx, status=400 if form.errors else 200)


def switch_off(person, reason: str, by) -> None:
    """Switch an account off: its sessions end (accounts.signals) and whatever
    it was granted is revoked (receivers of ``account_switched_off``), in one
    transaction, all in history as done by ``by`` for ``reason``."""
    with transaction.atomic(), changes_by(by, reason):
        person.is_active = False
        person.save()
        account_switched_off.send(sender=User, person=person)


@login_required
@requires("manage_people")
def account_state(request, pk, on):
    """Switch an account off (``on`` False) or on again, with a reason."""
    found = _person(pk)
    form = AccountStateForm(request.POST if request.method == "POST" else None)
    template = "people/account_state.html"
    ctx = {"form": form, "person": found, "on": on}
    if request.method != "POST" or not form.is_valid():
        return render(request, template, ctx, status=400 if form.errors else 200)
    if found.is_active == on:
        messages.info(request, f"The account is already {'on' if on else 'off'}.")
        return redirect("people:person", pk=found.pk)
    if not on and found.pk == request.user.pk:
        form.add_error(
            None, "You cannot switch off your own account: ask another business manager."
        )
        return render(request, template, ctx, status=400)
    reason = form.cleaned_data["reason"]
    if on:
        with transaction.atomic(), changes_by(request.user, reason):
            found.is_active = True
            found.save()
        messages.success(request, f"{found.get_full_name()}'s account is on again.")
    else:
        switch_off(found, reason, request.user)
        messages.success(
            request,
            f"{found.get_full_name()}'s account is off: they were signed out everywhere, "
            "and what they were granted was revoked.",
        )
    return redirect("people:person", pk=found.pk)


@login_required
@requires("manage_people")
def sign_in_help(request, pk, what):
    """Reset a lost second factor, or unlock sign-in after failures, with a reason."""
    found = _person(pk)
    form = AccountStateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        name = found.get_full_name() or found.username
        if what == "reset":
            _, ended = resets.reset_second_factor(found, request.user, reason)
            messages.success(
                request,
                f"{name}'s second factor was reset and {ended} session(s) ended: they set up "
                "a new one when they next sign in.",
            )
        else:
            resets.unlock(found, request.user, reason)
            messages.success(request, f"{name} may sign in again.")
        return redirect("people:person", pk=found.pk)
    ctx = {"form": form, "person": found, "what": what}
    return render(request, "people/sign_in_help.html", ctx, status=400 if form.errors else 200)


@login_required
@require_safe
@requires("manage_people")
def agencies(request):
    return render(request, "people/agencies.html", {"agencies": Agency.objects.order_by("name")})


@login_required
@requires("manage_people")
def agency_form(request, pk=None):
    agency = get_object_or_404(Agency, pk=pk) if pk else None
    form = AgencyForm(request.POST if request.method == "POST" else None, instance=agency)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), changes_by(request.user, form.cleaned_data["reason"]):
            saved = form.save()
        messages.success(request, f"{saved.name} was {'changed' if agency else 'added'}.")
        return redirect("people:agencies")
    ctx = {"form": form, "agency": agency}
    return render(request, "people/agency_form.html", ctx, status=400 if form.errors else 200)


class ChoosePassword(auth_views.PasswordResetConfirmView):
    """The invitation's link: the person chooses their own password, then signs
    in (with the second factor, set up on first sign-in where it is required)."""

    token_generator = invite_tokens
    form_class = ChoosePasswordForm
    template_name = "people/choose_password.html"
    success_url = reverse_lazy("login")
    reset_url_token = "choose-password"  # noqa: S105 (a URL segment, not a secret)

    def form_valid(self, form):
        messages.success(self.request, "Your password is set. Sign in with it now.")
        return super().form_valid(form)
