"""Benchmark the label checker against ``exiftool -j -q`` on one core.

Generate a mixed corpus (images, audio, MP4 with a large ``mdat`` before
``moov``, MKV/WebM, FLV, PDF, DOCX, Markdown; labelled and not) in a
temporary folder, run the checker over it in this process and exiftool in
batch mode over the same folder, then print both throughputs, their ratio
and the number of files where exiftool read an AIGC string that differs
from the checker's (compared as normalised JSON).

Usage: python benchmarks/labels.py [--files 2400] [--mdat-mb 16] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from inspections.labels import check_path  # noqa: E402
from tests.labels import builders  # noqa: E402


def _variants() -> list[tuple[str, str, Callable[[str | None], bytes]]]:
    """Return (name, extension, builder) for each kind of corpus file."""
    b = builders
    return [
        ("jpeg-xmp", "jpg", lambda label: b.jpeg_bytes(xmp=b.xmp_packet(label))),
        (
            "jpeg-xmp-attr",
            "jpg",
            lambda label: b.jpeg_bytes(
                xmp=b.xmp_packet(label, form="attribute", prefix="aigc")
            ),
        ),
        (
            "jpeg-exif",
            "jpg",
            lambda label: b.jpeg_bytes(
                exif=b.exif_block(user_comment=_wrap(label)) if label else None
            ),
        ),
        ("png-xmp", "png", lambda label: b.png_xmp(label)),
        (
            "png-text",
            "png",
            lambda label: b.png_bytes(
                *([b.text_chunk("AIGC", _wrap(label))] if label else [])
            ),
        ),
        ("webp", "webp", lambda label: b.webp_bytes(b.xmp_packet(label))),
        ("gif", "gif", lambda label: b.gif_bytes(b.xmp_packet(label))),
        ("tiff", "tif", lambda label: b.tiff_bytes(b.xmp_packet(label))),
        ("mp3", "mp3", lambda label: b.mp3_bytes(label)),
        ("wav", "wav", lambda label: b.wav_bytes(aigc=label)),
        ("flac", "flac", lambda label: b.flac_bytes({"AIGC": label} if label else {})),
        (
            "ogg",
            "opus",
            lambda label: b.ogg_opus_bytes({"AIGC": label} if label else {}),
        ),
        ("m4a", "m4a", lambda label: b.mp4_bytes(label, brand=b"M4A ")),
        # Tags after the Cluster as mkvmerge writes them (exiftool reads no
        # further than the first Cluster without -ee), and before it as ffmpeg.
        ("mkv", "mkv", lambda label: b.mkv_bytes(label)),
        (
            "webm",
            "webm",
            lambda label: b.mkv_bytes(label, doc_type="webm", tags_first=True),
        ),
        ("flv", "flv", lambda label: b.flv_bytes(label)),
        ("pdf", "pdf", lambda label: b.pdf_bytes(label)),
        ("docx", "docx", lambda label: b.docx_bytes(label)),
        ("markdown", "md", lambda label: b.markdown_bytes(label)),
    ]


def _wrap(label: str | None) -> str:
    return json.dumps({"AIGC": json.loads(label)}, separators=(",", ":"))


def _label_for(index: int) -> str | None:
    """Return the label of file ``index``: mostly valid, some not, some absent."""
    if index % 4 == 3:
        return None
    overrides: dict[str, object] = {"ProduceID": f"P{index:08d}", "PropagateID": ""}
    if index % 10 == 1:
        overrides["Label"] = "AIGC"
    if index % 10 == 2:
        overrides["ContentProducer"] = "doubao"
    return builders.label_json(**overrides)


def build_corpus(root: Path, count: int, mdat_bytes: int) -> Counter[str]:
    """Write ``count`` files into ``root``; one in nine is a large MP4."""
    kinds: Counter[str] = Counter()
    variants = _variants()
    for index in range(count):
        label = _label_for(index)
        if index % 9 == 0:
            name = "mp4-large-mdat"
            builders.write_mp4(
                str(root / f"{index:05d}.mp4"), label, mdat_size=mdat_bytes
            )
        else:
            name, extension, build = variants[index % len(variants)]
            (root / f"{index:05d}.{extension}").write_bytes(build(label))
        kinds[name] += 1
    return kinds


def run_checker(paths: list[Path]) -> tuple[float, dict[str, Any]]:
    """Check every file; return seconds and path -> result."""
    started = time.perf_counter()
    results = {str(path): check_path(path) for path in paths}
    return time.perf_counter() - started, results


def run_exiftool(root: Path) -> tuple[float, dict[str, dict[str, Any]]]:
    """Run one exiftool process over the folder; return seconds and output."""
    started = time.perf_counter()
    completed = subprocess.run(
        ["exiftool", "-j", "-q", "-r", str(root)],
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    records = json.loads(completed.stdout or b"[]")
    return elapsed, {record["SourceFile"]: record for record in records}


def _exiftool_aigc_strings(record: dict[str, Any]) -> list[str]:
    """Return every AIGC string exiftool reported for one file."""
    found = []
    for key, value in record.items():
        if not isinstance(value, str):
            continue
        if "aigc" in key.lower():
            found.append(value)
        elif key in ("UserComment", "UserDefinedText", "Comment") and "AIGC" in value:
            found.append(value.removeprefix("(AIGC) "))
    return found


def _normalise(text: str) -> Any:
    """Return the inner label object of a JSON string, or the stripped text."""
    try:
        value = json.loads(text)
    except ValueError:
        return text.strip()
    if isinstance(value, dict) and set(value) == {"AIGC"}:
        return value["AIGC"]
    return value


def compare(
    checker: dict[str, Any], exiftool: dict[str, dict[str, Any]]
) -> tuple[int, int, list[str]]:
    """Count files where exiftool found an AIGC string, and disagreements."""
    compared, disagreements = 0, []
    for path, record in exiftool.items():
        strings = _exiftool_aigc_strings(record)
        if not strings:
            continue
        compared += 1
        result = checker.get(path)
        ours = [
            _normalise(site.raw) if site.parsed is None else site.parsed
            for site in (result.sites if result else [])
        ]
        for text in strings:
            if _normalise(text) not in ours:
                disagreements.append(path)
                break
    return compared, len(disagreements), disagreements


def main() -> int:
    """Build the corpus, run both tools and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2400)
    parser.add_argument("--mdat-mb", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the corpus")
    options = parser.parse_args()
    if shutil.which("exiftool") is None:
        print("exiftool not found (apt-get install libimage-exiftool-perl)")
        return 1
    # One core for both: exiftool inherits this affinity.
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    root = Path(tempfile.mkdtemp(prefix="labels-bench-"))
    try:
        started = time.perf_counter()
        kinds = build_corpus(root, options.files, options.mdat_mb * 1024 * 1024)
        paths = sorted(path for path in root.iterdir() if path.is_file())
        apparent = sum(path.stat().st_size for path in paths)
        print(
            f"corpus: {len(paths)} files, {apparent / 2**20:.0f} MiB apparent, "
            f"built in {time.perf_counter() - started:.1f} s in {root}"
        )
        print("  " + ", ".join(f"{name} {n}" for name, n in sorted(kinds.items())))
        for path in paths:  # warm the page cache for both tools alike
            with open(path, "rb") as handle:
                handle.read(65536)
        exif_seconds, exif_records = run_exiftool(root)
        checker_seconds, results = run_checker(paths)
        checker_rate = len(paths) / checker_seconds
        # Per file given, not per record: exiftool skips Markdown silently.
        exif_rate = len(paths) / exif_seconds
        verdicts = Counter(result.verdict for result in results.values())
        compared, disagreeing, examples = compare(results, exif_records)
        print(
            f"checker : {checker_rate:8.0f} files/s ({checker_seconds:.2f} s) "
            f"verdicts {dict(sorted(verdicts.items()))}"
        )
        print(
            f"exiftool: {exif_rate:8.0f} files/s ({exif_seconds:.2f} s, "
            f"{len(exif_records)} records)"
        )
        print(f"ratio   : {checker_rate / exif_rate:8.1f}x")
        print(
            f"AIGC strings found by exiftool: {compared} files; "
            f"disagreements: {disagreeing}"
        )
        for path in examples[:5]:
            print(f"  disagree: {path}")
        return 0
    finally:
        if options.keep:
            print(f"corpus kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
