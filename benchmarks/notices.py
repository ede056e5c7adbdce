"""
Issue 150 notices one at a time and 150 in a batch, in a scratch SQLite
database, and print both times and the ratio (the target: the batch at
least 5 times faster), signing included.

    python benchmarks/notices.py [--count 150]

Seeds its own minimal data: two campaigns, each with `count` enterprises
(an account and two findings each) and approved notices. The first
campaign's notices are issued one after the other with the single-notice
service (what a supervisor's "issue" button does: number, render, sign,
store, start deadlines, notify); the second campaign's with the batch
issuance service, which lays chunks of notices out as one document in a
pool of processes, splits and signs them there, while the main process
issues the chunk before in one transaction.

Before the timings it prints a calibration line: a fixed CPU workload
(SHA-256 of 64 MiB and a pure-Python loop), so that figures from different
machines, or from the same machine under another load, can be compared.
"""

import argparse
import datetime
import hashlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def calibration() -> str:
    """A fixed CPU workload, the same in every run: how fast (and how loaded) this machine is."""
    start = time.perf_counter()
    digest = hashlib.sha256()
    block = b"x" * (1 << 20)
    for _ in range(64):
        digest.update(block)
    hashing = time.perf_counter() - start
    start = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i % 7
    loop = time.perf_counter() - start
    return f"calibration: SHA-256 of 64 MiB {1000 * hashing:.0f} ms, 2M-step Python loop {1000 * loop:.0f} ms"


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the render pool's, once it shuts down)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def seed(count: int, code: str, author, boss):
    from django.utils import timezone

    from accounts.models import Role, User
    from enterprises import identifiers
    from enterprises.models import District, Enterprise
    from inspections.models import Campaign, Finding, Inspection, IssueCode
    from reports.notices import services

    issue_code = IssueCode.objects.get(code="IMP-01")
    campaign = Campaign.objects.create(name=f"2026 清朗·整治AI应用乱象（基准{code}）", code=f"BENCH-{code}",
                                       agency="北京市互联网信息办公室", notice_prefix=f"京网信{code}改",
                                       starts_on=datetime.date(2026, 4, 30), ends_on=datetime.date(2026, 12, 31))
    notices = []
    for n in range(count):
        uscc = identifiers.uscc_complete(f"9111010{ord(code) % 10}{n:09d}")
        enterprise = Enterprise.objects.create(name=f"北京基准{code}{n}智能科技有限公司", uscc=uscc,
                                               district=District.HAIDIAN, address="北京市海淀区中关村大街1号",
                                               legal_representative="张三", is_generation_provider=True)
        User.objects.create(username=f"bench-qiye-{code}{n}", role=Role.ENTERPRISE, enterprise=enterprise,
                            email=f"qiye{code}{n}@example.com")
        # Notices state the facts of completed inspections only.
        started = timezone.make_aware(datetime.datetime(2026, 11, 2, 9))
        inspection = Inspection.objects.create(campaign=campaign, enterprise=enterprise,
                                               planned_date=datetime.date(2026, 11, 2),
                                               status=Inspection.Status.COMPLETED, started_at=started,
                                               completed_at=started + datetime.timedelta(hours=8))
        inspection.officers.set([author])
        findings = [Finding.objects.create(
            inspection=inspection, enterprise=enterprise, campaign=campaign, issue_code=issue_code,
            severity="medium", legal_basis=issue_code.legal_basis, description=f"抽检的图片文件{i + 1}未添加隐式标识",
            period=15, period_unit="working_days", deadline=datetime.date(2026, 12, 31), created_by=author)
            for i in range(2)]
        notice = services.notice_create(enterprise=enterprise, campaign=campaign, findings=findings, actor=author)
        notices.append(services.notice_approve(notice=notice, actor=boss))
    return campaign, notices


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
    from inspections.models import IssueCode
    from legal.demo import seed_agencies
    from reports import pdf, signing
    from reports.models import BatchIssue, Notice
    from reports.notices import services

    author = User.objects.create(username="bench-inspector", role=Role.INSPECTOR, first_name="王检查")
    boss = User.objects.create(username="bench-supervisor", role=Role.SUPERVISOR, first_name="陈主管")
    IssueCode.objects.get_or_create(code="IMP-01", defaults={
        "category": "IMP", "title_zh": "未添加隐式标识", "title_en": "No implicit label",
        "legal_basis": "《人工智能生成合成内容标识办法》第五条"})
    # The issuing agency's data (portal, telephone, contact, 版记, seal image) that notices print.
    seed_agencies({})
    _single_campaign, singles = seed(args.count, "A", author, boss)
    batch_campaign, _batched = seed(args.count, "B", author, boss)
    batch = BatchIssue.objects.create(campaign=batch_campaign, started_by=boss, total=args.count,
                                      notice_ids=list(Notice.objects.filter(campaign=batch_campaign)
                                                      .order_by("pk").values_list("pk", flat=True)))
    # A running worker loaded its fonts, URLconf and signing key when it
    # started (reports.notices.tasks); so does this process, untimed.
    warm_start = time.perf_counter()
    pdf.warm_up()
    services.verify_url()
    signing.agency_certificate_der(batch_campaign.agency)
    warm_up = time.perf_counter() - warm_start
    print(calibration())
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    start, cpu = time.perf_counter(), cpu_seconds()
    for notice in singles:
        services.notice_issue(notice=notice, actor=boss)
    one_at_a_time, single_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    start, cpu = time.perf_counter(), cpu_seconds()
    services.batch_issue_run(batch_id=batch.pk)
    batched, batch_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    issued = Notice.objects.filter(status="issued").count()
    assert issued == 2 * args.count, issued
    print(f"issued at {timezone.now():%Y-%m-%d %H:%M}, signed ({signing.key_source(batch_campaign.agency).path}); "
          f"scratch data in {scratch}")
    print(f"warm-up of a new worker process (fonts, URLconf, key), not timed below: {warm_up:.1f} s")
    print(f"one at a time: {args.count} notices in {one_at_a_time:.1f} s "
          f"({1000 * one_at_a_time / args.count:.0f} ms per notice)")
    print(f"batch: {args.count} notices in {batched:.1f} s ({1000 * batched / args.count:.0f} ms per notice), "
          f"{one_at_a_time / batched:.1f}x faster than one at a time (target: 5x)")
    print(f"CPU time (this process and the render pool's): one at a time {1000 * single_cpu / args.count:.0f} ms "
          f"per notice, batch {1000 * batch_cpu / args.count:.0f} ms per notice")
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
