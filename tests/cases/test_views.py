"""Case pages: access, each step through HTTP, bad input kept and explained."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseRecord, CaseStatus
from tests.cases.factories import investigating_case, officer, proposed_case, serious_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return [officer("王执法"), officer("李执法")]


def test_staff_see_the_list_and_detail_enterprises_get_404(client_for, enterprise, supervisor, team,
                                                           enterprise_user):
    case = proposed_case(enterprise, team=team)
    client = client_for(supervisor)
    assert client.get(reverse("cases:case_list")).status_code == 200
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert "Approve the filing" in page.content.decode() or "批准立案" in page.content.decode()
    client = client_for(enterprise_user)
    assert client.get(reverse("cases:case_list")).status_code == 404
    assert client.get(case.get_absolute_url()).status_code == 404


def test_an_inspector_off_the_team_gets_404(client_for, enterprise, team):
    case = proposed_case(enterprise, team=team)
    assert client_for(officer("别人")).get(case.get_absolute_url()).status_code == 404
    assert client_for(team[1]).get(case.get_absolute_url()).status_code == 200


def test_propose_a_case_from_a_serious_finding(client_for, enterprise, team):
    finding = serious_finding(enterprise)
    client = client_for(team[0])
    url = reverse("cases:case_propose") + f"?finding={finding.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "enterprise": enterprise.pk, "source": "serious", "cause": "传播违法内容",
        "facts": "抽检发现。", "clue_found_on": timezone.localdate().isoformat(),
        "findings": [finding.pk], "team": [team[0].pk, team[1].pk],
    })
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.status == CaseStatus.PROPOSED


def test_a_team_of_one_is_refused_and_the_form_keeps_the_text(client_for, enterprise, team):
    finding = serious_finding(enterprise)
    client = client_for(team[0])
    response = client.post(reverse("cases:case_propose") + f"?finding={finding.pk}", {
        "enterprise": enterprise.pk, "source": "serious", "cause": "传播违法内容",
        "facts": "这是我写的事实。", "clue_found_on": timezone.localdate().isoformat(),
        "findings": [finding.pk], "team": [team[0].pk],
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "这是我写的事实。" in body and Case.objects.count() == 0


def test_file_and_record_through_the_pages(client_for, enterprise, supervisor, team):
    case = proposed_case(enterprise, team=team)
    client = client_for(supervisor)
    assert client.post(reverse("cases:case_step", args=[case.pk, "file"])).status_code == 302
    # Twice: nothing happens twice.
    client.post(reverse("cases:case_step", args=[case.pk, "file"]))
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED and case.documents.count() == 1
    client = client_for(team[0])
    now = timezone.localtime()
    data = {"kind": "inspection", "place": "现场", "content": "看到的情况。", "person": "",
            "started_at": (now.replace(second=0, microsecond=0) - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ended_at": now.strftime("%Y-%m-%dT%H:%M"), "officers": [team[0].pk]}
    response = client.post(reverse("cases:record_create", args=[case.pk]), data)
    assert response.status_code == 200 and "看到的情况。" in response.content.decode()
    assert CaseRecord.objects.count() == 0
    data["officers"] = [team[0].pk, team[1].pk]
    assert client.post(reverse("cases:record_create", args=[case.pk]), data).status_code == 302
    record = CaseRecord.objects.get()
    client.post(reverse("cases:record_party", args=[record.pk]), {"confirmation": "absent"})
    client.post(reverse("cases:record_confirm", args=[record.pk]))
    client_for(team[1]).post(reverse("cases:record_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.is_final
    page = client_for(team[1]).get(case.get_absolute_url()).content.decode()
    assert team[0].certificate_number in page


def test_a_document_downloads_for_staff_only(client_for, enterprise, supervisor, team, other_enterprise_user):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    document = case.documents.first()
    response = client_for(supervisor).get(reverse("cases:document_download", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for(other_enterprise_user).get(
        reverse("cases:document_download", args=[document.pk])).status_code == 404


def test_an_unknown_step_is_404(client_for, enterprise, supervisor, team):
    case = proposed_case(enterprise, team=team)
    assert client_for(supervisor).post(reverse("cases:case_step", args=[case.pk, "explode"])).status_code == 404


def test_the_case_page_offers_each_officer_their_own_records_and_serves_unserved_documents(
    client_for, enterprise, supervisor
):
    from cases import records, services
    from cases.models import DocumentKind, PartyConfirmation

    team = [officer("王执法"), officer("李执法"), officer("赵执法")]
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    final = CaseRecord.objects.get()
    now = timezone.now()
    pending = records.record_create(
        case=case, actor=team[0], kind="inspection", place="现场", content="复查情况。",
        started_at=now - timezone.timedelta(hours=1), ended_at=now, officer_list=team[:2],
        person="张三", person_position="法定代表人",
    )
    case = services.case_issue_prior_notice(
        case=case, actor=supervisor, intended_penalty="warning", grounds="第十三条"
    )
    notice = case.documents.get(kind=DocumentKind.PRIOR_NOTICE)

    def page(user):
        return client_for(user).get(case.get_absolute_url()).content.decode()

    confirm = reverse("cases:record_confirm", args=[pending.pk])
    first = page(team[0])
    assert f'id="id_p{pending.pk}_confirmation"' in first and f"id_p{final.pk}_" not in first
    # The officer confirms only once the party's signature or refusal is noted.
    assert confirm not in first
    assert f'id="id_s{notice.pk}_method"' in first
    assert reverse("cases:document_serve", args=[notice.pk]) in first
    # An officer of the case who is not on the record has nothing to do on it.
    assert f"id_p{pending.pk}_" not in page(team[2])

    records.record_party_confirmation(
        record=pending, actor=team[0], confirmation=PartyConfirmation.SIGNED
    )
    assert confirm in page(team[0]) and confirm in page(team[1])
    records.record_confirm(record=pending, actor=team[0])
    assert confirm not in page(team[0]) and confirm in page(team[1])


def test_the_prior_notice_of_a_case_without_findings_asks_for_the_conduct(client_for, enterprise, supervisor,
                                                                         team):
    import datetime

    from cases import services
    from cases.models import DocumentKind
    from inspections.models import IssueCode
    from tests.cases.factories import confirmed_record

    case = proposed_case(enterprise, team=team, findings=[], source="targeted")
    case = services.case_file(case=case, actor=supervisor)
    case = services.case_start_investigation(case=case, actor=team[0])
    confirmed_record(case, team=team)
    client = client_for(supervisor)
    assert 'name="conduct_codes"' in client.get(case.get_absolute_url()).content.decode()
    url = reverse("cases:case_prior_notice", args=[case.pk])
    typed = {"intended_penalty": "warning", "grounds": "《互联网信息服务深度合成管理规定》第二十二条"}
    page = client.post(url, typed)
    assert page.status_code == 200 and "《互联网信息服务深度合成管理规定》第二十二条" in page.content.decode()
    assert not case.documents.filter(kind=DocumentKind.PRIOR_NOTICE).exists()
    imp = IssueCode.objects.get(code="IMP-01")
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = client.post(url, {**typed, "conduct_codes": [imp.pk], "conduct_on": day.isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.conduct_on == day and list(case.conduct_codes.values_list("code", flat=True)) == ["IMP-01"]
    assert "上述行为违反了" in str(case.documents.get(kind=DocumentKind.PRIOR_NOTICE).facts)
