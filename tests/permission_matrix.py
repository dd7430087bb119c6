"""Route × role × method → expected status, as data.

Roles: anon (signed out), manager, agency_a, agency_b, executive, inactive (a
deactivated business manager with a live session), unverified (a business
manager past the password but not the second factor), lead (an officer of
agency A named lead of agency B's recommendation). Restricted reviews, granted
and not, are swept over every route by tests/test_restricted_reviews.py. Every object a route names
belongs to agency B's side of the world (see test_permission_matrix.matrix_world), so
agency A must get 404 (existence hidden) wherever B gets in.

A row may name a family by prefix ("admin:*"); the meta-test fails if any URL
pattern has no row. The admin family is exercised by tests/test_admin.py (every
admin URL for every non-staff role, staff without rights, superusers).
"""

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ["anon", "manager", "agency_a", "agency_b", "executive", "inactive", "unverified", "lead"]


def cells(anon, manager, agency_a, agency_b, executive, inactive=302, unverified=302, lead=None):
    """``unverified``: a business manager signed in with a password but not yet
    the second factor; everything but the sign-in pages sends them to it.
    ``lead``: an officer of agency A named lead of agency B's recommendation
    (a guardian grant): as agency A unless said otherwise."""
    lead = agency_a if lead is None else lead
    values = [anon, manager, agency_a, agency_b, executive, inactive, unverified, lead]
    return dict(zip(ROLES, values, strict=True))


# Signed-in users' read pages: 302 for anonymous and inactive users. Read-only
# routes refuse other methods (405) before looking anything up, so a 405 reveals
# nothing about whether an object exists.
EVERYONE = cells(302, 200, 200, 200, 200)
ANYONE = cells(200, 200, 200, 200, 200, 200, 200)  # signed in or not
NOWHERE = cells(405, 405, 405, 405, 405, 405, 405)  # a method no one may use
NOT_ALLOWED = cells(302, 405, 405, 405, 405)
ADMIN_ONLY = cells(302, 302, 302, 302, 302)  # non-staff: redirected to the admin sign-in
# Business managers' pages: others are refused before anything is looked up.
MANAGER_ONLY = cells(302, 200, 403, 403, 403)
MANAGER_FORM = cells(302, 400, 403, 403, 403)  # a POST with no data: the form's errors
MANAGER_ACTION = cells(302, 302, 403, 403, 403)
POST_ONLY = cells(302, 405, 405, 405, 405)
BOARD = cells(302, 200, 403, 403, 200)  # business managers and executives

