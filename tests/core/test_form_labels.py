"""
Every visible input of the main forms has a label a screen reader reads: a
<label for=…>, a <label> around it, or an aria-label / aria-labelledby.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and (attrs.get("type") or "text") in UNLABELLED_TYPES:
                return
            self.inputs.append({**attrs, "tag": tag, "inside_label": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels = max(0, self.open_labels - 1)


def unlabelled_inputs(html: str) -> list[str]:
    parser = _Inputs()
    parser.feed(html)
    return [
        f"<{i['tag']} name={i.get('name')!r}>" for i in parser.inputs
        if not (i["inside_label"] or i.get("aria-label") or i.get("aria-labelledby")
                or (i.get("id") and i["id"] in parser.label_for))
    ]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_input_of_the_staff_forms_and_filters_has_a_label(client_for, supervisor):
    campaign = CampaignFactory()
    client = client_for(supervisor)
    pages = [
        reverse("enterprises:list"), reverse("enterprises:create"), reverse("enterprises:import"),
        reverse("inspections:campaign_create"), reverse("inspections:plan_create", args=[campaign.pk]),
        reverse("inspections:inspection_list"), reverse("inspections:finding_list"),
        reverse("rectification:report_list"), reverse("rectification:extension_list"),
        reverse("rectification:escalation_list"), reverse("reports:notice_list"),
        reverse("reports:bulletin_create") + f"?campaign={campaign.pk}", reverse("tipoffs:list"), reverse("cases:case_list"),
        reverse("core:audit_list"),
    ]
    for url in pages:
        assert unlabelled_inputs(_page(client, url)) == [], url


def test_every_input_of_the_public_and_portal_forms_has_a_label(client, client_for, enterprise_user):
    assert unlabelled_inputs(_page(client, reverse("tipoffs:report"))) == []
    assert unlabelled_inputs(_page(Client(), reverse("accounts:login"))) == []
    portal = client_for(enterprise_user)
    for url in (reverse("portal:home"), reverse("portal:report_list"), reverse("portal:case_list")):
        assert unlabelled_inputs(_page(portal, url)) == [], url


def test_an_input_without_a_label_is_found():
    assert unlabelled_inputs('<label for="a">A</label><input id="a" name="a">'
                             '<label>B <input name="b"></label>'
                             '<input name="c" aria-label="C"><input type="hidden" name="d">') == []
    assert unlabelled_inputs('<input id="x" name="x"><select name="y"></select>') == [
        "<input name='x'>", "<select name='y'>"]
