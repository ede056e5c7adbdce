"""Detect the container format from magic bytes, never from the file name."""

from __future__ import annotations

from .matroska import DOC_TYPE, DOC_TYPES, read_header
from .source import Inconclusive

_ISOBMFF_TOP_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


def _isobmff_kind(head: bytes) -> str:
    """Name an ISOBMFF file after its ftyp major brand."""
    if head[4:8] != b"ftyp":
        return "mov"
    brand = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(len(head), 64), 4)}
    if brand in _AVIF_BRANDS:
        return "avif"
    if brand in _HEIF_BRANDS:
        return "heif"
    if brand == b"qt  ":
        return "mov"
    if brand in (b"M4A ", b"M4B ", b"M4P "):
        return "m4a"
    if compatible & _AVIF_BRANDS and not brand.startswith(b"mp4"):
        return "avif"
    return "mp4"


def _ebml_kind(head: bytes) -> str | None:
    """Name an EBML file after the DocType in its header: mkv, webm or None."""
    try:
        _, size, position = read_header(head, 0, 0)
        end = min(len(head), position + (size or 0))
        while position < end:
            element_id, size, header = read_header(head, position, position)
            start = position + header
            if element_id == DOC_TYPE and size is not None:
                doc_type = head[start : start + size].rstrip(b"\x00")
                return DOC_TYPES.get(doc_type.decode("ascii", errors="replace"))
            position = start + (size or 0)
    except Inconclusive:
        return None
    return None


def detect_format(head: bytes) -> str | None:
    """Return the format name for the first bytes of a file, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WEBP": "webp", b"WAVE": "wav", b"AVI ": "avi"}.get(head[8:12])
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _ebml_kind(head)
    if head.startswith(b"FLV\x01"):
        return "flv"
    if head[4:8] in _ISOBMFF_TOP_BOXES:
        return _isobmff_kind(head)
    if head.startswith(b"ID3"):
        return "mp3"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "ooxml"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "mp3"
    if _looks_like_text(head):
        return "text"
    return None


def _looks_like_text(head: bytes) -> bool:
    """Return True for UTF-8 text without control bytes other than spacing."""
    if not head or b"\x00" in head:
        return False
    sample = head[:4096]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is fine.
        if error.start < len(sample) - 3:
            return False
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in b"\t\r\n\f")
    return controls == 0
