"""pg_trgm and a trigram index on recommendations' text, on PostgreSQL only:
the suggested repeats across reviews (recommendations/repeats.py) use its
similarity operator. SQLite suggests without them (a word-overlap fallback).

Creating the extension needs a role allowed to (the database owner on
PostgreSQL 13+, where pg_trgm is a trusted extension)."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEX = GinIndex(fields=["text"], opclasses=["gin_trgm_ops"], name="recommendation_text_trgm_idx")


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.add_index(apps.get_model("recommendations", "Recommendation"), INDEX)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("recommendations", "Recommendation"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0010_repeats")]

    operations = [migrations.RunPython(add, remove)]
