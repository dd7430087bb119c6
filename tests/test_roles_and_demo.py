"""Capabilities are declared once per role; demo data is for DEBUG only."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command

from scr_tracker.accounts.capabilities import CAPABILITIES, ROLE_CAPABILITIES, can
from scr_tracker.accounts.models import User
from scr_tracker.accounts.roles import BUSINESS_MANAGER, ROLES
from tests import snapshot


def test_every_role_declares_only_known_capabilities():
    for role in ROLES:
        assert ROLE_CAPABILITIES[role] <= set(CAPABILITIES), role


def test_only_business_managers_manage_people_registers_and_retention():
    managing = {"manage_people", "manage_registers", "manage_retention", "read_access_log"}
    for role, capabilities in ROLE_CAPABILITIES.items():
        held = managing & capabilities
        assert held == (managing if role == BUSINESS_MANAGER else set()), role


def test_groups_carry_no_roles_and_no_model_permissions(db):
    """Roles are a field of the person; the old role groups are gone, and no
    group holds a model permission that could widen anyone's scope (G1)."""
    assert not Group.objects.filter(name__in=["Business managers", "Agency users", "Executives"])
    assert not Group.permissions.through.objects.exists()


def test_an_unknown_capability_is_a_programming_error():
    with pytest.raises(ValueError, match="not a capability"):
        can(AnonymousUser(), "rate_everything")


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
        user.username: (user.get_role_display(), user.agency and user.agency.name)
        for user in User.objects.filter(username__startswith="demo-")
    }
    assert accounts == {
        "demo-manager": ("Business manager", None),
        "demo-council": ("Agency user", "Demo Borough Council Children's Services"),
        "demo-police": ("Agency user", "Demo Police Force"),
        "demo-executive": ("Executive", None),
    }
    assert not User.objects.filter(is_superuser=True).exists()
    for username in accounts:
        assert username in out.getvalue()


def test_demo_data_loads_twice_without_duplicates_or_overwriting(w6, settings, manager):
    from recommendations.models import Action, RecommendationTheme
    from scr_tracker.audit import changes_by

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    rec = w6.recommendations.get(number=1)
    with changes_by(manager, "Real rating"):
        rec.rating, rec.rating_rationale = "red", "Slipped"
        rec.save()
    counts = (Action.objects.count(), User.objects.count(), RecommendationTheme.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    rec.refresh_from_db()
    assert rec.rating == "red"
    assert (
        Action.objects.count(),
        User.objects.count(),
        RecommendationTheme.objects.count(),
    ) == counts
    assert [t.name for t in w6.recommendations.get(number=5).themes.all()] == [
        "Information sharing"
    ]


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
