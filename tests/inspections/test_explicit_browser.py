import os
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections.models import Inspection
from inspections.services import inspections as inspection_services
from tests.factories import TEST_PASSWORD, EnterpriseFactory, InspectionFactory
from tests.labels.explicit import media

# Set LABELWATCH_SCREENSHOTS=<dir> to keep screenshots of the item page.
SCREENSHOTS = os.environ.get("LABELWATCH_SCREENSHOTS")


def shot(page, name):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_item_page_shows_the_crop_next_to_the_verdict(page, inspector):
    inspection = InspectionFactory(enterprise=EnterpriseFactory(), status=Inspection.Status.DUE,
                                   officers=[inspector])
    # Committed at once (transaction=True): the explicit check runs eagerly.
    item = inspection_services.item_create(
        inspection=inspection, actor=inspector, modality="image",
        content_ref="https://app.example.cn/c/1", channel="download", captured_at=timezone.now(),
        file=SimpleUploadedFile("海报.png", media.png(media.label_image(1280, 720, ratio=0.035))))
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "inspector")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r"/(?!accounts/login)"))
    page.goto(f"/inspections/items/{item.pk}/")
    status = page.locator('[data-testid="explicit-status"]')
    assert status.inner_text() == "有标识，但不符合要求"
    crop = page.locator('[data-testid="explicit-evidence"] img').first
    crop.scroll_into_view_if_needed()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", crop.element_handle())
    assert "EXP-04" in page.locator('[data-testid="explicit-check"]').inner_text()
    shot(page, "item-explicit-zh")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "item-explicit-390")
