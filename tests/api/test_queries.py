"""Lists answer in a number of queries that does not grow with the rows on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rectification import services as rectification
from tests.api.conftest import TokenClient, issue_token
from tests.factories import EnterpriseFactory, InspectionFactory, SampledItemFactory, ServiceFactory
from tests.rectification.factories import notified_finding, png
from tests.reports.factories import make_notice

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.json()["results"], url
    return len(captured)


def add_rows(kind, n, *, enterprise, enterprise_user, inspector, supervisor, inspection):
    for _ in range(n):
        if kind == "notices":
            make_notice(author=inspector, approver=supervisor)
        elif kind == "reports":
            finding = notified_finding(enterprise, officers=[inspector])
            report = rectification.report_create(enterprise=enterprise, actor=enterprise_user,
                                                 findings=[finding])
            rectification.evidence_add(response=report.responses.get(), actor=enterprise_user,
                                       uploaded=png())
        elif kind == "inspections":
            InspectionFactory(officers=[inspector])
        elif kind == "items":
            SampledItemFactory(inspection=inspection, captured_at=timezone.now())
        elif kind == "enterprises":
            ServiceFactory(enterprise=EnterpriseFactory())


@pytest.mark.parametrize("kind,url,who", [
    ("notices", "/api/v1/notices/", "supervisor"),
    ("reports", "/api/v1/reports/", "enterprise"),
    ("inspections", "/api/v1/inspections/", "inspector"),
    ("items", "/api/v1/inspections/{inspection}/items/", "inspector"),
    ("enterprises", "/api/v1/enterprises/", "supervisor"),
])
def test_list_queries_are_flat(kind, url, who, enterprise, enterprise_user, inspector, supervisor,
                               admin_user):
    inspection = InspectionFactory(officers=[inspector])
    users = {"supervisor": supervisor, "inspector": inspector, "enterprise": enterprise_user}
    client = TokenClient(issue_token(users[who], admin=admin_user))
    url = url.format(inspection=inspection.pk)
    context = {"enterprise": enterprise, "enterprise_user": enterprise_user, "inspector": inspector,
               "supervisor": supervisor, "inspection": inspection}
    add_rows(kind, 2, **context)
    few = queries(client, url)
    add_rows(kind, 5, **context)
    assert queries(client, url) == few
