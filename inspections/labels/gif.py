"""GIF: the "XMP DataXMP" application extension and comment extensions.

Image data sub-blocks are skipped in bulk; GIF has no nesting.
"""

from __future__ import annotations

from .evidence import Evidence
from .source import MAX_ELEMENTS, BoundedReader, Inconclusive

MAX_EXTENSION_BYTES = 8 * 1024 * 1024
_WINDOW = 64 * 1024


def _sub_blocks_end(reader: BoundedReader, offset: int) -> int:
    """Return the offset just past a chain of data sub-blocks."""
    window_start, window = offset, b""
    for _ in range(MAX_ELEMENTS * 10):
        index = offset - window_start
        if index >= len(window):
            window_start, window = offset, reader.read_upto(offset, _WINDOW)
            if not window:
                raise Inconclusive("gif: data sub-blocks run past the end")
            index = 0
        length = window[index]
        offset += 1 + length
        if length == 0:
            return offset
    raise Inconclusive("gif: too many data sub-blocks")


def parse_gif(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from the extension blocks of a GIF file."""
    evidence.format = "gif"
    screen = reader.read_at(6, 7)
    offset = 13
    if screen[4] & 0x80:
        offset += 3 * (2 << (screen[4] & 7))
    for _ in range(MAX_ELEMENTS):
        introducer = reader.read_at(offset, 1)[0]
        if introducer == 0x3B:  # trailer
            return
        if introducer == 0x2C:  # image descriptor
            descriptor = reader.read_at(offset + 1, 9)
            offset += 10
            if descriptor[8] & 0x80:
                offset += 3 * (2 << (descriptor[8] & 7))
            offset = _sub_blocks_end(reader, offset + 1)  # after LZW code size
            continue
        if introducer != 0x21:
            raise Inconclusive(f"gif: unknown block 0x{introducer:02X} at {offset}")
        label = reader.read_at(offset + 1, 1)[0]
        data_start = offset + 2
        offset = _sub_blocks_end(reader, data_start)
        if label == 0xFF:
            _record_application(evidence, reader, data_start, offset)
        elif label == 0xFE:
            raw = _read_region(reader, data_start, offset)
            evidence.add_text_candidate("gif:Comment", _join_sub_blocks(raw))
    raise Inconclusive("gif: too many blocks")


def _read_region(reader: BoundedReader, start: int, end: int) -> bytes:
    if end - start > MAX_EXTENSION_BYTES:
        raise Inconclusive(f"gif: {end - start}-byte extension")
    return reader.read_at(start, end - start)


def _join_sub_blocks(raw: bytes) -> str:
    """Concatenate sub-block payloads and decode them as UTF-8."""
    parts, position = [], 0
    while position < len(raw) and raw[position]:
        parts.append(raw[position + 1 : position + 1 + raw[position]])
        position += 1 + raw[position]
    return b"".join(parts).decode("utf-8", errors="replace")


def _record_application(
    evidence: Evidence, reader: BoundedReader, start: int, end: int
) -> None:
    """Handle an application extension; XMP is stored raw, not as blocks."""
    identifier = reader.read_at(start, 12)
    if identifier[0] != 11:
        return
    if identifier[1:12] == b"XMP DataXMP":
        # The packet bytes double as sub-block lengths and are followed by
        # a 258-byte "magic trailer" (0x01, 0xFF down to 0x00): cut it off.
        raw = _read_region(reader, start + 12, end)
        trailer = raw.find(b"\x01\xff\xfe\xfd\xfc")
        if trailer >= 0:
            raw = raw[:trailer]
        evidence.add_xmp(raw[: raw.rfind(b">") + 1], "gif:XMP")
    elif identifier[1:9] == b"C2PA_GIF":
        evidence.info["c2pa_manifest"] = True
