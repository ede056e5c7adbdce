from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """
    One state change: who did what to which object, when, from where, with the
    values before and after. Append-only: the application never edits or
    deletes rows, and on PostgreSQL a trigger refuses UPDATE and DELETE.
    """

    # Set by core.audit before the event is hashed (not auto_now_add, which
    # would change it after).
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=255)
    # Plain integer (not a foreign key) so core stays below enterprises; used
    # for the enterprise timeline.
    enterprise_id = models.BigIntegerField(_("enterprise id"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The hash chain (core.audit_chain): each event of a stream (its object
    # type) carries its number in the stream, the previous event's hash and
    # its own, a keyed hash of its content and of that previous hash.
    stream = models.CharField(_("stream"), max_length=60, blank=True)
    seq = models.PositiveBigIntegerField(_("number in stream"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Per-object history on each detail page.
            models.Index(fields=["object_type", "object_id", "-created_at"]),
            # Enterprise timeline.
            models.Index(fields=["enterprise_id", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="core_auditevent_stream_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class AuditStreamHead(models.Model):
    """
    The last event of one audit stream. Writers lock this row while they
    append, so events of one stream are chained one after another while
    other streams are written at the same time.
    """

    stream = models.CharField(_("stream"), max_length=60, primary_key=True)
    seq = models.PositiveBigIntegerField(_("number in stream"), default=0)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit stream head")
        verbose_name_plural = _("audit stream heads")

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq}"


class Notification(models.Model):
    """
    An in-app message to one user, also sent by e-mail. The event key makes
    sending idempotent: one notification per recipient and event.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    event_key = models.CharField(_("event key"), max_length=120)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=255, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            # Unread count in the header.
            models.Index(
                fields=["recipient"],
                name="notification_unread_idx",
                condition=models.Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.subject


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Preparing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """
    One file built in the background for one user: what to build (kind and
    params, handed to the builder registered in core.exports) and, once
    done, the stored file. Only the owner may download it.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My exports" and the reuse of an identical unfinished job.
            models.Index(fields=["owner", "-created_at"], name="exportjob_owner_idx"),
            # The daily clean-up of old files.
            models.Index(fields=["created_at"], name="exportjob_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def kind_label(self) -> str:
        from .exports import export_kind_label

        return export_kind_label(self.kind)

    @property
    def format_label(self) -> str:
        return str(self.params.get("fmt", "pdf" if self.kind.endswith("report") else "")).upper()

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)


class PendingTask(models.Model):
    """
    A Celery task that could not be sent because the broker was down
    (core.queue.enqueue); sent again by the beat task `core-resend-pending-tasks`.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("task waiting for the queue")
        verbose_name_plural = _("tasks waiting for the queue")

    def __str__(self) -> str:
        return self.task
