# Board snapshots became the reporting app's board packs (its migration 0001
# copies every snapshot across before this runs).

from django.db import migrations

THAW = """
DROP TRIGGER IF EXISTS recommendations_boardsnapshot_frozen ON recommendations_boardsnapshot;
DROP FUNCTION IF EXISTS recommendations_snapshot_frozen();
"""


def thaw(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(THAW)


class Migration(migrations.Migration):

    dependencies = [
        ("recommendations", "0005_action_assurance"),
    ]

    operations = [
        migrations.RunPython(thaw, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="boardsnapshot",
            name="snapshot_one_per_board_date",
        ),
        migrations.DeleteModel(
            name="BoardSnapshot",
        ),
    ]
