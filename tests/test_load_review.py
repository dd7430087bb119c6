"""manage.py load_review: creates the review once, with history, and never
overwrites what the tracker holds."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import Recommendation, Review
from scr_tracker.audit import SYSTEM_USERNAME, changes_by
from tests import snapshot


def load(path="fixtures/w6.json", *args):
    out = io.StringIO()
    call_command("load_review", path, *args, stdout=out)
    return out.getvalue()


def test_load_creates_the_review_and_eleven_recommendations_with_history(db):
    output = load()
    review = Review.objects.get(reference="SCR W6")
    assert review.recommendations.count() == 11
    assert "Created 12 row(s)" in output
    for obj in [review, *review.recommendations.all()]:
        (row,) = obj.history.all()
        assert row.history_type == "+"
        assert row.history_user.username == SYSTEM_USERNAME
        assert row.history_change_reason == "Loaded from w6.json"


def test_loading_twice_changes_nothing(db):
    load()
    before = snapshot.take()
    output = load()
    assert "Created 0 row(s)" in output
    snapshot.assert_unchanged(before)


def test_loading_again_keeps_a_business_managers_rating(w6, manager):
    rec = w6.recommendations.get(number=3)
    with changes_by(manager, "Rated after the March board"):
        rec.rating, rec.rating_rationale = "amber", "Work started in March."
        rec.short_title = "Our own title"
        rec.save()
    output = load()
    rec.refresh_from_db()
    assert (rec.rating, rec.short_title) == ("amber", "Our own title")
    assert "SCR W6 recommendation 3: short_title differs from the file" in output


def test_dry_run_creates_nothing(db):
    before = snapshot.take()
    assert "Would create 12 row(s)" in load("fixtures/w6.json", "--dry-run")
    snapshot.assert_unchanged(before)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "Cannot read"),
        ("[]", "expected an object with a 'review' object"),
        ('{"review": {}, "recommendations": {}}', "expected a 'recommendations' list"),
    ],
)
def test_an_unreadable_file_is_refused_and_nothing_changes(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    before = snapshot.take()
    with pytest.raises(CommandError, match=message):
        load(str(path))
    snapshot.assert_unchanged(before)


def test_one_invalid_recommendation_loads_nothing(db, tmp_path):
    data = json.loads(Path("fixtures/w6.json").read_text())
    data["recommendations"][10]["response"] = "maybe"
    path = tmp_path / "w6-broken.json"
    path.write_text(json.dumps(data))
    before = snapshot.take()
    with pytest.raises(CommandError, match="nothing was loaded"):
        load(str(path))
    snapshot.assert_unchanged(before)
    assert not Recommendation.objects.exists()
