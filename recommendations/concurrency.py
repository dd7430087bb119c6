"""No lost updates (catalogue CC-01…CC-04).

Every edit form carries the version of the row it was drawn from. The save
locks the row (SELECT … FOR UPDATE) and goes ahead only if the row is still at
that version; otherwise the editor is told who changed it, when, and what it
says now, and their input is shown again for them to re-apply.
"""

import copy

from django import forms
from django.db import transaction
from django.shortcuts import render

from scr_tracker.audit import changes_by

STALE_FORM = (
    "This form is missing the version of what you were editing, so saving it could "
    "overwrite someone else's change. Open the page again and make your change there."
)


class VersionedFormMixin(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM, "min_value": STALE_FORM},
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None and not self.is_bound:
            self.initial["version"] = instance.version


class Conflict(Exception):
    """The row changed since the form was drawn; ``current`` is the row now."""

    def __init__(self, current):
        super().__init__(f"{current} changed since the form was drawn")
        self.current = current


def lock_current(model, pk, version):
    """The row, locked until the transaction ends, if it is still at ``version``."""
    current = model.objects.select_for_update().get(pk=pk)
    if current.version != version:
        raise Conflict(current)
    return current


def conflict_context(current, shown):
    """What the editor is told: who changed the row, when, and its values now.

    ``shown`` is a list of (label, value) pairs read from ``current``."""
    latest = current.history.select_related("history_user").first()
    return {
        "by": latest.history_user if latest else None,
        "at": latest.history_date if latest else None,
        "reason": latest.history_change_reason if latest else "",
        "values": shown,
    }


def redrawn(form_class, data, current, **kwargs):
    """The editor's input, bound again against the current version, so that
    saving it again is a deliberate re-apply."""
    data = data.copy()
    data["version"] = str(current.version)
    # A copy: validating the form writes the editor's input onto its instance.
    form = form_class(data, instance=copy.copy(current), **kwargs)
    form.is_valid()
    return form


def versioned_edit(
    request, instance, form_class, template, *, reason, apply, shown, done, saved=None, ctx=None
):
    """The GET/POST cycle of every form that edits a versioned row.

    GET draws the form from ``instance``. A valid POST locks the row and, if it
    is still at the form's version, in one transaction and inside
    ``changes_by(user, reason(cleaned_data))``: ``apply(current, form)`` changes
    it, its version goes up by one, it is saved, and ``saved(current, form)``
    may add to it (or raise to roll it all back). ``done(current)`` then
    answers. A stale version is a 409 with ``shown(current)`` and the editor's
    input kept; an invalid form is a 400."""
    data = request.POST if request.method == "POST" else None
    # A copy: validating writes the editor's input onto the form's instance,
    # and the page must still say what is saved ("Now: Red"), not what was typed.
    form = form_class(data, instance=copy.copy(instance) if data is not None else instance)
    ctx = {**(ctx or {}), "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                current = lock_current(type(instance), instance.pk, form.cleaned_data["version"])
                with changes_by(request.user, reason(form.cleaned_data)):
                    apply(current, form)
                    current.version += 1
                    current.save()
                    if saved is not None:
                        saved(current, form)
        except Conflict as conflict:
            # The page, the banner and the form all say what is saved now.
            ctx.update({k: conflict.current for k, v in ctx.items() if v is instance})
            ctx["form"] = redrawn(form_class, request.POST, conflict.current)
            ctx["conflict"] = conflict_context(conflict.current, shown(conflict.current))
            return render(request, template, ctx, status=409)
        return done(current)
    return render(request, template, ctx, status=400 if form.errors else 200)
