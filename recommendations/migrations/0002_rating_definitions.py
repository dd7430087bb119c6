"""Seed the partnership's rating definitions with sensible defaults.

Business managers edit them afterwards; each seeded row gets its history row.
"""

from django.db import migrations

from scr_tracker.audit import record_in_migration

DEFAULTS = [
    (
        "red",
        "Not on track. Work has not started, or is well behind its target date "
        "with no agreed plan to recover, or evidence shows no impact.",
    ),
    (
        "amber",
        "Under way but at risk. Actions are in progress, but evidence is incomplete "
        "or the target date may be missed.",
    ),
    (
        "green",
        "On track. Actions are in progress as planned and evidence shows progress "
        "towards the target date.",
    ),
    (
        "complete",
        "Complete. Every action is done, the partnership has accepted the evidence "
        "of its impact, and a business manager has signed it off.",
    ),
]


def seed(apps, schema_editor):
    RatingDefinition = apps.get_model("recommendations", "RatingDefinition")
    for rating, definition in DEFAULTS:
        if RatingDefinition.objects.filter(rating=rating).exists():
            continue
        obj = RatingDefinition.objects.create(rating=rating, definition=definition)
        record_in_migration(apps, obj, "+", "Seeded the default rating definitions")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_initial"),
        ("accounts", "0002_system_user"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
