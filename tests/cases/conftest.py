import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    # Service errors are matched on their message IDs (English); the pages
    # themselves are checked in Chinese where it matters.
    with translation.override("en"):
        yield
