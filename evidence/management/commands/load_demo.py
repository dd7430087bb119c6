import hashlib
import secrets
from base64 import b32encode
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from evidence.models import AssuranceRequest, Submission, SubmissionFile
from recommendations.models import Action, Recommendation, Review, SignOff, rests_on
from scr_tracker.accounts.models import Agency, User
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE
from scr_tracker.audit import changes_by, system_user

REASON = "Demo data for trying the tracker"

# Invented agencies and people; every name says "Demo".
AGENCIES = {
    "council": ("Demo Borough Council Children's Services", "Council (demo)", True),
    "police": ("Demo Police Force", "Police (demo)", True),
    "icb": ("Demo Integrated Care Board", "ICB (demo)", True),
    "gps": ("Demo GP Practices", "GPs (demo)", False),
    "schools": ("Demo Schools Partnership", "Schools (demo)", False),
}
ACCOUNTS = [
    ("demo-manager", "Demo", "Business Manager", BUSINESS_MANAGER, None),
    ("demo-council", "Demo", "Council Officer", AGENCY_USER, "council"),
    ("demo-police", "Demo", "Police Officer", AGENCY_USER, "police"),
    ("demo-executive", "Demo", "Executive", EXECUTIVE, None),
]
# (recommendation number, agency, what to do, due in days)
ACTIONS = [
    (1, "council", "Adopt the partnership's core components of supervision in social care.", 60),
    (1, "police", "Confirm supervision arrangements for public protection staff.", 90),
    (2, "icb", "Report training completion on child sexual abuse for health staff.", 120),
    (5, "police", "Audit barriers to information sharing within the force.", -14),
    (10, "council", "Show that practitioners know and use the escalation process.", 30),
    (11, "gps", "Review safeguarding coding with practices.", 180),
    (7, "schools", "Show that schools' safeguarding leads use the partnership's guidance.", -240),
]
# (recommendation number, rating, days until target date)
RATINGS = [
    (1, "green", 90),
    (2, "amber", 120),
    (3, "red", -30),
    (5, "amber", 45),
    (7, "complete", -200),
]


