"""Audit events read as people read them: local times, model and field names, yes/no."""

import datetime

from django.utils import timezone, translation

from core.audit import audit_record
from core.models import AuditEvent
from core.templatetags.audit_tags import audit_action, audit_changes, display_value
from tests.factories import CampaignFactory


def test_stored_values_are_shown_in_local_time_and_words():
    with translation.override("en"):
        assert display_value("2026-11-26T07:11:12+00:00") == "2026-11-26 15:11"  # Asia/Shanghai
        assert display_value(True) == "yes" and display_value(None) == "—"
        assert display_value({"no_problems": 40, "overdue": 0}) == "no_problems: 40; overdue: 0"
        assert display_value([3, 4]) == "3, 4"
        aware = timezone.make_aware(datetime.datetime(2026, 1, 2, 3, 4), datetime.UTC)
        assert display_value(aware) == "2026-01-02 11:04"


def test_an_event_names_its_model_verb_and_fields(supervisor):
    campaign = CampaignFactory()
    audit_record(actor=supervisor, action="campaign.update", obj=campaign,
                 before={"ends_on": "2026-12-31", "team": [supervisor.pk]},
                 after={"ends_on": "2027-01-31", "team": [supervisor.pk, 2**40]})
    event = AuditEvent.objects.get(action="campaign.update")
    with translation.override("en"):
        assert audit_action(event) == "campaign · changed"
        assert ("ends on", "2026-12-31", "2027-01-31") in audit_changes(event)
        # People by name; an id no longer in the register stays as it was stored.
        assert ("inspection team", "陈主管", f"陈主管, {2**40}") in audit_changes(event)


def test_a_key_naming_a_reverse_relation_is_named_by_the_model_it_reaches(supervisor, client_for):
    from inspections.models import Inspection

    campaign = CampaignFactory()
    # "inspections" is the reverse side of Inspection.campaign: no verbose name of its own.
    audit_record(actor=supervisor, action="campaign.update", obj=campaign, after={"inspections": [1, 2]})
    event = AuditEvent.objects.get(action="campaign.update")
    assert (str(Inspection._meta.verbose_name_plural), None, "1, 2") in audit_changes(event)
    assert client_for(supervisor).get("/audit/").status_code == 200


def test_codes_of_a_field_with_choices_read_as_their_labels(supervisor):
    from inspections.models import FindingStatus
    from tests.factories import FindingFactory

    finding = FindingFactory()
    audit_record(actor=supervisor, action="finding.escalated", obj=finding,
                 before={"status": "overdue"}, after={"status": "escalated"})
    event = AuditEvent.objects.get(action="finding.escalated")
    with translation.override("en"):
        assert audit_action(event) == f"finding · {FindingStatus.ESCALATED.label}"
        assert ("status", str(FindingStatus.OVERDUE.label), str(FindingStatus.ESCALATED.label)) in audit_changes(event)


def test_the_keys_of_a_stored_mapping_read_as_their_labels_of_their_model(supervisor):
    from risk.models import RiskSettings

    settings_row = RiskSettings.objects.first() or RiskSettings.objects.create()
    audit_record(actor=supervisor, action="risksettings.recomputed", obj=settings_row,
                 after={"weights": {"violation_rate": 30.0, "overdue": 15.0}})
    campaign = CampaignFactory()
    audit_record(actor=supervisor, action="campaign.publish", obj=campaign,
                 after={"outcomes": {"no_problems": 34, "overdue": 2}})
    with translation.override("en"):
        weights = " ".join(a for _f, _b, a in audit_changes(AuditEvent.objects.get(action="risksettings.recomputed")))
        outcomes = " ".join(a for _f, _b, a in audit_changes(AuditEvent.objects.get(action="campaign.publish")))
    # "overdue" is a risk factor in one model and a published outcome in the other.
    assert "Violation rate of sampled items: 30.0" in weights and "Findings overdue or escalated now: 15.0" in weights
    assert "No problems found: 34" in outcomes and "not rectified by the deadline: 2" in outcomes
    assert "violation_rate" not in weights and "no_problems" not in outcomes
