import pytest

from tests.factories import EnterpriseFactory

LIST = "/api/enterprises/"


def detail(pk: int) -> str:
    return f"/api/enterprises/{pk}/"


@pytest.mark.parametrize("persona", ["inspector", "supervisor", "analyst", "admin"])
def test_staff_list_enterprises(client_for, staff_users, enterprise, other_enterprise, persona):
    response = client_for(staff_users[persona]).get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {row["uscc"] for row in body["results"]} == {enterprise.uscc, other_enterprise.uscc}


def test_detail_returns_public_registry_fields(client_for, inspector):
    company = EnterpriseFactory(is_generation_provider=True, is_app_store=True,
                                internal_notes="不要外传")

    body = client_for(inspector).get(detail(company.pk)).json()

    assert body == {
        "id": company.pk, "uscc": company.uscc, "name": company.name,
        "district": company.district, "roles": company.roles,
        "risk_tier": company.risk_tier, "status": company.status,
    }
    assert "internal_notes" not in body


def test_detail_of_unknown_enterprise_is_404(client_for, inspector):
    response = client_for(inspector).get(detail(999999))

    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}


def test_enterprise_user_gets_404_even_for_own_enterprise(client_for, enterprise_user, enterprise):
    client = client_for(enterprise_user)

    assert client.get(LIST).status_code == 404
    assert client.get(detail(enterprise.pk)).status_code == 404


def test_anonymous_is_refused(client, enterprise):
    assert client.get(LIST).status_code == 403
    assert client.get(detail(enterprise.pk)).status_code == 403


def test_list_query_count_does_not_grow(client_for, inspector, django_assert_max_num_queries):
    EnterpriseFactory.create_batch(5)
    client = client_for(inspector)
    with django_assert_max_num_queries(5) as few:
        client.get(LIST)
    EnterpriseFactory.create_batch(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.json()["count"] == 50
