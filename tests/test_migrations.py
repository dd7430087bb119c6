import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def test_models_and_migrations_agree(db):
    # Exits non-zero (SystemExit) if a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_board_snapshots_become_board_packs_and_assured_actions_say_by_what(migrated_data):
    """Migrating keeps every frozen snapshot (as a one-review pack) and marks
    actions assured before the change: by evidence where evidence was accepted,
    else as a decision whose reason says so."""
    executor = MigrationExecutor(connection)
    before = [
        ("recommendations", "0004_historicalrecommendation_impact_review_date_and_more"),
        ("evidence", "0004_assurancerequest_historicalassurancerequest_and_more"),
        ("accounts", "0006_sign_in_event_reset"),
        ("reporting", None),
    ]
    executor.migrate(before)
    try:
        _old_world_then_migrate(executor.loader.project_state(before[:3]).apps)
    finally:
        # Whatever happened, leave the database fully migrated for the next test.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _old_world_then_migrate(old):
    User = old.get_model("accounts", "User")
    Review = old.get_model("recommendations", "Review")
    Recommendation = old.get_model("recommendations", "Recommendation")
    Action = old.get_model("recommendations", "Action")
    Agency = old.get_model("accounts", "Agency")
    Submission = old.get_model("evidence", "Submission")
    Snapshot = old.get_model("recommendations", "BoardSnapshot")
    user = User.objects.create(username="migration-test")
    review = Review.objects.create(
        reference="TEST M1",
        title="Invented",
        kind="cspr",
        completed_year=2024,
        period_from_year=2020,
        period_to_year=2023,
        publication="published",
    )
    rec = Recommendation.objects.create(
        review=review, number=1, short_title="Invented", text="Invented.", updated_by=user
    )
    agency = Agency.objects.create(name="Invented agency", short_name="IA")
    with_evidence = Action.objects.create(recommendation=rec, agency=agency, state="assured")
    by_hand = Action.objects.create(recommendation=rec, agency=agency, state="assured")
    Submission.objects.create(
        action=with_evidence,
        agency=agency,
        submitted_by=user,
        summary="S",
        impact="I",
        state="accepted",
        reviewed_by=user,
        reviewed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    rows = [
        {
            "id": rec.pk,
            "number": 1,
            "short_title": "Invented",
            "rating": "",
            "target_date": None,
            "overdue": False,
            "accepted": 1,
            "awaiting": 0,
            "actions": [],
        }
    ]
    Snapshot.objects.create(
        review=review,
        board_date=datetime.date(2026, 3, 1),
        title="Invented board",
        taken_by=user,
        rows=rows,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from recommendations.models import Action as NewAction
    from scr_tracker.reporting.models import BoardPack

    pack = BoardPack.objects.get()
    assert (pack.title, pack.board_date) == ("Invented board", datetime.date(2026, 3, 1))
    assert [r.reference for r in pack.reviews.all()] == ["TEST M1"]
    assert pack.rows == [{**rows[0], "review": "TEST M1", "review_id": review.pk}]
    assert NewAction.objects.get(pk=with_evidence.pk).assurance == "evidence"
    decided = NewAction.objects.get(pk=by_hand.pk)
    assert decided.assurance == "decision"
    assert decided.assurance_reason.startswith("Set to Assured by hand")


@pytest.mark.django_db(transaction=True)
def test_roles_move_from_groups_to_the_person_with_a_history_row(migrated_data):
    """Each person's role group becomes their role; an agency user without an
    agency gets no role (they saw nothing); the role groups and their model
    permissions are removed."""
    executor = MigrationExecutor(connection)
    before = [("accounts", "0006_sign_in_event_reset")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Group = old.get_model("auth", "Group")
        User = old.get_model("accounts", "User")
        Agency = old.get_model("accounts", "Agency")
        agency = Agency.objects.create(name="Invented agency", short_name="IA")
        groups = {
            name: Group.objects.get_or_create(name=name)[0]
            for name in ("Business managers", "Agency users", "Executives")
        }
        people = {
            "bm": ("Business managers", None),
            "officer": ("Agency users", agency),
            "stray": ("Agency users", None),
            "exec": ("Executives", agency),
        }
        for username, (group, where) in people.items():
            person = User.objects.create(username=f"migration-{username}", agency=where)
            person.groups.add(groups[group])
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        from django.contrib.auth.models import Group as NewGroup

        from scr_tracker.accounts.models import User as NewUser

        roles = {
            u.username: (u.role, u.agency_id)
            for u in NewUser.objects.filter(username__startswith="migration-")
        }
        assert roles == {
            "migration-bm": ("business_manager", None),
            "migration-officer": ("agency_user", agency.pk),
            "migration-stray": ("", None),
            "migration-exec": ("executive", agency.pk),
        }
        assert not NewGroup.objects.filter(name__in=list(groups)).exists()
        row = NewUser.history.filter(username="migration-officer").get()
        assert (row.role, row.history_user.username) == ("agency_user", "system")
        assert row.history_change_reason.startswith("Role copied from")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
