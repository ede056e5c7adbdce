"""
Fifty people at once on the production configuration of this machine.

    .venv/bin/python benchmarks/load.py [--users 50] [--duration 120] [--port 8106]
        [--db lw_load] [--reseed] [--workers 4] [--think 0.5-2.5]

Starts, on loopback only: a Redis server of its own, gunicorn (`--workers`
sync workers) and a Celery worker, all with DJANGO_DEBUG unset and a
generated secret key, against PostgreSQL database `--db` on the server at
127.0.0.1:5432 (created, migrated and seeded with the demo when empty;
`--reseed` starts it afresh). The demo's files are kept with the database
in benchmarks/out/load-media/<db>; a database kept from a run whose folder
is gone is seeded afresh, since the pages would link to missing files
(the downloads errors of 2026-12-03). The driver talks to gunicorn as nginx would
(X-Forwarded-Proto https, each simulated person's own address in
X-Forwarded-For, DJANGO_TRUSTED_PROXIES=127.0.0.1).

`--users` simulated people (threads; about 36 % inspectors, 30 % enterprise
users, 12 % supervisors, 10 % analysts, 8 % public visitors, 4 %
administrators) log in through the login form with CSRF (supervisors and
administrators also with a TOTP code from an authenticator of their own,
created by the script: a code is accepted once), then for `--duration`
seconds repeat journeys of their role: the role's usual pages, then links
followed from them (downloads, exports, logout and destructive links left
out), a search, and a write (staff mark notifications read; enterprise users
save their rectification report draft as it is), with a think time between
requests. Non-supervisors log out and in again every few journeys.

An error is a 5xx, a failed connection or time-out, or a 4xx on a page the
application itself linked to. Prints the calibration line and `uptime`,
per-role and slowest-page figures, the first errors, and last
`requests R, errors E, p95 X ms`. Every process is stopped at the end.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import (  # noqa: E402
    Browser,
    Stack,
    calibration_line,
    database_exists,
    ensure_database,
    forms_of,
    postgres_backend_cpu,
    uptime,
)

MEDIA_HOME = Path(__file__).resolve().parent / "out" / "load-media"
MIX = [("inspector", 0.36), ("enterprise", 0.30), ("supervisor", 0.12), ("analyst", 0.10),
       ("public", 0.08), ("admin", 0.04)]
DEMO_ACCOUNTS = {
    "inspector": ["inspector", "inspector2", "inspector3", "inspector4"],
    "enterprise": ["qiye", "qiye2"],
    "analyst": ["analyst"],
}
START_PAGES = {
    "inspector": ["/", "/inspections/", "/inspections/list/", "/inspections/findings/",
                  "/rectification/", "/reports/notices/", "/tipoffs/", "/enterprises/"],
    "supervisor": ["/", "/inspections/", "/reports/notices/", "/rectification/extensions/",
                   "/rectification/escalations/", "/cases/", "/reports/campaign-reports/",
                   "/inspections/findings/"],
    "analyst": ["/", "/reports/analytics/", "/enterprises/", "/tipoffs/statistics/",
                "/inspections/findings/"],
    "enterprise": ["/portal/", "/portal/reports/", "/portal/cases/"],
    "public": ["/reports/results/", "/reports/verify/", "/tipoffs/track/", "/tipoffs/report/"],
    "admin": ["/admin/", "/admin/accounts/user/", "/admin/enterprises/enterprise/", "/audit/"],
}
SEARCHES = {
    "inspector": "/inspections/findings/?q=%E6%A0%87%E8%AF%86",
    "supervisor": "/enterprises/?q=%E7%A7%91%E6%8A%80",
    "analyst": "/enterprises/?q=%E5%8C%97%E4%BA%AC",
}
# Links a person would not follow in a load test: leaving, files, background
# jobs, and anything that changes state by GET-looking links.
SKIP_LINK = re.compile(
    r"logout|download|export|\.pdf|\.csv|\.xlsx|/i18n/|/static/|refresh|delete|withdraw|remove|"
    r"/api/|print|/pdf|setlang|/file|evidence/\d+|/jobs?/|/redoc|/docs|/schema"
)


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.by_role: dict[str, list[float]] = defaultdict(list)
        self.by_page: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def add(self, role: str, method: str, path: str, ms: float, status: int | None, linked: bool):
        page = method + " " + re.sub(r"\d+", "N", path.split("?")[0])
        error = status is None or status >= 500 or (linked and 400 <= status < 500)
        with self.lock:
            self.times.append(ms)
            self.by_role[role].append(ms)
            self.by_page[page].append(ms)
            if error:
                self.errors.append(f"{role} {method} {path} -> {status or 'no answer'}")


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


class Person(threading.Thread):
    def __init__(self, n: int, role: str, account: str, key: str | None, base: str, until: float,
                 recorder: Recorder, think: tuple[float, float], start_delay: float):
        super().__init__(daemon=True)
        self.role, self.account, self.key = role, account, key
        self.browser = Browser(base, client_ip=f"10.{n // 250}.{n % 250}.{10 + n % 200}")
        self.until, self.recorder, self.think = until, recorder, think
        self.start_delay = start_delay
        self.rng = random.Random(n)

    # --- one request -------------------------------------------------------------

    def _timed(self, method: str, path: str, linked: bool = False, data=None):
        began = time.perf_counter()
        try:
            response = (self.browser.post(path, data) if method == "POST"
                        else self.browser.get(path))
            status = response.status_code
        except Exception:  # noqa: BLE001 - a failed connection or time-out is an error, counted
            response, status = None, None
        self.recorder.add(self.role, method, path, (time.perf_counter() - began) * 1000, status, linked)
        return response

    def _pause(self) -> bool:
        time.sleep(self.rng.uniform(*self.think))
        return time.monotonic() < self.until

    def _login(self) -> bool:
        if self.role == "public":
            return True
        def record(response) -> None:
            # Each request of the log-in (form, POST, verify page, code, landing) on its own.
            self.recorder.add(self.role, response.request.method, self.browser.local(response.request.url),
                              response.elapsed.total_seconds() * 1000, response.status_code, False)

        try:
            ok = self.browser.login(self.account, totp_key=self.key, record=record)
        except Exception:  # noqa: BLE001 - counted as an error below
            ok = False
        if not ok:
            self.recorder.add(self.role, "POST", "/accounts/login/ (log-in refused)", 0.0, None, False)
        return ok

    # --- journeys ---------------------------------------------------------------

    def _follow(self, response, hops: int) -> None:
        for _ in range(hops):
            if response is None or response.status_code != 200 or not self._pause():
                return
            links = [link for link in self.browser.links(response.text)
                     if not SKIP_LINK.search(link)
                     and (self.role == "admin" or not link.startswith("/admin/"))
                     and link != "/accounts/login/"]
            if not links:
                return
            response = self._timed("GET", self.rng.choice(links), linked=True)

    def _write(self) -> None:
        if self.role == "enterprise":
            listing = self._timed("GET", "/portal/reports/")
            page_text = listing.text if listing is not None and listing.status_code == 200 else ""
            edits = sorted(set(re.findall(r'href="(/portal/reports/\d+/edit/)"', page_text)))
            if not edits and "/portal/reports/new/" in page_text and self._pause():
                # No draft yet: start one answering every finding offered.
                start = self._timed("GET", "/portal/reports/new/", linked=True)
                offered = re.findall(r'name="findings" value="(\d+)"', start.text) \
                    if start is not None and start.status_code == 200 else []
                if offered and self._pause():
                    self._timed("POST", "/portal/reports/new/", data=[("findings", f) for f in offered])
                return
            if not edits or not self._pause():
                return
            path = self.rng.choice(edits)
            page = self._timed("GET", path, linked=True)
            if page is None or page.status_code != 200:
                return
            form = next((f for f in forms_of(page.text) if f["method"] == "post"
                         and any(name == "save" for name, _v in f["buttons"])), None)
            if form is None or not self._pause():
                return
            self._timed("POST", form["action"] or path, data=form["fields"] + [("save", "1")])
        elif self.role in ("inspector", "supervisor", "analyst"):
            self._timed("POST", "/notifications/read-all/", data={})

    def journey(self) -> None:
        pages = START_PAGES[self.role]
        for path in self.rng.sample(pages, k=min(3, len(pages))):
            response = self._timed("GET", path)
            self._follow(response, hops=self.rng.randint(1, 3))
            if not self._pause():
                return
        if self.role in SEARCHES:
            self._timed("GET", SEARCHES[self.role])
            if not self._pause():
                return
        if self.rng.random() < 0.5:
            self._write()

    def run(self) -> None:
        time.sleep(self.start_delay)
        if not self._login():
            return
        journeys = 0
        while time.monotonic() < self.until:
            self.journey()
            journeys += 1
            if self.role not in ("supervisor", "admin", "public") and journeys % 4 == 0 \
                    and time.monotonic() < self.until:
                self._timed("POST", "/accounts/logout/", data={})
                if not self._login():
                    return


class PostgresCpu(threading.Thread):
    """
    CPU used by the PostgreSQL server processes serving the database during
    the run, read every second (a connection kept by a gunicorn worker is
    replaced after DATABASE_CONN_MAX_AGE: a process that ended since the
    last reading loses at most a second of its CPU).
    """

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.database = database
        self.first = postgres_backend_cpu(database)
        self.last = dict(self.first)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            self.last.update(postgres_backend_cpu(self.database))

    def stop(self) -> float:
        self.done.set()
        self.join()
        self.last.update(postgres_backend_cpu(self.database))
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())


def cpu_line(before: dict, after: dict, driver: float, requests: int, logins: int) -> str:
    """Where the CPU went during the run, in seconds and in ms per request."""
    used = {name: after[name] - before[name] for name in ("gunicorn", "postgres", "worker", "redis")}
    used["this driver"] = driver
    per = max(1, requests)
    parts = ", ".join(f"{name} {cpu:.0f} s ({cpu * 1000 / per:.1f} ms)" for name, cpu in used.items())
    return f"CPU during the run (per request): {parts}; {logins} log-in POSTs"


def cast(users: int) -> list[str]:
    roles = []
    for role, share in MIX:
        roles += [role] * max(1, round(users * share))
    while len(roles) > users:
        roles.remove("inspector" if roles.count("inspector") > 1 else roles[-1])
    while len(roles) < users:
        roles.append("inspector")
    return roles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--db", default="lw_load")
    parser.add_argument("--reseed", action="store_true", help="drop and re-create the database")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--think", default="0.5-2.5", help="seconds between requests, min-max")
    args = parser.parse_args()
    if not 1 <= args.users <= 200 or not 1 <= args.duration <= 1800:
        parser.error("--users 1..200 and --duration 1..1800 (bounded on purpose)")
    think = tuple(float(x) for x in args.think.split("-"))

    print(calibration_line(), flush=True)
    # The demo's files (notices, proofs of service, case documents) live in a
    # media folder kept with the database: a database seeded by an earlier
    # run whose folder is gone would link to files that are not there (every
    # such download a 404), so it is seeded again.
    media = MEDIA_HOME / args.db
    seeded = media / ".seeded"
    if not database_exists(args.db):
        seeded.unlink(missing_ok=True)
    elif not args.reseed and not seeded.exists():
        print(f"no media folder kept for {args.db} ({media}): database seeded afresh", flush=True)
    afresh = args.reseed or not seeded.exists()
    url = ensure_database(args.db, recreate=afresh)
    if afresh:
        shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True, exist_ok=True)
    stack = Stack(database_url=url, web_port=args.port, media=media)
    print(f"stack in {stack.workdir}: gunicorn 127.0.0.1:{stack.web_port}, redis :{stack.redis_port}, "
          f"PostgreSQL {args.db}", flush=True)
    with stack:
        stack.start_redis()
        stack.prepare()
        seeded.write_text(args.db)
        roles = cast(args.users)
        keys = {**stack.totp_accounts("supervisor", roles.count("supervisor")),
                **stack.totp_accounts("admin", roles.count("admin"))}
        stack.start_worker()
        stack.start_web(workers=args.workers)
        base = f"http://127.0.0.1:{stack.web_port}"
        warm = Browser(base, "10.255.0.1")
        for path in ("/accounts/login/", "/reports/results/"):
            for _ in range(args.workers):
                warm.get(path)
        recorder = Recorder()
        cpu_before = stack.cpu_seconds()
        postgres = PostgresCpu(args.db)
        postgres.start()
        driver_before = time.process_time()
        began = time.monotonic()
        until = began + args.duration
        counters: dict[str, int] = defaultdict(int)
        people = []
        for n, role in enumerate(roles):
            counters[role] += 1
            if role in ("supervisor", "admin"):
                account = f"load-{role}-{counters[role]:02d}"
            elif role == "public":
                account = ""
            else:
                pool = DEMO_ACCOUNTS[role]
                account = pool[(counters[role] - 1) % len(pool)]
            people.append(Person(n, role, account, keys.get(account), base, until, recorder, think,
                                 start_delay=min(10.0, args.duration / 6) * n / len(roles)))
        for person in people:
            person.start()
        for person in people:
            person.join(timeout=args.duration + 120)
        elapsed = time.monotonic() - began
        cpu_after = stack.cpu_seconds()
        driver_cpu = time.process_time() - driver_before
        cpu_before["postgres"], cpu_after["postgres"] = 0.0, postgres.stop()
        print(f"{len(people)} simulated people ({', '.join(f'{r} {roles.count(r)}' for r, _s in MIX)}) "
              f"for {elapsed:.0f} s; uptime after: {uptime()}")
        print(f"{'role':12} {'requests':>9} {'p95 ms':>8}")
        for role, _share in MIX:
            print(f"{role:12} {len(recorder.by_role[role]):9d} {p95(recorder.by_role[role]):8.0f}")
        print("slowest pages (p95 ms, requests):")
        for page, values in sorted(recorder.by_page.items(), key=lambda kv: -p95(kv[1]))[:10]:
            print(f"  {p95(values):7.0f} {len(values):6d}  {page}")
        for line in recorder.errors[:15]:
            print(f"error: {line}")
        print(f"throughput {len(recorder.times) / elapsed:.1f} requests/s")
        print(cpu_line(cpu_before, cpu_after, driver_cpu, len(recorder.times),
                       len(recorder.by_page.get("POST /accounts/login/", []))))
        print(f"requests {len(recorder.times)}, errors {len(recorder.errors)}, p95 {p95(recorder.times):.0f} ms")
    return 1 if recorder.errors else 0


if __name__ == "__main__":
    sys.exit(main())
