"""MP3: ID3v2.2/2.3/2.4 ``TXXX`` frame with description ``AIGC``.

Only the tag at the start of the file is read; audio frames are not.
"""

from __future__ import annotations

import struct

from .evidence import Evidence
from .source import MAX_ELEMENTS, BoundedReader, Inconclusive

MAX_TAG_BYTES = 16 * 1024 * 1024
_ENCODINGS = {0: "latin-1", 1: "utf-16", 2: "utf-16-be", 3: "utf-8"}


def _synchsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def _decode(encoding: int, data: bytes) -> str:
    """Decode one ID3 string in the frame's declared encoding."""
    if encoding == 1:
        # Each UTF-16 string has its own BOM; a missing one defaults to LE.
        has_bom = data[:2] in (b"\xff\xfe", b"\xfe\xff")
        return data.decode("utf-16" if has_bom else "utf-16-le", errors="replace")
    return data.decode(_ENCODINGS.get(encoding, "latin-1"), errors="replace")


def _split_description(encoding: int, data: bytes) -> tuple[str, str]:
    """Split a TXXX/COMM payload into its description and its value."""
    if encoding in (1, 2):
        end = 0
        while end + 1 < len(data) and data[end : end + 2] != b"\x00\x00":
            end += 2
        first, rest = data[:end], data[end + 2 :]
    else:
        first, _, rest = data.partition(b"\x00")
    return _decode(encoding, first), _decode(encoding, rest).strip("\x00")


def collect_id3_bytes(
    evidence: Evidence, tag: bytes, location: str, *, standard: bool = True
) -> None:
    """Collect sites from a complete ID3v2 tag held in memory."""
    if len(tag) < 10 or not tag.startswith(b"ID3"):
        raise Inconclusive(f"{location}: not an ID3v2 tag")
    major, flags = tag[3], tag[5]
    body = tag[10 : 10 + _synchsafe(tag[6:10])]
    if major < 2 or major > 4:
        evidence.add_warning(f"{location}: ID3v2.{major} is not supported")
        return
    if major < 4 and flags & 0x80:
        body = body.replace(b"\xff\x00", b"\xff")
    position = 0
    if flags & 0x40 and major >= 3:
        if len(body) < 4:
            raise Inconclusive(f"{location}: truncated extended header")
        if major == 3:
            position = 4 + struct.unpack(">I", body[:4])[0]
        else:
            position = _synchsafe(body[:4])
    id_size, header_size = (3, 6) if major == 2 else (4, 10)
    for _ in range(MAX_ELEMENTS):
        if position + header_size > len(body) or body[position] == 0:
            return
        header = body[position : position + header_size]
        frame_id = header[:id_size].decode("latin-1")
        if major == 2:
            size = int.from_bytes(header[3:6], "big")
            frame_flags = 0
        elif major == 3:
            size = struct.unpack(">I", header[4:8])[0]
            frame_flags = struct.unpack(">H", header[8:10])[0]
        else:
            size = _synchsafe(header[4:8])
            frame_flags = struct.unpack(">H", header[8:10])[0]
        start = position + header_size
        position = start + size
        if position > len(body):
            raise Inconclusive(f"{location}: frame {frame_id} runs past the tag")
        _record_frame(
            evidence,
            location,
            major,
            frame_id,
            frame_flags,
            body[start:position],
            standard,
        )
    raise Inconclusive(f"{location}: too many ID3 frames")


def _record_frame(
    evidence: Evidence,
    location: str,
    major: int,
    frame_id: str,
    frame_flags: int,
    data: bytes,
    standard: bool,
) -> None:
    """Turn one text-bearing ID3 frame into a site."""
    if frame_id not in ("TXXX", "TXX", "COMM", "COM"):
        return
    if major == 4:
        if frame_flags & 0x000C:  # compressed or encrypted
            evidence.add_warning(f"{location}: {frame_id} compressed or encrypted")
            return
        if frame_flags & 0x0001:  # data length indicator
            data = data[4:]
        if frame_flags & 0x0002:
            data = data.replace(b"\xff\x00", b"\xff")
    elif major == 3 and frame_flags & 0x00C0:
        evidence.add_warning(f"{location}: {frame_id} compressed or encrypted")
        return
    if not data:
        return
    encoding, payload = data[0], data[1:]
    if frame_id in ("COMM", "COM"):
        payload = payload[3:]  # language
    description, value = _split_description(encoding, payload)
    where = f"{location}:{frame_id}:{description}"
    if frame_id in ("TXXX", "TXX") and description == "AIGC":
        evidence.add_site(where, value, standard=standard)
    else:
        evidence.add_text_candidate(where, value)


def parse_mp3(evidence: Evidence, reader: BoundedReader) -> int:
    """Collect sites from the leading ID3v2 tag; return the tag's end."""
    evidence.format = "mp3"
    head = reader.read_upto(0, 10)
    if not head.startswith(b"ID3"):
        return 0
    if len(head) < 10:
        raise Inconclusive("id3: truncated tag header")
    size = 10 + _synchsafe(head[6:10]) + (10 if head[5] & 0x10 else 0)
    if size > MAX_TAG_BYTES:
        raise Inconclusive(f"id3: {size}-byte tag")
    tag = reader.read_at(0, size)
    collect_id3_bytes(evidence, tag, "id3")
    return size
