"""Roles are declared once and applied idempotently; demo data is for DEBUG only."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from scr_tracker.accounts.models import User
from scr_tracker.accounts.roles import ROLE_PERMISSIONS, sync_roles
from tests import snapshot


def test_migrate_creates_each_role_with_exactly_its_permissions(db):
    for role, wanted in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        got = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert got == wanted


def test_sync_roles_corrects_drift_and_is_then_idempotent(db):
    group = Group.objects.get(name="Executives")
    group.permissions.clear()
    assert sync_roles() == ["Set 6 permissions on 'Executives'"]
    assert sync_roles() == []
    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    assert out.getvalue() == "Roles already up to date.\n"


def test_no_role_can_change_or_delete_history_or_evidence_files(db):
    for wanted in ROLE_PERMISSIONS.values():
        assert not any("historical" in perm for perm in wanted)
        assert not any(perm.startswith("evidence.delete_") for perm in wanted)


def test_demo_data_is_refused_without_debug(w6):
    before = snapshot.take()
    with pytest.raises(CommandError, match="only loaded with DEBUG on"):
        call_command("load_demo")
    snapshot.assert_unchanged(before)


def test_demo_data_gives_one_account_per_role_and_no_superuser(w6, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    accounts = {
        user.username: (user.groups.get().name, user.agency and user.agency.name)
        for user in User.objects.filter(username__startswith="demo-")
    }
    assert accounts == {
        "demo-manager": ("Business managers", None),
        "demo-council": ("Agency users", "Demo Borough Council Children's Services"),
        "demo-police": ("Agency users", "Demo Police Force"),
        "demo-executive": ("Executives", None),
    }
    assert not User.objects.filter(is_superuser=True).exists()
    for username in accounts:
        assert username in out.getvalue()


def test_demo_data_loads_twice_without_duplicates_or_overwriting(w6, settings, manager):
    from recommendations.models import Action
    from scr_tracker.audit import changes_by

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    rec = w6.recommendations.get(number=1)
    with changes_by(manager, "Real rating"):
        rec.rating, rec.rating_rationale = "red", "Slipped"
        rec.save()
    counts = (Action.objects.count(), User.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    rec.refresh_from_db()
    assert rec.rating == "red"
    assert (Action.objects.count(), User.objects.count()) == counts


def test_demo_names_say_demo(w6, settings):
    from scr_tracker.accounts.models import Agency

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    assert all("Demo" in agency.name for agency in Agency.objects.all())


def test_demo_data_follows_the_sign_off_rules(w6, settings):
    from recommendations.models import Recommendation

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    complete = Recommendation.objects.filter(rating="complete").with_sign_off()
    assert complete.exists()
    for rec in complete:
        actions = list(rec.actions.all())
        assert actions, f"{rec} is Complete with no actions"
        for action in actions:
            assert (action.state, action.assurance) == ("assured", "evidence")
            assert action.submissions.filter(state="accepted").exists()
        assert rec.sign_off_state == "Signed off"
        assert rec.sign_offs.get().rests_on.startswith("1 action assured by accepted evidence")
