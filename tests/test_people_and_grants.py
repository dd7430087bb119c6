"""People run by the partnership: capabilities declared once and obeyed,
invitations that work once, role and agency changes with who and why,
switching accounts off (sessions end, grants revoked), recommendation leads,
the daily expiry, orphan grants, and the access log."""

import datetime
import io
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recommendations.grants import RecommendationGrant, ReviewGrant
from scr_tracker.accounts import capabilities
from scr_tracker.accounts.capabilities import can, has_grant
from scr_tracker.accounts.invitations import invite_tokens
from scr_tracker.accounts.models import User
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE
from tests import factories, snapshot

pytestmark = pytest.mark.django_db

INVITE = {
    "first_name": "Invented",
    "last_name": "Newcomer",
    "email": "Invented.Newcomer@example.invalid",
    "role": AGENCY_USER,
    "reason": "Joined the council's safeguarding team",
}


# One capability model -----------------------------------------------------


def test_editing_the_declaration_changes_what_the_app_allows(
    monkeypatch, manager_client, executive, w6
):
    rec = w6.recommendations.get(number=1)
    rating = reverse("recommendations:rating_change", args=[rec.pk])
    packs = reverse("reporting:board_packs")
    page = reverse("recommendations:recommendation_detail", args=[rec.pk])
    assert manager_client.get(rating).status_code == 200
    assert rating in manager_client.get(page).content.decode()
    exec_client = Client()
    exec_client.force_login(executive)
    assert exec_client.get(rating).status_code == 403

    declared = dict(capabilities.ROLE_CAPABILITIES)
    declared[BUSINESS_MANAGER] = declared[BUSINESS_MANAGER] - {"rate"}
    declared[EXECUTIVE] = declared[EXECUTIVE] | {"rate"}
    declared[AGENCY_USER] = declared[AGENCY_USER] | {"view_board_packs"}
    monkeypatch.setattr(capabilities, "ROLE_CAPABILITIES", declared)

    assert manager_client.get(rating).status_code == 403
    assert rating not in manager_client.get(page).content.decode()
    assert exec_client.get(rating).status_code == 200
    officer = Client()
    officer.force_login(factories.make_user(AGENCY_USER, agency=factories.make_agency()))
    assert officer.get(packs).status_code == 200


def test_the_menu_follows_the_declaration(monkeypatch, manager_client):
    assert 'href="/people/"' in manager_client.get(reverse("manage")).content.decode()
    assert (
        'href="/evidence/held/"'
        in manager_client.get(reverse("manage")).content.decode().split("</nav>")[0]
    )  # in the menu
    declared = dict(capabilities.ROLE_CAPABILITIES)
    declared[BUSINESS_MANAGER] = declared[BUSINESS_MANAGER] - {"manage_people", "review_evidence"}
    monkeypatch.setattr(capabilities, "ROLE_CAPABILITIES", declared)
    manage = manager_client.get(reverse("manage")).content.decode()
    assert 'href="/people/"' not in manage  # the Manage page follows it too
    menu = manager_client.get(reverse("evidence:submission_list")).content.decode()
    assert 'href="/evidence/held/"' not in menu


def test_a_superuser_has_no_grant_and_no_role_in_the_tracker(w6):
    """G7: guardian's checker says yes to superusers; the tracker does not."""
    rec = w6.recommendations.get(number=1)
    boss = factories.make_superuser("break-glass", "long enough passphrase 1")
    assert not has_grant(boss, "recommendations.lead_recommendation", rec)
    assert not can(boss, "rate", rec)
    client = Client()
    client.force_login(boss)
    assert client.get(reverse("reporting:dashboard")).status_code == 403


# Invitations ----------------------------------------------------------------


def _invite(manager_client, agency, mailoutbox):
    response = manager_client.post(reverse("people:invite"), {**INVITE, "agency": agency.pk})
    assert response.status_code == 302, response.content.decode()
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/welcome/\S+)", mailoutbox[0].body).group(1)
    return User.objects.get(email="invented.newcomer@example.invalid"), link


def test_an_invitation_makes_the_account_and_says_only_a_title_and_a_link(
    manager, manager_client, agency_a, mailoutbox
):
    person, link = _invite(manager_client, agency_a, mailoutbox)
    assert (person.role, person.agency, person.username) == (
        AGENCY_USER,
        agency_a,
        "invented.newcomer@example.invalid",
    )
    assert not person.has_usable_password()
    email = mailoutbox[0]
    assert email.to == ["invented.newcomer@example.invalid"]
    assert "invited" in email.subject
    assert "council's safeguarding team" not in email.body  # the reason stays in the tracker
    made = person.history.get()
    assert (made.history_type, made.history_user, made.history_change_reason) == (
        "+",
        manager,
        INVITE["reason"],
    )


