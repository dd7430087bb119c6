# Actions assured before assurance said what it rests on were marked as
# decisions (recommendations 0005); those with accepted evidence rest on it.

from django.db import migrations


def by_evidence(apps, schema_editor):
    Action = apps.get_model("recommendations", "Action")
    Submission = apps.get_model("evidence", "Submission")
    accepted = Submission.objects.filter(state="accepted").values("action")
    Action.objects.filter(state="assured", pk__in=accepted).update(
        assurance="evidence", assurance_reason=""
    )


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0004_assurancerequest_historicalassurancerequest_and_more"),
        ("recommendations", "0005_action_assurance"),
    ]

    operations = [
        migrations.RunPython(by_evidence, migrations.RunPython.noop),
    ]
