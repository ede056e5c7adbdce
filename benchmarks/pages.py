"""
Time every staff page in-process (Django test Client) against DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/labelwatch_scale \
        .venv/bin/python benchmarks/pages.py [--repeat 20] [--only analytics] [--as-inspector]

The URLconf is read at run time: every pattern of the staff apps is
requested with GET, path parameters filled from the database (the newest
row of the model the parameter names), export formats as csv and xlsx,
analytics dashboards by slug. Pages that answer other than 200 (POST-only
actions, forms of objects in the wrong state) are listed as skipped, except
an export that redirects to a background job (core.exports): its own
response is timed, and the job is not built (the worker's time is not the
page's); the jobs the run queued are deleted at the end.
Prints a calibration line and `uptime`, then median and p95 server time
and the query count per page, marking with `OVER` those above the targets
(`--target-ms`, 300; `--max-queries`, 20); the last line is
`pages N, worst p95 X ms, most queries Q, over target K`.

With `--cpu`, two more columns: the median CPU time a request took, in
this process (time.process_time) plus in the PostgreSQL backend that
served its queries (its run time in /proc/<pid>/schedstat, the database
being on this machine), and the median of the queries' time as the client
saw it. On a shared machine wall time counts the waits for a core; the
CPU time does not.

The export-job pages need a job of the user's own: the user gets a copy of
the newest finished campaign report (seed_scale builds one), as if they had
built it, and the copy is removed at the end.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402

STAFF_NAMESPACES = ("enterprises", "inspections", "rectification", "reports", "core")
# Path parameter names and URL-name words -> the model whose pk fills them.
MODEL_WORDS = [
    ("scorecard", "enterprises.Enterprise"),
    ("enterprise", "enterprises.Enterprise"),
    ("service", "enterprises.Service"),
    ("campaign", "inspections.Campaign"),
    ("plan", "inspections.SelectionPlan"),
    ("item", "inspections.SampledItem"),
    ("finding", "inspections.Finding"),
    ("inspection", "inspections.Inspection"),
    ("notice", "reports.Notice"),
    ("bulletin", "reports.Bulletin"),
    ("report", "rectification.RectificationReport"),
    ("extension", "rectification.ExtensionRequest"),
    ("export_job", "core.ExportJob"),
]
SKIP_WORDS = ("logout", "refresh", "delete", "download_file", "set_language")


def walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry.name, prefix + str(entry.pattern), entry.pattern.converters


# The model a bare `pk` names when the URL name does not say (enterprises:detail).
NAMESPACE_MODELS = {"enterprises": "enterprises.Enterprise"}
# Rows to open instead of the newest of the model (the user's own export job).
OWN_ROWS: dict[str, int] = {}


def model_for(name: str, param: str, namespace: str = ""):
    for word, label in MODEL_WORDS:
        if word in param or (param == "pk" and word in name):
            try:
                return apps.get_model(label)
            except LookupError:
                return None
    if param == "pk" and namespace in NAMESPACE_MODELS:
        return apps.get_model(NAMESPACE_MODELS[namespace])
    return None


def candidates(namespace, name, route, converters):
    """Yield (label, url) for one pattern, or nothing if it cannot be filled."""
    if any(w in name for w in SKIP_WORDS):
        return
    kwargs = {}
    variants = [{}]
    for param, converter in converters.items():
        kind = type(converter).__name__
        if param == "fmt":
            variants = [dict(v, fmt=f) for v in variants for f in ("csv", "xlsx")]
        elif param == "slug" and name.startswith("analytics"):
            from reports.analytics.dashboards import DASHBOARDS

            variants = [dict(v, slug=s) for v in variants for s in DASHBOARDS]
        elif kind == "IntConverter":
            model = model_for(name, param, namespace)
            pk = model.objects.order_by("-pk").values_list("pk", flat=True).first() if model else None
            if model is not None and model._meta.label in OWN_ROWS:
                pk = OWN_ROWS[model._meta.label]
            if pk is None:
                # Said, not silently dropped: no row to fill it (e.g. no notices at scale).
                print(f"skipped {namespace}:{name} (no {model._meta.label if model else param} to open)")
                return
            kwargs[param] = pk
        else:
            return
    for variant in variants:
        try:
            url = reverse(f"{namespace}:{name}", kwargs={**kwargs, **variant})
        except Exception:  # noqa: BLE001 - a pattern this script cannot fill
            continue
        label = f"{namespace}:{name}" + "".join(f" {v}" for v in variant.values())
        yield label, url


def backend_cpu_ns():
    """Run time so far of the PostgreSQL backend of this connection (None when not readable)."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    if getattr(connection, "_bench_pid", None) is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            connection._bench_pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{connection._bench_pid}/schedstat") as handle:
            return int(handle.read().split()[0])
    except OSError:
        return None


