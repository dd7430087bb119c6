"""axe-core on every page, for every role, in real Chromium: zero WCAG 2.0, 2.1
and 2.2 A and AA violations, including error states and empty states.

Each page is reached as its user reaches it (error states by sending the form
wrongly). The pages checked are listed in test-artifacts/axe-pages-<role>.txt.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import RatingDefinition
from scr_tracker.accounts.roles import AGENCY_USER
from scr_tracker.audit import changes_by
from tests import factories
from tests.browser import ARTIFACTS, axe_violations, describe
from tests.test_permission_matrix import ROUTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def goto(url_name, *args, query=""):
    def step(page, states):
        page.goto(reverse(url_name, args=[states.get(a, a) for a in args]) + query)

    step.route = url_name
    return step


def then_submit(first, button, fill=None):
    """``first``, then send its form with ``fill`` (label -> text): an error state."""

    def step(page, states):
        first(page, states)
        for label, text in (fill or {}).items():
            page.get_by_label(label, exact=True).fill(text)
        page.get_by_role("button", name=button).click()
        page.locator(".govuk-error-summary").wait_for(timeout=5000)

    step.route = first.route
    return step


def conflict(page, states):
    """A rating form drawn before someone else's change, then sent: the 409 page."""
    goto("recommendations:rating_change", "rec")(page, states)
    rec = states["recs"][1]
    with changes_by(states["other_manager"], "Rating changed: meanwhile"):
        rec.rating, rec.rating_rationale = "red", "Meanwhile."
        rec.version += 1
        rec.save()
    page.get_by_label("Amber").check()
    page.get_by_label("Why this rating").fill("My view.")
    page.get_by_role("button", name="Save rating").click()
    page.get_by_text("someone else changed this first").wait_for()


conflict.route = "recommendations:rating_change"


