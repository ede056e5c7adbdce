"""JPEG: XMP and extended XMP in APP1, EXIF UserComment, C2PA in APP11.

Segments are walked up to the start of scan; entropy-coded image data is
never read.
"""

from __future__ import annotations

import struct

from .evidence import Evidence
from .source import MAX_ELEMENTS, BoundedReader, Inconclusive
from .tiff import collect_exif_bytes

XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
EXTENDED_XMP_SIGNATURE = b"http://ns.adobe.com/xmp/extension/\x00"
EXIF_SIGNATURE = b"Exif\x00\x00"
MAX_EXTENDED_XMP = 16 * 1024 * 1024
_STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}


def parse_jpeg(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from the metadata segments of a JPEG file."""
    evidence.format = "jpeg"
    extended: dict[bytes, dict[int, bytes]] = {}
    extended_total = 0
    offset = 2
    for _ in range(MAX_ELEMENTS):
        marker_bytes = reader.read_at(offset, 2)
        if marker_bytes[0] != 0xFF:
            raise Inconclusive(f"jpeg: no marker at offset {offset}")
        marker = marker_bytes[1]
        if marker == 0xFF:  # fill byte before a marker
            offset += 1
            continue
        offset += 2
        if marker in _STANDALONE_MARKERS:
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan
            break
        (length,) = struct.unpack(">H", reader.read_at(offset, 2))
        if length < 2:
            raise Inconclusive(f"jpeg: segment length {length} at offset {offset}")
        start, size = offset + 2, length - 2
        offset += length
        if offset > reader.size:
            raise Inconclusive(f"jpeg: segment at {start} runs past the end")
        if marker == 0xE1:
            payload = reader.read_at(start, size)
            if payload.startswith(XMP_SIGNATURE):
                evidence.add_xmp(payload[len(XMP_SIGNATURE) :], "jpeg:APP1:XMP")
            elif payload.startswith(EXTENDED_XMP_SIGNATURE):
                body = payload[len(EXTENDED_XMP_SIGNATURE) :]
                guid, chunk_offset = body[:32], body[36:40]
                if len(body) >= 40:
                    extended_total += len(body) - 40
                    if extended_total > MAX_EXTENDED_XMP:
                        raise Inconclusive("jpeg: extended XMP over the size cap")
                    (position,) = struct.unpack(">I", chunk_offset)
                    extended.setdefault(guid, {})[position] = body[40:]
            elif payload.startswith(EXIF_SIGNATURE):
                collect_exif_bytes(evidence, payload, "jpeg:APP1:EXIF")
            else:
                evidence.add_text_candidate(
                    f"jpeg:APP1@{start}", payload.decode("utf-8", "replace")
                )
        elif marker == 0xEB:
            head = reader.read_at(start, min(size, 64))
            if b"jumb" in head or b"c2pa" in head:
                evidence.info["c2pa_manifest"] = True
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
            payload = reader.read_at(start, size)
            if b"AIGC" in payload or b"Label" in payload:
                name = "COM" if marker == 0xFE else f"APP{marker - 0xE0}"
                evidence.add_text_candidate(
                    f"jpeg:{name}@{start}", payload.decode("utf-8", "replace")
                )
    else:
        raise Inconclusive("jpeg: too many segments")
    for chunks in extended.values():
        packet = b"".join(chunks[position] for position in sorted(chunks))
        evidence.add_xmp(packet, "jpeg:APP1:ExtendedXMP")
