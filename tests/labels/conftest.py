"""Shared helpers for the label checker tests (no Django, no database)."""

from __future__ import annotations

import io

import pytest

from inspections.labels import CheckResult, check_stream


def check_bytes(data: bytes, **options: object) -> CheckResult:
    """Run the checker over in-memory bytes."""
    return check_stream(io.BytesIO(data), path="sample", **options)  # type: ignore[arg-type]


@pytest.fixture
def check() -> object:
    """Provide ``check_bytes`` to tests."""
    return check_bytes