def _second_factor(user):
    """A new authenticator key and five recovery codes (demo accounts only)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    app = TOTPDevice.objects.create(user=user, name="Demo authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="Demo recovery codes")
    codes = [StaticToken.random_token() for _ in range(5)]
    for code in codes:
        recovery.token_set.create(token=code)
    return b32encode(app.bin_key).decode(), codes


# Demo only: the partnership keeps its own themes (Manage → Themes).
DEMO_THEMES = {
    "Supervision": [1],
    "Child sexual abuse": [2, 3, 4],
    "Information sharing": [5, 11],
    "Neglect": [8],
    "Escalation": [10],
}


class Command(BaseCommand):
    """Load demo agencies, one account per role, demo actions, ratings and evidence.

    For trying the tracker on a laptop only: it refuses to run unless DEBUG is on.
    Idempotent: existing demo rows are kept. Each run sets new random passwords
    for the demo accounts and prints them.
    """

    help = "Load clearly marked demo data and print the demo accounts (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is only loaded with DEBUG on; nothing was changed.")
        review = Review.objects.filter(reference="SCR W6").first()
        if review is None:
            raise CommandError("Load the review first: manage.py load_review fixtures/w6.json")
        with transaction.atomic(), changes_by(system_user(), REASON):
            agencies = self._agencies()
            passwords = self._accounts(agencies)
            self._actions_and_ratings(review, agencies)
            self._themes(review)
        self.stdout.write("\nDemo accounts (demo data only; passwords change on every run):")
        self.stdout.write(f"  {'username':<16} {'password':<18} role")
        for username, password, role, agency, _ in passwords:
            where = f" ({agency.name})" if agency else ""
            self.stdout.write(f"  {username:<16} {password:<18} {User.Role(role).label}{where}")
        self.stdout.write(
            "\nSigning in also asks for a second factor. Add an account's key to an "
            "authenticator app, or use one of its codes (each works once):"
        )
        for username, _, _, _, (key, codes) in passwords:
            self.stdout.write(f"  {username:<16} key {key}   codes {' '.join(codes)}")

    def _themes(self, review):
        """A few of the partnership's own themes, given to W6's recommendations."""
        from recommendations import themes
        from recommendations.models import Theme

        manager = User.objects.get(username="demo-manager")
        for name, numbers in DEMO_THEMES.items():
            theme, _ = Theme.objects.get_or_create(name=name)
            for rec in review.recommendations.filter(number__in=numbers):
                themes.change_themes(rec, manager, add=[theme])

    def _agencies(self):
        agencies = {}
        for key, (name, short_name, statutory) in AGENCIES.items():
            agencies[key], _ = Agency.objects.get_or_create(
                name=name, defaults={"short_name": short_name, "is_statutory_partner": statutory}
            )
        return agencies

    def _accounts(self, agencies):
        printed = []
        for username, first, last, role, agency_key in ACCOUNTS:
            agency = agencies[agency_key] if agency_key else None
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            user.agency = agency
            user.email = f"{username}@example.invalid"
            user.is_active, user.is_staff, user.is_superuser = True, False, False
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.role = role
            user.save()
            printed.append((username, password, role, agency, _second_factor(user)))
        return printed

    def _actions_and_ratings(self, review, agencies):
        today = timezone.localdate()
        recs = {rec.number: rec for rec in Recommendation.objects.filter(review=review)}
        for number, key, description, due_in in ACTIONS:
            action, created = Action.objects.get_or_create(
                recommendation=recs[number],
                agency=agencies[key],
                defaults={"description": description, "due_date": today + timedelta(due_in)},
            )
            if created and number == 1 and key == "council":
                self._submission(action)
        for number, rating, target_in in RATINGS:
            rec = recs[number]
            if rec.rating:
                continue  # a rating someone set is never overwritten
            rec.rating = rating
            rec.rating_rationale = "Demo rating, invented for trying the tracker."
            rec.target_date = rec.original_target_date = today + timedelta(target_in)
            rec.updated_by = system_user()
            rec.save()
            if rating == "complete":
                # Complete rests on every action assured by accepted evidence.
                actions = list(rec.actions.select_related("agency"))
                for action in actions:
                    if action.state != Action.State.ASSURED:
                        self._submission(action, accepted=True)
                rec.refresh_from_db()
                SignOff.objects.create(
                    recommendation=rec,
                    kind=SignOff.Kind.MANAGER,
                    signed_by=User.objects.get(username="demo-manager"),
                    rating=rec.rating,
                    target_date=rec.target_date,
                    version=rec.version,
                    note="Demo sign-off.",
                    rests_on=rests_on(list(rec.actions.select_related("agency"))),
                )
        self._request(recs, agencies, today)

    def _request(self, recs, agencies, today):
        """An overdue request to the demo police, for the reminders to chase."""
        action = Action.objects.filter(recommendation=recs[5], agency=agencies["police"]).first()
        if action is not None and not AssuranceRequest.objects.filter(action=action).exists():
            AssuranceRequest.objects.create(
                action=action,
                requested_by=User.objects.get(username="demo-manager"),
                due_date=today - timedelta(3),
                good_evidence="Demo: the audit's findings and what changed because of them.",
            )

    def _submission(self, action, accepted=False):
        user = User.objects.filter(agency=action.agency).first() or system_user()
        manager = User.objects.get(username="demo-manager")
        submission = Submission.objects.create(
            action=action,
            submitted_by=user,
            summary="Demo: the policy now sets out what the recommendation asks for.",
            impact="Demo: an audit of invented records shows it in use.",
            **(
                {
                    "state": Submission.State.ACCEPTED,
                    "reviewed_by": manager,
                    "reviewed_at": timezone.now(),
                    "reviewer_note": "Demo: accepted.",
                }
                if accepted
                else {}
            ),
        )
        content = b"Demo evidence file, invented for trying the tracker.\n"
        upload = SubmissionFile(
            submission=submission,
            original_name="demo-supervision-audit.txt",
            content_type="text/plain",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        upload.file.save("demo.txt", ContentFile(content), save=False)
        upload.save()
        action.evidence_submitted()
        if accepted:
            action.evidence_accepted()
