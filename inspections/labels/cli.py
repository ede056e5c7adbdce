"""Command-line front end: ``checklabels [--json] [--explicit] [--uscc USCC] PATH...``.

``run_cli`` holds the whole behaviour so that a Django management command
can wrap it in one line. With ``--json`` it prints one JSON object per
file and line (the public schema of ``CheckResult.to_json_dict``);
otherwise a table and a summary line. ``--explicit`` also checks the
visible or audible label (``explicit`` object, EXP findings); without it
the output is exactly what it was before. The exit status is 0 even when
files fail the checks, and 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from . import CHECKER_VERSION, DEFAULT_BUDGET_S, VERDICTS, CheckResult, check_path

EXIT_OK = 0
EXIT_USAGE = 2


class UsageError(Exception):
    """Raised instead of argparse's ``sys.exit`` on bad arguments."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (shared with the management command)."""
    parser = _Parser(
        prog="checklabels",
        description="Check GB 45438 implicit AIGC labels in files.",
        add_help=False,
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per file and line"
    )
    parser.add_argument(
        "--uscc", default=None, help="the inspected enterprise's USCC (rule IMP-08)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET_S,
        help="time budget per file in seconds",
    )
    parser.add_argument(
        "--explicit",
        action="store_true",
        help="also check the explicit (visible or audible) label: OCR, rhythm, text",
    )
    parser.add_argument(
        "--explicit-budget",
        type=float,
        default=None,
        help="time budget per file for the explicit check in seconds",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH")
    return parser


def iter_files(paths: Sequence[str]) -> Iterator[str]:
    """Yield the files named, recursing into directories in sorted order."""
    for path in paths:
        if os.path.isdir(path):
            for directory, subdirectories, files in os.walk(path):
                subdirectories.sort()
                for name in sorted(files):
                    yield os.path.join(directory, name)
        else:
            yield path


def _table_row(result: CheckResult, explicit: Any = None) -> str:
    rules = ",".join([*result.rules, *(explicit.rules if explicit else [])]) or "-"
    detail = f"  ({result.reason})" if result.reason else ""
    if explicit is None:
        return (
            f"{result.verdict:<13} {result.format or '?':<8} {rules:<24} "
            f"{result.path}{detail}"
        )
    if explicit.reason:
        detail += f"  (explicit: {explicit.reason})"
    return (
        f"{result.verdict:<13} {explicit.status:<14} {result.format or '?':<8} "
        f"{rules:<24} {result.path}{detail}"
    )


def _json_line(result: CheckResult, explicit: Any = None) -> str:
    data = result.to_json_dict()
    if explicit is not None:
        from .explicit import with_explicit

        data = with_explicit(data, explicit)
    return json.dumps(data, ensure_ascii=False)


def run_cli(argv: Sequence[str], stdout: TextIO, stderr: TextIO | None = None) -> int:
    """Run ``checklabels`` with ``argv`` (no program name); return the status."""
    stderr = stderr or sys.stderr
    parser = build_parser()
    if "-h" in argv or "--help" in argv:
        parser.print_help(stdout)
        return EXIT_OK
    try:
        options = parser.parse_args(list(argv))
        if not options.paths:
            raise UsageError("at least one PATH is required")
        missing = [path for path in options.paths if not os.path.exists(path)]
        if missing:
            raise UsageError(f"no such file or directory: {', '.join(missing)}")
        if options.budget <= 0:
            raise UsageError("--budget must be positive")
        if options.explicit_budget is not None and options.explicit_budget <= 0:
            raise UsageError("--explicit-budget must be positive")
    except UsageError as error:
        stderr.write(f"{parser.format_usage()}checklabels: error: {error}\n")
        return EXIT_USAGE
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    if not options.json:
        explicit_column = f"{'EXPLICIT':<14} " if options.explicit else ""
        stdout.write(f"{'VERDICT':<13} {explicit_column}{'FORMAT':<8} {'RULES':<24} PATH\n")
    for path in iter_files(options.paths):
        result = check_path(path, expected_uscc=options.uscc, budget_s=options.budget)
        counts[result.verdict] += 1
        explicit = None
        if options.explicit:
            from .explicit import EXPLICIT_BUDGET_S, check_explicit

            explicit = check_explicit(
                path, budget_s=options.explicit_budget or EXPLICIT_BUDGET_S
            )
        if options.json:
            stdout.write(_json_line(result, explicit) + "\n")
        else:
            stdout.write(_table_row(result, explicit) + "\n")
    if not options.json:
        elapsed = time.perf_counter() - started
        total = sum(counts.values())
        parts = ", ".join(f"{counts[verdict]} {verdict}" for verdict in VERDICTS)
        stdout.write(
            f"{total} files: {parts} in {elapsed:.2f} s (checker {CHECKER_VERSION})\n"
        )
    return EXIT_OK


def main() -> None:  # pragma: no cover - thin shell entry point
    """Run from ``python -m inspections.labels.cli``."""
    sys.exit(run_cli(sys.argv[1:], sys.stdout))


if __name__ == "__main__":  # pragma: no cover
    main()
