"""GB 45438 implicit-label checker: plain Python, no Django.

Public API::

    check_path(path, *, expected_uscc=None, budget_s=2.0) -> CheckResult
    check_stream(fileobj, *, path="<stream>", expected_uscc=None,
                 budget_s=2.0) -> CheckResult
    check_explicit_text(text) -> ExplicitTextResult
    explicit.check_explicit(path or bytes, modality=None) -> ExplicitResult
    uscc_is_valid(code) -> bool
    CHECKER_VERSION

The container is detected from magic bytes, every label site of
labeling-rules.md §2.4 is collected with bounded reads, and the rules in
``rules.py`` give one verdict: compliant, noncompliant, not_found or
inconclusive. Nothing here raises on a hostile file.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from typing import IO

from .detect import detect_format
from .evidence import Evidence, extract_json_object
from .explicit import EXPLICIT_CHECKER_VERSION, ExplicitTextResult, check_explicit_text
from .flac import parse_flac
from .flv import parse_flv
from .gif import parse_gif
from .id3 import parse_mp3
from .isobmff import parse_isobmff
from .jpeg import parse_jpeg
from .matroska import parse_matroska
from .ogg import parse_ogg
from .ooxml import parse_ooxml
from .pdf import parse_pdf
from .png import parse_png
from .result import (
    COMPLIANT,
    INCONCLUSIVE,
    NONCOMPLIANT,
    NOT_FOUND,
    VERDICTS,
    CheckResult,
    Finding,
    Site,
)
from .riff import parse_riff
from .rules import RULES, evaluate_sites
from .source import MIB, BoundedReader, Inconclusive
from .text import parse_text
from .tiff import parse_tiff
from .uscc import uscc_is_valid

__all__ = [
    "CHECKER_VERSION",
    "EXPLICIT_CHECKER_VERSION",
    "COMPLIANT",
    "DEFAULT_BUDGET_S",
    "INCONCLUSIVE",
    "NONCOMPLIANT",
    "NOT_FOUND",
    "RULES",
    "VERDICTS",
    "CheckResult",
    "ExplicitTextResult",
    "Finding",
    "Site",
    "check_explicit_text",
    "check_path",
    "check_stream",
    "uscc_is_valid",
]

CHECKER_VERSION = "1.1.0"
DEFAULT_BUDGET_S = 2.0
HEAD_SCAN = 256 * 1024
TAIL_SCAN = 64 * 1024
MAX_SPOOLED_STREAM = 512 * MIB
_TC260_NAMESPACE = b"tc260.org.cn/ns/AIGC"
_RAW_LABEL = re.compile(rb'AIGC["\'\x00 ]*[:=]?[\x00 ]*\{|\{\s*"Label"')
# Formats whose label carriers are compressed or fully parsed as text.
_NO_RAW_SCAN = {"ooxml", "docx", "xlsx", "pptx", "zip", "text", "markdown"}


def _walk(evidence: Evidence, reader: BoundedReader) -> None:
    """Detect the container and run its parser."""
    if reader.size == 0:
        raise Inconclusive("empty file")
    kind = detect_format(reader.read_upto(0, 64))
    evidence.format = kind
    if kind == "jpeg":
        parse_jpeg(evidence, reader)
    elif kind == "png":
        parse_png(evidence, reader)
    elif kind in ("webp", "wav", "avi"):
        parse_riff(evidence, reader)
    elif kind == "gif":
        parse_gif(evidence, reader)
    elif kind == "tiff":
        parse_tiff(evidence, reader)
    elif kind in ("mp4", "mov", "m4a", "heif", "avif"):
        parse_isobmff(evidence, reader, kind)
    elif kind in ("mkv", "webm"):
        parse_matroska(evidence, reader)
    elif kind == "flv":
        parse_flv(evidence, reader)
    elif kind == "mp3":
        tag_end = parse_mp3(evidence, reader)
        if tag_end and reader.read_upto(tag_end, 4) == b"fLaC":
            # An ID3 tag in front of FLAC is not where the guide puts labels.
            for site in evidence.sites:
                site.standard = False
            parse_flac(evidence, reader, tag_end)
    elif kind == "flac":
        parse_flac(evidence, reader)
    elif kind == "ogg":
        parse_ogg(evidence, reader)
    elif kind == "pdf":
        parse_pdf(evidence, reader)
    elif kind == "ooxml":
        parse_ooxml(evidence, reader)
    elif kind == "text":
        parse_text(evidence, reader)


def _scan_raw(evidence: Evidence, reader: BoundedReader) -> None:
    """Look for label fragments the structured walk did not explain.

    Only the head and tail windows are scanned, so a large file costs no
    more than a small one.
    """
    head = reader.read_upto(0, HEAD_SCAN)
    tail_start = max(len(head), reader.size - TAIL_SCAN)
    tail = reader.read_upto(tail_start, reader.size - tail_start)
    for base, window in ((0, head), (tail_start, tail)):
        for match in _RAW_LABEL.finditer(window):
            text = window[match.start() : match.start() + 65536].decode(
                "utf-8", errors="replace"
            )
            blob = extract_json_object(text)
            if blob:
                evidence.add_site(f"raw@{base + match.start()}", blob, standard=False)
                return
    if evidence.info.get("tc260_namespace"):
        return
    if _TC260_NAMESPACE in head or _TC260_NAMESPACE in tail:
        evidence.add_problem("TC260 AIGC namespace present but no label was read")


def _spool(fileobj: IO[bytes], deadline: float) -> IO[bytes]:
    """Copy a non-seekable stream to a temporary file, under caps."""
    spooled = tempfile.SpooledTemporaryFile(max_size=16 * MIB)
    copied = 0
    while True:
        if time.monotonic() > deadline:
            raise Inconclusive("time budget exceeded while reading the stream")
        chunk = fileobj.read(MIB)
        if not chunk:
            break
        copied += len(chunk)
        if copied > MAX_SPOOLED_STREAM:
            raise Inconclusive("stream larger than the spooling cap")
        spooled.write(chunk)
    spooled.seek(0)
    return spooled


def check_stream(
    fileobj: IO[bytes],
    *,
    path: str = "<stream>",
    expected_uscc: str | None = None,
    budget_s: float = DEFAULT_BUDGET_S,
) -> CheckResult:
    """Check one binary stream and return its result; never raise.

    ``expected_uscc`` is the inspected enterprise's USCC (IMP-08).
    ``budget_s`` bounds the time spent on this file.
    """
    started = time.perf_counter()
    deadline = time.monotonic() + budget_s
    evidence = Evidence(deadline)
    fatal: str | None = None
    try:
        seekable = getattr(fileobj, "seekable", lambda: False)()
        stream = fileobj if seekable else _spool(fileobj, deadline)
        reader = BoundedReader(stream, deadline=deadline)
        _walk(evidence, reader)
        if not evidence.sites and evidence.format not in _NO_RAW_SCAN:
            _scan_raw(evidence, reader)
        if evidence.format is None and not evidence.sites:
            fatal = "unrecognised file format"
    except Inconclusive as error:
        fatal = error.reason
    except (Exception, RecursionError, MemoryError) as error:  # noqa: BLE001
        # A parser bug must not stop a batch: report it as the reason.
        fatal = f"internal error: {type(error).__name__}: {error}"[:300]
    problems = [*evidence.problems, *([fatal] if fatal else [])]
    evaluation = evaluate_sites(
        evidence.sites, expected_uscc=expected_uscc, problems=problems
    )
    return CheckResult(
        path=path,
        format=evidence.format,
        verdict=evaluation.verdict,
        label=evaluation.label,
        sites=evidence.sites,
        findings=evaluation.findings,
        info=evidence.info,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        reason="; ".join(problems) or None,
    )


def check_path(
    path: str | os.PathLike[str],
    *,
    expected_uscc: str | None = None,
    budget_s: float = DEFAULT_BUDGET_S,
) -> CheckResult:
    """Check one file on disk and return its result; never raise."""
    name = os.fspath(path)
    started = time.perf_counter()
    try:
        with open(name, "rb") as fileobj:
            return check_stream(
                fileobj, path=name, expected_uscc=expected_uscc, budget_s=budget_s
            )
    except OSError as error:
        return CheckResult(
            path=name,
            format=None,
            verdict=INCONCLUSIVE,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            reason=f"cannot open: {error.strerror or error}",
        )
