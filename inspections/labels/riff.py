"""RIFF walk shared by WAV, AVI and WebP.

WAV: ``AIGC`` sub-chunk or ``LIST/INFO`` child ``AIGC`` (PG-202510A).
AVI: ``LIST/INFO`` child ``AIGC``. WebP: ``XMP `` and ``EXIF`` chunks.
The walk is iterative; ``data`` and ``movi`` payloads are skipped unread.
"""

from __future__ import annotations

import struct

from .evidence import Evidence
from .id3 import collect_id3_bytes
from .source import MAX_ELEMENTS, MAX_NESTING_DEPTH, BoundedReader, Inconclusive
from .tiff import collect_exif_bytes

MAX_METADATA_CHUNK = 8 * 1024 * 1024
_SKIPPED_LISTS = {b"movi", b"rec "}


def parse_riff(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from a RIFF file (WAV, AVI or WebP)."""
    header = reader.read_at(0, 12)
    form = header[8:12]
    evidence.format = {b"WEBP": "webp", b"WAVE": "wav", b"AVI ": "avi"}.get(form)
    (declared,) = struct.unpack("<I", header[4:8])
    # Streaming writers leave the RIFF size too large; the file size wins.
    end = min(8 + declared, reader.size)
    stack: list[tuple[int, int, int, str]] = [(12, end, 0, "")]
    visited = 0
    while stack:
        offset, end, depth, list_type = stack.pop()
        while offset + 8 <= end:
            visited += 1
            if visited > MAX_ELEMENTS:
                raise Inconclusive("riff: too many chunks")
            chunk_id, size = struct.unpack("<4sI", reader.read_at(offset, 8))
            start = offset + 8
            offset = start + size + (size & 1)
            if start + size > end:
                raise Inconclusive(
                    f"riff: {chunk_id!r} chunk at {start} runs past its parent"
                )
            if chunk_id in (b"LIST", b"RIFF"):
                if size < 4:
                    raise Inconclusive(f"riff: undersized LIST at {start}")
                child_type = reader.read_at(start, 4)
                if child_type in _SKIPPED_LISTS:
                    continue
                if depth + 1 > MAX_NESTING_DEPTH:
                    raise Inconclusive("riff: LIST nesting too deep")
                stack.append((offset, end, depth, list_type))
                stack.append(
                    (start + 4, start + size, depth + 1, child_type.decode("latin-1"))
                )
                break
            _record_chunk(evidence, reader, chunk_id, start, size, list_type)


def _read_metadata(reader: BoundedReader, start: int, size: int, what: str) -> bytes:
    if size > MAX_METADATA_CHUNK:
        raise Inconclusive(f"riff: {size}-byte {what} chunk")
    return reader.read_at(start, size)


def _record_chunk(
    evidence: Evidence,
    reader: BoundedReader,
    chunk_id: bytes,
    start: int,
    size: int,
    list_type: str,
) -> None:
    """Turn one RIFF chunk into sites or information."""
    name = chunk_id.decode("latin-1")
    prefix = f"riff:LIST/{list_type}/{name}" if list_type else f"riff:{name}"
    if chunk_id == b"AIGC":
        text = _read_metadata(reader, start, size, name)
        standard = evidence.format in ("wav", "avi") and list_type in ("", "INFO")
        evidence.add_site(
            prefix, text.decode("utf-8", "replace").strip("\x00 "), standard=standard
        )
    elif chunk_id in (b"XMP ", b"_PMX"):
        evidence.add_xmp(_read_metadata(reader, start, size, name), f"{prefix}:XMP")
    elif chunk_id == b"EXIF":
        collect_exif_bytes(evidence, _read_metadata(reader, start, size, name), prefix)
    elif chunk_id in (b"id3 ", b"ID3 "):
        # mutagen keeps WAV tags here; it is not a place the audio guide names.
        collect_id3_bytes(
            evidence,
            _read_metadata(reader, start, size, name),
            prefix,
            standard=False,
        )
    elif chunk_id == b"C2PA":
        evidence.info["c2pa_manifest"] = True
    elif list_type == "INFO" and size <= MAX_METADATA_CHUNK:
        info = reader.read_at(start, size).decode("utf-8", "replace")
        evidence.add_text_candidate(prefix, info)
