"""Start-up checks say plainly what the system lacks, before a person finds out."""

import socket

from recommendations import checks as recommendation_checks
from scr_tracker.intake import checks as intake_checks


def test_pango_present_gives_no_error():
    assert recommendation_checks.pango_is_installed() == []


def test_pango_missing_is_an_error_naming_the_packages(monkeypatch):
    def without_pango():
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(recommendation_checks, "load_weasyprint", without_pango)
    [error] = recommendation_checks.pango_is_installed()
    assert error.id == "recommendations.E001"
    assert "libpango-1.0-0 libpangoft2-1.0-0" in error.hint


def test_no_virus_scanner_configured_gives_no_warning(settings):
    settings.CLAMD_ADDRESS = ""
    assert intake_checks.clamd_answers() == []


def test_a_configured_virus_scanner_that_does_not_answer_is_a_warning(settings):
    with socket.socket() as closed:  # a loopback port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.CLAMD_ADDRESS = f"127.0.0.1:{port}"
    [warning] = intake_checks.clamd_answers()
    assert warning.id == "intake.W001"
    assert f"CLAMD_ADDRESS=127.0.0.1:{port}" in warning.msg
