"""DOCX/XLSX/PPTX: ``docProps/custom.xml`` property ``AIGC`` (PG-20258A).

Only the central directory and that one member are read. The directory's
size and entry count are checked before ``zipfile`` loads it, and the
member is rejected on its declared sizes and again on a bounded read, so
zip bombs end as inconclusive.
"""

from __future__ import annotations

import struct
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .evidence import Evidence
from .source import BoundedReader, Inconclusive

CUSTOM_PROPERTIES = "docProps/custom.xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
MAX_MEMBER_BYTES = 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ENTRIES = 20_000
MAX_DIRECTORY_BYTES = 8 * 1024 * 1024
_EOCD_SIGNATURE = b"PK\x05\x06"


class _ReaderFile:
    """A minimal file object over a ``BoundedReader`` for ``zipfile``."""

    def __init__(self, reader: BoundedReader) -> None:
        self._reader = reader
        self._position = 0

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._position, 2: self._reader.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._reader.size - self._position
        data = self._reader.read_upto(self._position, size)
        self._position += len(data)
        return data

    def seekable(self) -> bool:
        return True


def _check_directory(reader: BoundedReader) -> None:
    """Refuse archives whose central directory is too large to load."""
    tail_start = max(0, reader.size - 65557)
    tail = reader.read_upto(tail_start, reader.size - tail_start)
    position = tail.rfind(_EOCD_SIGNATURE)
    if position < 0 or len(tail) - position < 22:
        raise Inconclusive("ooxml: no end of central directory (truncated zip?)")
    entries, directory_size = struct.unpack(
        "<xxxxxxxxHI", tail[position + 2 : position + 16]
    )
    if entries > MAX_ENTRIES or directory_size > MAX_DIRECTORY_BYTES:
        raise Inconclusive(
            f"ooxml: central directory of {entries} entries, {directory_size} bytes"
        )


def parse_ooxml(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from the custom properties of an OOXML file."""
    evidence.format = "ooxml"
    _check_directory(reader)
    try:
        archive = zipfile.ZipFile(_ReaderFile(reader))  # type: ignore[arg-type]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise Inconclusive(f"ooxml: unreadable zip ({error})") from error
    names = set(archive.namelist())
    if "word/document.xml" in names:
        evidence.format = "docx"
    elif "xl/workbook.xml" in names:
        evidence.format = "xlsx"
    elif "ppt/presentation.xml" in names:
        evidence.format = "pptx"
    elif "[Content_Types].xml" not in names:
        evidence.format = "zip"
        raise Inconclusive("zip archive that is not an OOXML document")
    if CUSTOM_PROPERTIES not in names:
        return
    member = archive.getinfo(CUSTOM_PROPERTIES)
    if member.file_size > MAX_MEMBER_BYTES:
        raise Inconclusive(
            f"ooxml: {CUSTOM_PROPERTIES} declares {member.file_size} bytes"
        )
    if member.compress_size and (
        member.file_size / member.compress_size > MAX_COMPRESSION_RATIO
    ):
        raise Inconclusive(f"ooxml: {CUSTOM_PROPERTIES} compression ratio too high")
    try:
        with archive.open(member) as stream:
            # The declared size may lie; never inflate past the cap.
            data = stream.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError) as error:
        raise Inconclusive(
            f"ooxml: cannot read {CUSTOM_PROPERTIES} ({error})"
        ) from error
    if len(data) > MAX_MEMBER_BYTES:
        raise Inconclusive(f"ooxml: {CUSTOM_PROPERTIES} inflates past the cap")
    _collect_custom_properties(evidence, data)


def _collect_custom_properties(evidence: Evidence, data: bytes) -> None:
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise Inconclusive(f"ooxml: malformed {CUSTOM_PROPERTIES} ({error})") from error
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name", "")
        value = next((child for child in prop), None)
        if value is None:
            continue
        text = value.text or ""
        where = f"ooxml:{CUSTOM_PROPERTIES}:{name}"
        if name == "AIGC":
            is_string = value.tag in (f"{{{VT_NS}}}lpwstr", f"{{{VT_NS}}}lpstr")
            evidence.add_site(where, text, standard=is_string)
        else:
            evidence.add_text_candidate(where, text)
