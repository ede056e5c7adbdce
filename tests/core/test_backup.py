"""backup then restore into an empty database: every object and every file comes back."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from rectification import services
from tests.rectification.factories import notified_finding, pdf, png

EXCLUDED_APPS = {"contenttypes", "auth", "sessions", "admin", "axes"}


def _counts() -> dict[str, int]:
    # RollupChange is bookkeeping the restore itself writes (its triggers record
    # every restored row as changed), not data to find again.
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label not in EXCLUDED_APPS and not model._meta.proxy
            and model._meta.label != "reports.RollupChange"}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database(tmp_path, enterprise, enterprise_user,
                                                  inspector, supervisor, capsys):
    finding = notified_finding(enterprise, officers=[inspector])
    report = services.report_create(enterprise=enterprise, actor=enterprise_user,
                                    findings=[finding])
    files = [services.evidence_add(response=report.responses.get(), actor=enterprise_user,
                                   uploaded=upload) for upload in (png(), pdf())]
    stored = {e.file.name: e.file.read() for e in files}
    before = _counts()
    assert before["core.AuditEvent"] > 0 and before["rectification.ReportEvidence"] == 2
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    # Refused over a live database.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    from django.conf import settings

    for name in stored:
        (settings.MEDIA_ROOT / name).unlink()
    assert AuditEvent.objects.count() == 0

    call_command("restore", str(archive))
    after = _counts()
    assert {k: v for k, v in after.items() if v != before[k]} == {}
    for name, content in stored.items():
        assert (settings.MEDIA_ROOT / name).read_bytes() == content
    capsys.readouterr()
    call_command("verify_audit")
    assert "audit trail intact" in capsys.readouterr().out
