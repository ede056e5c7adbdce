"""
The one check of every uploaded file: inspection items and screenshots,
the evidence of rectification reports, self-inspections and cases,
escalation minutes, tip-off attachments, registry imports, notice
verification and the label check, on pages and through the API alike.
It refuses a file that is too large or empty, or whose type, read from its
content (never from its name or the browser's claim), the upload does not
accept; always with the same messages. What each kind of upload accepts
is its `Accepts` (core.filetypes for documents and evidence,
inspections.uploads for sampled content).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .archives import ArchiveRefused
from .exceptions import ApplicationError


@dataclass(frozen=True)
class Accepts:
    """
    The types one kind of upload accepts: `detect(file, name)` names the
    type from the content, or answers None to refuse it (ArchiveRefused for
    a zip-based file the archive guard refuses); `labels` lists the
    accepted types for people.
    """

    detect: Callable[[Any, str], Any]
    labels: str


# Any type (the label check names the format in its answer): size and emptiness only.
ANY_TYPE = Accepts(detect=lambda uploaded, name: "", labels="")


@dataclass(frozen=True)
class CheckedUpload:
    kind: Any  # what Accepts.detect answered
    name: str  # the file's own name, without any path, at most 200 characters
    size: int
    sha256: str


class UploadRefused(ApplicationError, ValidationError):
    """
    A refused upload: a validation error to forms and serializers (shown at
    the field), a refusal to the pages that show a service's refusals.
    """

    def __init__(self, message: str) -> None:
        ValidationError.__init__(self, message, code="upload")
        self.extra: dict = {}


def upload_name(uploaded: Any) -> str:
    """The file's own name as people gave it, without a path (some browsers send one)."""
    return (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "file"


def check_upload(uploaded: Any, *, accepts: Accepts, what: str,
                 max_bytes: int | None = None) -> CheckedUpload:
    """
    Check one uploaded file by size and content and return its type, name,
    size and SHA-256; raise UploadRefused otherwise. `what` names the
    upload in the message ("evidence"); `max_bytes` defaults to
    settings.UPLOAD_MAX_BYTES.
    """
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    name = upload_name(uploaded)
    size = uploaded.size or 0
    if size > limit:
        raise UploadRefused(_("“%(name)s” is larger than the limit of %(limit)s.")
                            % {"name": name, "limit": filesizeformat(limit)})
    if size == 0:
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": name})
    uploaded.seek(0)
    try:
        kind = accepts.detect(uploaded, name)
    except ArchiveRefused:
        raise UploadRefused(
            _("“%(name)s” cannot be read, or it unpacks to far more data than a document holds.")
            % {"name": name}) from None
    finally:
        uploaded.seek(0)
    if kind is None:
        raise UploadRefused(
            _("“%(name)s” is not an accepted %(what)s file (accepted: %(list)s). Files are "
              "checked by their content, not their name.")
            % {"name": name, "what": what, "list": accepts.labels})
    digest = hashlib.sha256()
    chunks = uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b"")
    for chunk in chunks:
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedUpload(kind=kind, name=name, size=size, sha256=digest.hexdigest())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, at most `max_files` (settings.UPLOAD_MAX_FILES); the service checks each."""

    def __init__(self, *args: Any, max_files: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)
        self.max_files = max_files

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        limit = settings.UPLOAD_MAX_FILES if self.max_files is None else self.max_files
        if len(files) > limit:
            raise ValidationError(_("At most %(n)s files at once.") % {"n": limit})
        return files
