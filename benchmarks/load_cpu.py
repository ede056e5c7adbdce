"""
CPU per request of the load test's pages, in-process, on the production settings.

    .venv/bin/python benchmarks/load_cpu.py [--db lw_load] [--repeat 5] [--logins 5]
        [--profile PAGE] [--only ROLE]

What `benchmarks/load.py` costs the server, page by page, without the
noise of a loaded machine: CPU time, not wall time. Django runs in this
process with DJANGO_DEBUG unset and a generated secret key (as under
gunicorn), against PostgreSQL database `--db` (the one load.py seeded; run
load.py once first), with a Redis server of its own for the cache. Each
role of load.py logs in through the form (CSRF enforced, TOTP for
supervisors and administrators), then requests its start pages, its
search, the pages those link to (one of each URL shape, two hops, the
links load.py would follow), and its write; each page `--repeat` times.
Log-ins (the form POST) are timed `--logins` times apart.

For each page: this process's CPU (Django, templates, the database
driver) and the CPU of the PostgreSQL server process serving this
connection (read from /proc; 10 ms ticks, hence the averages), both in ms
per request, and the query count. `--profile PAGE` (e.g. "GET /portal/")
prints cProfile's top functions for that page. Last line:
`pages N, mean CPU X ms (Django Y, PostgreSQL Z), log-in POST W ms`.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import re
import secrets
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from load import DEMO_ACCOUNTS, MEDIA_HOME, SEARCHES, SKIP_LINK, START_PAGES  # noqa: E402
from stack import (  # noqa: E402
    DEMO_PASSWORD,
    Stack,
    calibration_line,
    database_exists,
    ensure_database,
    forms_of,
    totp,
)

ROLES = ["inspector", "supervisor", "analyst", "enterprise", "public", "admin"]
LINK = re.compile(r'href="(/[^"#]*)"')


def shape(method: str, path: str) -> str:
    return method + " " + re.sub(r"\d+", "N", path.split("?")[0]) + ("?…" if "?" in path else "")


class Meter:
    """CPU of this process and of the PostgreSQL backend serving it, per request."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.ticks = os.sysconf("SC_CLK_TCK")

    def _backend_cpu(self) -> tuple[int | None, float]:
        raw = self.connection.connection
        if raw is None:
            return None, 0.0
        pid = raw.info.backend_pid
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return pid, 0.0
        return pid, (int(fields[11]) + int(fields[12])) / self.ticks

    def measure(self, call):
        from django.test.utils import CaptureQueriesContext

        self.connection.ensure_connection()
        pid_before, pg_before = self._backend_cpu()
        cpu_before = time.process_time()
        with CaptureQueriesContext(self.connection) as queries:
            response = call()
        cpu = time.process_time() - cpu_before
        pid_after, pg_after = self._backend_cpu()
        pg = pg_after - pg_before if pid_after == pid_before else 0.0
        return response, cpu * 1000, pg * 1000, len(queries)


class Person:
    def __init__(self, role: str, account: str, key: str | None, n: int):
        from django.test import Client

        self.role, self.account, self.key = role, account, key
        self.client = Client(
            enforce_csrf_checks=True,
            HTTP_X_FORWARDED_PROTO="https",
            HTTP_X_FORWARDED_FOR=f"10.9.{n}.10",
            HTTP_ACCEPT_LANGUAGE="zh-Hans",
            HTTP_HOST="127.0.0.1",
        )

    def _csrf(self) -> str:
        cookie = self.client.cookies.get("csrftoken")
        return cookie.value if cookie else ""

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, data):
        if isinstance(data, list):
            data = {**{k: [v for kk, v in data if kk == k] for k, _v in data}}
        return self.client.post(
            path, {**data, "csrfmiddlewaretoken": self._csrf()}, HTTP_REFERER="https://127.0.0.1/"
        )

    def login(self, meter: Meter | None = None) -> float:
        """Log in through the forms; the CPU of the POST when `meter` is given."""
        self.get("/accounts/login/")
        form = {"username": self.account, "password": DEMO_PASSWORD, "next": "/"}

        def call():
            return self.post("/accounts/login/", form)

        if meter:
            answer, cpu, pg, _n = meter.measure(call)
        else:
            answer, cpu, pg = call(), 0.0, 0.0
        assert answer.status_code == 302, (self.account, answer.status_code)
        target = answer["Location"]
        for _hop in range(5):  # the landing page, through the second factor for those who need it
            if "two-step/verify" in target:
                self.get(target)
                answer = self.post(
                    "/accounts/two-step/verify/", {"token": totp(self.key), "next": "/"}
                )
                assert answer.status_code == 302 and "two-step" not in answer["Location"], answer
                target = answer["Location"]
                continue
            landing = self.get(target)
            if landing.status_code != 302:
                break
            target = landing["Location"]
        return cpu + pg

    def logout(self) -> None:
        self.post("/accounts/logout/", {})


