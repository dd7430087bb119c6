"""A snapshot of everything a refusal must leave as it was: every row of the
project's tables (history included) and every stored evidence file."""

import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers

PROJECT_APPS = [
    "accounts",
    "recommendations",
    "evidence",
    "intake",
    "reporting",
    "auth",
    "guardian",
]
# The access log records reads and denials by design, so a refusal adds to it.
NOT_DATA = {"evidence.AccessLog", "auth.Permission"}  # permissions: fixed at migrate


def take() -> dict:
    state = {}
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label in NOT_DATA:
                continue
            rows = model._default_manager.order_by("pk")
            dump = serializers.serialize("json", rows)
            state[model._meta.label] = hashlib.sha256(dump.encode()).hexdigest()
    root = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    state["files"] = sorted(
        (str(path.relative_to(root)), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in root.rglob("*")
        if path.is_file()
    )
    return state


def assert_unchanged(before: dict) -> None:
    after = take()
    changed = [key for key in before if before[key] != after.get(key)]
    assert not changed, f"changed: {changed}"
