"""A person's role becomes a field of the person, with history.

Roles were Django groups, with model permissions that nothing read; now what a
role may do is declared in accounts/capabilities.py. Each person's role is
copied from their group, every person gets a first history row (by the system
account, with the reason), and the three role groups are removed."""

from django.db import migrations
from django.utils import timezone

GROUPS = {
    "Business managers": "business_manager",
    "Agency users": "agency_user",
    "Executives": "executive",
}
REASON = "Role copied from the person's role group (roles became a field of the person)"


def roles_from_groups(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    HistoricalUser = apps.get_model("accounts", "HistoricalUser")
    Group = apps.get_model("auth", "Group")
    system = User.objects.get(username="system")
    history_fields = [f.attname for f in HistoricalUser._meta.concrete_fields]
    for user in User.objects.prefetch_related("groups").order_by("pk"):
        names = [g.name for g in user.groups.all() if g.name in GROUPS]
        role = GROUPS[names[0]] if len(names) == 1 else ""
        if role == "agency_user" and user.agency_id is None:
            role = ""  # an agency user with no agency saw nothing; a manager gives one
        if role == "business_manager":
            user.agency_id = None  # an agency meant nothing for a manager
        user.role = role
        user.save(update_fields=["role", "agency"])
        HistoricalUser.objects.create(
            history_date=timezone.now(),
            history_type="~",
            history_user_id=system.pk,
            history_change_reason=REASON,
            **{
                f.attname: getattr(user, f.attname)
                for f in User._meta.concrete_fields
                if f.attname in history_fields
            },
        )
    Group.objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_people_roles_and_history")]
    operations = [migrations.RunPython(roles_from_groups, migrations.RunPython.noop)]
