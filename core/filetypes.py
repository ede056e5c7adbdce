"""
Documents and evidence files are recognised by their content (magic
bytes), never by their name. Only passive document, image, audio and video
formats are accepted; HTML, SVG, XML, scripts, executables, macro-enabled
Office files and anything unrecognised are refused. The `Accepts` at the
end are what core.uploads.check_upload takes for each kind of upload.
"""

import codecs
from dataclasses import dataclass

from .archives import ArchiveRefused, GuardedZip
from .uploads import Accepts


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


PDF = FileKind("pdf", "application/pdf", "PDF")
PNG = FileKind("png", "image/png", "PNG")
JPEG = FileKind("jpg", "image/jpeg", "JPEG")
WEBP = FileKind("webp", "image/webp", "WebP")
GIF = FileKind("gif", "image/gif", "GIF")
MP4 = FileKind("mp4", "video/mp4", "MP4")
MP3 = FileKind("mp3", "audio/mpeg", "MP3")
WAV = FileKind("wav", "audio/wav", "WAV")
DOCX = FileKind(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
)
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
PPTX = FileKind(
    "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PPTX"
)
TEXT = FileKind("txt", "text/plain", "Text")
CSV = FileKind("csv", "text/csv", "CSV")

ACCEPTED_LABELS = "PDF, PNG, JPEG, WebP, GIF, MP4, MP3, WAV, DOCX, XLSX, PPTX, TXT, CSV"

HEAD_BYTES = 8192
CHUNK = 64 * 1024
# Markers of active or markup content that a plain-text file must not carry.
_ACTIVE_MARKERS = (
    b"<script", b"<html", b"<!doctype", b"<svg", b"<?xml", b"<iframe", b"<object",
    b"<embed", b"<body", b"<head", b"<meta", b"<a ", b"<img", b"<style", b"<xml",
    b"javascript:", b"<?php", b"<%",
)
_OOXML = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
               b"dash", b"M4V ", b"M4A ", b"f4v ", b"3gp4", b"3gp5", b"3g2a", b"MSNV"}


def _ooxml_kind(fileobj) -> FileKind | None:
    """
    Recognise DOCX/XLSX/PPTX by the zip's directory; refuse macro-enabled
    ones. An archive the guard refuses (bombs, deep nesting, too many
    entries) raises ArchiveRefused: every member is inflated once, in
    chunks, under its caps.
    """
    with GuardedZip(fileobj) as archive:
        names = archive.names
        if "[Content_Types].xml" not in names:
            return None
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return None
        content_types = archive.read("[Content_Types].xml", 1024 * 1024).lower()
        archive.scan()
    if b"macroenabled" in content_types:
        return None
    for prefix, kind in _OOXML.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def _is_control(byte: int) -> bool:
    return byte < 0x09 or 0x0E <= byte < 0x1B or 0x1C <= byte < 0x20 or byte == 0x7F


_CONTROL = bytes(b for b in range(256) if _is_control(b))


def _decodes(fileobj, encoding: str) -> bool:
    """Whether the whole file decodes in `encoding`, read in chunks."""
    decoder = codecs.getincrementaldecoder(encoding)()
    fileobj.seek(0)
    try:
        for chunk in iter(lambda: fileobj.read(CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _text_kind(fileobj, head: bytes, name: str) -> FileKind | None:
    """
    Plain text or CSV in UTF-8 (with or without BOM) or GB18030, nothing
    active anywhere in the file (not only in its head): read in chunks.
    """
    if not head:
        return None
    lowered = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if lowered.startswith((b"<", b"#!", b"%!", b"{\\rtf")):
        return None
    overlap = max(len(marker) for marker in _ACTIVE_MARKERS)
    previous = b""
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        if chunk.translate(None, _CONTROL) != chunk:
            return None
        window = previous + chunk.lower()
        if any(marker in window for marker in _ACTIVE_MARKERS):
            return None
        previous = window[-overlap:]
    if not any(_decodes(fileobj, encoding) for encoding in ("utf-8-sig", "gb18030")):
        return None
    return CSV if name.lower().endswith(".csv") else TEXT


def detect(fileobj, name: str = "") -> FileKind | None:
    """
    Return the accepted kind of the file's content, or None to refuse it.
    `name` only chooses between TXT and CSV for text that is already accepted.
    """
    try:
        return detect_or_refuse(fileobj, name)
    except ArchiveRefused:
        fileobj.seek(0)
        return None


def detect_or_refuse(fileobj, name: str = "") -> FileKind | None:
    """As `detect`, but a zip-based file the archive guard refuses raises ArchiveRefused."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return MP4
    if head.startswith(b"ID3") or (len(head) > 2 and head[0] == 0xFF and head[1] & 0xE6 in (0xE2, 0xE4, 0xE6)):
        return MP3
    if head.startswith(b"PK\x03\x04"):
        kind = _ooxml_kind(fileobj)
        fileobj.seek(0)
        return kind
    kind = _text_kind(fileobj, head, name)
    fileobj.seek(0)
    return kind


def accepting(*kinds: FileKind) -> Accepts:
    """Uploads of the given kinds only."""
    def detect_only(fileobj, name: str = "") -> FileKind | None:
        kind = detect_or_refuse(fileobj, name)
        return kind if kind in kinds else None

    return Accepts(detect=detect_only, labels=", ".join(kind.label for kind in kinds))


# Evidence of reports, self-inspections, cases and escalations.
EVIDENCE = Accepts(detect=detect_or_refuse, labels=ACCEPTED_LABELS)
# A registry import (the export format).
TABLE = accepting(CSV, XLSX)
# A notice to verify.
PDF_ONLY = accepting(PDF)