def own_campaign_report(user):
    """A copy for `user` of the newest finished campaign report (None if there is none)."""
    from core.models import ExportJob, ExportStatus

    newest = (ExportJob.objects.filter(kind="campaign_report", status=ExportStatus.DONE)
              .exclude(file="").order_by("-pk").first())
    if newest is None:
        return None
    return ExportJob.objects.create(
        owner=user, kind=newest.kind, params=newest.params, status=newest.status, file=newest.file.name,
        filename=newest.filename, content_type=newest.content_type, finished_at=newest.finished_at)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="namespace or name prefix to restrict to")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="stop repeating a page after this many seconds (runs are shown)")
    parser.add_argument("--target-ms", type=float, default=300.0, help="p95 target per page")
    parser.add_argument("--max-queries", type=int, default=20, help="query budget per page")
    parser.add_argument("--as-inspector", action="store_true",
                        help="time the pages as an inspector assigned to every campaign (the "
                             "campaign-scoped queries) instead of a supervisor")
    parser.add_argument("--cpu", action="store_true",
                        help="also print the median CPU ms per request (this process plus the "
                             "PostgreSQL backend) and the median of the queries' time")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stack import calibration_line

    print(calibration_line(), flush=True)

    from accounts.models import Role

    user_model = apps.get_model("accounts", "User")
    if args.as_inspector:
        user, _ = user_model.objects.get_or_create(
            username="bench_inspector", defaults={"role": Role.INSPECTOR, "first_name": "基准"})
        user.assigned_campaigns.set(apps.get_model("inspections", "Campaign").objects.all())
    else:
        user, _ = user_model.objects.get_or_create(
            username="bench_supervisor", defaults={"role": Role.SUPERVISOR, "first_name": "基准"}
        )
    client = Client(raise_request_exception=False)
    client.force_login(user)
    # Supervisors confirm their log-in with a second factor (accounts.second_factor):
    # the session carries a verified authenticator, as after the verify page.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    from unittest import mock

    from core.models import ExportJob

    jobs_before = set(ExportJob.objects.filter(owner=user).values_list("pk", flat=True))
    own_job = own_campaign_report(user)
    if own_job is not None:
        # The export-job pages open the user's own job, not the newest of anybody's.
        OWN_ROWS["core.ExportJob"] = own_job.pk
    jobs_prefix = reverse("core:export_jobs")
    no_worker = mock.patch("core.tasks.export_job_run_task.delay")
    no_worker.start()

    pages, skipped = [], []
    for namespace, name, route, converters in walk(get_resolver()):
        if namespace not in STAFF_NAMESPACES:
            continue
        if args.only and not f"{namespace}:{name}".startswith(args.only) and args.only not in name:
            continue
        pages.extend(candidates(namespace, name, route, converters))

    cpu_head = f" {'cpu ms':>7} {'sql ms':>7}" if args.cpu else ""
    print(f"{'page':58} {'median ms':>10} {'p95 ms':>8} {'queries':>8}{cpu_head}  url")
    results = []
    for label, url in pages:
        response = client.get(url)
        to_job = response.status_code == 302 and response["Location"].startswith(jobs_prefix)
        if response.status_code != 200 and not to_job:
            skipped.append((label, response.status_code))
            continue
        if to_job:
            label += " (job)"
        times, queries, cpus, sqls = [], 0, [], []
        page_began = time.perf_counter()
        for _ in range(args.repeat):
            if times and time.perf_counter() - page_began > args.budget:
                break
            backend_before = backend_cpu_ns() if args.cpu else None
            with CaptureQueriesContext(connection) as ctx:
                began, cpu_began = time.perf_counter(), time.process_time()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - began) * 1000)
                cpu = (time.process_time() - cpu_began) * 1000
            if args.cpu:
                backend_after = backend_cpu_ns()
                if backend_before is not None and backend_after is not None:
                    cpu += (backend_after - backend_before) / 1e6
                cpus.append(cpu)
                sqls.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
            queries = max(queries, len(ctx.captured_queries))
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        median = statistics.median(times)
        results.append((label, median, p95, queries))
        runs = "" if len(times) == args.repeat else f"  ({len(times)} runs)"
        over = "OVER " if p95 > args.target_ms or queries > args.max_queries else ""
        cpu_cols = f" {statistics.median(cpus):7.1f} {statistics.median(sqls):7.1f}" if args.cpu else ""
        print(f"{over}{label:58} {median:10.1f} {p95:8.1f} {queries:8d}{cpu_cols}  {url}{runs}", flush=True)
    no_worker.stop()
    ExportJob.objects.filter(owner=user).exclude(pk__in=jobs_before).delete()
    for label, status in skipped:
        print(f"skipped {label} (HTTP {status})")
    worst = max((r[2] for r in results), default=0.0)
    most = max((r[3] for r in results), default=0)
    over = sum(1 for r in results if r[2] > args.target_ms or r[3] > args.max_queries)
    from stack import uptime

    print(f"uptime: {uptime()}")
    print(f"pages {len(results)}, worst p95 {worst:.0f} ms, most queries {most}, over target {over}")


if __name__ == "__main__":
    main()
