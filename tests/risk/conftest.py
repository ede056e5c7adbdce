import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese():
    """Messages are asserted in Chinese, whatever an earlier test left active."""
    with translation.override("zh-hans"):
        yield
