"""Every change to a tracked model writes one history row with who and why."""

from datetime import UTC, datetime

import pytest
from django.core import serializers
from django.db import transaction

from evidence.models import AssuranceRequest, ProgressUpdate, Submission, SubmissionFile
from recommendations.models import (
    Action,
    ImpactJudgement,
    RatingDefinition,
    Recommendation,
    RecommendationTheme,
    Repeat,
    Review,
    SignOff,
    Theme,
)
from scr_tracker.accounts.models import Agency, User
from scr_tracker.audit import SYSTEM_USERNAME, MissingAuditContext, changes_by
from tests import factories, snapshot

# model -> (factory making a fresh object, a field to change, its new value)
TRACKED = {
    Agency: (factories.make_agency, "short_name", "Renamed"),
    User: (factories.make_user, "role", "executive"),
    Review: (factories.make_review, "title", "Retitled review"),
    Recommendation: (factories.make_recommendation, "rating_rationale", "Rationale"),
    Action: (factories.make_action, "state", Action.State.IN_PROGRESS),
    Submission: (factories.make_submission, "impact", "More impact"),
    SubmissionFile: (factories.make_file, "original_name", "renamed.txt"),
    AssuranceRequest: (
        lambda: factories.make_request(factories.make_action(), factories.make_user()),
        "good_evidence",
        "A clearer description",
    ),
    SignOff: (factories.make_sign_off, "note", "Corrected note"),
    ProgressUpdate: (factories.make_progress, "text", "Training delivered in March."),
    Repeat: (factories.make_repeat, "decision", "dismissed"),
    ImpactJudgement: (factories.make_impact_judgement, "narrative", "A corrected narrative."),
    Theme: (factories.make_theme, "description", "Who shares what, and when."),
    RecommendationTheme: (
        factories.make_theme_link,
        "added_at",
        datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    ),
}


def test_every_model_of_the_project_is_tracked():
    from django.apps import apps

    ours = [
        model
        for label in ["accounts", "recommendations", "evidence"]
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
        # Logs and frozen records: never changed, so nothing to track.
        and model.__name__
        not in {
            # Made and revoked, never changed: their history is tested in
            # tests/test_people_and_grants.py.
            "ReviewGrant",
            "RecommendationGrant",
            "AccessLog",
            "Notification",
            "BoardSnapshot",
            "DisposalBatch",
            "DisposalRecord",
            "SignedInSession",
            "SignInEvent",
            # Written with its impact judgement, never changed.
            "ImpactEvidence",
        }
    ]
    assert sorted(m.__name__ for m in ours) == sorted(
        m.__name__ for m in [*TRACKED, RatingDefinition]
    )
    for model in ours:
        assert hasattr(model, "history"), model


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m.__name__)
def test_create_update_delete_each_write_one_history_row(db, manager, model):
    make, field, value = TRACKED[model]
    obj = make()
    assert obj.history.count() == 1

    with changes_by(manager, "Corrected after the board meeting"):
        setattr(obj, field, value)
        obj.save()
    latest = obj.history.latest()
    assert obj.history.count() == 2
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        manager,
        "Corrected after the board meeting",
    )
    assert getattr(latest, field) == value

    pk = obj.pk
    with changes_by(manager, "Entered in error"):
        obj.delete()
    deleted = model.history.filter(id=pk).latest()
    assert (deleted.history_type, deleted.history_user, deleted.history_change_reason) == (
        "-",
        manager,
        "Entered in error",
    )


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m.__name__)
def test_a_change_with_no_user_or_reason_is_refused_before_writing(db, model):
    make, field, value = TRACKED[model]
    obj = make()
    before = snapshot.take()
    setattr(obj, field, value)
    # Each attempt in its own savepoint, as a request's transaction would be.
    with pytest.raises(MissingAuditContext), transaction.atomic():
        obj.save()
    with pytest.raises(MissingAuditContext), transaction.atomic():
        obj.delete()
    snapshot.assert_unchanged(before)


def test_a_recommendation_change_keeps_the_old_value_in_history(db, manager):
    rec = factories.make_recommendation(rating="amber", rating_rationale="Started")
    with changes_by(manager, "Board agreed it is on track"):
        rec.rating, rec.rating_rationale = "green", "On track per audit"
        rec.save()
    new, old = rec.history.all()[:2]
    delta = new.diff_against(old)
    assert {change.field: (change.old, change.new) for change in delta.changes} == {
        "rating": ("amber", "green"),
        "rating_rationale": ("Started", "On track per audit"),
    }


def test_loaddata_cannot_bypass_history(db, tmp_path):
    agency = factories.make_agency()
    path = tmp_path / "agency.json"
    path.write_text(serializers.serialize("json", [agency]))
    from django.core.management import call_command

    with pytest.raises(MissingAuditContext, match="loaddata writes no history"):
        call_command("loaddata", str(path), verbosity=0)


def test_migration_seeded_rating_definitions_have_system_history(db):
    definitions = RatingDefinition.objects.all()
    assert [d.rating for d in definitions] == ["red", "amber", "green", "complete"]
    for definition in definitions:
        (row,) = definition.history.all()
        assert row.history_user.username == SYSTEM_USERNAME
        assert row.history_change_reason == "Seeded the default rating definitions"


def test_the_system_account_cannot_sign_in(db):
    from scr_tracker.audit import system_user

    user = system_user()
    assert not user.is_active
    assert not user.is_superuser
    assert not user.has_usable_password()


def test_history_user_is_never_blank(w6):
    from django.apps import apps

    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            assert not model.objects.filter(history_user__isnull=True).exists(), model
            assert not model.objects.filter(history_change_reason__isnull=True).exists(), model
