"""The system account that management commands and migrations act as.

It cannot sign in (inactive, unusable password) and is never a superuser.
"""

from django.contrib.auth.hashers import make_password
from django.db import migrations


def create_system_user(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.get_or_create(
        username="system",
        defaults={
            "first_name": "System",
            "last_name": "(automatic change)",
            "is_active": False,
            "password": make_password(None),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_system_user, migrations.RunPython.noop)]
