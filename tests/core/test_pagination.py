"""Capped pagination and per-row count subqueries (core.pagination)."""

import pytest
from django.urls import reverse

from core.pagination import CappedPaginator, count_of, paginate
from inspections.models import Finding, Inspection
from tests.factories import FindingFactory, InspectionFactory


@pytest.mark.django_db
def test_capped_paginator_counts_exactly_under_the_cap_and_flags_more():
    InspectionFactory.create_batch(4)
    exact = CappedPaginator(Inspection.objects.order_by("pk"), 2, cap=10)
    assert (exact.count, exact.capped, exact.num_pages) == (4, False, 2)
    capped = CappedPaginator(Inspection.objects.order_by("pk"), 2, cap=3)
    assert (capped.count, capped.capped, capped.num_pages) == (3, True, 2)
    # The cap never hides rows of the pages it offers.
    assert [i.pk for i in capped.page(2)] == list(
        Inspection.objects.order_by("pk").values_list("pk", flat=True)[2:3])
    assert CappedPaginator([1, 2, 3], 2, cap=2).capped is True


@pytest.mark.django_db
def test_count_of_counts_each_rows_children():
    busy, idle = InspectionFactory(), InspectionFactory()
    FindingFactory.create_batch(3, inspection=busy)
    counted = dict(Inspection.objects.annotate(
        n=count_of(Finding.objects.all(), link="inspection")).values_list("pk", "n"))
    assert counted[busy.pk] == 3 and counted[idle.pk] == 0


@pytest.mark.django_db
def test_capped_list_says_more_than(inspector, client_for, monkeypatch):
    monkeypatch.setattr(paginate, "__kwdefaults__", {"cap": 2})
    InspectionFactory.create_batch(3, officers=[inspector])
    response = client_for(inspector).get(reverse("inspections:inspection_list"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.capped
    html = response.content.decode()
    count = html.split('data-testid="count">', 1)[1].split("</span>", 1)[0]
    assert "2" in count and "3" not in count
