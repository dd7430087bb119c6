"""Start-up check: a configured virus scanner that cannot be reached is said
at start-up (runserver, migrate, check), not first found by an agency user
whose upload is refused."""

from django.conf import settings
from django.core import checks

from scr_tracker.intake import clamd


@checks.register()
def clamd_answers(app_configs=None, **kwargs):
    address = settings.CLAMD_ADDRESS
    if not address or clamd.ping(address):
        return []
    return [
        checks.Warning(
            f"ClamAV (CLAMD_ADDRESS={address}) does not answer: every upload is refused "
            "until it does.",
            hint="Start clamd (Debian: `apt-get install clamav-daemon`) or correct CLAMD_ADDRESS.",
            id="intake.W001",
        )
    ]