# route name -> (what its URL argument is, {method: cells})
MATRIX = {
    # Each role's home page: a redirect to it.
    "home": (None, {"GET": cells(302, 302, 302, 302, 302), "POST": NOT_ALLOWED}),
    "login": (None, {"GET": ANYONE, "POST": ANYONE}),
    "logout": (None, {"GET": NOWHERE, "POST": cells(302, 302, 302, 302, 302)}),
    # The second factor. Signed-in roles here have passed it: setting up again
    # shows a new key (a POST with no code: 400); entering a code, or the
    # recovery codes, send them on. The unverified manager has an app: the
    # code page (400 for no code), never setting up a new one.
    # Each person's own sessions; ending the others is theirs to do.
    "your_sessions": (None, {"GET": EVERYONE, "POST": NOT_ALLOWED}),
    # Search: everyone signed in, within what they may see (tests/test_search.py).
    "search": (None, {"GET": EVERYONE, "POST": NOT_ALLOWED}),
    # The pages that are not daily work: business managers' (none for others).
    "manage": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    # The idle time-out warning: how long is left (JSON), and staying signed in.
    "session_time": (None, {"GET": EVERYONE, "POST": NOT_ALLOWED}),
    "stay_signed_in": (
        None,
        {"GET": cells(302, 405, 405, 405, 405), "POST": cells(302, 302, 302, 302, 302)},
    ),
    "end_other_sessions": (
        None,
        {"GET": cells(302, 405, 405, 405, 405), "POST": cells(302, 302, 302, 302, 302)},
    ),
    "two_factor_setup": (
        None,
        {"GET": cells(302, 200, 200, 200, 200), "POST": cells(302, 400, 400, 400, 400)},
    ),
    "two_factor_verify": (
        None,
        {
            "GET": cells(302, 302, 302, 302, 302, unverified=200),
            "POST": cells(302, 302, 302, 302, 302, unverified=400),
        },
    ),
    "two_factor_recovery_codes": (
        None,
        {"GET": cells(302, 302, 302, 302, 302), "POST": cells(302, 405, 405, 405, 405, 302, 405)},
    ),
    "password_reset": (None, {"GET": ANYONE, "POST": ANYONE}),  # a POST with no email: errors
    "password_reset_done": (None, {"GET": ANYONE, "POST": NOWHERE}),
    "password_reset_confirm": ("reset", {"GET": ANYONE, "POST": ANYONE}),  # an invalid link
    "password_reset_complete": (None, {"GET": ANYONE, "POST": NOWHERE}),
    # Single sign-on: not found unless OIDC_ENABLED (tests/test_sso.py runs it
    # against a real provider).
    "oidc_authentication_init": (None, {"GET": cells(*[404] * 5, 404, 404), "POST": NOWHERE}),
    "oidc_callback": (None, {"GET": cells(*[404] * 5, 404, 404), "POST": NOWHERE}),
    # Passkeys: django-otp-webauthn's JSON ceremonies, POST only, answering 403
    # to anyone signed out. Registering needs the second factor passed (or none
    # yet): the unverified manager, who has an app, is refused. An empty
    # completion is the ceremony's own 400. No passwordless sign-in.
    "otp_webauthn:credential-registration-begin": (
        None,
        {
            "GET": cells(403, 405, 405, 405, 405, 403, 403),
            "POST": cells(403, 200, 200, 200, 200, 403, 403),
        },
    ),
    "otp_webauthn:credential-registration-complete": (
        None,
        {
            "GET": cells(403, 405, 405, 405, 405, 403, 403),
            "POST": cells(403, 400, 400, 400, 400, 403, 403),
        },
    ),
    "otp_webauthn:credential-authentication-begin": (
        None,
        {
            "GET": cells(403, 405, 405, 405, 405, 403, 405),
            "POST": cells(403, 200, 200, 200, 200, 403, 200),
        },
    ),
    "otp_webauthn:credential-authentication-complete": (
        None,
        {
            "GET": cells(403, 405, 405, 405, 405, 403, 405),
            "POST": cells(403, 400, 400, 400, 400, 403, 400),
        },
    ),
    "otp_webauthn:js-i18n-catalog": (None, {"GET": ANYONE, "POST": NOWHERE}),
    # After a passkey is set up: on to the recovery codes, or back.
    "passkey_added": (
        None,
        {"GET": cells(302, 302, 302, 302, 302), "POST": cells(302, 405, 405, 405, 405, 302, 405)},
    ),
    # An invitation's link, signed out: an invalid one says so (200).
    "choose_password": ("reset", {"GET": ANYONE, "POST": ANYONE}),
    # Agency users are sent to their own home page.
    "reporting:dashboard": (
        None,
        {"GET": cells(302, 200, 302, 302, 200), "POST": NOT_ALLOWED},
    ),
    # Reviews in the browser: business managers (capability manage_reviews).
    "recommendations:review_list": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "recommendations:review_create": (None, {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "recommendations:review_detail": ("review", {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "recommendations:review_edit": ("review", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "recommendations:recommendation_add": (
        "review",
        {"GET": MANAGER_ONLY, "POST": MANAGER_FORM},
    ),
    "recommendations:repeat_check": (
        "recommendation",
        {"GET": MANAGER_ONLY, "POST": MANAGER_ACTION},
    ),
    "recommendations:outcome_change": (
        "recommendation",
        {"GET": MANAGER_ONLY, "POST": MANAGER_FORM},
    ),
    # The matrix's recommendation is not signed off: back to its page.
    "recommendations:impact_judge": (
        "recommendation",
        {"GET": MANAGER_ACTION, "POST": MANAGER_ACTION},
    ),
    "recommendations:response_change": (
        "recommendation",
        {"GET": MANAGER_ONLY, "POST": MANAGER_FORM},
    ),
    # The partnership's themes: business managers (capability manage_reviews).
    "recommendations:theme_list": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "recommendations:theme_create": (None, {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "recommendations:theme_edit": ("theme", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    # A POST with nothing ticked or shown changes nothing: back to the page.
    "recommendations:recommendation_themes": (
        "recommendation",
        {"GET": MANAGER_ONLY, "POST": MANAGER_ACTION},
    ),
    # Rate before the board: every rating of one review (role capability "rate").
    "recommendations:review_ratings": ("review", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "recommendations:my_actions": (
        None,
        {"GET": cells(302, 403, 200, 200, 403), "POST": NOT_ALLOWED},
    ),
    "recommendations:rating_definitions": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "recommendations:rating_definition_edit": (
        "rating",
        {"GET": MANAGER_ONLY, "POST": MANAGER_FORM},
    ),
    # The lead may rate agency B's recommendation and give its actions.
    "recommendations:target_date_change": (
        "recommendation",
        {
            "GET": cells(302, 200, 404, 403, 403, lead=200),
            "POST": cells(302, 400, 404, 403, 403, lead=400),
        },
    ),
    "recommendations:action_create": (
        "recommendation",
        {
            "GET": cells(302, 200, 404, 403, 403, lead=200),
            "POST": cells(302, 400, 404, 403, 403, lead=400),
        },
    ),
    # Actions are looked up in the person's scope first: agency A cannot see
    # agency B's recommendation, so its action is 404 to them.
    "recommendations:action_edit": (
        "action",
        {
            "GET": cells(302, 200, 404, 403, 403, lead=200),
            "POST": cells(302, 400, 404, 403, 403, lead=400),
        },
    ),
    "recommendations:action_assure": ("action", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "recommendations:recommendation_detail": (
        "recommendation",
        {"GET": cells(302, 200, 404, 200, 200, lead=200), "POST": NOT_ALLOWED},
    ),
    "recommendations:rating_change": (
        "recommendation",
        # POST carries no data: a manager gets the form back with errors (400).
        {
            "GET": cells(302, 200, 404, 403, 403, lead=200),
            "POST": cells(302, 400, 404, 403, 403, lead=400),
        },
    ),
    "evidence:submission_list": (None, {"GET": EVERYONE, "POST": NOT_ALLOWED}),
    "evidence:submission_detail": (
        "submission",
        {"GET": cells(302, 200, 404, 200, 200), "POST": NOT_ALLOWED},
    ),
    "evidence:submission_withdraw": (
        "submission",
        {"GET": cells(302, 405, 405, 405, 405), "POST": cells(302, 403, 404, 302, 403)},
    ),
    # Returned evidence sent again: its own agency's users only (the matrix's
    # submission is not returned, so they are sent back to it).
    "evidence:send_again": (
        "submission",
        {"GET": cells(302, 403, 404, 302, 403), "POST": cells(302, 403, 404, 302, 403)},
    ),
    "evidence:submission_review": (
        "submission",
        {"GET": cells(302, 405, 405, 405, 405), "POST": cells(302, 400, 404, 403, 403)},
    ),
    "evidence:file_download": (
        "file",
        {"GET": cells(302, 200, 404, 200, 403), "POST": NOT_ALLOWED},
    ),
    "evidence:access_log": (None, {"GET": cells(302, 200, 403, 403, 403), "POST": NOT_ALLOWED}),
    "evidence:access_log_csv": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    # Agency users only; the form is empty, so a POST with no data is a 400.
    "evidence:submission_create": (
        None,
        {"GET": cells(302, 403, 200, 200, 403), "POST": cells(302, 403, 400, 400, 403)},
    ),
    "evidence:held_files": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "evidence:file_decision": ("held_file", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "intake:register": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "intake:term_add": (None, {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "intake:term_remove": ("term", {"GET": POST_ONLY, "POST": MANAGER_ACTION}),
    "intake:document_add": (None, {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "intake:document_remove": ("document", {"GET": POST_ONLY, "POST": MANAGER_ACTION}),
    # An action's thread: agency B's own and the partnership's; executives read.
    "evidence:action_progress": (
        "action",
        {"GET": cells(302, 200, 404, 200, 200), "POST": cells(302, 400, 404, 400, 403)},
    ),
    "evidence:request_list": (None, {"GET": EVERYONE, "POST": NOT_ALLOWED}),
    "evidence:request_create": (None, {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "evidence:request_cancel": ("request", {"GET": POST_ONLY, "POST": MANAGER_ACTION}),
    "evidence:notification_list": (None, {"GET": EVERYONE, "POST": NOT_ALLOWED}),
    # Each person's own: agency B's officer's notification is theirs alone.
    "evidence:notification_open": (
        "notification",
        {"GET": cells(302, 404, 404, 302, 404, lead=404), "POST": NOT_ALLOWED},
    ),
    "evidence:notifications_read": (
        None,
        {"GET": cells(302, 405, 405, 405, 405), "POST": cells(302, 302, 302, 302, 302)},
    ),
    "evidence:notification_emails": (
        None,
        {"GET": cells(302, 405, 405, 405, 405), "POST": cells(302, 302, 302, 302, 302)},
    ),
    # Agency B's action has no accepted evidence yet: signing off is refused (400).
    # Leading a recommendation is not signing it off.
    "recommendations:sign_off": (
        "recommendation",
        {
            "GET": cells(302, 200, 404, 403, 403, lead=403),
            "POST": cells(302, 400, 404, 403, 403, lead=403),
        },
    ),
    # Only executives of statutory partners; the matrix's executive has no agency.
    "recommendations:partner_sign_off": (
        "recommendation",
        {
            "GET": cells(302, 405, 405, 405, 405),
            "POST": cells(302, 403, 404, 403, 403, lead=403),
        },
    ),
    "reporting:board_packs": (None, {"GET": BOARD, "POST": cells(302, 400, 403, 403, 403)}),
    "reporting:board_pack": ("snapshot", {"GET": BOARD, "POST": NOT_ALLOWED}),
    "reporting:board_pack_pdf": ("snapshot", {"GET": BOARD, "POST": NOT_ALLOWED}),
    "reporting:board_pack_xlsx": ("snapshot", {"GET": BOARD, "POST": NOT_ALLOWED}),
    "reporting:export_csv": (None, {"GET": EVERYONE, "POST": NOT_ALLOWED}),
    "reporting:export_xlsx": (None, {"GET": EVERYONE, "POST": NOT_ALLOWED}),
    "reporting:public_summary": (None, {"GET": BOARD, "POST": NOT_ALLOWED}),
    "recommendations:import_plan": (None, {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "evidence:retention": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "evidence:retention_edit": ("review", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "evidence:disposal": ("review", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    # People and agencies: business managers (manage_people). Switching an
    # account off or on needs a reason (400 without); inviting again a person
    # who chose a password says so and goes back (302).
    "people:people": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "people:invite": (None, {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "people:person": ("person", {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "people:edit": ("person", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "people:switch_off": ("person", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "people:switch_on": ("person", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "people:resend_invitation": ("person", {"GET": POST_ONLY, "POST": MANAGER_ACTION}),
    "people:reset_second_factor": ("person", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "people:unlock": ("person", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "people:agencies": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "people:agency_add": (None, {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "people:agency_edit": ("agency", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    # Access to reviews and recommendation leads (manage_people). A review's
    # restriction and a revoke need a reason (400 without); a grant's row is
    # looked up in the manager's scope.
    "recommendations:reviews_access": (None, {"GET": MANAGER_ONLY, "POST": NOT_ALLOWED}),
    "recommendations:review_access": ("review", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "recommendations:review_restriction": (
        "review",
        {"GET": cells(302, 405, 405, 405, 405), "POST": MANAGER_FORM},
    ),
    "recommendations:leads": ("recommendation", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    "recommendations:revoke_access": ("grant", {"GET": MANAGER_ONLY, "POST": MANAGER_FORM}),
    # For load balancers: up or down per part, nothing more, signed in or not.
    "health": (None, {"GET": ANYONE, "POST": NOWHERE}),
    "admin:login": (None, {"GET": ANYONE, "POST": ANYONE}),
    "admin:*": ("admin", {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY}),
}


def row_for(route_name):
    if route_name in MATRIX:
        return MATRIX[route_name]
    for key, row in MATRIX.items():
        if key.endswith("*") and route_name.startswith(key[:-1]):
            return row
    return None


def all_routes(resolver=None, prefix=""):
    """(route name, pattern) for every named URL pattern, admin included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from all_routes(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry.pattern
