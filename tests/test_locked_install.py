"""What is installed is exactly what requirements.lock says: every locked
package at its locked version, and nothing the lock does not name."""

import re
from importlib import metadata
from pathlib import Path

from django.conf import settings

LOCK = Path(settings.BASE_DIR) / "requirements.lock"
# The environment's own tools, which pip puts into every virtual environment.
TOOLS = {"pip", "setuptools", "wheel"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked():
    pins = re.findall(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", LOCK.read_text(), re.M)
    return {canonical(name): version for name, version in pins}


def test_every_locked_package_is_installed_at_its_locked_version():
    wrong = {}
    for name, version in locked().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"locked vs installed: {wrong}"


def test_nothing_is_installed_that_the_lock_does_not_name():
    installed = {canonical(d.metadata["Name"]) for d in metadata.distributions()}
    assert installed - set(locked()) - TOOLS == set()


def test_every_pin_carries_hashes():
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text().split("\n\n")[-1])
    for block in (b for b in blocks if "==" in b):
        assert "--hash=sha256:" in block, block.splitlines()[0]
