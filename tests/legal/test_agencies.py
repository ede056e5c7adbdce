"""Agencies as data: the reconsideration body by level, the portal and contact in documents."""

import pytest

from core.exceptions import ApplicationError
from legal.models import Agency, AgencyLevel
from reports.notices import services
from tests.factories import CampaignFactory
from tests.reports.factories import make_findings


def _draft(inspector, agency_name: str, **agency):
    Agency.objects.update_or_create(name=agency_name, defaults={
        "portal_name": "海淀网信执法平台", "telephone": "010-82345678", "contact_person": "李联系",
        **agency})
    campaign = CampaignFactory(agency=agency_name)
    findings = make_findings(author=inspector, campaign=campaign)
    return services.notice_create(enterprise=findings[0].enterprise, campaign=campaign,
                                  findings=findings, actor=inspector)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "level", "government", "body"), [
    ("北京市海淀区互联网信息办公室", AgencyLevel.DISTRICT, "北京市海淀区人民政府", "北京市海淀区人民政府"),
    ("北京市互联网信息办公室", AgencyLevel.MUNICIPAL, "北京市人民政府", "北京市人民政府"),
    ("国家互联网信息办公室", AgencyLevel.NATIONAL, "", "国家互联网信息办公室"),
])
def test_reconsideration_body_follows_the_agency_level(inspector, name, level, government, body):
    notice = _draft(inspector, name, level=level, government=government)
    assert f"向{body}申请行政复议" in notice.remedies
    assert "本级人民政府" not in notice.remedies
    if level == AgencyLevel.DISTRICT:
        assert "北京市人民政府" not in notice.remedies


@pytest.mark.django_db
def test_submission_names_the_agency_portal_telephone_and_contact_never_the_product(inspector):
    notice = _draft(inspector, "北京市海淀区互联网信息办公室", level=AgencyLevel.DISTRICT,
                    government="北京市海淀区人民政府", address="北京市海淀区示例街2号")
    assert "海淀网信执法平台" in notice.submission and "010-82345678" in notice.submission
    assert "联系人：李联系" in notice.submission and "北京市海淀区示例街2号" in notice.submission
    for field in ("facts", "submission", "remedies", "consequences", "measures"):
        assert "LabelWatch" not in getattr(notice, field)


@pytest.mark.django_db
def test_drafting_is_refused_until_the_agency_data_are_complete(inspector):
    campaign = CampaignFactory(agency="北京市朝阳区互联网信息办公室")
    Agency.objects.filter(name=campaign.agency).update(telephone="", contact_person="")
    findings = make_findings(author=inspector, campaign=campaign)
    with pytest.raises(ApplicationError) as error:
        services.notice_create(enterprise=findings[0].enterprise, campaign=campaign, findings=findings,
                               actor=inspector)
    assert "北京市朝阳区互联网信息办公室" in error.value.message


@pytest.mark.django_db
def test_a_local_agency_needs_its_government():
    from django.core.exceptions import ValidationError

    agency = Agency(name="某区网信办", level=AgencyLevel.DISTRICT, government="")
    with pytest.raises(ValidationError):
        agency.full_clean()


def test_the_migration_guesses_level_and_government_from_the_name():
    import importlib

    module = importlib.import_module("inspections.migrations.0011_agencies_from_campaigns")
    assert module.guess_level_and_government("北京市海淀区互联网信息办公室") == ("district", "北京市海淀区人民政府")
    assert module.guess_level_and_government("北京市互联网信息办公室") == ("municipal", "北京市人民政府")
    assert module.guess_level_and_government("广西壮族自治区互联网信息办公室") == ("provincial", "广西壮族自治区人民政府")
    assert module.guess_level_and_government("国家互联网信息办公室") == ("national", "")
