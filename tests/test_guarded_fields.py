"""ID-13: the guard fires on every text a person can type, in every form and
in the admin, and at the model layer for anything that bypasses a form."""

import html
import re

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from evidence.access_log import AccessLogFilter
from evidence.forms import FileDecisionForm, ReviewDecisionForm, SubmissionForm
from evidence.list_filters import ListFilter
from evidence.notification_views import EmailsForm
from recommendations.concurrency import VersionedFormMixin
from recommendations.forms import ActionForm, RatingDefinitionForm, RatingForm, TargetDateForm
from recommendations.models import Action
from recommendations.theme_forms import RecommendationThemesForm, ThemeForm
from scr_tracker.accounts.people_forms import (
    AccountStateForm,
    AgencyForm,
    ChoosePasswordForm,
    InviteForm,
)
from scr_tracker.accounts.two_factor import CodeForm
from scr_tracker.admin import ChangeReasonForm
from scr_tracker.audit import changes_by, system_user
from scr_tracker.govuk import PastDateConfirmation
from scr_tracker.intake.backstop import EXEMPT, GUARDED, IntakeRefused
from scr_tracker.intake.forms import GuardedFormMixin, RestrictedDocumentForm, RestrictedTermForm
from scr_tracker.reporting.forms import DashboardFilterForm
from tests import factories, snapshot

PROJECT_APPS = ["accounts", "recommendations", "evidence", "intake", "reporting"]
IDENTIFIERS = ["943 476 5919", "AB 12 34 56 C", "WS1 1TP", "born 3rd March 2014", "B801200005001"]


def test_every_free_text_model_field_is_guarded_or_exempt_with_a_reason():
    unlisted = []
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label
            if label.startswith(f"{app_label}.Historical"):
                continue
            for field in model._meta.get_fields():
                text_like = isinstance(
                    field, models.CharField | models.TextField | models.JSONField | models.FileField
                )
                if not text_like or getattr(field, "choices", None):
                    continue
                key = f"{label}.{field.name}"
                if field.name not in GUARDED.get(label, []) and key not in EXEMPT:
                    unlisted.append(key)
    assert not unlisted, f"guard these fields (backstop.GUARDED) or exempt them: {unlisted}"