def test_the_invitation_link_works_once_then_the_person_signs_in(
    manager_client, agency_a, mailoutbox, settings
):
    settings.MFA_REQUIRED_FOR_AGENCY_USERS = False
    person, link = _invite(manager_client, agency_a, mailoutbox)
    client = Client()
    form = client.get(link, follow=True)
    assert "Choose your password" in form.content.decode()
    chosen = "three invented words 2026"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": chosen, "new_password2": chosen}
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(chosen)
    assert person.history.count() == 1  # the password is never copied into history
    again = Client().get(link, follow=True)
    assert "expired or was already used" in again.content.decode()
    signed_in = Client()
    response = signed_in.post(
        reverse("login"), {"username": person.username, "password": chosen}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("recommendations:my_actions")


def test_an_invitation_expires(manager_client, agency_a, mailoutbox, monkeypatch, settings):
    person, link = _invite(manager_client, agency_a, mailoutbox)
    later = datetime.datetime.now() + datetime.timedelta(days=settings.INVITE_DAYS, hours=1)
    monkeypatch.setattr(invite_tokens, "_now", lambda: later)
    assert "expired" in Client().get(link, follow=True).content.decode()


def test_a_reset_link_is_not_an_invitation(manager_client, agency_a, mailoutbox):
    person, link = _invite(manager_client, agency_a, mailoutbox)
    reset = link.replace("/accounts/welcome/", "/accounts/reset/")
    assert "expired" in Client().get(reset, follow=True).content.decode()


def test_an_invitation_with_bad_input_says_what_to_fix_and_keeps_nothing(
    manager_client, agency_a, mailoutbox
):
    before = snapshot.take()
    bad = {**INVITE, "role": AGENCY_USER, "agency": "", "reason": ""}
    response = manager_client.post(reverse("people:invite"), bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the agency this agency user works for." in page
    assert "Say why, for the history" in page
    snapshot.assert_unchanged(before)
    assert mailoutbox == []


# Changes with who and why ---------------------------------------------------


def test_a_role_and_agency_change_is_in_history_with_who_and_why(
    manager, manager_client, agency_a_user, agency_b
):
    url = reverse("people:edit", args=[agency_a_user.pk])
    response = manager_client.post(
        url,
        {
            "first_name": "Invented",
            "last_name": "Mover",
            "email": "mover@example.invalid",
            "role": EXECUTIVE,
            "agency": agency_b.pk,
            "reason": "Moved to agency B's executive team",
        },
    )
    assert response.status_code == 302
    latest = agency_a_user.history.latest()
    assert (latest.role, latest.agency_id, latest.history_user, latest.history_change_reason) == (
        EXECUTIVE,
        agency_b.pk,
        manager,
        "Moved to agency B's executive team",
    )
    page = manager_client.get(reverse("people:person", args=[agency_a_user.pk])).content.decode()
    assert "Role: Agency user → Executive" in page
    assert "Moved to agency B&#x27;s executive team" in page


def test_a_manager_cannot_change_their_own_role(manager, manager_client):
    before = snapshot.take()
    response = manager_client.post(
        reverse("people:edit", args=[manager.pk]),
        {
            "first_name": "Me",
            "last_name": "Myself",
            "email": "me@example.invalid",
            "role": EXECUTIVE,
            "reason": "Promoting myself",
        },
    )
    assert response.status_code == 400
    assert "cannot change your own role" in response.content.decode()
    snapshot.assert_unchanged(before)


def test_switching_off_ends_sessions_and_revokes_grants_in_history(manager, manager_client, w6):
    rec = w6.recommendations.get(number=1)
    officer = factories.make_user(AGENCY_USER, agency=factories.make_agency())
    lead = factories.make_lead(rec, officer)
    restricted = factories.make_review("TEST RESTRICTED", is_restricted=True)
    factories.make_restricted_access(restricted, officer)
    theirs = Client()
    theirs.force_login(officer)
    assert Session.objects.count() == 2
    url = reverse("people:switch_off", args=[officer.pk])
    assert manager_client.post(url, {"reason": ""}).status_code == 400  # a reason is required
    response = manager_client.post(url, {"reason": "Left the agency"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert Session.objects.count() == 1  # only the manager's
    assert not RecommendationGrant.objects.filter(user=officer).exists()
    assert not ReviewGrant.objects.filter(user=officer).exists()
    gone = RecommendationGrant.history.filter(id=lead.pk).latest()
    assert (gone.history_type, gone.history_user, gone.history_change_reason) == (
        "-",
        manager,
        "Left the agency",
    )
    back = reverse("people:switch_on", args=[officer.pk])
    assert manager_client.post(back, {"reason": "Came back"}).status_code == 302
    officer.refresh_from_db()
    assert officer.is_active
    assert not RecommendationGrant.objects.filter(user=officer).exists()  # not given back


def test_a_manager_cannot_switch_themselves_off(manager, manager_client):
    url = reverse("people:switch_off", args=[manager.pk])
    response = manager_client.post(url, {"reason": "Testing"})
    assert response.status_code == 400
    manager.refresh_from_db()
    assert manager.is_active


# Leads ----------------------------------------------------------------------


def test_a_lead_rates_the_recommendation_they_lead_and_no_other(manager, manager_client, w6):
    led, other = w6.recommendations.get(number=1), w6.recommendations.get(number=2)
    officer = factories.make_user(AGENCY_USER, agency=factories.make_agency())
    response = manager_client.post(
        reverse("recommendations:leads", args=[led.pk]),
        {"person": officer.pk, "reason": "Leads the supervision work"},
    )
    assert response.status_code == 302
    grant = RecommendationGrant.objects.get()
    assert grant.history.get().history_change_reason == "Leads the supervision work"
    lead = Client()
    lead.force_login(officer)
    rate = reverse("recommendations:rating_change", args=[led.pk])
    response = lead.post(
        rate, {"rating": "amber", "rating_rationale": "Training half done.", "version": led.version}
    )
    assert response.status_code == 302
    led.refresh_from_db()
    assert (led.rating, led.history.latest().history_user) == ("amber", officer)
    assert lead.get(reverse("recommendations:rating_change", args=[other.pk])).status_code == 404
    revoke = reverse("recommendations:revoke_access", args=["lead", grant.pk])
    assert manager_client.post(revoke, {"reason": "Handed over"}).status_code == 302
    page = manager_client.get(reverse("recommendations:leads", args=[led.pk])).content.decode()
    name = officer.get_full_name() or officer.username
    assert f"{name} stopped leading, by" in page and "Handed over" in page
    assert f"{name} was named lead, by" in page and "Leads the supervision work" in page
    assert lead.get(rate).status_code == 404  # no action for their agency: out of sight again


# Daily commands -------------------------------------------------------------


def test_expired_accounts_are_switched_off_by_the_daily_command(agency_a):
    today = timezone.localdate()
    gone = factories.make_user(
        AGENCY_USER, agency=agency_a, expires_on=today - datetime.timedelta(days=1)
    )
    stays = factories.make_user(AGENCY_USER, agency=agency_a, expires_on=today)
    out = io.StringIO()
    call_command("expire_accounts", stdout=out)
    gone.refresh_from_db()
    stays.refresh_from_db()
    assert (gone.is_active, stays.is_active) == (False, True)
    assert "Switched off 1 expired account." in out.getvalue()
    row = gone.history.latest()
    assert row.history_user.username == "system"
    assert row.history_change_reason.startswith("The account expired on")


def test_orphan_grants_are_reported(w6, agency_a):
    rec = w6.recommendations.get(number=1)
    officer = factories.make_user(AGENCY_USER, agency=agency_a)
    factories.make_lead(rec, officer)
    out = io.StringIO()
    call_command("orphan_grants", stdout=out)
    assert "0 grants to look at." in out.getvalue()
    opened = factories.make_review("TEST WAS RESTRICTED", is_restricted=False)
    factories.make_restricted_access(opened, officer)
    with factories.setup_changes():
        officer.role = ""
        officer.save()
    with pytest.raises(SystemExit) as exit_code:
        call_command("orphan_grants", stdout=(out := io.StringIO()))
    assert exit_code.value.code == 1
    report = out.getvalue()
    assert "lead_recommendation" in report and "no role" in report
    assert "no longer restricted" in report


# The access log -------------------------------------------------------------


def test_exports_board_packs_and_sign_ins_are_in_the_access_log(
    manager, manager_client, w6, executive
):
    pack = factories.make_board_pack(w6, manager)
    manager_client.get(reverse("reporting:export_csv") + "?rating=red")
    response = manager_client.get(reverse("reporting:board_pack_pdf", args=[pack.pk]))
    assert response.status_code == 200
    Client().post(reverse("login"), {"username": executive.username, "password": "wrong"})
    page = manager_client.get(reverse("evidence:access_log"))
    rows = page.context["rows"]
    events = [row["event"] for row in rows]
    assert events[:3] == [
        "Failed sign-in",
        "Downloaded a board pack",
        "Exported the recommendations",
    ]
    assert rows[1]["detail"] == f"board pack {pack.pk} (PDF)"
    assert rows[2]["detail"] == "the recommendations (CSV; rating=red)"
    assert rows[0]["person"] == executive.username
    only = manager_client.get(reverse("evidence:access_log") + "?event=exported")
    assert [row["event"] for row in only.context["rows"]] == ["Exported the recommendations"]
    csv = manager_client.get(reverse("evidence:access_log_csv") + "?event=board_pack")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0] == "When,Person,Agency,Event,Detail"
    assert len(lines) == 2 and "Downloaded a board pack" in lines[1]


def test_the_access_log_filters_by_agency_and_date(manager_client, agency_a_user, agency_b_user):
    from scr_tracker.accounts.events import record
    from scr_tracker.accounts.models import SignInEvent

    record(SignInEvent.Event.SIGNED_IN, user=agency_a_user)
    record(SignInEvent.Event.SIGNED_IN, user=agency_b_user)
    url = reverse("evidence:access_log")
    by_agency = manager_client.get(f"{url}?agency={agency_a_user.agency_id}")
    assert {row["agency"] for row in by_agency.context["rows"]} == {agency_a_user.agency.name}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert manager_client.get(f"{url}?start={tomorrow}").context["rows"] == []
    bad = manager_client.get(f"{url}?start=not-a-date")
    assert bad.status_code == 400


def test_the_people_list_is_a_fixed_number_of_queries(manager, django_assert_num_queries):
    from tests.test_query_counts import sign_in

    client = Client()
    sign_in(client, manager)
    agency = factories.make_agency()
    factories.make_user(AGENCY_USER, agency=agency)
    # session, user, device, what needs the manager, then the page's count,
    # its people with agencies, the agencies for the filter
    with django_assert_num_queries(7):
        client.get(reverse("people:people"))
    for _ in range(10):
        factories.make_user(AGENCY_USER, agency=factories.make_agency())
    with django_assert_num_queries(7):
        response = client.get(reverse("people:people"))
    assert response.context["page"].paginator.count == 12  # and the manager


def test_the_first_manager_is_invited_from_the_command_line(mailoutbox):
    call_command(
        "invite",
        "first.manager@example.invalid",
        "--first-name=Invented",
        "--last-name=First",
        stdout=io.StringIO(),
    )
    person = User.objects.get(email="first.manager@example.invalid")
    assert (person.role, person.has_usable_password()) == (BUSINESS_MANAGER, False)
    assert "/accounts/welcome/" in mailoutbox[0].body
    assert person.history.get().history_user.username == "system"
    from django.core.management import CommandError

    before = snapshot.take()
    with pytest.raises(CommandError, match="Nobody was invited"):
        call_command(
            "invite", "x@example.invalid", "--first-name=A", "--last-name=B", "--role=agency_user"
        )
    snapshot.assert_unchanged(before)


# Cannot sign in -------------------------------------------------------------


def test_a_manager_resets_a_lost_second_factor_and_unlocks_sign_in(
    manager, manager_client, agency_a_user, settings
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from scr_tracker.accounts.models import SignInEvent

    TOTPDevice.objects.create(user=agency_a_user, name="Lost phone", confirmed=True)
    theirs = Client()
    theirs.force_login(agency_a_user)
    page = reverse("people:person", args=[agency_a_user.pk])
    assert "unlock their sign-in" not in manager_client.get(page).content.decode()
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": agency_a_user.username, "password": "no"})
    assert "unlock their sign-in" in manager_client.get(page).content.decode()

    url = reverse("people:reset_second_factor", args=[agency_a_user.pk])
    assert manager_client.post(url, {"reason": ""}).status_code == 400
    assert TOTPDevice.objects.filter(user=agency_a_user).exists()
    assert manager_client.post(url, {"reason": "Phone lost; called back"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=agency_a_user).exists()
    assert theirs.get(reverse("recommendations:my_actions")).status_code == 302  # signed out

    unlock = reverse("people:unlock", args=[agency_a_user.pk])
    assert manager_client.post(unlock, {"reason": "Forgot the new password"}).status_code == 302
    assert "unlock their sign-in" not in manager_client.get(page).content.decode()
    events = SignInEvent.objects.filter(user=agency_a_user, by=manager).order_by("at", "pk")
    assert [(e.event, e.reason) for e in events] == [
        ("second_factor_reset", "Phone lost; called back"),
        ("unlocked", "Forgot the new password"),
    ]
    signed_in = Client().post(
        reverse("login"),
        {"username": agency_a_user.username, "password": "correct horse battery staple"},
    )
    assert signed_in.status_code == 302  # no longer locked out
