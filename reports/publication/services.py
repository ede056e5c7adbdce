"""
Publishing a campaign's inspection results (双随机、一公开): a supervisor
takes a snapshot of the finished inspections (enterprise, USCC, date,
problems found, outcome) for the public pages, publishes it again to bring
it up to date, or withdraws it. Audited.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.access import require_supervisor
from core.audit import audit_record
from core.exceptions import ApplicationError
from inspections.models import Campaign

from .models import PublishedResult, ResultPublication
from .selectors import campaign_results, publication_outcome_counts

BATCH = 2000


@transaction.atomic
def campaign_results_publish(*, campaign: Campaign, actor: User) -> ResultPublication:
    """Publish (or publish again, replacing the last snapshot) the campaign's finished inspections."""
    require_supervisor(actor, _("Only a supervisor may publish or withdraw a campaign's results."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    rows = campaign_results(campaign=campaign)
    if not rows.exists():
        raise ApplicationError(_("No inspection of this campaign is ready to publish yet: none is finished "
                                 "with all its findings notified."))
    publication = ResultPublication.objects.filter(campaign=campaign).first()
    before = None
    if publication is None:
        publication = ResultPublication(campaign=campaign)
    else:
        before = {"inspections": publication.inspections, "outcomes": publication_outcome_counts(
            publication=publication), "published_at": publication.published_at.isoformat()}
        publication.results.all().delete()
    publication.title, publication.agency = campaign.name, campaign.agency
    publication.starts_on, publication.ends_on = campaign.starts_on, campaign.ends_on
    publication.published_at, publication.published_by = timezone.now(), actor
    publication.inspections = 0
    publication.save()
    PublishedResult.objects.bulk_create(
        (PublishedResult(publication=publication, enterprise_name=row["enterprise__name"],
                         uscc=row["enterprise__uscc"], inspected_on=row["planned_date"],
                         problems=row["problems"], outcome=row["outcome"])
         for row in rows.iterator(chunk_size=BATCH)),
        batch_size=BATCH,
    )
    publication.inspections = publication.results.count()
    publication.save(update_fields=["inspections"])
    audit_record(actor=actor, action="campaign.results_publish", obj=campaign, before=before,
                 after={"inspections": publication.inspections,
                        "outcomes": publication_outcome_counts(publication=publication)})
    return publication


@transaction.atomic
def campaign_results_withdraw(*, campaign: Campaign, actor: User) -> None:
    """Take a campaign's results off the public pages."""
    require_supervisor(actor, _("Only a supervisor may publish or withdraw a campaign's results."))
    publication = ResultPublication.objects.select_for_update().filter(campaign=campaign).first()
    if publication is None:
        raise ApplicationError(_("This campaign's results are not published."))
    before = {"inspections": publication.inspections,
              "published_at": publication.published_at.isoformat()}
    publication.delete()
    audit_record(actor=actor, action="campaign.results_withdraw", obj=campaign, before=before)
