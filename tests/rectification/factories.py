"""Factories and builders for the rectification loop."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections.models import FindingStatus
from tests.factories import FindingFactory, InspectionFactory, UserFactory

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png(name: str = "screenshot.png"):
    return upload(name, PNG_BYTES, "image/png")


def pdf(name: str = "整改说明.pdf"):
    return upload(name, PDF_BYTES, "application/pdf")


def docx_bytes(macro: bool = False) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        ctype = "application/vnd.ms-word.document.macroEnabled.main+xml" if macro else \
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{ctype}"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00\x01")
    return buffer.getvalue()


def notified_finding(enterprise, *, officers=(), days: int = 30, **kwargs):
    """A finding the enterprise has been notified of, due in `days` calendar days."""
    inspection = InspectionFactory(enterprise=enterprise, officers=list(officers))
    # Finding.created_by is not blank=True: full_clean in finding_set_deadline needs it.
    kwargs.setdefault("created_by", officers[0] if officers else UserFactory())
    return FindingFactory(
        inspection=inspection, status=kwargs.pop("status", FindingStatus.NOTIFIED),
        notified_at=kwargs.pop("notified_at", timezone.now()),
        deadline=timezone.localdate() + datetime.timedelta(days=days), **kwargs,
    )
