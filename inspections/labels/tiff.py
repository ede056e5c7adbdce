"""TIFF and EXIF: XMP in tag 0x02BC, EXIF UserComment and text tags.

The same walker reads TIFF files and the EXIF blocks embedded in JPEG,
PNG, WebP and HEIF. IFD chains are followed iteratively with a visited set,
so a loop of IFD offsets ends the walk instead of spinning.
"""

from __future__ import annotations

import struct

from .evidence import Evidence
from .source import BoundedReader, BudgetExceeded, Inconclusive

TAG_IMAGE_DESCRIPTION = 0x010E
TAG_XMP = 0x02BC
TAG_EXIF_IFD = 0x8769
TAG_USER_COMMENT = 0x9286
TAG_XP_COMMENT = 0x9C9C
_TYPE_SIZES = {
    1: 1,
    2: 1,
    3: 2,
    4: 4,
    5: 8,
    6: 1,
    7: 1,
    8: 2,
    9: 4,
    10: 8,
    11: 4,
    12: 8,
    13: 4,
}
MAX_IFDS = 64
MAX_ENTRIES_PER_IFD = 4096
MAX_TAG_BYTES = 4 * 1024 * 1024


def decode_user_comment(data: bytes, byte_order: str) -> str:
    """Decode an EXIF UserComment after its 8-byte character-code prefix."""
    prefix, body = data[:8], data[8:]
    if prefix.startswith(b"UNICODE"):
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = body.decode("utf-16", errors="replace")
        else:
            codec = "utf-16-le" if byte_order == "<" else "utf-16-be"
            text = body.decode(codec, errors="replace")
    elif prefix.startswith(b"ASCII") or prefix == b"\x00" * 8:
        text = body.decode("utf-8", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    return text.strip("\x00 \r\n\t")


def collect_tiff(
    evidence: Evidence, reader: BoundedReader, location: str, base: int = 0
) -> None:
    """Walk the IFDs of a TIFF structure that starts at ``base``."""
    header = reader.read_at(base, 8)
    if header[:4] == b"II*\x00":
        order = "<"
    elif header[:4] == b"MM\x00*":
        order = ">"
    else:
        raise Inconclusive(f"{location}: not a TIFF header")
    (first_ifd,) = struct.unpack(order + "I", header[4:8])
    pending: list[tuple[int, str]] = [(first_ifd, "IFD0")]
    visited: set[int] = set()
    while pending:
        offset, ifd_name = pending.pop()
        if offset == 0:
            continue
        if offset in visited:
            raise Inconclusive(f"{location}: IFD loop at offset {offset}")
        if len(visited) >= MAX_IFDS:
            raise Inconclusive(f"{location}: more than {MAX_IFDS} IFDs")
        visited.add(offset)
        (count,) = struct.unpack(order + "H", reader.read_at(base + offset, 2))
        if count > MAX_ENTRIES_PER_IFD:
            raise Inconclusive(f"{location}: IFD with {count} entries")
        table = reader.read_at(base + offset + 2, count * 12 + 4)
        for index in range(count):
            tag, kind, items, inline = struct.unpack(
                order + "HHI4s", table[index * 12 : index * 12 + 12]
            )
            if tag not in (
                TAG_XMP,
                TAG_EXIF_IFD,
                TAG_USER_COMMENT,
                TAG_IMAGE_DESCRIPTION,
                TAG_XP_COMMENT,
            ):
                continue
            if tag == TAG_EXIF_IFD:
                (target,) = struct.unpack(order + "I", inline)
                pending.append((target, "ExifIFD"))
                continue
            length = _TYPE_SIZES.get(kind, 1) * items
            if length > MAX_TAG_BYTES:
                raise Inconclusive(f"{location}: tag 0x{tag:04X} of {length} bytes")
            if length <= 4:
                value = inline[:length]
            else:
                (value_offset,) = struct.unpack(order + "I", inline)
                value = reader.read_at(base + value_offset, length)
            _record_tag(evidence, location, ifd_name, tag, value, order)
        (next_ifd,) = struct.unpack(order + "I", table[count * 12 :])
        if ifd_name == "IFD0" and next_ifd:
            pending.append((next_ifd, "IFD1"))


def _record_tag(
    evidence: Evidence,
    location: str,
    ifd_name: str,
    tag: int,
    value: bytes,
    order: str,
) -> None:
    """Turn one interesting tag value into a site or XMP packet."""
    if tag == TAG_XMP:
        evidence.add_xmp(value, f"{location}:XMP")
    elif tag == TAG_USER_COMMENT:
        text = decode_user_comment(value, order)
        if "AIGC" in text or "Label" in text:
            # Annex B of the image guide names UserComment as a carrier.
            evidence.add_site(f"{location}:{ifd_name}:UserComment", text)
    elif tag == TAG_IMAGE_DESCRIPTION:
        text = value.decode("utf-8", errors="replace")
        evidence.add_text_candidate(f"{location}:{ifd_name}:ImageDescription", text)
    elif tag == TAG_XP_COMMENT:
        text = value.decode("utf-16-le", errors="replace")
        evidence.add_text_candidate(f"{location}:{ifd_name}:XPComment", text)


def parse_tiff(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from a TIFF file."""
    evidence.format = "tiff"
    collect_tiff(evidence, reader, "tiff")


def collect_exif_bytes(evidence: Evidence, data: bytes, location: str) -> None:
    """Collect sites from an in-memory EXIF block (optional Exif\\0\\0)."""
    if data.startswith(b"Exif\x00\x00"):
        data = data[6:]
    inner = BoundedReader.from_bytes(data, deadline=evidence.deadline)
    try:
        collect_tiff(evidence, inner, location)
    except BudgetExceeded:
        raise
    except Inconclusive as error:
        # Broken EXIF is common in real files; it only blocks a verdict
        # when it may hide a label.
        if b"AIGC" in data or b"Label" in data:
            evidence.add_problem(error.reason)
        else:
            evidence.add_warning(error.reason)