def project_forms():
    found = set()
    stack = [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in {"evidence", "recommendations", "scr_tracker"}:
                found.add(sub)
    return found


def test_every_project_form_runs_the_guard():
    # The term form's input is the term to keep out; the dashboard's filters take
    # no free text (choices and a date), nor do the access log's; the version
    # mixin is only a part of forms that are guarded; a second-factor code and
    # a chosen password are checked and never stored as text.
    unguarded = {f for f in project_forms() if not issubclass(f, GuardedFormMixin)}
    assert unguarded == {
        RestrictedTermForm,
        DashboardFilterForm,
        VersionedFormMixin,
        CodeForm,
        ChoosePasswordForm,
        AccessLogFilter,
        EmailsForm,  # a choice of two
        PastDateConfirmation,  # a tick box, part of guarded forms
        ListFilter,  # the lists' filters: choices and dates
        RecommendationThemesForm,  # tick boxes of the partnership's themes
    }


DATE = {"target_date_day": "1", "target_date_month": "6", "target_date_year": "2030"}
DUE = {"due_date_day": "1", "due_date_month": "6", "due_date_year": "2030"}
PERSON = {
    "first_name": "Invented",
    "last_name": "Officer",
    "email": "invented.officer@example.invalid",
    "role": "executive",
}


def form_cases(agency):
    """(form factory, field, valid data) for every text field of every form."""
    action = factories.make_action(agency=agency)
    officer = factories.make_user("agency_user", agency=agency)
    submission = {"action": str(action.pk), "summary": "Did it.", "impact": "It helped."}
    return [
        (
            lambda d: RatingForm(d, instance=factories.make_recommendation()),
            "rating_rationale",
            {"rating": "green", "rating_rationale": "On track.", "version": "1"},
        ),
        (
            lambda d: TargetDateForm(d, instance=factories.make_recommendation()),
            "reason",
            {**DATE, "reason": "Training moved.", "version": "1"},
        ),
        (
            lambda d: ActionForm(d, instance=action),
            "description",
            {
                "agency": str(agency.pk),
                "description": "Do it.",
                "state": "not_started",
                "reason": "Clearer.",
                "version": "1",
                **DUE,
            },
        ),
        (
            lambda d: ActionForm(d, instance=action),
            "reason",
            {
                "agency": str(agency.pk),
                "description": "Do it.",
                "state": "not_started",
                "reason": "Clearer.",
                "version": "1",
                **DUE,
            },
        ),
        (
            lambda d: RatingDefinitionForm(d, instance=factories.make_rating_definition("red")),
            "definition",
            {"definition": "Off track.", "version": "1"},
        ),
        (ReviewDecisionForm, "note", {"decision": "returned", "note": "Send more."}),
        (FileDecisionForm, "note", {"decision": "release", "note": "Checked."}),
        (lambda d: ThemeForm(d), "name", {"name": "Invented theme"}),
        (lambda d: ThemeForm(d), "description", {"name": "Invented", "description": "Who shares."}),
        (lambda d: SubmissionForm(d, user=officer), "summary", submission),
        (lambda d: SubmissionForm(d, user=officer), "impact", submission),
        (RestrictedDocumentForm, "label", {"label": "Final report"}),
        (InviteForm, "reason", {**PERSON, "reason": "Joined the team."}),
        (InviteForm, "last_name", {**PERSON, "reason": "Joined the team."}),
        (AccountStateForm, "reason", {"reason": "Left the council."}),
        (AgencyForm, "name", {"name": "Invented Trust", "short_name": "IT", "reason": "New."}),
        (
            lambda d: _admin_form(Action)(d),
            "change_reason",
            {"change_reason": "Corrected.", "description": "Do it.", "state": "not_started"},
        ),
        (
            lambda d: _admin_form(Action)(d),
            "description",
            {"change_reason": "Corrected.", "description": "Do it.", "state": "not_started"},
        ),
    ]


def _admin_form(model):
    from django.contrib import admin

    return admin.site._registry[model].get_form(None, fields=["description", "state"])


@pytest.mark.parametrize("case", range(16))
@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_the_guard_fires_on_every_form_field(agency_a, case, identifier):
    make_form, field, data = form_cases(agency_a)[case]
    form = make_form({**data, field: f"Update: {identifier} noted"})
    assert not form.is_valid()
    assert any("looks like" in str(e) for e in form.errors[field])
    assert all(identifier not in str(e) for e in form.errors[field])


def test_the_admin_form_base_is_guarded():
    assert issubclass(ChangeReasonForm, GuardedFormMixin)


def test_a_save_that_bypasses_the_forms_is_refused_by_the_backstop(action_a):
    before = snapshot.take()
    action_a.description = "Contact the child at WS1 1TP"
    with pytest.raises(IntakeRefused), changes_by(system_user(), "Test"):
        action_a.save()
    snapshot.assert_unchanged(before)


def test_a_save_of_state_fields_runs_no_text_check_and_a_text_field_does(action_a, monkeypatch):
    from scr_tracker.intake import backstop

    checked = []
    real = backstop.text_problems
    monkeypatch.setattr(
        backstop,
        "text_problems",
        lambda text, **kw: checked.append(kw["where"]) or real(text, **kw),
    )
    with changes_by(system_user(), "Test"):
        action_a.state = "in_progress"
        action_a.save(update_fields=["state"])
    assert checked == []
    # A save that names a text field checks that field; one naming none, all.
    action_a.description = "Contact the child at WS1 1TP"
    with pytest.raises(IntakeRefused), changes_by(system_user(), "Test"):
        action_a.save(update_fields=["description"])
    assert checked == ["recommendations.Action.description"]
    with pytest.raises(IntakeRefused), changes_by(system_user(), "Test"):
        action_a.save()


def test_a_change_reason_with_an_identifier_is_refused_in_the_admin(action_a):

    admin_user = factories.make_superuser("breakglass", password="x" * 20)
    client = Client()
    client.force_login(admin_user)
    before = snapshot.take()
    url = reverse("admin:recommendations_action_change", args=[action_a.pk])
    response = client.post(
        url,
        {
            "recommendation": action_a.recommendation_id,
            "agency": action_a.agency_id,
            "description": "Do the invented thing.",
            "state": "in_progress",
            "change_reason": "Asked by the parent of 943 476 5919",
        },
    )
    assert response.status_code == 200
    assert b"looks like an NHS" in response.content and b"5919" not in response.content
    snapshot.assert_unchanged(before)


def test_what_was_typed_is_kept_but_the_identifier_is_removed(agency_a, client, agency_a_user):
    action = factories.make_action(agency=agency_a)
    client.force_login(agency_a_user)
    from tests.intake_helpers import post_evidence

    typed = "Met the family on Tuesday; NHS 943\u00a0476\u00a05919 and WS1 1TP noted"
    response = post_evidence(client, action, [("x.txt", b"fine\n")], summary=typed)
    assert response.status_code == 400
    body = response.content.decode()
    marked = (
        "Met the family on Tuesday; NHS [removed: an NHS, CHI or H&amp;C number] and "
        "[removed: a full postcode] noted"
    )
    assert marked in body
    assert "5919" not in body and "1TP" not in body
    assert "has been taken out of the box and marked" in body

    # Sent back as it is, the mark is refused: it is never saved in place of
    # what was meant, and nothing is stored.
    before = snapshot.take()
    again = html.unescape(marked)
    response = post_evidence(client, action, [("x.txt", b"fine\n")], summary=again)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["summary"])
    assert "still has a “[removed: …]” mark" in errors
    snapshot.assert_unchanged(before)

    # Written again without the identifier, it is accepted.
    fixed = "Met the family on Tuesday; NHS number and postcode noted"
    response = post_evidence(client, action, [("x.txt", b"fine\n")], summary=fixed)
    assert response.status_code == 302


def test_text_that_is_too_long_is_refused_with_its_limit_never_cut(agency_a, client, agency_a_user):
    action = factories.make_action(agency=agency_a)
    client.force_login(agency_a_user)
    from tests.intake_helpers import post_evidence

    typed = "Training was booked for March. " * 323  # 10,012 once trimmed
    before = snapshot.take()
    response = post_evidence(client, action, [("x.txt", b"fine\n")], summary=typed)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["summary"])
    assert errors == (
        f"What your agency did must be 10,000 characters or fewer (it has {len(typed.strip())}). "
        "Shorten it and send it again."
    )
    body = response.content.decode()
    # Kept whole for shortening, in a box that does not cut what is pasted.
    assert typed.strip() in html.unescape(body)
    textarea = re.search(r'<textarea[^>]*name="summary"[^>]*>', body).group()
    assert "maxlength" not in textarea
    snapshot.assert_unchanged(before)
