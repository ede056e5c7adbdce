"""
Time `manage.py check`: how long every command, worker and test process
takes to load the apps, the URLconf and run the system checks.

    DJANGO_DEBUG=1 .venv/bin/python benchmarks/startup.py [--runs 5] [--against DIR]

Each run is a fresh `manage.py check` process with PYTHONDONTWRITEBYTECODE
unset (a first, uncounted run writes the .pyc files; with the variable set
every start compiles the apps again, about 0.45 s more). Prints a
calibration line and `uptime`, then the median wall time and CPU time (user
+ system, and user alone) of `--runs` runs. With `--against DIR` (another
checkout of the project, e.g. `git archive main | tar -x -C DIR`, with the
same .venv) the runs alternate between DIR and this checkout, so both see the
same load; the last line compares them.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import calibration_line  # noqa: E402


def run_check(root: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """One `manage.py check` in `root`: (wall, user + system CPU, user CPU) in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "check"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"manage.py check failed in {root}: {done.stderr}")
    user = after.ru_utime - before.ru_utime
    return wall, user + after.ru_stime - before.ru_stime, user


def summary(label: str, runs: list[tuple[float, float, float]]) -> str:
    wall, cpu, user = (statistics.median(values) for values in zip(*runs, strict=True))
    return (
        f"{label}: median of {len(runs)} runs: wall {wall:.2f} s, "
        f"CPU {cpu:.2f} s (user {user:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--against", type=Path, help="another checkout: its runs alternate with this one's"
    )
    args = parser.parse_args()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("DJANGO_DEBUG", "1")
    roots = [ROOT] if args.against is None else [args.against.resolve(), ROOT]
    print(calibration_line(), flush=True)
    for root in roots:
        run_check(root, env)  # writes the .pyc files; not counted
    runs: dict[Path, list[tuple[float, float, float]]] = {root: [] for root in roots}
    for _ in range(args.runs):
        for root in roots:
            runs[root].append(run_check(root, env))
    for root in roots:
        print(summary(str(root), runs[root]), flush=True)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    if args.against is not None:
        before = statistics.median(cpu for _, cpu, _ in runs[roots[0]])
        after = statistics.median(cpu for _, cpu, _ in runs[roots[1]])
        print(f"this checkout takes {after / before:.0%} of the CPU time of {roots[0]}")


if __name__ == "__main__":
    main()
