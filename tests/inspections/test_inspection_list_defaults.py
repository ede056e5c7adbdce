"""The inspection list opens on the officer's own open work, earliest first; columns sort."""

import datetime

import pytest
from django.urls import reverse

from inspections.models import Inspection
from tests.factories import CampaignFactory, EnterpriseFactory, InspectionFactory

TODAY = datetime.date(2026, 11, 10)


@pytest.fixture
def listed(inspector, second_inspector):
    campaign = CampaignFactory(team=[inspector, second_inspector])

    def make(name, day, officer, status=Inspection.Status.PLANNED):
        return InspectionFactory(campaign=campaign, enterprise=EnterpriseFactory(name=name),
                                 planned_date=day, officers=[officer], status=status)

    return [
        make("甲-下月", TODAY + datetime.timedelta(days=30), inspector),
        make("乙-今天", TODAY, inspector, Inspection.Status.DUE),
        make("丙-同事", TODAY, second_inspector, Inspection.Status.DUE),
        make("丁-已结束", TODAY - datetime.timedelta(days=20), inspector, Inspection.Status.CLOSED),
        make("戊-上周未完", TODAY - datetime.timedelta(days=5), inspector, Inspection.Status.IN_PROGRESS),
    ]


def _names(response) -> list[str]:
    return [i.enterprise.name for i in response.context["page_obj"]]


@pytest.mark.django_db
def test_an_inspector_opens_on_own_open_inspections_earliest_first(client_for, inspector, listed):
    response = client_for(inspector).get(reverse("inspections:inspection_list"))
    assert _names(response) == ["戊-上周未完", "乙-今天", "甲-下月"]
    assert response.context["form"]["mine"].value() and response.context["form"]["open"].value()


@pytest.mark.django_db
def test_sorting_keeps_the_default_filters(client_for, inspector, listed):
    response = client_for(inspector).get(reverse("inspections:inspection_list"), {"sort": "-planned_date"})
    assert _names(response) == ["甲-下月", "乙-今天", "戊-上周未完"]


@pytest.mark.django_db
def test_unticking_shows_everything_newest_first(client_for, inspector, listed):
    response = client_for(inspector).get(reverse("inspections:inspection_list"), {"q": ""})
    assert _names(response)[0] == "甲-下月" and len(_names(response)) == 5
