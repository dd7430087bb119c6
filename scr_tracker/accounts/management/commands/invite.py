"""Invite a person from the command line: for the first business manager of a
new installation, before anyone can use the People pages. The person gets the
same email as from the tracker, and chooses their own password."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from scr_tracker.accounts.invitations import send_invitation
from scr_tracker.accounts.models import Agency
from scr_tracker.accounts.people_forms import InviteForm
from scr_tracker.audit import changes_by, system_user


class Command(BaseCommand):
    help = "Invite a person by email (e.g. the first business manager)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--role", default="business_manager")
        parser.add_argument("--agency", help="the agency's short name (agency users, executives)")
        parser.add_argument("--reason", default="Invited from the command line")

    def handle(self, *args, **options):
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(short_name=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency has the short name {options['agency']!r}.")
        form = InviteForm(
            {
                "first_name": options["first_name"],
                "last_name": options["last_name"],
                "email": options["email"],
                "role": options["role"],
                "agency": agency.pk if agency else "",
                "reason": options["reason"],
            }
        )
        if not form.is_valid():
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
            raise CommandError(f"Nobody was invited. {problems}")
        with transaction.atomic(), changes_by(system_user(), form.cleaned_data["reason"]):
            person = form.save()
        send_invitation(person)
        self.stdout.write(f"Invited {person.email}: the email has the link to choose a password.")
