"""Batch issuance: everything approved, once, gapless, also after a crash."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import BatchIssue, Notice, NoticeStatus
from tests.factories import CampaignFactory
from tests.reports.factories import make_notice


@pytest.mark.django_db
def test_interrupted_batch_restarts_without_duplicates_or_gaps(inspector, supervisor, monkeypatch):
    campaign = CampaignFactory()
    notices = [make_notice(author=inspector, approver=supervisor, campaign=campaign, n=1) for _ in range(5)]
    make_notice(author=inspector, campaign=campaign, n=1)  # a draft is not issued
    batch = BatchIssue.objects.create(campaign=campaign, started_by=supervisor, total=5,
                                      notice_ids=[n.pk for n in notices])
    real = services.notice_issue_prepared
    calls = {"n": 0}

    def dies_on_third(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(services, "notice_issue_prepared", dies_on_third)
    with pytest.raises(SystemError):
        services.batch_issue_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchIssue.Status.FAILED and batch.issued == 2
    monkeypatch.setattr(services, "notice_issue_prepared", real)
    services.batch_issue_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchIssue.Status.DONE and (batch.issued, batch.skipped) == (3, 2)
    serials = sorted(Notice.objects.filter(status=NoticeStatus.ISSUED).values_list("serial", flat=True))
    assert serials == [1, 2, 3, 4, 5]
    assert Notice.objects.filter(status=NoticeStatus.DRAFT).count() == 1


@pytest.mark.django_db
def test_batch_page_starts_task_and_reports_progress(inspector, supervisor, client_for,
                                                     django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    for _ in range(2):
        make_notice(author=inspector, approver=supervisor, campaign=campaign, n=1)
    client = client_for(supervisor)
    url = reverse("reports:notice_batch", args=[campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    batch = BatchIssue.objects.get(campaign=campaign)
    status = client.get(reverse("reports:notice_batch_status", args=[batch.pk])).json()
    assert status["status"] == "done" and status["issued"] == 2 and status["percent"] == 100
    page = client.get(f"{url}?batch={batch.pk}").content.decode()
    assert "batch_progress.js" in page and 'role="progressbar"' in page
    assert client_for(inspector).post(url).status_code == 403
