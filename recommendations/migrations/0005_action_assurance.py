# Assurance says what it rests on: accepted evidence, or a manager's decision
# with its reason. Actions already Assured before this was required are marked
# as decisions with a reason saying so; the evidence app's migration 0005 then
# marks those with accepted evidence as assured by evidence.

from django.db import migrations, models

BY_HAND = (
    "Set to Assured by hand before the tracker asked what assurance rests on; "
    "check its evidence."
)


def mark_existing(apps, schema_editor):
    Action = apps.get_model("recommendations", "Action")
    Action.objects.filter(state="assured").update(assurance="decision", assurance_reason=BY_HAND)


class Migration(migrations.Migration):

    dependencies = [
        ("recommendations", "0004_historicalrecommendation_impact_review_date_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name='action',
            name='assurance',
            field=models.CharField(blank=True, choices=[('evidence', 'Accepted evidence'), ('decision', 'Assured without evidence')], help_text="What an assured action rests on: accepted evidence, or a manager's decision.", max_length=10, verbose_name='assured by'),
        ),
        migrations.AddField(
            model_name='action',
            name='assurance_reason',
            field=models.TextField(blank=True, help_text='Required for a decision.', verbose_name='why assured without evidence'),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='assurance',
            field=models.CharField(blank=True, choices=[('evidence', 'Accepted evidence'), ('decision', 'Assured without evidence')], help_text="What an assured action rests on: accepted evidence, or a manager's decision.", max_length=10, verbose_name='assured by'),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='assurance_reason',
            field=models.TextField(blank=True, help_text='Required for a decision.', verbose_name='why assured without evidence'),
        ),
        migrations.AddField(
            model_name='historicalsignoff',
            name='rests_on',
            field=models.TextField(blank=True, help_text='What the sign-off rested on: how each action was assured.'),
        ),
        migrations.AddField(
            model_name='signoff',
            name='rests_on',
            field=models.TextField(blank=True, help_text='What the sign-off rested on: how each action was assured.'),
        ),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'assured'), models.Q(('assurance', ''), _negated=True)), models.Q(models.Q(('state', 'assured'), _negated=True), ('assurance', '')), _connector='OR'), name='action_assured_says_by_what', violation_error_message='An assured action rests on evidence or a decision.'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('assurance', 'decision'), _negated=True), models.Q(('assurance_reason', ''), _negated=True), _connector='OR'), name='action_decision_has_reason', violation_error_message='Say why the action is assured without evidence.'),
        ),
    ]
