"""A real Celery worker against Redis runs an inspections task."""

import datetime

import pytest
from django.utils import timezone

from inspections.models import Inspection
from tests.factories import InspectionFactory
from tests.realworker import real_worker


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_an_inspection_due(tmp_path, inspector, second_inspector, enterprise):
    inspection = InspectionFactory(enterprise=enterprise, status=Inspection.Status.PLANNED,
                                   planned_date=timezone.localdate() - datetime.timedelta(days=1),
                                   officers=[inspector, second_inspector])
    with real_worker(tmp_path) as worker:
        from inspections.tasks import make_inspections_due

        worker.send(make_inspections_due)
        worker.wait_until(
            lambda: worker.query("select status from inspections_inspection where id = ?",
                                 [inspection.pk]) == [(Inspection.Status.DUE,)],
            what="make the inspection due",
        )
