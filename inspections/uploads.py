"""
Checks on uploaded evidence: size limit, SHA-256, and the type detected from
the content (magic bytes), never from the name or the browser's claim.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.archives import ArchiveRefused, check_archive

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


@dataclass(frozen=True)
class UploadInfo:
    sha256: str
    size: int
    kind: str
    name: str


def inspect_upload(upload, *, allowed: frozenset[str]) -> UploadInfo:
    """
    Validate one uploaded file and return its digest, size and type. Raise
    ValidationError when it is too large, empty or of a type not allowed.
    """
    size = upload.size or 0
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)s MB.") % {"max": settings.UPLOAD_MAX_BYTES // 2**20}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    digest = hashlib.sha256()
    upload.seek(0)
    head = b""
    for chunk in upload.chunks():
        if len(head) < 1024:
            head += chunk[: 1024 - len(head)]
        digest.update(chunk)
    upload.seek(0)
    kind = detect_type(head)
    if kind == "ooxml":
        try:
            check_archive(upload)
        except ArchiveRefused:
            raise ValidationError(_(
                "The document cannot be read, or it unpacks to far more data than a "
                "document holds."))
        finally:
            upload.seek(0)
    if kind not in allowed:
        raise ValidationError(
            _("The file's content is not an accepted type (detected: %(kind)s).")
            % {"kind": kind or _("unknown")}
        )
    return UploadInfo(digest.hexdigest(), size, kind, (upload.name or "")[-255:])