def set_up_the_app_again(page, states):
    """The manager sets up an authenticator app again: the key typed from the
    page gives the code; then the recovery codes page."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    page.goto(reverse("two_factor_setup"))
    key = b32decode(page.locator("#secret").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()


set_up_the_app_again.route = "two_factor_recovery_codes"

PAGES = {
    "anon": [
        ("Sign in", goto("login")),
        (
            "Sign in, wrong password",
            then_submit(goto("login"), "Sign in", {"Username": "x", "Password": "y"}),
        ),
        ("Reset your password", goto("password_reset")),
        (
            "Reset your password, bad address",
            then_submit(goto("password_reset"), "Send the link", {"Email": "not an address"}),
        ),
        ("Check your email", goto("password_reset_done")),
        ("Reset link expired", goto("password_reset_confirm", "MQ", "not-a-token")),
        ("Password changed", goto("password_reset_complete")),
        ("Invitation expired", goto("choose_password", "MQ", "not-a-token")),
    ],
    "manager": [
        ("Dashboard", goto("reporting:dashboard")),
        ("Dashboard, no matches", goto("reporting:dashboard", query="?rating=complete")),
        ("Dashboard, bad filter", goto("reporting:dashboard", query="?since=tomorrow")),
        ("Recommendation", goto("recommendations:recommendation_detail", "rec")),
        ("Change the rating", goto("recommendations:rating_change", "rec")),
        (
            "Change the rating, nothing chosen",
            then_submit(
                goto("recommendations:rating_change", "rec"), "Save rating", {"Why this rating": ""}
            ),
        ),
        ("Change the rating, someone else first", conflict),
        ("Change the target date", goto("recommendations:target_date_change", "rec")),
        (
            "Change the target date, not a date",
            then_submit(
                goto("recommendations:target_date_change", "rec"),
                "Save target date",
                {"Day": "31", "Month": "2", "Year": "2030"},
            ),
        ),
        ("Assign an action", goto("recommendations:action_create", "rec")),
        (
            "Assign an action, empty",
            then_submit(goto("recommendations:action_create", "rec"), "Assign the action"),
        ),
        ("Edit an action", goto("recommendations:action_edit", "action_a")),
        ("Assured without evidence", goto("recommendations:action_assure", "action_a")),
        (
            "Assured without evidence, no reason",
            then_submit(
                goto("recommendations:action_assure", "action_a"),
                "Record as assured without evidence",
            ),
        ),
        ("Rating definitions", goto("recommendations:rating_definitions")),
        ("Change a definition", goto("recommendations:rating_definition_edit", "red")),
        (
            "Change a definition, empty",
            then_submit(
                goto("recommendations:rating_definition_edit", "red"),
                "Save definition",
                {"What this rating means": ""},
            ),
        ),
        ("Evidence", goto("evidence:submission_list")),
        ("Evidence to review", goto("evidence:submission_detail", "submitted")),
        (
            "Evidence to review, no decision",
            then_submit(goto("evidence:submission_detail", "submitted"), "Save review"),
        ),
        ("Held files", goto("evidence:held_files")),
        ("Check a held file", goto("evidence:file_decision", "held")),
        (
            "Check a held file, no decision",
            then_submit(goto("evidence:file_decision", "held"), "Save decision"),
        ),
        ("Access log", goto("evidence:access_log")),
        ("Access log, bad date", goto("evidence:access_log", query="?start=not-a-date")),
        ("Restricted registers", goto("intake:register")),
        ("Add a restricted term", goto("intake:term_add")),
        ("Add a restricted term, empty", then_submit(goto("intake:term_add"), "Add term")),
        ("Register a document", goto("intake:document_add")),
        (
            "Register a document, no file",
            then_submit(goto("intake:document_add"), "Register document"),
        ),
        ("Not allowed (403)", goto("recommendations:my_actions")),
        ("Not found (404)", goto("evidence:submission_detail", 999999)),
        ("Requests for evidence", goto("evidence:request_list")),
        ("Request evidence", goto("evidence:request_create")),
        (
            "Request evidence, empty",
            then_submit(goto("evidence:request_create"), "Send the request"),
        ),
        ("Notifications", goto("evidence:notification_list")),
        ("Progress on an action", goto("evidence:action_progress", "action_a")),
        (
            "Progress on an action, empty challenge",
            then_submit(
                goto("evidence:action_progress", "action_a"), "Post the challenge or question"
            ),
        ),
        ("Ratings before the board", goto("recommendations:review_ratings", "review")),
        (
            "Ratings before the board, a reason refused",
            then_submit(
                goto("recommendations:review_ratings", "review"),
                "Save the changes",
                {"Why recommendation 2 has this rating now": "Seen at WS1 1TP."},
            ),
        ),
        ("Sign off, actions waiting", goto("recommendations:sign_off", "rec")),
        ("Sign off, ready", goto("recommendations:sign_off", "assured_rec")),
        ("Board packs", goto("reporting:board_packs")),
        (
            "Board packs, empty form",
            then_submit(goto("reporting:board_packs"), "Freeze the board pack"),
        ),
        ("Board pack", goto("reporting:board_pack", "snapshot")),
        ("Public summary", goto("reporting:public_summary")),
        ("Retention and disposal", goto("evidence:retention")),
        ("Change a review's retention", goto("evidence:retention_edit", "review")),
        (
            "Change a review's retention, no reason",
            then_submit(goto("evidence:retention_edit", "review"), "Save retention"),
        ),
        ("Dispose of evidence", goto("evidence:disposal", "review")),
        (
            "Dispose of evidence, not confirmed",
            then_submit(goto("evidence:disposal", "review"), "Dispose of the evidence"),
        ),
        ("Your sessions", goto("your_sessions")),
        ("Set up a second factor", goto("two_factor_setup")),
        (
            "Set up a second factor, no code",
            then_submit(goto("two_factor_setup"), "Confirm"),
        ),
        ("Recovery codes", set_up_the_app_again),
        ("Manage", goto("manage")),
        ("Search", goto("search", query="?q=supervision")),
        ("Search, an identifier refused", goto("search", query="?q=WS1+1TP")),
        ("Reviews", goto("recommendations:review_list")),
        ("A review", goto("recommendations:review_detail", "review")),
        ("Add a review", goto("recommendations:review_create")),
        (
            "Add a review, empty",
            then_submit(goto("recommendations:review_create"), "Add the review"),
        ),
        ("Change a review", goto("recommendations:review_edit", "review")),
        ("Add a recommendation", goto("recommendations:recommendation_add", "review")),
        (
            "Add a recommendation, empty",
            then_submit(
                goto("recommendations:recommendation_add", "review"), "Add the recommendation"
            ),
        ),
        ("A response", goto("recommendations:response_change", "rec")),
        ("Repeats across reviews", goto("recommendations:repeat_check", "rec")),
        ("Intended outcome", goto("recommendations:outcome_change", "rec")),
        ("Themes", goto("recommendations:theme_list")),
        ("Add a theme", goto("recommendations:theme_create")),
        ("Add a theme, empty", then_submit(goto("recommendations:theme_create"), "Add the theme")),
        ("Change a theme", goto("recommendations:theme_edit", "theme")),
        ("A recommendation's themes", goto("recommendations:recommendation_themes", "rec")),
        ("Judge the impact", goto("recommendations:impact_judge", "signed_rec")),
        (
            "Judge the impact, empty",
            then_submit(goto("recommendations:impact_judge", "signed_rec"), "Record the judgement"),
        ),
        ("People", goto("people:people")),
        ("People, filtered", goto("people:people", query="?role=agency_user&state=on")),
        ("A person", goto("people:person", "person")),
        ("Invite a person", goto("people:invite")),
        ("Invite a person, empty", then_submit(goto("people:invite"), "Send the invitation")),
        ("Change a person", goto("people:edit", "person")),
        ("Switch an account off", goto("people:switch_off", "person")),
        (
            "Switch an account off, no reason",
            then_submit(goto("people:switch_off", "person"), "Switch the account off"),
        ),
        ("Switch an account on", goto("people:switch_on", "person")),
        ("Reset a second factor", goto("people:reset_second_factor", "person")),
        (
            "Reset a second factor, no reason",
            then_submit(goto("people:reset_second_factor", "person"), "Reset the second factor"),
        ),
        ("Unlock sign-in", goto("people:unlock", "person")),
        ("Agencies", goto("people:agencies")),
        ("Add an agency", goto("people:agency_add")),
        ("Add an agency, empty", then_submit(goto("people:agency_add"), "Save the agency")),
        ("Change an agency", goto("people:agency_edit", "agency")),
        ("Access to reviews", goto("recommendations:reviews_access")),
        ("Who may see a review", goto("recommendations:review_access", "review")),
        (
            "Who may see a review, nobody chosen",
            then_submit(goto("recommendations:review_access", "review"), "Give access"),
        ),
        ("Lead officers", goto("recommendations:leads", "rec")),
        ("Stop a lead", goto("recommendations:revoke_access", "lead", "lead_grant")),
        ("Import an action plan", goto("recommendations:import_plan")),
        (
            "Import an action plan, empty",
            then_submit(goto("recommendations:import_plan"), "Check the spreadsheet"),
        ),
    ],
    "executive": [
        ("Dashboard", goto("reporting:dashboard")),
        ("Recommendation", goto("recommendations:recommendation_detail", "rec")),
        ("Evidence", goto("evidence:submission_list")),
        ("Evidence, details only", goto("evidence:submission_detail", "submitted")),
        ("Not allowed (403)", goto("evidence:held_files")),
        ("Board packs", goto("reporting:board_packs")),
        ("Board pack", goto("reporting:board_pack", "snapshot")),
        ("Notifications", goto("evidence:notification_list")),
        ("Progress on an action, read only", goto("evidence:action_progress", "action_a")),
    ],
    "agency_a": [
        ("My agency's actions", goto("recommendations:my_actions")),
        ("Recommendation", goto("recommendations:recommendation_detail", "rec")),
        ("Send evidence", goto("evidence:submission_create")),
        ("Send evidence, empty", then_submit(goto("evidence:submission_create"), "Send evidence")),
        ("Evidence sent", goto("evidence:submission_list")),
        ("Own evidence, returned", goto("evidence:submission_detail", "returned")),
        ("Send evidence again", goto("evidence:send_again", "returned")),
        (
            "Send evidence again, unchanged",
            then_submit(goto("evidence:send_again", "returned"), "Send it again"),
        ),
        ("Own evidence, can withdraw", goto("evidence:submission_detail", "submitted")),
        ("Another agency's evidence (404)", goto("evidence:submission_detail", "other_agency")),
        ("Requests for evidence", goto("evidence:request_list")),
        ("Notifications", goto("evidence:notification_list")),
        ("Search", goto("search", query="?q=training")),
        ("Progress on an action", goto("evidence:action_progress", "action_a")),
        (
            "Progress on an action, empty update",
            then_submit(goto("evidence:action_progress", "action_a"), "Post the update"),
        ),
    ],
    "unverified": [
        ("Enter your code", goto("two_factor_verify")),
        (
            "Enter your code, wrong",
            then_submit(goto("two_factor_verify"), "Continue", {"Code": "000000"}),
        ),
    ],
    "agency_empty": [
        ("My agency's actions, none yet", goto("recommendations:my_actions")),
        ("Evidence sent, none yet", goto("evidence:submission_list")),
    ],
}
# Routes that are not pages: downloads, redirects, and POST-only actions.
NOT_PAGES = {
    "home",
    "end_other_sessions",
    "health",  # JSON for load balancers
    "session_time",  # JSON for the time-out warning (tests/test_browser_time_out.py)
    "stay_signed_in",  # the warning's button: a redirect back
    "logout",
    "evidence:file_download",
    "evidence:submission_withdraw",
    "evidence:submission_review",
    "intake:term_remove",
    "intake:document_remove",
    "evidence:request_cancel",
    "evidence:notification_open",  # a redirect to where the thing is done
    "evidence:notifications_read",  # posts from the notifications page
    "evidence:notification_emails",
    "people:resend_invitation",
    "oidc_authentication_init",  # redirects to the provider (tests/test_sso.py)
    "passkey_added",  # a redirect (tests/test_browser_passkeys.py)
    "otp_webauthn:credential-registration-begin",  # JSON for the passkey script
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
    "oidc_callback",
    "recommendations:review_restriction",
    "evidence:access_log_csv",
    "recommendations:partner_sign_off",
    "reporting:board_pack_pdf",
    "reporting:board_pack_xlsx",
    "reporting:export_csv",
    "reporting:export_xlsx",
}


@pytest.fixture
def states(w6, agency_a, agency_b, manager, executive, agency_a_user, agency_b_user):
    today = timezone.localdate()
    with changes_by(manager, "Retention changed: closed long ago, for the disposal pages"):
        w6.closed_on = datetime.date(2019, 3, 1)
        w6.save()
    recs = {rec.number: rec for rec in w6.recommendations.all()}
    with changes_by(manager, "Rating changed: invented progress"):
        for number, rating in [(1, "amber"), (2, "red"), (3, "green"), (4, "complete")]:
            recs[number].rating, recs[number].rating_rationale = rating, "Invented rationale."
            recs[number].target_date = today + datetime.timedelta(days=30 * number - 45)
            recs[number].save()
    action_a = factories.make_action(recs[1], agency_a, due_date=today + datetime.timedelta(9))
    factories.make_action(recs[2], agency_a, due_date=today - datetime.timedelta(3))
    action_b = factories.make_action(recs[1], agency_b)
    submitted = factories.make_submission(action_a, agency_a_user)
    factories.make_file(submitted)
    returned = factories.make_submission(
        action_a,
        agency_a_user,
        state="returned",
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        reviewer_note="Send the audit's summary too.",
    )
    other = factories.make_submission(action_b, agency_b_user)
    held = factories.make_file(
        other, name="scan.pdf", state="held", held_reason="Page 1 has no text layer."
    )
    factories.make_restricted_term("Invented Alias")
    factories.make_restricted_document("invented words " * 20)
    empty_agency = factories.make_agency("Agency C (test)", short_name="C")
    factories.make_action(recs[3], agency_a, state="assured")
    request = factories.make_request(action_a, manager, due_date=today - datetime.timedelta(2))
    factories.make_board_pack(w6, manager, board_date=today - datetime.timedelta(60))
    frozen = factories.make_board_pack(w6, manager, board_date=today, title="Invented June board")
    from evidence import reminders

    for user in (manager, agency_a_user, executive):
        user.email = f"{user.username}@example.invalid"
        with factories.setup_changes():
            user.save()
    reminders.run(today=today + datetime.timedelta(days=30))
    from evidence.models import ProgressUpdate

    with factories.setup_changes():
        ProgressUpdate.objects.create(
            action=action_a,
            kind="update",
            text="Training booked for March.",
            written_by=agency_a_user,
        )
        ProgressUpdate.objects.create(
            action=action_a, kind="challenge", text="How many staff?", written_by=manager
        )
    return {
        "recs": recs,
        "rec": recs[1].pk,
        "review": w6.pk,
        "action_a": action_a.pk,
        "submitted": submitted.pk,
        "returned": returned.pk,
        "other_agency": other.pk,
        "held": held.pk,
        "assured_rec": recs[3].pk,
        "signed_rec": _signed_off(recs[4], manager).pk,
        "theme": factories.make_theme_link(recs[1], factories.make_theme("Neglect")).theme_id,
        "snapshot": frozen.pk,
        "request": request.pk,
        "person": agency_a_user.pk,
        "lead_grant": factories.make_lead(recs[2], agency_a_user).pk,
        "agency": agency_a.pk,
        "red": RatingDefinition.objects.get(rating="red").rating,
        "other_manager": factories.make_user("business_manager", username="manager-2"),
        "users": {
            "anon": None,
            "manager": manager,
            "executive": executive,
            "agency_a": agency_a_user,
            "agency_empty": factories.make_user(AGENCY_USER, agency=empty_agency),
            "unverified": _with_app(factories.make_user("business_manager", username="half")),
        },
    }


def _signed_off(rec, manager):
    """A recommendation signed off a year ago: its impact review is due."""
    with factories.setup_changes():
        rec.rating, rec.rating_rationale = "complete", "Signed off."
        rec.impact_review_date = datetime.date.today() - datetime.timedelta(days=1)
        rec.save()
    factories.make_sign_off(rec, manager)
    return rec


def _with_app(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    return user


def test_every_page_is_checked():
    checked = {step.route for pages in PAGES.values() for _, step in pages}
    missing = [r for r in ROUTES if not r.startswith("admin:") and r not in checked | NOT_PAGES]
    assert not missing, f"add these pages to the accessibility check: {missing}"


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_has_no_wcag_violations(states, open_as, role):
    page = open_as(states["users"][role], second_factor=role != "unverified")
    found, report = {}, []
    for name, step in PAGES[role]:
        step(page, states)
        violations = axe_violations(page)
        report.append(
            f"{role}: {name} ({page.url.split('/', 3)[-1]}): {len(violations)} violations"
        )
        if violations:
            found[name] = describe(violations)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-pages-{role}.txt").write_text("\n".join(report) + "\n")
    assert not found, "\n".join(f"{name}: {lines}" for name, lines in found.items())


def test_axe_reports_violations_on_a_bad_page(open_as):
    """The negative control: the check above cannot pass vacuously."""
    page = open_as()
    page.set_content(
        "<html><body><img src='x.png'><input type='text'>"
        "<p style='color:#ccc;background:#fff'>Faint</p></body></html>"
    )
    ids = {violation["id"] for violation in axe_violations(page)}
    assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= ids
