"""`manage.py check --deploy` is clean with the settings the README's "Running
in production" section exports (read from the README, so the two cannot drift)."""

import re
import secrets

from tests.processes import ROOT, manage

EXPORT = re.compile(r"^export (\w+)=(\S+)", re.MULTILINE)


def documented_environment() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    env = {}
    for name, value in EXPORT.findall(block):
        # A generated secret in the README is generated here too.
        env[name] = secrets.token_urlsafe(50) if value.startswith("$(") else value
    return env


def test_the_readme_documents_the_production_variables():
    env = documented_environment()
    for name in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"):
        assert name in env


def test_check_deploy_is_clean_with_the_documented_settings(tmp_path, clamd):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    for name in ("DEBUG", "LOG_FORMAT", "SECURE_HSTS_SECONDS", "STATIC_MANIFEST"):
        env.pop(name, None)
    # The documented ClamAV, running (a real clamd on a free port).
    env.update(documented_environment(), VAR_DIR=str(tmp_path), CLAMD_ADDRESS=clamd)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_catch_a_missing_setting(tmp_path, clamd):
    """The negative control: without HTTPS redirects, the check speaks."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.pop("DEBUG", None)
    env.update(
        documented_environment(),
        VAR_DIR=str(tmp_path),
        CLAMD_ADDRESS=clamd,
        SECURE_SSL_REDIRECT="false",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, check=False)
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
