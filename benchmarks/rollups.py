"""
Time the analytics roll-up refresh at national scale: the scheduled
incremental refresh after a typical few minutes of work, and (with --full)
the whole rebuild it replaces.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/labelwatch_scale \
        .venv/bin/python benchmarks/rollups.py [--findings 200] [--checks 1000] [--enterprises 5]
        [--full] [--verify]

Against a `seed_scale` database (it writes to it: the changes below are
committed, like real work). "A few minutes of work" is work in
`--inspections` inspections picked at random (their passing checks answered
again as failing, a new item with a check, their findings accepted) and
`--enterprises` enterprises moving district (their cells in every
campaign); each touches a cell (campaign x district x roles). Then it times
`analytics_rollups_refresh(incremental=True)`. `--verify` then rebuilds
whole and checks the incremental result gave exactly the same rows.
Prints a calibration line and `uptime` first; the last line is
`incremental refresh X s (C cells changed), full rebuild Y s`. Each refresh
also reports its CPU time, this process's and (PostgreSQL on this machine)
its database backend's, which a loaded machine inflates far less than the
wall time.
"""

import argparse
import datetime
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from stack import calibration_line  # noqa: E402

from enterprises.models import District, Enterprise  # noqa: E402
from inspections.models import Finding, FindingStatus, Inspection, ItemCheck, SampledItem  # noqa: E402
from reports.analytics.services import ALL_ROLLUPS, analytics_rollups_refresh  # noqa: E402
from reports.models import RollupChange  # noqa: E402

T = TypeVar("T")


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (None: not measurable)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server is on another machine
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, call: Callable[[], T]) -> tuple[float, T]:
    """Run `call`, print its wall and CPU time; returns (wall seconds, result)."""
    db_before, cpu_before, began = backend_cpu(), time.process_time(), time.monotonic()
    result = call()
    wall, cpu = time.monotonic() - began, time.process_time() - cpu_before
    db_after = backend_cpu()
    db = f", database {db_after - db_before:.1f} s" if db_before is not None and db_after is not None else ""
    print(f"{label}: {wall:.1f} s wall; CPU: python {cpu:.1f} s{db}", flush=True)
    return wall, result


def snapshot() -> dict:
    out = {}
    for model in ALL_ROLLUPS:
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        out[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return out


def make_changes(rng: random.Random, *, inspections: int, enterprises: int) -> int:
    """Work in `inspections` random inspections; returns the sampled-item checks changed."""
    top = Inspection.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    now = timezone.now()
    changed = 0
    user_id = SampledItem.objects.values_list("captured_by_id", flat=True).first()
    with transaction.atomic():
        for pk in rng.sample(range(1, top + 1), inspections):
            # Its items' checks answered again, a new item checked, its findings accepted.
            changed += ItemCheck.objects.filter(item__inspection_id=pk, result="pass").update(result="fail")
            item = SampledItem.objects.create(inspection_id=pk, modality="image", content_ref="bench",
                                              channel="web", captured_at=now, captured_by_id=user_id)
            ItemCheck.objects.create(item=item, issue_code_id="IMP-01", result="fail")
            Finding.objects.filter(inspection_id=pk).exclude(status=FindingStatus.WITHDRAWN).update(
                status=FindingStatus.ACCEPTED, closed_at=now)
        districts = list(District.values)
        # Chosen by the seed too, so that runs with one seed are comparable.
        ids = sorted(Enterprise.objects.values_list("pk", flat=True))
        for enterprise in Enterprise.objects.filter(pk__in=rng.sample(ids, enterprises)):
            enterprise.district = rng.choice([d for d in districts if d != enterprise.district])
            enterprise.save(update_fields=["district"])
    return changed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inspections", type=int, default=50,
                        help="inspections worked on since the last refresh")
    parser.add_argument("--enterprises", type=int, default=2, help="enterprises moving district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="also time a whole rebuild")
    parser.add_argument("--verify", action="store_true",
                        help="rebuild whole afterwards and compare (implies --full)")
    args = parser.parse_args()
    print(calibration_line(), flush=True)
    rng = random.Random(args.seed)
    # Start from roll-ups that are up to date (a previous refresh ran).
    began = time.monotonic()
    analytics_rollups_refresh(incremental=True)
    print(f"catch-up refresh before the changes: {time.monotonic() - began:.1f} s", flush=True)
    began = time.monotonic()
    checks = make_changes(rng, inspections=args.inspections, enterprises=args.enterprises)
    changes = RollupChange.objects.count()
    cells = RollupChange.objects.values_list(
        "campaign_id", "district", "is_generation_provider", "is_dissemination_platform",
        "is_app_store", "is_technical_supporter").distinct().count()
    months = {
        (*cell, (day or (timezone.localdate(at) if at else None) or datetime.date.min).replace(day=1))
        for *cell, at, day in RollupChange.objects.values_list(
            "campaign_id", "district", "is_generation_provider", "is_dissemination_platform",
            "is_app_store", "is_technical_supporter", "at", "day")
    }
    print(f"changes made in {time.monotonic() - began:.1f} s: {args.inspections} inspections worked "
          f"on ({checks} checks answered again, a new item each, findings accepted), "
          f"{args.enterprises} enterprises moved -> {changes} change rows, {cells} cells, "
          f"{len(months)} (cell, month) pairs", flush=True)
    incremental, state = timed("incremental refresh",
                               lambda: analytics_rollups_refresh(incremental=True))
    print(f"  (incremental={state.incremental}, {state.rows} violation rows)", flush=True)
    full = None
    if args.full or args.verify:
        after_incremental = snapshot() if args.verify else None
        full, _state = timed("full rebuild", analytics_rollups_refresh)
        if args.verify:
            same = snapshot() == after_incremental
            print("incremental rows equal the full rebuild's: " + ("yes" if same else "NO"))
    print("uptime: " + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(f"incremental refresh {incremental:.1f} s ({cells} cells, {len(months)} (cell, month) "
          "pairs changed), full rebuild "
          + (f"{full:.1f} s" if full is not None else "not run"))


if __name__ == "__main__":
    main()
