"""
Fault: PostgreSQL restarts while enterprises submit rectification reports.

    .venv/bin/python benchmarks/faults/postgres_restart.py [--users 10] [--reports 8] [--port 55432]

Starts a PostgreSQL cluster of its own (initdb in a temporary folder,
pg_ctl on `--port`; the shared server is never touched), a Redis server,
gunicorn and a Celery worker in the production configuration, and seeds
`--users` enterprises, each with an enterprise user and `--reports`
notified findings. Each user, in a thread, then starts a report for one
finding (a draft), fills it in and submits it, one after the other, through
the portal's forms. A few seconds in, PostgreSQL is restarted (stop -m fast:
every connection is cut; down 3 s). After: every submission the portal
acknowledged ("submitted", the report page) is in the database as submitted;
every one that failed answered an error page (503, "not saved") and its
draft is still there, and submitting it again afterwards works. Prints each
check; exits 1 if one fails.
"""

import argparse
import datetime
import os
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from stack import Browser, PrivateCluster, Stack, calibration_line, forms_of  # noqa: E402


def seed(users: int, reports: int) -> list[str]:
    from django.utils import timezone

    from accounts.models import Role, User
    from enterprises import identifiers
    from enterprises.models import District, Enterprise
    from inspections.models import Campaign, Finding, FindingStatus, Inspection, IssueCode

    author = User.objects.create(username="fault-inspector", role=Role.INSPECTOR, first_name="王检查")
    code, _ = IssueCode.objects.get_or_create(code="IMP-01", defaults={
        "category": "IMP", "title_zh": "未添加隐式标识", "title_en": "No implicit label",
        "legal_basis": "《人工智能生成合成内容标识办法》第五条"})
    campaign = Campaign.objects.create(
        name="2026 清朗（故障演练）", code="FAULTPG", agency="北京市互联网信息办公室",
        notice_prefix="京网信改", starts_on=datetime.date(2026, 4, 30), ends_on=datetime.date(2026, 12, 31))
    started = timezone.now() - datetime.timedelta(days=20)
    names = []
    for n in range(users):
        enterprise = Enterprise.objects.create(
            name=f"北京重启演练{n}科技有限公司", uscc=identifiers.uscc_complete(f"91110105{n:09d}"),
            district=District.CHAOYANG, address="北京市朝阳区1号", legal_representative="李四",
            is_generation_provider=True)
        user = User.objects.create(username=f"pg-qiye{n}", role=Role.ENTERPRISE, enterprise=enterprise,
                                   first_name=f"联系人{n}")
        user.set_password("LabelWatch-demo-2026")
        user.save()
        names.append(user.username)
        inspection = Inspection.objects.create(
            campaign=campaign, enterprise=enterprise, planned_date=started.date(),
            status=Inspection.Status.COMPLETED, started_at=started,
            completed_at=started + datetime.timedelta(hours=8))
        for i in range(reports):
            Finding.objects.create(
                inspection=inspection, enterprise=enterprise, campaign=campaign, issue_code=code,
                severity="medium", legal_basis=code.legal_basis, description=f"抽检的图片文件{i + 1}未添加隐式标识",
                period=15, period_unit="working_days", deadline=timezone.localdate() + datetime.timedelta(days=20),
                status=FindingStatus.NOTIFIED, notified_at=started, created_by=author)
    return names


