"""seed_scale fills the tables it promises (small numbers; SQLite needs --force)."""

import pytest
from django.core.management import CommandError, call_command

from enterprises.models import Enterprise
from inspections.models import Finding, Inspection, SampledItem
from reports.models import ViolationRollup


def test_it_loads_the_requested_volumes_and_builds_the_rollups(db):
    call_command("seed_scale", "--force", "--enterprises", "30", "--inspections", "120",
                 "--items", "600", "--findings", "90")
    assert Enterprise.objects.count() == 30
    assert Inspection.objects.count() == 120
    assert SampledItem.objects.count() == 600
    assert Finding.objects.count() == 90
    assert ViolationRollup.objects.exists()


def test_it_refuses_a_large_load_on_sqlite(db, monkeypatch):
    from django.db import connection

    # Whatever database this run uses, exercise the SQLite guard.
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError):
        call_command("seed_scale", "--items", "2000000")
    assert not Enterprise.objects.exists()
