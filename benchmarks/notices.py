"""
Render and issue 150 notices in a scratch SQLite database and print, as the
last line, `150 notices in S s (M ms per notice)`.

    python benchmarks/notices.py [--count 150]

Seeds its own minimal data (a campaign, 150 enterprises with an account and
two findings each, approved notices), then times the batch issuance service:
chunks of notices are laid out as one multi-document HTML in a pool of
processes, written once and split per notice with pikepdf, while the main
process issues the chunk before in one transaction (numbers, stored PDFs,
findings' deadlines, audit trail, notifications).

Before the timed run it prints how fast this machine renders notices one at
a time in one process, next to the issue's reference machine (about 20 s for
150), so figures from different machines can be compared.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALIBRATION_SAMPLE = 15
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=150)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="lw-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{scratch}/media"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from accounts.models import Role, User
    from enterprises import identifiers
    from enterprises.models import District, Enterprise
    from inspections.models import Campaign, Finding, Inspection, IssueCode
    from reports.models import BatchIssue, Notice
    from reports.notices import services

    author = User.objects.create(username="bench-inspector", role=Role.INSPECTOR, first_name="王检查")
    boss = User.objects.create(username="bench-supervisor", role=Role.SUPERVISOR, first_name="陈主管")
    code, _ = IssueCode.objects.get_or_create(code="IMP-01", defaults={
        "category": "IMP", "title_zh": "未添加隐式标识", "title_en": "No implicit label",
        "legal_basis": "《人工智能生成合成内容标识办法》第五条"})
    # The issuing agency's data (portal, telephone, contact) that notices print.
    from legal.demo import seed_agencies

    seed_agencies({})
    campaign = Campaign.objects.create(name="2026 清朗·整治AI应用乱象（基准）", code="BENCH", agency="北京市互联网信息办公室",
                                       notice_prefix="京网信改", starts_on=datetime.date(2026, 4, 30),
                                       ends_on=datetime.date(2026, 12, 31))
    for n in range(args.count):
        uscc = identifiers.uscc_complete(f"91110108{n:09d}")
        enterprise = Enterprise.objects.create(name=f"北京基准{n}智能科技有限公司", uscc=uscc,
                                               district=District.HAIDIAN, address="北京市海淀区中关村大街1号",
                                               legal_representative="张三", is_generation_provider=True)
        User.objects.create(username=f"bench-qiye{n}", role=Role.ENTERPRISE, enterprise=enterprise,
                            email=f"qiye{n}@example.com")
        # Notices state the facts of completed inspections only.
        started = timezone.make_aware(datetime.datetime(2026, 11, 2, 9))
        inspection = Inspection.objects.create(campaign=campaign, enterprise=enterprise,
                                               planned_date=datetime.date(2026, 11, 2),
                                               status=Inspection.Status.COMPLETED, started_at=started,
                                               completed_at=started + datetime.timedelta(hours=8))
        inspection.officers.set([author])
        findings = [Finding.objects.create(
            inspection=inspection, enterprise=enterprise, campaign=campaign, issue_code=code,
            severity="medium", legal_basis=code.legal_basis, description=f"抽检的图片文件{i + 1}未添加隐式标识",
            period=15, period_unit="working_days", deadline=datetime.date(2026, 12, 31), created_by=author)
            for i in range(2)]
        notice = services.notice_create(enterprise=enterprise, campaign=campaign, findings=findings, actor=author)
        services.notice_approve(notice=notice, actor=boss)
    batch = BatchIssue.objects.create(campaign=campaign, started_by=boss, total=args.count,
                                      notice_ids=list(Notice.objects.values_list("pk", flat=True)))
    # A running notices worker loaded its fonts and URLconf when it started
    # (reports.notices.tasks.warm_up_notice_fonts); so does this process, untimed.
    from reports import pdf

    warm_start = time.perf_counter()
    pdf.warm_up()
    services.verify_url()
    warm_up = time.perf_counter() - warm_start
    # How fast is this machine? The issue's reference machine renders 150
    # notices one at a time, in one process, in about 20 s. Measured here on
    # a sample of drafts' previews (same layout, each its own document).
    sample = list(Notice.objects.order_by("pk")[:CALIBRATION_SAMPLE])
    calibration_start = time.perf_counter()
    for notice in sample:
        services.notice_preview_pdf(notice=notice)
    one_at_a_time = (time.perf_counter() - calibration_start) / len(sample)
    start = time.perf_counter()
    services.batch_issue_run(batch_id=batch.pk)
    elapsed = time.perf_counter() - start
    issued = Notice.objects.filter(status="issued").count()
    assert issued == args.count, issued
    print(f"issued at {timezone.now():%Y-%m-%d %H:%M}; scratch data in {scratch}")
    print(f"font warm-up of a new worker process, not timed below: {warm_up:.1f} s")
    print(f"this machine renders a notice on its own in {1000 * one_at_a_time:.0f} ms, one process: "
          f"{args.count} that way would take {args.count * one_at_a_time:.1f} s (the issue's reference machine: about 20 s "
          f"for 150)")
    print(f"{issued} notices in {elapsed:.1f} s ({1000 * elapsed / issued:.0f} ms per notice)")


if __name__ == "__main__":
    main()
