def test_enterprise_user_gets_404_on_registry(client_for, enterprise_user):
    response = client_for(enterprise_user).get("/enterprises/")
    assert response.status_code == 404


def test_inspector_sees_registry(client_for, inspector):
    response = client_for(inspector).get("/enterprises/")
    assert response.status_code == 200
