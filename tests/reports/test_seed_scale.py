"""seed_scale fills the tables it promises (small numbers; SQLite needs --force)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from enterprises.models import Enterprise
from inspections.models import Finding, Inspection, SampledItem
from reports.models import ViolationRollup


def test_it_loads_the_requested_volumes_and_builds_the_rollups(db):
    call_command("seed_scale", "--force", "--enterprises", "30", "--inspections", "120",
                 "--items", "600", "--findings", "90")
    assert Enterprise.objects.count() == 30
    assert Inspection.objects.count() == 120
    assert SampledItem.objects.count() == 600
    assert Finding.objects.count() == 90
    assert ViolationRollup.objects.exists()


def test_it_refuses_a_large_load_on_sqlite(db, monkeypatch):
    from django.db import connection

    # Whatever database this run uses, exercise the SQLite guard.
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError):
        call_command("seed_scale", "--items", "2000000")
    assert not Enterprise.objects.exists()


def _documents_counts():
    from core.models import ExportJob, ExportStatus
    from inspections.models import SelectionPlan
    from rectification.models import ExtensionRequest, RectificationReport, ReportEvidence
    from reports.models import Bulletin, Notice

    return {
        "plans": SelectionPlan.objects.filter(status=SelectionPlan.Status.DRAWN).count(),
        "notices": Notice.objects.filter(status__in=["issued", "served"]).exclude(pdf="").count(),
        "reports": RectificationReport.objects.count(),
        "evidence": ReportEvidence.objects.count(),
        "extensions": ExtensionRequest.objects.count(),
        "bulletins": Bulletin.objects.filter(status=Bulletin.Status.ISSUED, recipients__isnull=False)
        .distinct().count(),
        "campaign_reports": ExportJob.objects.filter(kind="campaign_report", status=ExportStatus.DONE).count(),
    }


SMALL = ["--force", "--enterprises", "40", "--inspections", "200", "--items", "800", "--findings", "300"]


def test_documents_only_adds_the_documents_to_a_filled_database(db, monkeypatch):
    from reports.management.commands import seed_scale

    with monkeypatch.context() as patch:
        patch.setattr(seed_scale.Command, "_documents", lambda self: None)
        call_command("seed_scale", *SMALL)
    assert not any(_documents_counts().values())

    call_command("seed_scale", "--documents-only", "--force")

    counts = _documents_counts()
    assert counts["plans"] == 8  # one drawn plan per campaign
    assert counts["bulletins"] == 8
    assert counts["campaign_reports"] == 1
    assert all(counts.values()), counts
    assert Enterprise.objects.count() == 40  # nothing else loaded again


def test_the_documents_follow_the_findings(db):
    from reports.models import Notice, NoticeCounter

    call_command("seed_scale", *SMALL)

    notices = Notice.objects.filter(status__in=["issued", "served"])
    # Every notified finding is in exactly one notice of its own enterprise and campaign.
    notified = Finding.objects.filter(notified_at__isnull=False)
    assert set(notified.values_list("pk", flat=True)) == set(notices.values_list("findings", flat=True))
    assert not Finding.objects.filter(notices__isnull=False).exclude(
        notices__enterprise_id=models.F("enterprise_id")).exists()
    # Numbers are unique and the counters continue after the last one taken.
    assert notices.values("number").distinct().count() == notices.count()
    for counter in NoticeCounter.objects.all():
        serials = notices.filter(prefix=counter.prefix, year=counter.year).values_list("serial", flat=True)
        assert sorted(serials) == list(range(1, counter.last_serial + 1))
    assert notices.values("verification_code").distinct().count() == notices.count()


def test_documents_only_refuses_to_seed_the_documents_twice(db):
    call_command("seed_scale", *SMALL)
    with pytest.raises(CommandError):
        call_command("seed_scale", "--documents-only", "--force")
