"""An id no database can hold is an invalid choice, not a server error."""

import pytest

from cases.forms import ProposeForm
from inspections.forms import CampaignForm, TargetedForm
from rectification.forms import ReverificationForm
from tipoffs.forms import ConvertInspectionForm

HUGE = "99999999999999999999"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (ReverificationForm, "officers"),
        (TargetedForm, "officers"),
        (CampaignForm, "team"),
        (ConvertInspectionForm, "officers"),
        (ProposeForm, "team"),
        (ProposeForm, "findings"),
    ],
)
def test_a_huge_id_is_an_invalid_choice(form_class, name, inspector):
    form = form_class(data={name: [str(inspector.pk), HUGE]})
    assert not form.is_valid()
    assert HUGE in " ".join(form.errors[name])


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["team", "findings"])
def test_a_case_proposal_refuses_a_huge_id(name, enterprise, inspector):
    form = ProposeForm(data={name: [HUGE]}, enterprise=enterprise)
    assert not form.is_valid()
    assert name in form.errors
