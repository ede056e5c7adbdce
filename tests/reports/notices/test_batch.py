"""Batch issuance: everything approved, once, gapless, also after a crash."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from inspections.models import FindingStatus
from reports import pdf
from reports.models import BatchIssue, Notice, NoticeCounter, NoticeStatus
from reports.notices import services
from tests.factories import CampaignFactory
from tests.realworker import real_worker
from tests.reports.factories import make_notice, pdf_text


@pytest.mark.django_db
def test_interrupted_batch_restarts_without_duplicates_or_gaps(inspector, supervisor, monkeypatch, settings,
                                                               caplog):
    settings.NOTICE_RENDER_CHUNK = 2
    campaign = CampaignFactory()
    notices = [make_notice(author=inspector, approver=supervisor, campaign=campaign, n=1) for _ in range(5)]
    make_notice(author=inspector, campaign=campaign, n=1)  # a draft is not issued
    batch = BatchIssue.objects.create(campaign=campaign, started_by=supervisor, total=5,
                                      notice_ids=[n.pk for n in notices])
    real = services.findings_start_deadlines
    calls = {"n": 0}

    def killed_in_second_chunk(**kwargs):
        # Dies inside the second chunk's transaction, after its numbers were taken.
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(services, "findings_start_deadlines", killed_in_second_chunk)
    with pytest.raises(SystemError), caplog.at_level("INFO", logger="reports.notices.services"):
        services.batch_issue_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchIssue.Status.FAILED and batch.issued == 2
    # The failure is in the log, with the batch's and campaign's ids and the traceback.
    (failure,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert failure.getMessage() == f"batch {batch.pk} of campaign {campaign.pk} failed"
    assert failure.exc_info and "worker killed" in caplog.text
    assert sorted(Notice.objects.exclude(serial=None).values_list("serial", flat=True)) == [1, 2]
    assert NoticeCounter.objects.get().last_serial == 2  # the dead chunk's numbers rolled back
    monkeypatch.setattr(services, "findings_start_deadlines", real)
    services.batch_issue_run(batch_id=batch.pk)
    batch.refresh_from_db()
    # The two the first run issued are this batch's too, not "already issued".
    assert batch.status == BatchIssue.Status.DONE
    assert (batch.issued, batch.skipped, batch.failed, batch.done_count) == (5, 0, 0, 5)
    # More runs (a redelivered task) change nothing and "done" is said once.
    services.batch_issue_run(batch_id=batch.pk)
    services.batch_issue_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.issued, batch.skipped, batch.failed) == (5, 0, 0)
    assert AuditEvent.objects.filter(action="notice.batch_done").count() == 1
    serials = sorted(Notice.objects.filter(status=NoticeStatus.ISSUED).values_list("serial", flat=True))
    assert serials == [1, 2, 3, 4, 5]
    assert Notice.objects.filter(status=NoticeStatus.DRAFT).count() == 1
    assert AuditEvent.objects.filter(action="notice.issue").count() == 5
    for notice in Notice.objects.filter(status=NoticeStatus.ISSUED):
        assert notice.number in pdf_text(notice.pdf.read())
        assert set(notice.findings.values_list("status", flat=True)) == {FindingStatus.NOTIFIED}


@pytest.mark.django_db
def test_a_notice_issued_by_hand_meanwhile_is_skipped_and_the_rest_renumbered(
        inspector, supervisor, settings, monkeypatch):
    settings.NOTICE_RENDER_CHUNK = 3
    settings.NOTICE_RENDER_PROCESSES = 1
    campaign = CampaignFactory()
    notices = [make_notice(author=inspector, approver=supervisor, campaign=campaign, n=1) for _ in range(3)]
    batch = services.batch_issue_start(campaign=campaign, actor=supervisor)
    render_ahead = pdf.render_notice_chunks
    by_hand = []

    def someone_issues_one_while_the_chunk_renders(chunks, **kwargs):
        # The chunk is rendered ahead for serials 1-3; meanwhile a supervisor
        # issues the second notice by hand and takes serial 1.
        for rendered in render_ahead(chunks, **kwargs):
            if not by_hand:  # once (issuing by hand renders through here too)
                by_hand.append(notices[1])
                services.notice_issue(notice=notices[1], actor=supervisor)
            yield rendered

    monkeypatch.setattr(pdf, "render_notice_chunks", someone_issues_one_while_the_chunk_renders)
    services.batch_issue_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.issued, batch.skipped, batch.failed) == (2, 1, 0)
    by_pk = {n.pk: n for n in Notice.objects.filter(campaign=campaign)}
    assert [by_pk[n.pk].serial for n in notices] == [2, 1, 3]
    for notice in by_pk.values():
        # Re-rendered for the numbers they really took, not the predicted ones.
        assert notice.number in pdf_text(notice.pdf.read())


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


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_solo_worker_on_the_notices_queue_renders_the_batch_in_a_pool(tmp_path, inspector, supervisor):
    campaign = CampaignFactory()
    notices = [make_notice(author=inspector, approver=supervisor, campaign=campaign, n=1) for _ in range(3)]
    batch = BatchIssue.objects.create(campaign=campaign, started_by=supervisor, total=3,
                                      notice_ids=[n.pk for n in notices])
    from reports.notices.tasks import batch_issue_task

    # The deployment's command for the notices queue (README): a solo worker,
    # whose process may fork the render pool that a prefork child may not.
    with real_worker(tmp_path, pool="solo") as worker:
        worker.send(batch_issue_task, batch_id=batch.pk)
        worker.wait_until(
            lambda: worker.query("select status from reports_batchissue where id = ?",
                                 [batch.pk]) in ([("done",)], [("failed",)]),
            what="finish the batch",
        )
        log = worker.stop()
    assert worker.query("select status, issued from reports_batchissue where id = ?", [batch.pk]) == [("done", 3)]
    assert sorted(worker.query("select serial from reports_notice where campaign_id = ?",
                               [campaign.pk])) == [(1,), (2,), (3,)]
    assert "notices render in a pool of" in log