def consumed(response):
    """A download is read to its end, as a browser would (its file is read while streamed)."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def followed(person: Person, page: str) -> list[str]:
    return [
        link
        for link in LINK.findall(page)
        if not SKIP_LINK.search(link)
        and (person.role == "admin" or not link.startswith("/admin/"))
        and link != "/accounts/login/"
    ]


def pages_of(person: Person) -> list[tuple[str, str, object]]:
    """The role's requests, one per URL shape: (method, path, data or None)."""
    chosen: dict[str, tuple[str, str, object]] = {}
    frontier = list(START_PAGES[person.role]) + (
        [SEARCHES[person.role]] if person.role in SEARCHES else []
    )
    for hop in range(3):
        following = []
        for path in frontier:
            key = shape("GET", path)
            if key in chosen:
                continue
            response = person.get(path)
            if response.status_code != 200:
                if hop == 0:
                    print(
                        f"  {person.role} {path}: {response.status_code} {response.get('Location', '')}"
                    )
                continue
            chosen[key] = ("GET", path, None)
            if response.streaming:  # a download
                b"".join(response.streaming_content)
            elif hop < 2:
                following += followed(person, response.content.decode())
        frontier = following
    if person.role in ("inspector", "supervisor", "analyst"):
        chosen["POST /notifications/read-all/"] = ("POST", "/notifications/read-all/", {})
    if person.role == "enterprise":
        listing = person.get("/portal/reports/").content.decode()
        edits = sorted(set(re.findall(r'href="(/portal/reports/\d+/edit/)"', listing)))
        if edits:
            page = person.get(edits[0]).content.decode()
            form = next(
                (
                    f
                    for f in forms_of(page)
                    if f["method"] == "post" and any(name == "save" for name, _v in f["buttons"])
                ),
                None,
            )
            if form:
                fields = [(k, v) for k, v in form["fields"] if k != "csrfmiddlewaretoken"]
                chosen[shape("POST", edits[0])] = (
                    "POST",
                    form["action"] or edits[0],
                    fields + [("save", "1")],
                )
    return list(chosen.values())


