"""
Fault: Redis (cache and Celery broker) goes down while people work, then
comes back.

    .venv/bin/python benchmarks/faults/redis_down.py [--db lw_load] [--down 20]

Production configuration (benchmarks/stack.py) on PostgreSQL database `--db`
(seeded with the demo when empty), with a Redis server, gunicorn, a Celery
worker and Celery beat of its own (never the shared Redis). With Redis
stopped it: opens staff pages as an inspector and an analyst and the public
pages, and starts a background export (EXPORT_SYNC_MAX_ROWS=0 makes every
export a job), which hands work to Celery while the broker is down. Then it
starts Redis again and waits for beat to send the kept task
(core-resend-pending-tasks, every minute) and the worker to build the export.
Checks: no page answered 5xx while Redis was down, the export was accepted
(its job page) and kept (core.PendingTask), and it was built once Redis was
back. Prints each check; exits 1 if one fails.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stack import Browser, Stack, calibration_line, ensure_database  # noqa: E402

PAGES = {
    "inspector": ["/", "/inspections/", "/inspections/list/", "/inspections/findings/", "/enterprises/",
                  "/reports/notices/", "/rectification/"],
    "analyst": ["/reports/analytics/", "/enterprises/", "/tipoffs/statistics/"],
    "": ["/reports/results/", "/reports/verify/?code=ABCD-EFGH", "/tipoffs/report/", "/tipoffs/track/"],
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="lw_load")
    parser.add_argument("--down", type=float, default=20.0, help="seconds Redis stays down at least")
    args = parser.parse_args()
    print(calibration_line(), flush=True)
    url = ensure_database(args.db)
    import psycopg

    failures = []

    def check(label: str, ok: bool) -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {label}", flush=True)
        if not ok:
            failures.append(label)

    stack = Stack(database_url=url)
    stack.env["EXPORT_SYNC_MAX_ROWS"] = "0"
    with stack, psycopg.connect(url, autocommit=True) as db:
        stack.start_redis()
        stack.prepare()
        stack.start_worker()
        stack.start_beat()
        stack.start_web(workers=2)
        base = f"http://127.0.0.1:{stack.web_port}"
        people = {role: Browser(base, f"10.9.0.{n + 1}") for n, role in enumerate(PAGES)}
        for role, browser in people.items():
            if role:
                check(f"{role} logs in with Redis up", browser.login(role))
        db.execute("DELETE FROM core_pendingtask")
        jobs_before = db.execute("SELECT COALESCE(MAX(id), 0) FROM core_exportjob").fetchone()[0]

        stack.stop_redis()
        down_at = time.monotonic()
        print("Redis stopped", flush=True)
        statuses = []
        for role, browser in people.items():
            for path in PAGES[role]:
                began = time.perf_counter()
                response = browser.get(path)
                statuses.append((response.status_code, role or "public", path,
                                 (time.perf_counter() - began) * 1000))
        for status, role, path, ms in statuses:
            print(f"     {status} {ms:6.0f} ms  {role} {path}")
        check(f"{len(statuses)} pages served with Redis down, none 5xx",
              all(s < 500 for s, *_rest in statuses))
        check("a new log-in works with Redis down", Browser(base, "10.9.0.9").login("inspector2"))
        analyst = people["analyst"]
        analyst.get("/reports/exports/findings.csv")
        answer = analyst.post("/reports/exports/findings.csv", {})
        location = answer.headers.get("Location", "")
        check(f"the export is accepted while the broker is down ({answer.status_code} -> {location})",
              answer.status_code == 302 and "/exports/" in location)
        kept = db.execute("SELECT task FROM core_pendingtask").fetchall()
        check(f"the task is kept in the database ({[k[0] for k in kept]})",
              any(k[0] == "core.tasks.export_job_run_task" for k in kept))
        time.sleep(max(0.0, args.down - (time.monotonic() - down_at)))

        stack.start_redis_again()
        back_at = time.monotonic()
        print(f"Redis started again after {back_at - down_at:.0f} s down", flush=True)
        status = None
        while time.monotonic() - back_at < 240:
            row = db.execute("SELECT status FROM core_exportjob WHERE id > %s ORDER BY id DESC LIMIT 1",
                             [jobs_before]).fetchone()
            status = row[0] if row else None
            if status in ("done", "failed"):
                break
            time.sleep(2)
        left = db.execute("SELECT COUNT(*) FROM core_pendingtask").fetchone()[0]
        check(f"the export is built once Redis is back ({status} after {time.monotonic() - back_at:.0f} s); "
              f"{left} tasks still kept", status == "done" and left == 0)
        page = analyst.get(Browser.local(location))
        check(f"its page answers {page.status_code}", page.status_code == 200)
    print(f"redis down: {len(failures)} checks failed" if failures else "redis down: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
