"""
What sampled content may be: the label checker's formats, named from the
content (magic bytes), never from the name or the browser's claim. Every
upload is checked by core.uploads.check_upload; CONTENT and SCREENSHOT are
what it accepts for an item's file and its screenshot.
"""

from core.archives import check_archive
from core.uploads import Accepts

# Formats a sampled content item may have (the label checker's names).
CONTENT_TYPES = frozenset({
    "jpeg", "png", "webp", "gif", "tiff", "heif", "avif", "mp4", "mov", "m4a", "avi",
    "mkv", "webm", "flv", "mp3", "flac", "ogg", "wav", "pdf", "ooxml", "text",
})
SCREENSHOT_TYPES = frozenset({"jpeg", "png", "webp", "gif"})
# The content modality of each accepted format (Modality values): a PNG is
# an image whatever a form said. Documents (PDF, Word) are text.
MODALITY_OF_TYPE = {
    **dict.fromkeys(("jpeg", "png", "webp", "gif", "tiff", "heif", "avif"), "image"),
    **dict.fromkeys(("mp4", "mov", "avi", "mkv", "webm", "flv"), "video"),
    **dict.fromkeys(("m4a", "mp3", "flac", "ogg", "wav"), "audio"),
    **dict.fromkeys(("pdf", "ooxml", "text"), "text"),
}


def modality_of_upload(upload) -> str | None:
    """The modality of an uploaded content file from its first bytes, or None."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    return MODALITY_OF_TYPE.get(detect_type(head) or "")


def detect_type(head: bytes) -> str | None:
    """Name the format of a file from its first bytes, or None."""
    from inspections.labels.detect import detect_format

    return detect_format(head)


def _format_of(allowed: frozenset[str]):
    """
    A detector by the label checker's formats; an Office file must pass the
    archive guard (ArchiveRefused otherwise).
    """
    def detect(upload, name: str = "") -> str | None:
        kind = detect_type(upload.read(1024))
        if kind == "ooxml":
            upload.seek(0)
            check_archive(upload)
        return kind if kind in allowed else None

    return detect


# Sampled content (and a tip-off's file): what the label checker reads.
CONTENT = Accepts(
    detect=_format_of(CONTENT_TYPES),
    labels="JPEG, PNG, WebP, GIF, TIFF, HEIF, AVIF, MP4, MOV, M4A, AVI, MKV, WebM, FLV, MP3, "
           "FLAC, Ogg, WAV, PDF, DOCX, XLSX, PPTX, TXT")
SCREENSHOT = Accepts(detect=_format_of(SCREENSHOT_TYPES), labels="JPEG, PNG, WebP, GIF")
