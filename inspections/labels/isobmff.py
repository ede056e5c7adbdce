"""ISOBMFF: MP4, MOV, M4A (``moov/udta/meta`` keys + ilst), HEIF and AVIF.

PG-20257A puts the label under the ``mdta`` key ``AIGC`` of
``moov/udta/meta``. HEIF and AVIF keep XMP and EXIF as items located by
``iinf``/``iloc``. The box walk is iterative with a depth cap; ``mdat``
is skipped by seeking, wherever it sits.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from .evidence import Evidence
from .source import (
    MAX_ELEMENTS,
    MAX_NESTING_DEPTH,
    BoundedReader,
    Inconclusive,
)
from .tiff import collect_exif_bytes

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
MAX_METADATA_BOX = 8 * 1024 * 1024
_CONTAINERS = {
    b"moov",
    b"trak",
    b"mdia",
    b"minf",
    b"stbl",
    b"udta",
    b"edts",
    b"dinf",
    b"moof",
    b"traf",
    b"mvex",
    b"iprp",
    b"ipco",
    b"sinf",
    b"schi",
    b"meco",
}
_STANDARD_META_PATHS = {"moov/udta/meta", "moov/meta"}


@dataclass
class _MetaState:
    """What one ``meta`` box has told so far (keys, items, locations)."""

    path: str
    keys: dict[int, str] = field(default_factory=dict)
    item_types: dict[int, tuple[bytes, str]] = field(default_factory=dict)
    item_extents: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


def parse_isobmff(evidence: Evidence, reader: BoundedReader, kind: str) -> None:
    """Collect label sites from an ISO base media file."""
    evidence.format = kind
    metas: list[_MetaState] = []
    stack: list[tuple[int, int, int, str, _MetaState | None]] = [
        (0, reader.size, 0, "", None)
    ]
    visited = 0
    while stack:
        offset, end, depth, path, meta = stack.pop()
        while offset < end:
            visited += 1
            if visited > MAX_ELEMENTS:
                raise Inconclusive("isobmff: too many boxes")
            if end - offset < 8:
                raise Inconclusive(f"isobmff: {end - offset} stray bytes at {offset}")
            size, box_type = struct.unpack(">I4s", reader.read_at(offset, 8))
            header = 8
            if size == 1:
                (size,) = struct.unpack(">Q", reader.read_at(offset + 8, 8))
                header = 16
            elif size == 0:
                size = end - offset  # box runs to the end of its parent
            if size < header:
                raise Inconclusive(
                    f"isobmff: {box_type!r} box of size {size} at {offset}"
                )
            if offset + size > end:
                raise Inconclusive(
                    f"isobmff: {box_type!r} box at {offset} runs past its parent"
                )
            start, box_end = offset + header, offset + size
            offset = box_end
            name = box_type.decode("latin-1")
            child_path = f"{path}/{name}" if path else name
            if box_type in _CONTAINERS or box_type == b"meta":
                if depth + 1 > MAX_NESTING_DEPTH:
                    raise Inconclusive("isobmff: box nesting too deep")
                child_meta = meta
                if box_type == b"meta":
                    start = _meta_children_start(reader, start, box_end)
                    child_meta = _MetaState(child_path)
                    metas.append(child_meta)
                stack.append((offset, end, depth, path, meta))
                stack.append((start, box_end, depth + 1, child_path, child_meta))
                break
            _record_box(evidence, reader, box_type, start, box_end, child_path, meta)
    for meta in metas:
        _resolve_meta(evidence, reader, meta)


def _meta_children_start(reader: BoundedReader, start: int, end: int) -> int:
    """Skip the full-box header of ``meta`` unless it is QuickTime style."""
    if end - start >= 8 and reader.read_at(start + 4, 4) in (b"hdlr", b"keys"):
        return start
    return start + 4


def _read_box(reader: BoundedReader, start: int, end: int, what: str) -> bytes:
    if end - start > MAX_METADATA_BOX:
        raise Inconclusive(f"isobmff: {end - start}-byte {what} box")
    return reader.read_at(start, end - start)


def _record_box(
    evidence: Evidence,
    reader: BoundedReader,
    box_type: bytes,
    start: int,
    end: int,
    path: str,
    meta: _MetaState | None,
) -> None:
    """Handle one leaf box: keys, ilst, iinf, iloc, uuid or a text box."""
    if box_type == b"mdat" or box_type == b"free" or box_type == b"skip":
        return
    if box_type == b"uuid" and end - start >= 16:
        uuid = reader.read_at(start, 16)
        if uuid == C2PA_UUID:
            evidence.info["c2pa_manifest"] = True
        elif uuid == XMP_UUID:
            evidence.add_xmp(_read_box(reader, start + 16, end, "XMP"), f"{path}:XMP")
        return
    if meta is not None and path == f"{meta.path}/keys":
        meta.keys = _parse_keys(_read_box(reader, start, end, "keys"), path)
    elif meta is not None and path == f"{meta.path}/ilst":
        _parse_ilst(evidence, _read_box(reader, start, end, "ilst"), meta)
    elif meta is not None and path == f"{meta.path}/iinf":
        meta.item_types = _parse_iinf(_read_box(reader, start, end, "iinf"), path)
    elif meta is not None and path == f"{meta.path}/iloc":
        meta.item_extents = _parse_iloc(_read_box(reader, start, end, "iloc"), path)
    elif path.endswith("/udta/" + box_type.decode("latin-1")) and end - start < 65536:
        # A loose udta box named AIGC or a comment: not the mdta key.
        text = reader.read_at(start, end - start).decode("utf-8", "replace")
        evidence.add_text_candidate(path, text)


def _parse_keys(data: bytes, path: str) -> dict[int, str]:
    """Return the 1-based index -> key name table of a ``keys`` box."""
    if len(data) < 8:
        raise Inconclusive(f"isobmff: {path} too short")
    (count,) = struct.unpack(">I", data[4:8])
    keys, position = {}, 8
    for index in range(1, count + 1):
        if position + 8 > len(data):
            raise Inconclusive(f"isobmff: {path} truncated")
        size, namespace = struct.unpack(">I4s", data[position : position + 8])
        if size < 8 or position + size > len(data):
            raise Inconclusive(f"isobmff: {path} entry of size {size}")
        name = data[position + 8 : position + size].decode("utf-8", "replace")
        keys[index] = f"{namespace.decode('latin-1')}:{name}"
        position += size
    return keys


def _iter_boxes(data: bytes, what: str) -> list[tuple[bytes, bytes]]:
    """Split in-memory data into (type, payload) child boxes."""
    boxes, position = [], 0
    while position + 8 <= len(data):
        size, box_type = struct.unpack(">I4s", data[position : position + 8])
        if size == 0:
            size = len(data) - position
        if size < 8 or position + size > len(data):
            raise Inconclusive(f"isobmff: bad {box_type!r} box inside {what}")
        boxes.append((box_type, data[position + 8 : position + size]))
        position += size
        if len(boxes) > 10_000:
            raise Inconclusive(f"isobmff: too many boxes in {what}")
    return boxes


def _parse_ilst(evidence: Evidence, data: bytes, meta: _MetaState) -> None:
    """Record the ilst items (by key index, or iTunes-style atoms)."""
    for item_type, payload in _iter_boxes(data, "ilst"):
        mean = name = b""
        values = []
        for child_type, child in _iter_boxes(payload, "ilst item"):
            if child_type == b"mean":
                mean = child[4:]
            elif child_type == b"name":
                name = child[4:]
            elif child_type == b"data" and len(child) >= 8:
                codec = "utf-16-be" if child[3] == 2 else "utf-8"
                values.append(child[8:].decode(codec, errors="replace"))
        value = "".join(values)
        (index,) = struct.unpack(">I", item_type)
        standard = meta.path in _STANDARD_META_PATHS
        if meta.keys and index in meta.keys:
            key = meta.keys[index]
            if key == "mdta:AIGC":
                evidence.add_site(f"{meta.path}/ilst/{key}", value, standard=standard)
            else:
                evidence.add_text_candidate(f"{meta.path}/ilst/{key}", value)
        elif item_type == b"----":
            where = f"{meta.path}/ilst/----:{mean.decode('utf-8', 'replace')}:" + (
                name.decode("utf-8", "replace")
            )
            if name == b"AIGC":
                # An iTunes freeform atom, not the mdta key PG-20257A names.
                evidence.add_site(where, value, standard=False)
            else:
                evidence.add_text_candidate(where, value)
        else:
            where = f"{meta.path}/ilst/{item_type.decode('latin-1')}"
            evidence.add_text_candidate(where, value)


def _parse_iinf(data: bytes, path: str) -> dict[int, tuple[bytes, str]]:
    """Return item id -> (item type, MIME content type) from ``iinf``."""
    version = data[0] if data else 0
    skip = 6 if version == 0 else 8
    types = {}
    for box_type, entry in _iter_boxes(data[skip:], path):
        if box_type != b"infe" or len(entry) < 4 or entry[0] < 2:
            continue
        if entry[0] == 2:
            item_id, item_type, rest = (
                struct.unpack(">H", entry[4:6])[0],
                entry[8:12],
                entry[12:],
            )
        else:
            item_id, item_type, rest = (
                struct.unpack(">I", entry[4:8])[0],
                entry[10:14],
                entry[14:],
            )
        content_type = ""
        if item_type == b"mime":
            parts = rest.split(b"\x00")
            if len(parts) > 1:
                content_type = parts[1].decode("latin-1")
        types[item_id] = (item_type, content_type)
    return types


def _parse_iloc(data: bytes, path: str) -> dict[int, list[tuple[int, int]]]:
    """Return item id -> file extents (offset, length) from ``iloc``."""

    def number(position: int, width: int) -> int:
        if width == 0:
            return 0
        if position + width > len(data):
            raise Inconclusive(f"isobmff: {path} truncated")
        return int.from_bytes(data[position : position + width], "big")

    version = number(0, 1)
    offset_size, length_size = data[4] >> 4, data[4] & 15
    base_size, index_size = data[5] >> 4, data[5] & 15
    if version not in (1, 2):
        index_size = 0
    position = 6
    count_width = 2 if version < 2 else 4
    count = number(position, count_width)
    position += count_width
    extents: dict[int, list[tuple[int, int]]] = {}
    for _ in range(min(count, 10_000)):
        id_width = 2 if version < 2 else 4
        item_id = number(position, id_width)
        position += id_width
        method = 0
        if version in (1, 2):
            method = number(position, 2) & 15
            position += 2
        position += 2  # data_reference_index
        base = number(position, base_size)
        position += base_size
        extent_count = number(position, 2)
        position += 2
        item_extents = []
        for _ in range(extent_count):
            position += index_size
            extent_offset = number(position, offset_size)
            position += offset_size
            extent_length = number(position, length_size)
            position += length_size
            item_extents.append((base + extent_offset, extent_length))
        if method == 0:
            extents[item_id] = item_extents
    return extents


def _resolve_meta(evidence: Evidence, reader: BoundedReader, meta: _MetaState) -> None:
    """Read the XMP and EXIF items a HEIF/AVIF ``meta`` box points at."""
    for item_id, (item_type, content_type) in meta.item_types.items():
        is_xmp = item_type == b"mime" and content_type == "application/rdf+xml"
        if not (is_xmp or item_type == b"Exif"):
            continue
        extents = meta.item_extents.get(item_id, [])
        if sum(length for _, length in extents) > MAX_METADATA_BOX:
            raise Inconclusive(f"isobmff: item {item_id} over the size cap")
        data = b"".join(reader.read_at(offset, length) for offset, length in extents)
        if is_xmp:
            evidence.add_xmp(data, f"{meta.path}/item{item_id}:XMP")
        elif len(data) >= 4:
            (skip,) = struct.unpack(">I", data[:4])
            collect_exif_bytes(evidence, data[4 + skip :], f"{meta.path}/item{item_id}")
