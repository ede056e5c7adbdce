import pytest

from enterprises.selectors import enterprise_get, enterprise_list
from tests.factories import (
    AlgorithmFilingFactory,
    EnterpriseFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


def names(queryset):
    return [e.name for e in queryset]


def test_staff_see_every_enterprise_and_enterprise_users_only_their_own(
    inspector, enterprise_user, enterprise, other_enterprise
):
    assert set(enterprise_list(viewer=inspector)) == {enterprise, other_enterprise}
    assert list(enterprise_list(viewer=enterprise_user)) == [enterprise]


def test_enterprise_get_404s_for_another_enterprise(enterprise_user, other_enterprise):
    from django.http import Http404

    with pytest.raises(Http404):
        enterprise_get(viewer=enterprise_user, pk=other_enterprise.pk)


def test_search_matches_name_uscc_and_filing_number(inspector):
    a = EnterpriseFactory(name="北京星河智算科技有限公司")
    b = EnterpriseFactory(name="北京乙公司")
    filing = AlgorithmFilingFactory(enterprise=b)
    assert list(enterprise_list(viewer=inspector, filters={"q": "星河"})) == [a]
    assert list(enterprise_list(viewer=inspector, filters={"q": a.uscc.lower()})) == [a]
    assert list(enterprise_list(viewer=inspector, filters={"q": filing.number[4:14]})) == [b]


def test_filters_by_role_district_tier_and_status(inspector):
    a = EnterpriseFactory(is_app_store=True, district="110105", risk_tier="high", status="active")
    EnterpriseFactory(district="110108", risk_tier="low", status="closed")
    for filters in ({"role": "app_store"}, {"district": "110105"}, {"risk_tier": "high"},
                    {"status": "active"}):
        assert list(enterprise_list(viewer=inspector, filters=filters)) == [a]


def test_sorting_and_counts(inspector):
    a = EnterpriseFactory(name="A", risk_tier="low", risk_score=10)
    b = EnterpriseFactory(name="B", risk_tier="high", risk_score=90)
    ServiceFactory.create_batch(2, enterprise=a)
    assert names(enterprise_list(viewer=inspector, filters={"sort": "-name"})) == ["B", "A"]
    assert names(enterprise_list(viewer=inspector, filters={"sort": "risk_tier"})) == ["B", "A"]
    assert names(enterprise_list(viewer=inspector, filters={"sort": "-services"})) == ["A", "B"]
    assert enterprise_list(viewer=inspector).get(pk=a.pk).service_count == 2
    assert b.pk  # both listed


def test_list_page_queries_do_not_grow_with_the_registry(client_for, inspector,
                                                         django_assert_max_num_queries):
    def fill(n):
        for _ in range(n):
            e = EnterpriseFactory(is_dissemination_platform=True)
            ServiceFactory(enterprise=e)
            AlgorithmFilingFactory(enterprise=e)

    client = client_for(inspector)
    fill(5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get("/enterprises/").status_code == 200
    fill(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/enterprises/")
    assert len(response.context["page_obj"].object_list) == 50
