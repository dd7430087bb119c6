# "What changed" and the trend read a recommendation's history rows in order:
# one index on (id, history_date, history_id) of the history table. The table
# belongs to the recommendations app; the index serves reporting, so it is
# created here, in SQL that PostgreSQL and SQLite both run.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0001_initial"),
        ("recommendations", "0006_delete_boardsnapshot"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX reporting_rec_history_order_idx "
            "ON recommendations_historicalrecommendation (id, history_date, history_id)",
            "DROP INDEX reporting_rec_history_order_idx",
        ),
    ]
