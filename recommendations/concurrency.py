"""No lost updates (catalogue CC-01…CC-04).

Every edit form carries the version of the row it was drawn from. The save
locks the row (SELECT … FOR UPDATE) and goes ahead only if the row is still at
that version; otherwise the editor is told who changed it, when, and what it
says now, and their input is shown again for them to re-apply.
"""

import copy

from django import forms

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
