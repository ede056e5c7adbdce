"""
Background exports: one mechanism for every file too big to build inside a
request (registry CSV/XLSX, findings and inspections, campaign reports).

Core knows no export itself. Each app registers a builder per kind in its
AppConfig.ready():

    register_export("enterprises", build_enterprises, label=_("Registry"))

and a builder is called as builder(viewer=owner, params=job.params), reads
through the app's scoped selectors, and returns (bytes or the path of a
file it wrote, filename, content_type, row_count). Because the job builds
as its owner, a file never shows more than its owner may see when it runs.
"""

import datetime
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User

from .access import is_staff_user
from .audit import audit_record
from .exceptions import ApplicationError
from .models import ExportJob, ExportStatus
from .queue import enqueue_on_commit

logger = logging.getLogger(__name__)

BuildResult = tuple[bytes | str | Path, str, str, int | None]
Builder = Callable[..., BuildResult]

# Rows up to which an export is still built inside the request.
DEFAULT_SYNC_MAX_ROWS = 2_000
# Days a finished export is kept before the daily clean-up removes it.
DEFAULT_KEEP_DAYS = 7


@dataclass(frozen=True)
class ExportKind:
    kind: str
    build: Builder
    label: str | Promise  # a lazy translation
    # Staff-only kinds are invisible (404) to enterprise users.
    staff_only: bool = True


EXPORT_KINDS: dict[str, ExportKind] = {}


def register_export(kind: str, builder: Builder, *, label: str | Promise = "",
                    staff_only: bool = True) -> None:
    """Register the builder of one export kind (from an AppConfig.ready())."""
    EXPORT_KINDS[kind] = ExportKind(kind, builder, label or kind, staff_only)


def export_kind_label(kind: str) -> str:
    entry = EXPORT_KINDS.get(kind)
    return str(entry.label) if entry else kind


def _kind_visible(kind: str, user: User) -> bool:
    entry = EXPORT_KINDS.get(kind)
    return entry is not None and (not entry.staff_only or is_staff_user(user))


def sync_max_rows() -> int:
    return getattr(settings, "EXPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS)


def exceeds_sync_limit(queryset: QuerySet) -> bool:
    """
    Tell whether an export of `queryset` is too big to build in the request.
    The count is capped (LIMIT N + 1), so it costs the same on any table.
    """
    limit = sync_max_rows()
    return queryset.order_by()[: limit + 1].count() > limit


# --- selectors -------------------------------------------------------------


def export_job_list(*, viewer: User) -> QuerySet[ExportJob]:
    """Return the viewer's own export jobs, newest first (staff kinds to staff only)."""
    if not viewer.is_authenticated:
        return ExportJob.objects.none()
    kinds = [k for k in EXPORT_KINDS if _kind_visible(k, viewer)]
    return ExportJob.objects.filter(owner=viewer, kind__in=kinds)


# --- services ----------------------------------------------------------------


@transaction.atomic
def export_job_start(*, owner: User, kind: str, params: dict) -> ExportJob:
    """
    Queue an export for `owner` and build it in the background. An
    identical job of the same owner that is still queued or running is
    returned instead, so a repeated click does not build the file twice.
    """
    from .tasks import export_job_run_task

    if not _kind_visible(kind, owner):
        raise ApplicationError(_("This export is not available."))
    unfinished = ExportJob.objects.select_for_update().filter(
        owner=owner, kind=kind, status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING)
    )
    for job in unfinished:
        if job.params == params:
            return job
    job = ExportJob(owner=owner, kind=kind, params=params)
    job.full_clean()
    job.save()
    audit_record(actor=owner, action="export.start", obj=job, after={"kind": kind, "params": params})
    enqueue_on_commit(export_job_run_task, job_id=job.pk)
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """
    Build the file of one job as its owner and store it. A finished job is
    returned untouched, so a redelivered task never builds twice; a failing
    builder leaves the job failed with the error.
    """
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("owner").get(pk=job_id)
        if job.status == ExportStatus.DONE:
            return job
        job.status = ExportStatus.RUNNING
        job.error = ""
        job.save(update_fields=["status", "error"])
    started = time.monotonic()
    logger.info("export job %s (%s) of user %s: building", job.pk, job.kind, job.owner_id)
    try:
        if not _kind_visible(job.kind, job.owner) or not job.owner.is_active:
            raise ApplicationError(_("This export is not available."))
        content, filename, content_type, row_count = EXPORT_KINDS[job.kind].build(
            viewer=job.owner, params=job.params
        )
        if isinstance(content, (str, Path)):
            with open(content, "rb") as handle:
                job.file.save(filename, File(handle), save=False)
            os.unlink(content)
        else:
            job.file.save(filename, ContentFile(content), save=False)
    except Exception as exc:  # noqa: BLE001 - any builder error is the job's outcome
        if isinstance(exc, ApplicationError):
            logger.warning("export job %s (%s) of user %s refused: %s",
                           job.pk, job.kind, job.owner_id, exc.message)
        else:
            logger.exception("export job %s (%s) of user %s failed", job.pk, job.kind, job.owner_id)
        job.status = ExportStatus.FAILED
        job.error = (exc.message if isinstance(exc, ApplicationError) else
                     f"{type(exc).__name__}: {exc}")[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        audit_record(actor=job.owner, action="export.fail", obj=job, note=job.error)
        return job
    job.status = ExportStatus.DONE
    job.filename = filename
    job.content_type = content_type
    job.row_count = row_count
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "filename", "content_type", "row_count",
                            "finished_at"])
    logger.info("export job %s (%s) done: %s rows in %.1f s", job.pk, job.kind, row_count,
                time.monotonic() - started)
    return job


def export_jobs_cleanup(*, older_than_days: int | None = None) -> int:
    """Delete export jobs (and their files) created more than N days ago; return how many."""
    days = older_than_days if older_than_days is not None else getattr(
        settings, "EXPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS)
    cutoff = timezone.now() - datetime.timedelta(days=days)
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    if removed:
        logger.info("export clean-up removed %d jobs created before %s", removed, cutoff)
    return removed
