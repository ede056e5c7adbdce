"""A select's empty choice reads in words (请选择 / 不指定), never Django's "---------"."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse

from tests.factories import InspectionFactory, ServiceFactory

DASHES = "---------"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_apps() -> set[str]:
    """The project's own apps (those under BASE_DIR, not the installed packages)."""
    from django.apps import apps
    from django.conf import settings

    return {config.name for config in apps.get_app_configs()
            if Path(config.path).is_relative_to(settings.BASE_DIR) and ".venv" not in Path(config.path).parts}


def _project_forms():
    project = _project_apps()
    for app in project:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    # The Django admin keeps its own convention.
    return {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in project and "admin" not in cls.__module__
    }


def _empty_labels(form_class):
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.ModelChoiceField):
            yield name, field.empty_label
        elif isinstance(field, forms.ChoiceField):
            yield from ((name, label) for value, label in field.choices if value in ("", None))


def test_no_form_of_the_project_offers_dashes():
    offenders = sorted(
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _project_forms()
        for name, label in _empty_labels(cls)
        if label == DASHES
    )
    assert offenders == []


@pytest.mark.django_db
def test_the_registry_form_asks_to_choose(client_for, inspector):
    body = client_for(inspector).get(reverse("enterprises:create")).content.decode()
    assert DASHES not in body
    assert ">请选择</option>" in body


@pytest.mark.django_db
def test_the_inspection_page_asks_to_choose(client_for, supervisor, enterprise):
    ServiceFactory(enterprise=enterprise)
    ServiceFactory(enterprise=enterprise)
    inspection = InspectionFactory(enterprise=enterprise)
    body = (
        client_for(supervisor)
        .get(reverse("inspections:inspection_detail", args=[inspection.pk]))
        .content.decode()
    )
    assert DASHES not in body
    assert ">请选择</option>" in body