def totp_account(role: str) -> tuple[str, str]:
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _ = get_user_model().objects.get_or_create(
        username=f"cpu-{role}",
        defaults={
            "role": role,
            "first_name": "压测",
            "is_staff": role == "admin",
            "is_superuser": role == "admin",
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    device = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=user, name="cpu", confirmed=True)
    # A code is accepted once per 30 s step: start from a device that has used none.
    device.last_t = -1
    device.save(update_fields=["last_t"])
    return user.username, device.key


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="lw_load")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--logins", type=int, default=5)
    parser.add_argument(
        "--profile", default="", help='a page as printed, e.g. "GET /portal/", or "all"'
    )
    parser.add_argument("--only", default="", help="one role")
    args = parser.parse_args()

    print(calibration_line(), flush=True)
    if not database_exists(args.db):
        parser.error(
            f"no database {args.db}: run benchmarks/load.py --db {args.db} once first (it seeds it)"
        )
    url = ensure_database(args.db)
    # The demo's files, where load.py keeps them for this database (downloads are pages too).
    media = MEDIA_HOME / args.db
    stack = Stack(database_url=url, media=media if media.exists() else None)
    with stack:
        stack.start_redis()
        stack.manage("migrate", "--noinput", "-v", "0")  # the code may be newer than the database
        os.environ.pop("DJANGO_DEBUG", None)
        os.environ.update({**stack.env, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)})
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        # Loaded as gunicorn loads it (config/gunicorn.py), start-up included.
        from django.conf import settings

        import config.wsgi  # noqa: F401

        assert not settings.DEBUG
        meter = Meter()
        gc_cpu = [0.0, 0.0]

        def gc_timer(phase, info):
            if phase == "start":
                gc_cpu[1] = time.process_time()
            else:
                gc_cpu[0] += time.process_time() - gc_cpu[1]

        gc.callbacks.append(gc_timer)
        all_began = time.process_time()
        rows: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        login_cpu: list[float] = []
        for n, role in enumerate(ROLES):
            if args.only and role != args.only:
                continue
            key = None
            if role in ("supervisor", "admin"):
                account, key = totp_account(role)
            else:
                account = DEMO_ACCOUNTS.get(role, [""])[0]
            person = Person(role, account, key, n)
            if role != "public":
                person.login()
            began = time.process_time()
            requests = pages_of(person)
            print(
                f"{role}: {len(requests)} pages found in {(time.process_time() - began) * 1000:.0f} ms "
                "of CPU (first requests: templates compiled, modules imported)",
                flush=True,
            )
            for method, path, data in requests:
                page = f"{role:10} {shape(method, path)}"
                for _ in range(args.repeat):
                    call = (
                        (lambda p=path, d=data, who=person: who.post(p, d))
                        if method == "POST"
                        else (lambda p=path, who=person: who.get(p))
                    )
                    if profiler and args.profile in (shape(method, path), "all"):
                        profiler.enable()
                    response, cpu, pg, queries = meter.measure(lambda c=call: consumed(c()))
                    if profiler:
                        profiler.disable()
                    if response.status_code >= 400:
                        print(f"  {page}: {response.status_code}")
                    rows[page].append((cpu, pg, queries))
        if not args.only or args.only == "inspector":
            person = Person("inspector", DEMO_ACCOUNTS["inspector"][0], None, 99)
            for _ in range(args.logins):
                login_cpu.append(person.login(meter))
                person.logout()
    total = time.process_time() - all_began
    print(
        f"garbage collector: {gc_cpu[0] * 1000:.0f} ms of {total * 1000:.0f} ms of CPU "
        f"({100 * gc_cpu[0] / total:.1f} %), {len(gc.get_objects())} objects tracked, "
        f"{gc.get_freeze_count()} frozen"
    )
    print(f"{'role':10} {'page':48} {'CPU ms':>7} {'Django':>7} {'PG':>5} {'queries':>7}")
    means = []
    for page, values in rows.items():
        cpu = sum(v[0] for v in values) / len(values)
        pg = sum(v[1] for v in values) / len(values)
        means.append((cpu, pg))
        print(f"{page[:59]:59} {cpu + pg:7.1f} {cpu:7.1f} {pg:5.1f} {values[-1][2]:7d}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        profiler.dump_stats(Path(__file__).resolve().parent / "out" / "load_cpu.prof")
    django_mean = sum(m[0] for m in means) / max(1, len(means))
    pg_mean = sum(m[1] for m in means) / max(1, len(means))
    login = sum(login_cpu) / len(login_cpu) if login_cpu else 0.0
    print(
        f"pages {len(means)}, mean CPU {django_mean + pg_mean:.1f} ms (Django {django_mean:.1f}, "
        f"PostgreSQL {pg_mean:.1f}), log-in POST {login:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
