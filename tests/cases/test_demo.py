"""The cases step of seed_demo, run alone: a case in each state, through the services."""

import random

import pytest
from django.utils import timezone

from cases import demo
from cases.models import Case, CaseStatus, DocumentKind, Outcome, SubmissionKind
from core.demo import DEMO_STEPS
from inspections.models import OfficerConflict
from legal.models import ServiceMethod
from tests.cases.factories import agency, serious_finding
from tests.factories import EnterpriseFactory, EnterpriseUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_ctx():
    agency()
    staff = {name: UserFactory(username=name, role="inspector", first_name=name)
             for name in ("inspector", "inspector2", "inspector3", "inspector4")}
    staff["supervisor"] = UserFactory(username="supervisor", role="supervisor", first_name="陈志明")
    qiye = EnterpriseUserFactory(username="qiye")
    enterprises = [qiye.enterprise] + [EnterpriseFactory() for _ in range(8)]
    for enterprise in enterprises[:4]:
        serious_finding(enterprise)
    # The demo's conflicts are random: the first two inspectors must stand
    # down for qiye's enterprise, three of four for another, which is skipped.
    for name in ("inspector", "inspector2"):
        OfficerConflict.objects.create(officer=staff[name], enterprise=qiye.enterprise, reason="亲属任职")
    for name in ("inspector", "inspector2", "inspector3"):
        OfficerConflict.objects.create(officer=staff[name], enterprise=enterprises[1], reason="曾任职")
    return {"rng": random.Random(3), "today": timezone.localdate(), "users": {**staff, "qiye": qiye},
            "enterprises": enterprises}


def test_the_cases_step_makes_a_case_in_each_state(demo_ctx):
    demo.seed_cases(demo_ctx)
    made = demo_ctx["cases"]
    assert set(made) == set(demo.SCENARIOS)
    statuses = {name: Case.objects.get(pk=case.pk).status for name, case in made.items()}
    assert statuses == {
        "proposed": CaseStatus.PROPOSED, "filed": CaseStatus.FILED, "investigating": CaseStatus.INVESTIGATING,
        "prior_notice": CaseStatus.DEFENCE, "served": CaseStatus.SERVED, "transferred": CaseStatus.CLOSED,
        "closed": CaseStatus.CLOSED,
    }
    qiye = demo_ctx["users"]["qiye"]
    featured = made["prior_notice"]
    # qiye sees it in the portal: its statement and the electronic service under consent.
    assert featured.enterprise_id == qiye.enterprise_id
    assert featured.submissions.filter(kind=SubmissionKind.STATEMENT, submitted_by=qiye).exists()
    notice = featured.documents.get(kind=DocumentKind.PRIOR_NOTICE)
    assert notice.service_method == ServiceMethod.ELECTRONIC and notice.service_record.consent is not None
    # No team holds an officer who must stand down for its enterprise.
    for case in made.values():
        conflicted = set(OfficerConflict.objects.filter(enterprise_id=case.enterprise_id)
                         .values_list("officer_id", flat=True))
        assert not conflicted & set(case.team.values_list("officer_id", flat=True))
    assert made["transferred"].outcome == Outcome.TRANSFERRED
    investigating = made["investigating"]
    assert investigating.records.filter(confirmed_at__isnull=False).count() == 2
    assert investigating.documents.filter(kind=DocumentKind.INTERVIEW_NOTICE).exists()
    served = Case.objects.get(pk=made["served"].pk)
    assert served.documents.get(kind=DocumentKind.PENALTY_DECISION).proof_sha256


def test_the_step_is_registered_after_the_rectification_loop():
    orders = {step.name: step.order for step in DEMO_STEPS}
    assert orders["rectification"] < orders["cases"] < orders["risk ranking"]
