from django.conf import settings
from django.db import migrations, models


def assign_existing_officers(apps, schema_editor):
    """
    Put on each campaign's team the inspectors who already work on it: the
    officers of its inspections, the officer pools of its selection plans,
    and whoever recorded its findings or sampled its content, so that no
    inspector loses sight of a campaign they are working on. (Other staff
    roles see every campaign anyway.)
    """
    Campaign = apps.get_model("inspections", "Campaign")
    Inspection = apps.get_model("inspections", "Inspection")
    SelectionPlan = apps.get_model("inspections", "SelectionPlan")
    officers = Inspection.officers.through.objects.filter(user__role="inspector")
    pools = SelectionPlan.officer_pool.through.objects.filter(user__role="inspector")
    pairs = set(officers.values_list("inspection__campaign_id", "user_id"))
    pairs |= set(pools.values_list("selectionplan__campaign_id", "user_id"))
    Finding = apps.get_model("inspections", "Finding")
    SampledItem = apps.get_model("inspections", "SampledItem")
    pairs |= set(Finding.objects.filter(created_by__role="inspector")
                 .values_list("campaign_id", "created_by_id").distinct())
    pairs |= set(SampledItem.objects.filter(captured_by__role="inspector")
                 .values_list("inspection__campaign_id", "captured_by_id").distinct())
    Team = Campaign.team.through
    Team.objects.bulk_create([Team(campaign_id=c, user_id=u) for c, u in sorted(pairs)],
                             batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0006_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='team',
            field=models.ManyToManyField(blank=True, help_text='The inspectors assigned to this campaign: only they, among inspectors, see its plans, inspections, findings, notices and reports. Supervisors, analysts and admins see every campaign.', related_name='assigned_campaigns', to=settings.AUTH_USER_MODEL, verbose_name='inspection team'),
        ),
        migrations.RunPython(assign_existing_officers, migrations.RunPython.noop),
    ]
