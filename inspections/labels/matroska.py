"""Matroska and WebM: ``Segment/Tags/Tag/SimpleTag`` named ``AIGC``.

PG-20257A puts the label in a SimpleTag whose TagName is ``AIGC`` and whose
TagString holds the JSON. The EBML walk reads element headers only and
skips Clusters (and anything else but Tags) by their size; media data is
never read. An unknown-size Segment runs to the end of the file; an
unknown-size Cluster (live writers such as browsers' MediaRecorder) ends
where an element that cannot be its child starts, so its blocks are
stepped over one header at a time, unless Tags were already read before
it: live writers put them ahead of the media, and the walk stops there.
"""

from __future__ import annotations

from .evidence import Evidence
from .source import MAX_ELEMENTS, MAX_NESTING_DEPTH, BoundedReader, Inconclusive

MAX_EBML_HEADER = 4096
MAX_TAGS_ELEMENT = 8 * 1024 * 1024
DOC_TYPES = {"matroska": "mkv", "webm": "webm"}

EBML = 0x1A45DFA3
DOC_TYPE = 0x4282
SEGMENT = 0x18538067
CLUSTER = 0x1F43B675
TAGS = 0x1254C367
TAG = 0x7373
SIMPLE_TAG = 0x67C8
TAG_NAME = 0x45A3
TAG_STRING = 0x4487
TAG_BINARY = 0x4485
# Children of a Cluster: Timestamp, SilentTracks, Position, PrevSize,
# SimpleBlock, BlockGroup, EncryptedBlock, Void, CRC-32.
_CLUSTER_CHILDREN = {0xE7, 0x5854, 0xA7, 0xAB, 0xA3, 0xA0, 0xAF, 0xEC, 0xBF}
_NAMES = {EBML: "EBML", SEGMENT: "Segment", CLUSTER: "Cluster", TAGS: "Tags"}
_HEADER_WINDOW = 12  # a 4-byte ID and an 8-byte size
_SIMPLE_TAG_PATH = "matroska:Segment/Tags/Tag/SimpleTag"


def _name(element_id: int) -> str:
    return _NAMES.get(element_id, f"element 0x{element_id:X}")


def read_header(data: bytes, position: int, where: int) -> tuple[int, int | None, int]:
    """Return (ID, size or None when unknown, header length) at ``position``.

    ``where`` is the file offset used in messages.
    """
    if position >= len(data):
        raise Inconclusive(f"matroska: truncated element header at {where}")
    id_length = 9 - data[position].bit_length()
    if id_length > 4:
        raise Inconclusive(f"matroska: invalid element ID at {where}")
    size_at = position + id_length
    if size_at >= len(data):
        raise Inconclusive(f"matroska: truncated element header at {where}")
    size_length = 9 - data[size_at].bit_length()
    if size_length > 8:
        raise Inconclusive(f"matroska: invalid element size at {where}")
    end = size_at + size_length
    if end > len(data):
        raise Inconclusive(f"matroska: truncated element header at {where}")
    element_id = int.from_bytes(data[position:size_at], "big")
    all_ones = (1 << (7 * size_length)) - 1
    size = int.from_bytes(data[size_at:end], "big") & all_ones
    return element_id, None if size == all_ones else size, end - position


def _text(data: bytes) -> str:
    """Decode an EBML UTF-8 string, dropping its zero padding."""
    return data.decode("utf-8", errors="replace").rstrip("\x00")


