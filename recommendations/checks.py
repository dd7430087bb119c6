"""Start-up checks of what the recommendations app needs from the system.

Board packs are printed to PDF by WeasyPrint, which needs the Pango text
library from the operating system (Debian: libpango-1.0-0, libpangoft2-1.0-0).
Without it the app would fail only at the first board PDF; this check says so
at start-up (runserver, migrate, check) instead.
"""

import importlib

from django.core import checks

PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


def load_weasyprint():
    return importlib.import_module("weasyprint")


@checks.register()
def pango_is_installed(app_configs=None, **kwargs):
    try:
        load_weasyprint()
    except OSError as exc:
        return [
            checks.Error(
                "Board-pack PDFs cannot be made: WeasyPrint could not load the Pango "
                f"library ({exc}).",
                hint=f"Install Pango from the system's packages, e.g. "
                f"`apt-get install {PANGO_PACKAGES}`, then restart the tracker.",
                id="recommendations.E001",
            )
        ]
    return []
