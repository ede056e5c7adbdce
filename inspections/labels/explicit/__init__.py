"""Explicit labels: what people see or hear (GB 45438 clause 5; Measures Art. 4).

Public API::

    check_explicit(source, *, modality=None, budget_s=EXPLICIT_BUDGET_S) -> ExplicitResult
    check_explicit_text(text) -> ExplicitTextResult
    EXPLICIT_CHECKER_VERSION

``source`` is a path or the file's bytes; ``modality`` ("text", "image",
"video", "audio") says what the sample is, and the format read from the
magic bytes decides how it is read (the audio of a video is checked when
the sample is audio). The result has a ``status`` (found, missing,
inconclusive, not_applicable), the ``marks`` found, EXP ``findings`` and
``evidence`` files (crops, frames, a waveform, excerpts).

Heavy libraries (numpy, Pillow, PyAV, the OCR engine, pypdf) are
imported inside the functions that use them: importing this package costs
nothing. Nothing here downloads anything or raises on a hostile file.
"""

from __future__ import annotations

import os
import time

from ..detect import detect_format
from ..source import Inconclusive
from .result import (
    AUDIO,
    FOUND,
    IMAGE,
    INCONCLUSIVE,
    MISSING,
    MODALITIES,
    NOT_APPLICABLE,
    STATUSES,
    TEXT,
    VIDEO,
    EvidenceFile,
    ExplicitResult,
    Mark,
)
from .text import ExplicitTextResult, check_explicit_text

__all__ = [
    "AUDIO",
    "EXPLICIT_BUDGET_S",
    "EXPLICIT_CHECKER_VERSION",
    "EXPLICIT_RULES",
    "FOUND",
    "IMAGE",
    "INCONCLUSIVE",
    "MISSING",
    "MODALITIES",
    "NOT_APPLICABLE",
    "STATUSES",
    "TEXT",
    "VIDEO",
    "EvidenceFile",
    "ExplicitResult",
    "ExplicitTextResult",
    "Mark",
    "check_explicit",
    "check_explicit_text",
    "modality_of_format",
    "with_explicit",
]

EXPLICIT_CHECKER_VERSION = "1.0.0"
EXPLICIT_BUDGET_S = 20.0
MAX_READ_BYTES = 64 * 1024 * 1024

EXPLICIT_RULES: dict[str, str] = {
    "EXP-01": "No explicit label",
    "EXP-03": "The text label lacks the AI or the generation element",
    "EXP-04": "Label text lower than 5 % of the shortest side",
    "EXP-05": "Video label not on the opening frame or shown under 2 s",
    "EXP-06": "Audio has neither a voice prompt nor the 短长短短 rhythm",
    "EXP-08": "Label not prominent (contrast below the threshold)",
}

_FORMAT_MODALITY = {
    **dict.fromkeys(("jpeg", "png", "webp", "gif", "tiff", "heif", "avif"), IMAGE),
    **dict.fromkeys(("mp4", "mov", "mkv", "webm", "flv", "avi"), VIDEO),
    **dict.fromkeys(("mp3", "flac", "ogg", "wav", "m4a"), AUDIO),
    **dict.fromkeys(("text", "markdown", "pdf", "ooxml"), TEXT),
}


def modality_of_format(kind: str | None) -> str | None:
    """The modality a detected format carries (a video container: video)."""
    return _FORMAT_MODALITY.get(kind or "")


def _read(source: str | os.PathLike[str] | bytes) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    with open(source, "rb") as handle:
        data = handle.read(MAX_READ_BYTES + 1)
    if len(data) > MAX_READ_BYTES:
        raise Inconclusive("file larger than the explicit checker reads")
    return data


def _head(source: str | os.PathLike[str] | bytes) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source[:1024])
    with open(source, "rb") as handle:
        return handle.read(1024)


def _check_text(source, kind: str, deadline: float) -> ExplicitResult:
    from . import documents

    data = _read(source)
    text: str | None
    if kind == "pdf":
        text = documents.pdf_text(data, deadline=deadline)
    elif kind == "ooxml":
        text = documents.docx_text(data)
        if text is None:
            return ExplicitResult(TEXT, NOT_APPLICABLE,
                                  reason="an Office file other than DOCX has no text checked")
    elif kind == "markdown" or (kind == "text" and data.lstrip(b"\xef\xbb\xbf").startswith(b"---")):
        text = documents.markdown_text(data)
    else:
        text = documents.plain_text(data)
    outcome = check_explicit_text(text)
    marks = []
    if outcome.label is not None:
        marks.append(Mark(kind="text", text=outcome.label, where=outcome.position,
                          conforming=outcome.passed))
    status = FOUND if outcome.label is not None else MISSING
    return ExplicitResult(TEXT, status, marks=marks, findings=list(outcome.findings),
                          details={"characters": len(text)})


def check_explicit(
    source: str | os.PathLike[str] | bytes,
    *,
    modality: str | None = None,
    budget_s: float = EXPLICIT_BUDGET_S,
) -> ExplicitResult:
    """Check one file for its explicit label; never raise.

    Hostile, huge or unreadable files end ``inconclusive`` with a reason
    within about ``budget_s`` seconds.
    """
    started = time.perf_counter()
    deadline = time.monotonic() + budget_s
    result: ExplicitResult
    try:
        kind = detect_format(_head(source))
        carried = modality_of_format(kind)
        wanted = modality or carried
        if carried is None:
            result = ExplicitResult(wanted, INCONCLUSIVE if kind is None else NOT_APPLICABLE,
                                    reason="unrecognised file format" if kind is None
                                    else f"{kind} files carry no {wanted or 'checked'} content")
        elif wanted == TEXT and carried == TEXT:
            result = _check_text(source, kind or "text", deadline)
        elif wanted == IMAGE and carried == IMAGE:
            from .image import check_image

            result = check_image(source, deadline=deadline)
        elif wanted == VIDEO and carried == VIDEO:
            from .video import check_video

            result = check_video(source, deadline=deadline)
        elif wanted == AUDIO and carried in (AUDIO, VIDEO):
            from .audio import check_audio

            result = check_audio(source, deadline=deadline)
        else:
            result = ExplicitResult(wanted, NOT_APPLICABLE,
                                    reason=f"a {kind} file is not a {wanted} sample")
    except Inconclusive as error:
        result = ExplicitResult(modality, INCONCLUSIVE, reason=error.reason)
    except OSError as error:
        result = ExplicitResult(modality, INCONCLUSIVE,
                                reason=f"cannot open: {error.strerror or error}")
    except (Exception, RecursionError, MemoryError) as error:  # noqa: BLE001
        # A decoder bug must not stop a batch: report it as the reason.
        result = ExplicitResult(modality, INCONCLUSIVE,
                                reason=f"internal error: {type(error).__name__}: {error}"[:300])
    if result.status == INCONCLUSIVE:
        # An unsure result decides nothing: no findings, the inspector looks.
        result.findings = []
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result


def with_explicit(data: dict, explicit: ExplicitResult) -> dict:
    """Add the ``explicit`` object and the EXP findings to a ``checklabels --json`` object.

    The keys keep their order, with ``explicit`` just before ``elapsed_ms``.
    """
    merged = {key: value for key, value in data.items() if key != "elapsed_ms"}
    merged["findings"] = [
        *data.get("findings", []), *(finding.to_json_dict() for finding in explicit.findings)
    ]
    merged["explicit"] = explicit.to_json_dict()
    if "elapsed_ms" in data:
        merged["elapsed_ms"] = data["elapsed_ms"]
    return merged


