"""Ogg: the comment header packet of Vorbis, Opus, Theora or FLAC streams.

Pages are read only until every logical stream's second packet (the
comment header) is complete; audio pages are never read.
"""

from __future__ import annotations

import struct

from .evidence import Evidence
from .flac import collect_vorbis_comment
from .source import BoundedReader, Inconclusive

MAX_HEADER_PACKET = 8 * 1024 * 1024
MAX_PAGES = 4096
_COMMENT_PREFIXES = (
    (b"\x03vorbis", "vorbis"),
    (b"OpusTags", "opus"),
    (b"\x81theora", "theora"),
)


def parse_ogg(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from the comment headers of an Ogg file."""
    evidence.format = "ogg"
    packets: dict[int, list[bytes]] = {}
    partial: dict[int, bytearray] = {}
    done: set[int] = set()
    offset = 0
    for _ in range(MAX_PAGES):
        if offset >= reader.size:
            break
        header = reader.read_at(offset, 27)
        if header[:4] != b"OggS":
            raise Inconclusive(f"ogg: no page at offset {offset}")
        serial = struct.unpack("<I", header[14:18])[0]
        segment_count = header[26]
        lacing = reader.read_at(offset + 27, segment_count)
        body_start = offset + 27 + segment_count
        offset = body_start + sum(lacing)
        if serial in done:
            continue
        body = reader.read_at(body_start, sum(lacing))
        position = 0
        buffer = partial.setdefault(serial, bytearray())
        for size in lacing:
            buffer += body[position : position + size]
            position += size
            if len(buffer) > MAX_HEADER_PACKET:
                raise Inconclusive("ogg: header packet over the size cap")
            if size < 255:
                packets.setdefault(serial, []).append(bytes(buffer))
                buffer.clear()
                if len(packets[serial]) >= 2:
                    done.add(serial)
                    buffer.clear()
                    break
        if done == set(partial):
            break
    for serial in partial:
        stream_packets = packets.get(serial, [])
        if len(stream_packets) < 2:
            evidence.add_problem(f"ogg: stream {serial} ends before its comments")
            continue
        _collect_comment_packet(evidence, stream_packets[1], serial)


def _collect_comment_packet(evidence: Evidence, packet: bytes, serial: int) -> None:
    for prefix, codec in _COMMENT_PREFIXES:
        if packet.startswith(prefix):
            collect_vorbis_comment(
                evidence, packet[len(prefix) :], f"ogg:{codec}:{serial}"
            )
            return
    if packet[:1] == b"\x84" or packet[:1] == b"\x04":
        # FLAC-in-Ogg: a metadata block header precedes the comment.
        collect_vorbis_comment(evidence, packet[4:], f"ogg:flac:{serial}")
