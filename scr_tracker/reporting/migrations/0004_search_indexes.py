"""GIN indexes for search (reporting/search.py), on PostgreSQL only: one per
kind, on the very expression the search uses (SearchVector of its fields,
English), so that PostgreSQL can use it. SQLite searches without them."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCHED = [
    ("recommendations", "Review", ("reference", "title"), "search_review_idx"),
    ("recommendations", "Recommendation", ("short_title", "text"), "search_recommendation_idx"),
    ("recommendations", "Action", ("description",), "search_action_idx"),
    ("evidence", "ProgressUpdate", ("text",), "search_progress_idx"),
    ("evidence", "Submission", ("summary", "impact"), "search_evidence_idx"),
]


def _each(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app, model_name, fields, name in SEARCHED:
        model = apps.get_model(app, model_name)
        yield model, GinIndex(SearchVector(*fields, config="english"), name=name)


def add(apps, schema_editor):
    for model, index in _each(apps, schema_editor):
        schema_editor.add_index(model, index)


def remove(apps, schema_editor):
    for model, index in _each(apps, schema_editor):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_month_end_counts"),
        ("recommendations", "0009_review_version"),
        ("evidence", "0014_submission_versions"),
    ]

    operations = [migrations.RunPython(add, remove)]
