"""
Schemathesis against the live schema of API v1, as an enterprise token and
as a staff token: no request it generates, valid or not, may answer 5xx,
and every answer must be as documented (status code, content type, headers,
body). A bounded number of examples per operation keeps it fast and
repeatable (derandomized); seeded data makes some ids exist.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import issue_token
from tests.rectification.factories import notified_finding

pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}


def test_api_v1_never_fails_and_answers_as_documented(
        settings_override, enterprise, enterprise_user, inspector, supervisor, admin_user):
    for _ in range(3):
        notified_finding(enterprise, officers=[inspector])
    tokens = {"enterprise": issue_token(enterprise_user),
              "staff": issue_token(supervisor, admin=admin_user)}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode, examples in EXAMPLES.items():

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def run(case):
                for token in tokens.values():
                    response = case.call(headers={"Authorization": f"Bearer {token}"})
                    case.validate_response(response, checks=CHECKS)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report every operation
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
    assert operations >= 35


@pytest.fixture
def settings_override(settings):
    """No rate limit; and, as Django's test client does, requests leave the
    test's connection (and its transaction) open."""
    settings.API_RATE_LIMIT = "100000/minute"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
