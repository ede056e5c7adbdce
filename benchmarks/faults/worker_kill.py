"""
Fault: the Celery worker is killed (SIGKILL, with its render pool) in the
middle of issuing a batch of 150 notices, then the supervisor resumes it.

    .venv/bin/python benchmarks/faults/worker_kill.py [--count 150] [--db lw_fault_worker]

Production configuration (benchmarks/stack.py): PostgreSQL database `--db`
of its own (re-created), a Redis server of its own, the solo worker of the
`notices` queue (README "Production"), DJANGO_DEBUG unset. Seeds `--count`
approved notices (as benchmarks/notices.py), starts the batch through the
service the batch page calls, kills the worker once some chunks are issued
and before the last, checks what the database says at that moment, starts a
new worker, resumes the batch (batch_issue_resume, the page's button),
waits for it to finish, then sends the task once more (a redelivered
message). Checks: every notice issued exactly once, numbers 1..N with no
gap or duplicate, the batch's counts equal what was issued, "done"
audited once, the audit chain verifies. Prints each check and exits 1 if
one fails.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from stack import Stack, calibration_line, ensure_database  # noqa: E402


def seed(count: int):
    from django.utils import timezone

    from accounts.models import Role, User
    from enterprises import identifiers
    from enterprises.models import District, Enterprise
    from inspections.models import Campaign, Finding, Inspection, IssueCode
    from legal.demo import seed_agencies
    from reports.notices import services

    author = User.objects.create(username="fault-inspector", role=Role.INSPECTOR, first_name="王检查")
    boss = User.objects.create(username="fault-supervisor", role=Role.SUPERVISOR, first_name="陈主管")
    code, _ = IssueCode.objects.get_or_create(code="IMP-01", defaults={
        "category": "IMP", "title_zh": "未添加隐式标识", "title_en": "No implicit label",
        "legal_basis": "《人工智能生成合成内容标识办法》第五条"})
    seed_agencies({})
    campaign = Campaign.objects.create(
        name="2026 清朗·整治AI应用乱象（故障演练）", code="FAULT", agency="北京市互联网信息办公室",
        notice_prefix="京网信改", starts_on=datetime.date(2026, 4, 30), ends_on=datetime.date(2026, 12, 31))
    started = timezone.make_aware(datetime.datetime(2026, 11, 2, 9))
    for n in range(count):
        enterprise = Enterprise.objects.create(
            name=f"北京演练{n}智能科技有限公司", uscc=identifiers.uscc_complete(f"91110108{n:09d}"),
            district=District.HAIDIAN, address="北京市海淀区中关村大街1号", legal_representative="张三",
            is_generation_provider=True)
        User.objects.create(username=f"fault-qiye{n}", role=Role.ENTERPRISE, enterprise=enterprise,
                            email=f"qiye{n}@example.com")
        inspection = Inspection.objects.create(
            campaign=campaign, enterprise=enterprise, planned_date=datetime.date(2026, 11, 2),
            status=Inspection.Status.COMPLETED, started_at=started,
            completed_at=started + datetime.timedelta(hours=8))
        inspection.officers.set([author])
        finding = Finding.objects.create(
            inspection=inspection, enterprise=enterprise, campaign=campaign, issue_code=code,
            severity="medium", legal_basis=code.legal_basis, description="抽检的图片文件未添加隐式标识",
            period=15, period_unit="working_days", deadline=datetime.date(2026, 12, 31), created_by=author)
        notice = services.notice_create(enterprise=enterprise, campaign=campaign, findings=[finding],
                                        actor=author)
        services.notice_approve(notice=notice, actor=boss)
    return campaign, boss


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=150)
    parser.add_argument("--db", default="lw_fault_worker")
    args = parser.parse_args()
    print(calibration_line(), flush=True)
    url = ensure_database(args.db, recreate=True)
    stack = Stack(database_url=url)
    # Small chunks, so that the kill lands between committed chunks and inside one.
    stack.env.update({"NOTICE_RENDER_CHUNK": "10", "NOTICE_RENDER_PROCESSES": "2"})
    os.environ.update(stack.env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from core.models import AuditEvent
    from reports.models import BatchIssue, Notice
    from reports.notices import services
    from reports.notices.tasks import batch_issue_task

    failures = []

    def check(label: str, ok: bool) -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {label}", flush=True)
        if not ok:
            failures.append(label)

    with stack:
        stack.start_redis()
        call_command("migrate", verbosity=0)
        began = time.monotonic()
        campaign, boss = seed(args.count)
        print(f"{args.count} approved notices seeded in {time.monotonic() - began:.0f} s", flush=True)
        stack.start_worker("notices", queues="notices", pool="solo")
        batch = services.batch_issue_start(campaign=campaign, actor=boss)
        began = time.monotonic()
        while True:
            batch.refresh_from_db()
            if batch.issued >= 20 or batch.status == BatchIssue.Status.DONE:
                break
            if time.monotonic() - began > 900:
                print("the worker issued nothing in 15 minutes")
                return 1
            time.sleep(0.2)
        # Into the next chunk's rendering or transaction, then the crash.
        time.sleep(1.5)
        stack.kill("notices")
        batch.refresh_from_db()
        issued_now = Notice.objects.filter(campaign=campaign, status="issued").count()
        print(f"worker killed after {time.monotonic() - began:.0f} s: batch says issued {batch.issued}, "
              f"status {batch.status}; the database has {issued_now} issued notices", flush=True)
        check("at the kill, the batch's count equals the notices issued (whole chunks only)",
              batch.issued == issued_now and issued_now % 10 == 0 and issued_now < args.count)
        serials = sorted(Notice.objects.filter(campaign=campaign, status="issued")
                         .values_list("serial", flat=True))
        check("at the kill, the numbers issued are 1..n without a gap", serials == list(range(1, issued_now + 1)))

        stack.start_worker("notices2", queues="notices", pool="solo")
        services.batch_issue_resume(batch=batch, actor=boss)
        began = time.monotonic()
        while batch.status != BatchIssue.Status.DONE and time.monotonic() - began < 1200:
            time.sleep(1)
            batch.refresh_from_db()
        print(f"resumed batch finished in {time.monotonic() - began:.0f} s: issued {batch.issued}, "
              f"skipped {batch.skipped}, failed {batch.failed}, status {batch.status}", flush=True)
        # A redelivered message (acks_late) runs the task again: nothing more happens.
        batch_issue_task.delay(batch_id=batch.pk)
        time.sleep(10)
        batch.refresh_from_db()

        notices = Notice.objects.filter(campaign=campaign)
        serials = sorted(notices.filter(status="issued").values_list("serial", flat=True))
        numbers = list(notices.filter(status="issued").values_list("number", flat=True))
        check(f"every notice issued once ({len(serials)} of {args.count})",
              len(serials) == args.count and notices.exclude(status="issued").count() == 0)
        check("numbers 1..N, no gap, no duplicate", serials == list(range(1, args.count + 1))
              and len(set(numbers)) == args.count)
        check("the batch's counts are right (issued N, skipped 0, failed 0)",
              (batch.issued, batch.skipped, batch.failed, batch.total) == (args.count, 0, 0, args.count))
        done = AuditEvent.objects.filter(action="notice.batch_done", object_id=str(batch.pk)).count()
        check(f"\"done\" audited once ({done})", done == 1)
        issued_events = AuditEvent.objects.filter(action="notice.issue").count()
        check(f"one issue event per notice ({issued_events})", issued_events == args.count)
        from django.core.management.base import CommandError

        try:
            call_command("verify_audit", verbosity=0)
            chain_ok = True
        except CommandError as exc:
            print(exc)
            chain_ok = False
        check("verify_audit: the audit chain is intact", chain_ok)
    print(f"worker kill: {len(failures)} of 8 checks failed" if failures else "worker kill: all 8 checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
