"""FLAC: Vorbis comment ``AIGC=`` in the VORBIS_COMMENT metadata block.

``collect_vorbis_comment`` is shared with Ogg (Vorbis, Opus, FLAC-in-Ogg).
"""

from __future__ import annotations

import struct

from .evidence import Evidence
from .source import MAX_ELEMENTS, BoundedReader, Inconclusive

MAX_COMMENT_BLOCK = 8 * 1024 * 1024
MAX_COMMENTS = 10_000
BLOCK_VORBIS_COMMENT = 4


def collect_vorbis_comment(evidence: Evidence, data: bytes, location: str) -> None:
    """Collect sites from a Vorbis comment structure held in memory."""

    def take(position: int, length: int) -> bytes:
        if position + length > len(data):
            raise Inconclusive(f"{location}: truncated Vorbis comment")
        return data[position : position + length]

    (vendor_length,) = struct.unpack("<I", take(0, 4))
    position = 4 + vendor_length
    (count,) = struct.unpack("<I", take(position, 4))
    position += 4
    if count > MAX_COMMENTS:
        raise Inconclusive(f"{location}: {count} Vorbis comments")
    for _ in range(count):
        (length,) = struct.unpack("<I", take(position, 4))
        entry = take(position + 4, length).decode("utf-8", errors="replace")
        position += 4 + length
        key, _, value = entry.partition("=")
        if key.upper() == "AIGC":
            evidence.add_site(f"{location}:AIGC", value)
        else:
            evidence.add_text_candidate(f"{location}:{key}", value)


def parse_flac(evidence: Evidence, reader: BoundedReader, start: int = 0) -> None:
    """Collect label sites from the metadata blocks of a FLAC stream."""
    evidence.format = "flac"
    if reader.read_at(start, 4) != b"fLaC":
        raise Inconclusive("flac: missing fLaC marker")
    offset = start + 4
    for _ in range(MAX_ELEMENTS):
        header = reader.read_at(offset, 4)
        is_last, block_type = header[0] & 0x80, header[0] & 0x7F
        length = int.from_bytes(header[1:4], "big")
        offset += 4
        if offset + length > reader.size:
            raise Inconclusive(f"flac: metadata block at {offset} runs past the end")
        if block_type == BLOCK_VORBIS_COMMENT:
            if length > MAX_COMMENT_BLOCK:
                raise Inconclusive(f"flac: {length}-byte comment block")
            collect_vorbis_comment(
                evidence, reader.read_at(offset, length), "flac:VORBIS_COMMENT"
            )
        elif block_type == 127:
            raise Inconclusive("flac: invalid metadata block type 127")
        offset += length
        if is_last:
            return
    raise Inconclusive("flac: too many metadata blocks")
