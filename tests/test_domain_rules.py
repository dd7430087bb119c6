"""Rules the database itself enforces, with the message a person sees."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evidence.models import Submission
from recommendations.models import Recommendation, Review
from scr_tracker.audit import changes_by
from tests import factories


def test_there_is_no_place_for_the_review_report():
    """By design: no field, model or file slot could hold the report itself."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.get_fields():
            assert "report" not in field.name.lower(), (model, field.name)
            if model in (Review, Recommendation):
                assert field.get_internal_type() not in ("FileField", "ImageField"), field


def test_a_rating_needs_a_rationale(db, manager):
    rec = factories.make_recommendation()
    rec.rating = "red"
    with pytest.raises(ValidationError, match="Give the rationale for the rating"):
        rec.full_clean()
    with changes_by(manager, "test"), pytest.raises(IntegrityError), transaction.atomic():
        rec.save()


def test_a_partial_response_needs_a_reason(db):
    rec = factories.make_recommendation()
    rec.response = Recommendation.Response.ACCEPTED_IN_PART
    with pytest.raises(ValidationError, match="Say why the recommendation was not fully accepted"):
        rec.full_clean()


def test_recommendation_numbers_are_unique_within_a_review(db):
    rec = factories.make_recommendation(number=4)
    duplicate = Recommendation(review=rec.review, number=4, text="x", short_title="x")
    with pytest.raises(ValidationError, match="already has a recommendation with that number"):
        duplicate.full_clean(exclude=["updated_by"])


def test_review_completion_date_must_be_in_its_year(db):
    from datetime import date

    review = Review(
        reference="X",
        title="x",
        kind="scr",
        completed_year=2018,
        completed_on=date(2019, 1, 2),
        period_from_year=2004,
        period_to_year=2014,
        publication="published",
    )
    with pytest.raises(ValidationError, match="must fall in the completion year"):
        review.full_clean()


def test_an_unpublished_review_states_why(db):
    review = Review(
        reference="Y",
        title="y",
        kind="scr",
        completed_year=2018,
        period_from_year=2004,
        period_to_year=2014,
        publication="not_published",
    )
    with pytest.raises(ValidationError, match="Say why the review was not published"):
        review.full_clean()


def test_evidence_cannot_be_filed_under_another_agencys_action(db, agency_a, agency_b):
    action = factories.make_action(agency=agency_b)
    user = factories.make_user(agency=agency_a)
    submission = Submission(action=action, agency=agency_a, submitted_by=user, summary="s")
    with pytest.raises(ValidationError, match="only answer an action of the submitting agency"):
        submission.clean()
    with changes_by(user, "test"), pytest.raises(ValueError, match="must be its action's agency"):
        submission.save()


def test_a_reviewed_submission_records_its_reviewer(db):
    submission = factories.make_submission()
    submission.state = Submission.State.ACCEPTED
    with pytest.raises(ValidationError, match="needs its reviewer and date"):
        submission.full_clean()


def test_a_stored_file_has_a_server_generated_name_and_its_hash(db, settings):
    upload = factories.make_file(content=b"abc", name="../../etc/passwd.txt")
    assert upload.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert upload.size == 3
    assert upload.file.name.endswith(".bin")
    assert "passwd" not in upload.file.name
    with upload.file.open("rb") as handle:
        assert handle.read() == b"abc"