class Submitter(threading.Thread):
    def __init__(self, n: int, username: str, base: str, reports: int, go: threading.Event | None = None):
        super().__init__(daemon=True)
        self.go = go
        self.logged_in = threading.Event()
        self.username, self.reports = username, reports
        self.browser = Browser(base, f"10.7.0.{n + 1}", timeout=30)
        self.acknowledged: list[int] = []     # report ids the portal said were submitted
        self.failed: list[tuple[int | None, int | None]] = []  # (report id, status) of failures
        self.log: list[str] = []

    def _submit(self, edit_path: str) -> tuple[bool, int | None]:
        page = self.browser.get(edit_path)
        if page.status_code != 200:
            return False, page.status_code
        form = next(f for f in forms_of(page.text) if f["method"] == "post"
                    and any(name == "responsible_person" for name, _v in f["fields"]))
        fields = dict(form["fields"])
        fields.update({"responsible_person": "张三", "contact_person": "李四", "contact_phone": "010-12345678",
                       "summary": "已全部整改", "declaration": "on"})
        for name in list(fields):
            if name.endswith("-measures"):
                fields[name] = "已为全部文件添加隐式标识，并上线发布前自动检查。"
            elif name.endswith("-completed_on"):
                fields[name] = datetime.date.today().isoformat()
        answer = self.browser.post(edit_path, [*fields.items(), ("submit", "1")])
        if answer.status_code == 302 and re.search(r"/portal/reports/\d+/$", answer.headers["Location"]):
            return True, 302
        return False, answer.status_code

    def run(self) -> None:
        try:
            if not self.browser.login(self.username):
                self.failed.append((None, None))
                return
        except Exception as exc:  # noqa: BLE001 - reported below
            self.log.append(f"login: {exc}")
            self.failed.append((None, None))
            return
        self.logged_in.set()
        if self.go is not None:
            self.go.wait(timeout=300)
        for _ in range(self.reports):
            report_id = None
            try:
                start = self.browser.get("/portal/reports/new/")
                offered = re.findall(r'name="findings" value="(\d+)"', start.text)
                if not offered:
                    break
                created = self.browser.post("/portal/reports/new/", [("findings", offered[0])])
                if created.status_code != 302:
                    self.failed.append((None, created.status_code))
                    continue
                edit_path = Browser.local(created.headers["Location"])
                report_id = int(re.search(r"/(\d+)/edit/", edit_path).group(1))
                ok, status = self._submit(edit_path)
                if ok:
                    self.acknowledged.append(report_id)
                else:
                    self.failed.append((report_id, status))
            except Exception as exc:  # noqa: BLE001 - a cut connection: counted as failed
                self.log.append(f"{report_id}: {type(exc).__name__}")
                self.failed.append((report_id, None))
            time.sleep(0.3)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--reports", type=int, default=8)
    parser.add_argument("--port", type=int, default=55432)
    parser.add_argument("--restart-after", type=float, default=6.0)
    args = parser.parse_args()
    print(calibration_line(), flush=True)
    cluster = PrivateCluster(port=args.port)
    cluster.start()
    print(f"own PostgreSQL cluster on 127.0.0.1:{args.port} in {cluster.workdir}", flush=True)
    failures = []

    def check(label: str, ok: bool) -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {label}", flush=True)
        if not ok:
            failures.append(label)

    stack = Stack(database_url=cluster.url)
    os.environ.update(stack.env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        with stack:
            stack.start_redis()
            call_command("migrate", verbosity=0)
            stack.manage("collectstatic", "--noinput", "-v", "0")
            names = seed(args.users, args.reports)
            connection.close()
            stack.start_worker()
            stack.start_web(workers=3)
            base = f"http://127.0.0.1:{stack.web_port}"
            go = threading.Event()
            people = [Submitter(n, name, base, args.reports, go) for n, name in enumerate(names)]
            for person in people:
                person.start()
            # Everyone logged in first: the fault is about submissions, not log-ins.
            for person in people:
                person.logged_in.wait(timeout=300)
            go.set()
            time.sleep(args.restart_after)
            began = time.monotonic()
            cluster.restart(down_for=3.0)
            print(f"PostgreSQL restarted (down {time.monotonic() - began:.1f} s)", flush=True)
            for person in people:
                person.join(timeout=600)

            from rectification.models import RectificationReport

            acknowledged = [r for p in people for r in p.acknowledged]
            failed = [f for p in people for f in p.failed]
            statuses = dict(RectificationReport.objects.values_list("pk", "status"))
            print(f"{len(acknowledged)} submissions acknowledged, {len(failed)} failed: "
                  f"{sorted({s for _r, s in failed}, key=str)} ({[m for p in people for m in p.log][:5]})")
            check(f"every simulated user logged in before the restart "
                  f"({sum(p.logged_in.is_set() for p in people)} of {len(people)})",
                  all(p.logged_in.is_set() for p in people))
            check("the restart hit some requests and others got through (else the fault was not exercised)",
                  bool(failed) and bool(acknowledged))
            lost = [r for r in acknowledged if statuses.get(r) != "submitted"]
            check(f"every acknowledged submission is in the database as submitted (lost: {lost})", not lost)
            answered = [s for _r, s in failed if s is not None]
            check(f"failed requests that got an answer got the 503 'not saved' page ({answered})",
                  all(s == 503 for s in answered))
            kept = [r for r, _s in failed if r is not None]
            drafts = [r for r in kept if statuses.get(r) == "draft"]
            check(f"the draft of each failed submission is still there ({len(drafts)} of {len(kept)})",
                  len(drafts) == len(kept))
            # Each owner sends the drafts of their failed submissions again, which now works.
            retried = []
            for n, person in enumerate(people):
                theirs = [r for r, _s in person.failed if r in drafts]
                if not theirs:
                    continue
                again = Submitter(100 + n, person.username, base, 0)
                again.browser.login(person.username)
                retried += [again._submit(f"/portal/reports/{r}/edit/")[0] for r in theirs]
            check(f"a failed submission sent again is accepted ({sum(retried)} of {len(retried)})",
                  len(retried) == len(drafts) and all(retried))
            try:
                call_command("verify_audit", verbosity=0)
                chain = True
            except Exception as exc:  # noqa: BLE001 - reported
                print(exc)
                chain = False
            check("verify_audit: the audit chain is intact", chain)
    finally:
        from django.db import connections

        connections.close_all()
        cluster.remove()
    print(f"postgres restart: {len(failures)} checks failed" if failures else "postgres restart: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
