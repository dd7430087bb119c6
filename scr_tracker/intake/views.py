"""The restricted registers, for business managers only. Nothing here shows a
term or a document's text: there is none to show, only fingerprints."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from scr_tracker.accounts.capabilities import requires
from scr_tracker.audit import changes_by
from scr_tracker.intake import keyed
from scr_tracker.intake.forms import RestrictedDocumentForm, RestrictedTermForm
from scr_tracker.intake.models import RestrictedDocument, RestrictedShingle, RestrictedTerm


@login_required
@require_safe
@requires("manage_registers")
def register(request):
    current_key = keyed.key_id()
    ctx = {
        "terms": RestrictedTerm.objects.select_related("added_by"),
        "documents": RestrictedDocument.objects.select_related("registered_by"),
        "current_key": current_key,
        "stale": RestrictedTerm.objects.exclude(key_id=current_key).count()
        + RestrictedDocument.objects.exclude(key_id=current_key).count(),
        "exact_terms": RestrictedTerm.objects.filter(scheme=RestrictedTerm.Scheme.EXACT).count(),
    }
    return render(request, "intake/register.html", ctx)


@login_required
@requires("manage_registers")
def term_add(request):
    form = RestrictedTermForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with changes_by(request.user, "Term added to the restricted list"):
            RestrictedTerm.objects.create(
                key_id=keyed.key_id(), added_by=request.user, **form.term_fingerprint
            )
        messages.success(request, "The term was added. Text containing it is now refused.")
        return redirect("intake:register")
    status = 400 if form.errors else 200
    return render(request, "intake/term_form.html", {"form": form}, status=status)


@login_required
@require_POST
@requires("manage_registers")
def term_remove(request, pk):
    term = get_object_or_404(RestrictedTerm, pk=pk)
    with changes_by(request.user, "Term removed from the restricted list"):
        term.delete()
    messages.success(request, "The term was removed from the restricted list.")
    return redirect("intake:register")


@login_required
@requires("manage_registers")
def document_add(request):
    form = RestrictedDocumentForm(
        *((request.POST, request.FILES) if request.method == "POST" else ())
    )
    if request.method == "POST" and form.is_valid():
        fingerprint = form.fingerprint
        with transaction.atomic(), changes_by(request.user, "Document registered as restricted"):
            document = RestrictedDocument.objects.create(
                label=form.cleaned_data["label"],
                sha256=fingerprint.sha256,
                shingle_count=len(fingerprint.shingles),
                key_id=keyed.key_id(),
                registered_by=request.user,
            )
            RestrictedShingle.objects.bulk_create(
                [RestrictedShingle(document=document, digest=d) for d in fingerprint.shingles],
                batch_size=5000,
            )
        message = "The document's fingerprints were registered; the file itself was not kept."
        if not fingerprint.shingles:
            message += (
                " No text could be read from it, so only an exact copy of this file will be "
                "recognised."
            )
        messages.success(request, message)
        return redirect("intake:register")
    status = 400 if form.errors else 200
    return render(request, "intake/document_form.html", {"form": form}, status=status)


@login_required
@require_POST
@requires("manage_registers")
def document_remove(request, pk):
    document = get_object_or_404(RestrictedDocument, pk=pk)
    with transaction.atomic(), changes_by(request.user, "Document removed from the register"):
        document.delete()
    messages.success(request, "The document's fingerprints were removed.")
    return redirect("intake:register")
