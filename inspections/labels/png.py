"""PNG: iTXt XMP, tEXt/zTXt/iTXt keyword ``AIGC``, eXIf and C2PA (caBX).

Chunk headers are walked with seeks; IDAT payloads are never read.
"""

from __future__ import annotations

import struct
import zlib

from .evidence import Evidence
from .source import MAX_ELEMENTS, BoundedReader, Inconclusive
from .tiff import collect_exif_bytes

MAX_TEXT_CHUNK = 8 * 1024 * 1024
MAX_INFLATED = 4 * 1024 * 1024
_TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt"}


def inflate_bounded(data: bytes, limit: int, what: str) -> bytes:
    """Inflate zlib data, refusing output over ``limit`` (zip-bomb guard)."""
    inflater = zlib.decompressobj()
    try:
        result = inflater.decompress(data, limit + 1)
    except zlib.error as error:
        raise Inconclusive(f"{what}: bad compressed data ({error})") from error
    if len(result) > limit:
        raise Inconclusive(f"{what}: inflates past {limit} bytes")
    return result


def _decode_text_chunk(kind: bytes, data: bytes, location: str) -> tuple[str, str]:
    """Return (keyword, text) of a tEXt, zTXt or iTXt chunk."""
    keyword, _, rest = data.partition(b"\x00")
    name = keyword.decode("latin-1")
    if kind == b"tEXt":
        return name, rest.decode("latin-1")
    if kind == b"zTXt":
        return name, inflate_bounded(rest[1:], MAX_INFLATED, location).decode("latin-1")
    compressed = rest[:1] == b"\x01"
    _language, _, rest = rest[2:].partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        text = inflate_bounded(text, MAX_INFLATED, location)
    return name, text.decode("utf-8", errors="replace")


def parse_png(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from the ancillary chunks of a PNG file."""
    evidence.format = "png"
    offset = 8
    for _ in range(MAX_ELEMENTS):
        length, kind = struct.unpack(">I4s", reader.read_at(offset, 8))
        if length > 0x7FFFFFFF:
            raise Inconclusive(f"png: chunk length {length} at offset {offset}")
        start = offset + 8
        offset = start + length + 4  # data and CRC
        if offset > reader.size:
            raise Inconclusive(f"png: {kind!r} chunk at {start} runs past the end")
        if kind == b"IEND":
            return
        if kind in _TEXT_CHUNKS:
            if length > MAX_TEXT_CHUNK:
                raise Inconclusive(f"png: {length}-byte text chunk")
            location = f"png:{kind.decode()}"
            keyword, text = _decode_text_chunk(
                kind, reader.read_at(start, length), location
            )
            if keyword == "XML:com.adobe.xmp":
                evidence.add_xmp(text.encode("utf-8"), f"{location}:XMP")
            elif keyword == "AIGC":
                # Annex B of the image guide names the AIGC keyword.
                evidence.add_site(f"{location}:AIGC", text)
            else:
                evidence.add_text_candidate(f"{location}:{keyword}", text)
        elif kind == b"eXIf":
            if length > MAX_TEXT_CHUNK:
                raise Inconclusive(f"png: {length}-byte eXIf chunk")
            collect_exif_bytes(evidence, reader.read_at(start, length), "png:eXIf")
        elif kind == b"caBX":
            evidence.info["c2pa_manifest"] = True
    raise Inconclusive("png: too many chunks")