class _Walk:
    """One pass over a Matroska file, with its element count."""

    def __init__(self, evidence: Evidence, reader: BoundedReader) -> None:
        self.evidence = evidence
        self.reader = reader
        self.visited = 0
        self.labels = 0
        self.tags_read = False

    def count(self) -> None:
        self.visited += 1
        if self.visited > MAX_ELEMENTS:
            raise Inconclusive("matroska: too many elements")

    def header_at(self, offset: int) -> tuple[int, int | None, int]:
        self.count()
        window = self.reader.read_upto(offset, _HEADER_WINDOW)
        return read_header(window, 0, offset)

    def children(
        self, data: bytes, base: int, what: str
    ) -> list[tuple[int, bytes, int]]:
        """Split an element held in memory into (ID, payload, offset) children.

        ``base`` is the file offset of ``data``.
        """
        found, position = [], 0
        while position < len(data):
            self.count()
            element_id, size, header = read_header(data, position, base + position)
            start = position + header
            if size is None or start + size > len(data):
                raise Inconclusive(
                    f"matroska: bad {_name(element_id)} at {base + position} "
                    f"inside {what}"
                )
            found.append((element_id, data[start : start + size], base + start))
            position = start + size
        return found

    def run(self) -> None:
        """Read the EBML header's DocType, then every top-level Segment."""
        reader = self.reader
        element_id, size, header = self.header_at(0)
        if element_id != EBML or size is None:
            raise Inconclusive("matroska: no EBML header")
        if size > MAX_EBML_HEADER:
            raise Inconclusive(f"matroska: {size}-byte EBML header")
        doc_type = ""
        for child_id, child, _ in self.children(
            reader.read_at(header, size), header, "the EBML header"
        ):
            if child_id == DOC_TYPE:
                doc_type = child.decode("ascii", errors="replace").rstrip("\x00")
        self.evidence.format = DOC_TYPES.get(doc_type)
        if self.evidence.format is None:
            raise Inconclusive(f"matroska: DocType {doc_type!r} is not Matroska")
        offset = header + size
        segments = 0
        while offset < reader.size:
            element_id, size, header = self.header_at(offset)
            start = offset + header
            if element_id == SEGMENT:
                # Live writers leave the size unknown: it runs to the end.
                end = reader.size if size is None else min(start + size, reader.size)
                self.walk_segment(start, end)
                segments += 1
                if size is not None and start + size > reader.size:
                    raise Inconclusive(
                        f"matroska: Segment at {offset} runs past the end"
                    )
                offset = end
            elif size is None or start + size > reader.size:
                raise Inconclusive(
                    f"matroska: {_name(element_id)} at {offset} runs past the end"
                )
            else:
                offset = start + size
        if not segments:
            raise Inconclusive("matroska: no Segment")

    def walk_segment(self, offset: int, end: int) -> None:
        """Visit the Segment's children, reading only Tags."""
        while offset < end:
            element_id, size, header = self.header_at(offset)
            start = offset + header
            if size is None:
                if element_id != CLUSTER:
                    raise Inconclusive(
                        f"matroska: {_name(element_id)} of unknown size at {offset}"
                    )
                if self.tags_read:
                    # A live writer put its Tags before the media and writes
                    # none after: stepping over every block of an hour-long
                    # recording would only run into the element cap.
                    return
                offset = self.skip_open_cluster(start, end)
                continue
            if start + size > end:
                raise Inconclusive(
                    f"matroska: {_name(element_id)} at {offset} runs past its parent"
                )
            if element_id == TAGS:
                if size > MAX_TAGS_ELEMENT:
                    raise Inconclusive(f"matroska: {size}-byte Tags element")
                self.collect_tags(self.reader.read_at(start, size), start)
                self.tags_read = True
            offset = start + size

    def skip_open_cluster(self, offset: int, end: int) -> int:
        """Step over an unknown-size Cluster; return where it ends."""
        while offset < end:
            element_id, size, header = self.header_at(offset)
            if element_id not in _CLUSTER_CHILDREN:
                return offset
            if size is None or offset + header + size > end:
                raise Inconclusive(
                    f"matroska: bad {_name(element_id)} at {offset} inside a Cluster"
                )
            offset += header + size
        return offset

    def collect_tags(self, data: bytes, base: int) -> None:
        """Record the SimpleTags of every Tag in one Tags element."""
        for tag_id, tag, tag_offset in self.children(data, base, "Tags"):
            if tag_id != TAG:
                continue
            for child_id, child, offset in self.children(tag, tag_offset, "Tag"):
                if child_id == SIMPLE_TAG:
                    self.simple_tag(child, offset, _SIMPLE_TAG_PATH, 1)

    def simple_tag(self, data: bytes, base: int, path: str, depth: int) -> None:
        """Record one SimpleTag (and the SimpleTags nested in it)."""
        if depth > MAX_NESTING_DEPTH:
            raise Inconclusive("matroska: SimpleTag nesting too deep")
        name = string = binary = None
        nested: list[tuple[bytes, int]] = []
        for child_id, child, offset in self.children(data, base, "SimpleTag"):
            if child_id == TAG_NAME:
                name = _text(child)
            elif child_id == TAG_STRING:
                string = _text(child)
            elif child_id == TAG_BINARY:
                binary = child
            elif child_id == SIMPLE_TAG:
                nested.append((child, offset))
        if name is not None and name.upper() == "AIGC":
            # Only a top-level SimpleTag named exactly AIGC with a TagString
            # is the place PG-20257A names.
            standard = name == "AIGC" and depth == 1 and string is not None
            if string is None and binary is not None:
                string = binary.decode("utf-8", errors="replace").rstrip("\x00")
            self.labels += 1
            where = f"{path}:{name}" + (f"#{self.labels}" if self.labels > 1 else "")
            self.evidence.add_site(where, string or "", standard=standard)
        elif name is not None and string is not None:
            self.evidence.add_text_candidate(f"{path}:{name}", string)
        for child, offset in nested:
            self.simple_tag(child, offset, f"{path}/SimpleTag", depth + 1)


def parse_matroska(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from a Matroska or WebM file."""
    _Walk(evidence, reader).run()
