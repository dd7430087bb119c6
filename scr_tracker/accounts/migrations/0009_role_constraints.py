"""Roles are known values; an agency user belongs to an agency; a business
manager to none (added after 0008 put the roles in place)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_roles_from_groups'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['', 'business_manager', 'agency_user', 'executive'])), name='user_role_known', violation_error_message='Choose a role from the list.'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'agency_user'), _negated=True), ('agency__isnull', False), _connector='OR'), name='user_agency_user_has_agency', violation_error_message='An agency user must belong to an agency.'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'business_manager'), _negated=True), ('agency__isnull', True), _connector='OR'), name='user_business_manager_has_no_agency', violation_error_message='A business manager works for the partnership, not an agency: leave the agency empty.'),
        ),
    ]
