"""DOCX/XLSX/PPTX: ``docProps/custom.xml`` property ``AIGC`` (PG-20258A).

The archive is opened through ``core.archives.GuardedZip``, the one guard
for every zip-based upload (plain Python like this package): the central
directory is sized before ``zipfile`` loads it, entries and nesting are
capped, and the one member read here is inflated in chunks under a byte cap
and a ratio limit within the file's time budget, so zip bombs end as
inconclusive.
"""

from __future__ import annotations

from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from core.archives import ArchiveRefused, GuardedZip, Limits

from .evidence import Evidence
from .source import BoundedReader, Inconclusive

CUSTOM_PROPERTIES = "docProps/custom.xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
MAX_MEMBER_BYTES = 1024 * 1024
LIMITS = Limits(max_entries=20_000, max_directory_bytes=8 * 1024 * 1024,
                max_member_bytes=MAX_MEMBER_BYTES, max_total_bytes=MAX_MEMBER_BYTES,
                max_ratio=200, ratio_floor=64 * 1024)


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


def parse_ooxml(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from the custom properties of an OOXML file."""
    evidence.format = "ooxml"
    try:
        archive = GuardedZip(_ReaderFile(reader), limits=LIMITS,  # type: ignore[arg-type]
                             deadline=reader.deadline)
    except ArchiveRefused as error:
        raise Inconclusive(f"ooxml: {error.reason}") from error
    names = set(archive.names)
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
    try:
        data = archive.read(CUSTOM_PROPERTIES, MAX_MEMBER_BYTES)
    except ArchiveRefused as error:
        raise Inconclusive(f"ooxml: {error.reason}") from error
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
