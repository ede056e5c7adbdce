import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import Role, User
from core.models import AuditEvent
from enterprises import exporting, identifiers, selectors
from enterprises.demo import DEMO_COUNT, generate_enterprises, seed_enterprises
from enterprises.models import Enterprise
from inspections.models import Finding
from reports.models import Notice, NoticeStatus
from tests.factories import make_uscc


def test_seed_generation_is_deterministic_for_a_seed():
    first = [r["fields"]["uscc"] for r in generate_enterprises(rng=random.Random(7))]
    second = [r["fields"]["uscc"] for r in generate_enterprises(rng=random.Random(7))]
    other = [r["fields"]["uscc"] for r in generate_enterprises(rng=random.Random(8))]
    assert first == second and first != other
    assert len(first) >= 150 and len(set(first)) == len(first)
    assert all(identifiers.uscc_is_valid(code) for code in first)


def _assert_demo_seeded(enterprise_count: int) -> None:
    enterprises = Enterprise.objects.all()
    assert enterprises.count() == enterprise_count
    assert all(identifiers.uscc_is_valid(e.uscc) for e in enterprises)
    assert enterprises.filter(district="110108").count() > enterprises.count() / 3
    assert enterprises.filter(services__isnull=False).distinct().count() == enterprises.count()
    roles = dict(User.objects.values_list("username", "role"))
    assert {roles[u] for u in ("inspector", "inspector2", "inspector3", "inspector4")} == {
        Role.INSPECTOR}
    assert roles["supervisor"] == Role.SUPERVISOR and roles["analyst"] == Role.ANALYST
    assert roles["admin"] == Role.ADMIN
    qiye, qiye2 = User.objects.get(username="qiye"), User.objects.get(username="qiye2")
    assert qiye.enterprise and qiye2.enterprise and qiye.enterprise != qiye2.enterprise
    # Every step ran: inspections with findings, notices issued through the batch.
    assert Finding.objects.exists()
    assert Notice.objects.filter(status__in=(NoticeStatus.ISSUED, NoticeStatus.SERVED)).exists()


@pytest.mark.django_db
def test_a_small_seed_demo_fills_an_empty_database_once(capsys, settings):
    settings.NOTICE_RENDER_PROCESSES = 1  # no render pool for a handful of notices
    call_command("seed_demo", "--seed", "3", "--enterprises", "20")
    _assert_demo_seeded(20)
    out = capsys.readouterr().out
    assert "LabelWatch-demo-2026" in out and "qiye2" in out

    count = Enterprise.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Enterprise.objects.count() == count
    with pytest.raises(CommandError):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_refuses_a_registry_too_small_for_its_steps():
    with pytest.raises(CommandError, match="at least"):
        call_command("seed_demo", "--enterprises", "5")
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_the_whole_demo_seeds_on_postgresql():
    # The full-size demo is what a deployment seeds (on PostgreSQL); it runs
    # once, in the PostgreSQL run of the suite (about 20 s), not twice.
    if connection.vendor != "postgresql":
        pytest.skip("the full-size demo runs in the PostgreSQL run of the suite")
    call_command("seed_demo", "--seed", "3")
    _assert_demo_seeded(DEMO_COUNT)


@pytest.mark.django_db
def test_demo_logins_prints_the_accounts(capsys):
    call_command("demo_logins")
    assert "seed_demo" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_command_imports_and_reports(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(f"uscc,name,district\n{make_uscc(1)},北京甲公司,110108\n", encoding="utf-8")
    call_command("import_enterprises", str(good))
    assert Enterprise.objects.count() == 1

    bad = tmp_path / "bad.csv"
    bad.write_text(f"uscc,name,district\n{make_uscc(2)},北京乙公司,110108\nX,丙,110108\n",
                   encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_enterprises", str(bad), "--language", "en")
    assert "row 3\tuscc" in capsys.readouterr().err
    assert Enterprise.objects.count() == 1

    call_command("import_enterprises", str(bad), "--valid-only")
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_import_command_reimport_of_an_export_changes_nothing(tmp_path):
    seed_enterprises(rng=random.Random(5), count=40)
    path = tmp_path / "export.xlsx"
    path.write_bytes(exporting.export_xlsx(
        Enterprise.objects.prefetch_related(*selectors.CHILD_RELATIONS), machine=True))
    events = AuditEvent.objects.count()
    call_command("import_enterprises", str(path))
    assert AuditEvent.objects.count() == events
