"""
Serving stored files. Every evidence file, sample and PDF leaves the server
through `attachment_response`: always a download, never rendered by the
browser, so an uploaded HTML or SVG can never run in our origin.
"""

from django.http import FileResponse, Http404, HttpResponse

# The label checker's format names that are not already file extensions.
_FORMAT_EXTENSIONS = {"jpeg": "jpg", "tiff": "tif", "heif": "heic", "text": "txt",
                      "ooxml": "zip"}


def download_name(original: str, detected: str, *, fallback: str = "file") -> str:
    """
    The name a stored file is served under: the uploaded name's stem with the
    extension of the type detected from its content, never the uploaded one
    (an `evidence.html` that is plain text downloads as `evidence.txt`).
    """
    extension = _FORMAT_EXTENSIONS.get(detected, detected) or "bin"
    stem = original.replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem.lstrip(".")
    return f"{stem or fallback}.{extension}"


def attachment_response(
    fieldfile, *, filename: str, content_type: str = "application/octet-stream"
) -> FileResponse:
    """Return `fieldfile` as an attachment; 404 when there is no stored file."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """A PDF built in this request (a draft, a preview) as a download."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
